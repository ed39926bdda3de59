/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one printer: subcommands build a json-c document; it is printed as JSON
 * with --json and as aligned text otherwise, so both always say the same.
 */
#ifndef _VMATLAS_OUTPUT_H
#define _VMATLAS_OUTPUT_H

#include <json-c/json.h>

/* A JSON string "0x..." for an address or other hexadecimal quantity. */
struct json_object *out_hex(unsigned long long value);

/*
 * Print @doc and release it. JSON mode: the document. Text mode: one aligned
 * "key  value" line per member; arrays of scalars are joined by commas.
 * Return: 0, or 1 if writing to stdout failed.
 */
int out_emit_object(struct json_object *doc);

#endif /* _VMATLAS_OUTPUT_H */
