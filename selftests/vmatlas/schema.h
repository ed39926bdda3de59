/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tool's JSON vocabulary, Documentation/vmatlas.schema.json, checked:
 * a validator for the part of JSON Schema (2020-12) the schema uses: type
 * (one or a list), properties, required, additionalProperties (false or a
 * schema), items, enum, pattern (POSIX extended), minimum and $ref to
 * "#/$defs/NAME".
 */
#ifndef _VMATLAS_TEST_SCHEMA_H
#define _VMATLAS_TEST_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

/* The schema compiled into the tests; NULL if it does not parse. Not to be put. */
struct json_object *schema_root(void);

/*
 * Whether @doc is valid against @schema, a schema inside @root; if not, @why
 * says where and why.
 */
bool schema_valid(struct json_object *root, struct json_object *schema,
		  struct json_object *doc, char *why, size_t len);

/*
 * Whether @doc is the document "vmatlas @command --json" may print: valid
 * against the schema's $defs/@command. A command the schema does not have
 * fails: every --json output is described.
 */
bool schema_valid_output(const char *command, struct json_object *doc, char *why, size_t len);

#endif /* _VMATLAS_TEST_SCHEMA_H */
