/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one printer: subcommands build a json-c document; it is printed as JSON
 * with --json and as aligned text otherwise, so both always say the same.
 */
#ifndef _VMATLAS_OUTPUT_H
#define _VMATLAS_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

/* A JSON string "0x..." for an address or other hexadecimal quantity. */
struct json_object *out_hex(unsigned long long value);

/* out_hex(), or JSON null (NULL) when !@known. */
struct json_object *out_hex_or_null(bool known, unsigned long long value);

/*
 * Member @path of @obj; "a.b" is member b of member a. NULL if missing or
 * JSON null.
 */
struct json_object *out_get(struct json_object *obj, const char *path);

/* The integer at out_get(@obj, @path), 0 if missing. */
unsigned long long out_get_u64(struct json_object *obj, const char *path);

/* The string at out_get(@obj, @path), "-" if missing. */
const char *out_get_str(struct json_object *obj, const char *path);

/* A value as text: strings as they are, arrays joined by ",", "-" for null. */
void out_print_value(FILE *out, struct json_object *val);

/*
 * A size: "4K", "2M", "1.5G" (short, as tables show sizes), or "4 KiB",
 * "2 MiB" (!@short_units). One decimal, truncated, unless the size is exact.
 */
void out_print_size(FILE *out, unsigned long long bytes, bool short_units);

/* A table cell (see struct out_column): the size @bytes, short; "-" for 0 or null. */
void out_print_size_cell(FILE *out, struct json_object *bytes);

enum out_align {
	OUT_LEFT,
	OUT_RIGHT,
};

/* A column of out_print_table(). */
struct out_column {
	const char *header;
	/* The member of each row it shows (see out_get()); NULL: the whole row. */
	const char *key;
	enum out_align align;
	/* Prints the cell for the value @key selects; NULL: out_print_value(). */
	void (*format)(FILE *out, struct json_object *val);
};

/*
 * Print @rows, a JSON array of objects, as a header line and one line a row,
 * each column as wide as its widest cell. Return: 0 or a negative errno.
 */
int out_print_table(FILE *out, struct json_object *rows, const struct out_column *cols,
		    size_t ncols);

/*
 * Print @doc and release it. JSON mode: the document. Text mode: what
 * @print_text writes (it returns 0 or a negative errno). Nothing reaches
 * stdout unless all of the text was written.
 * Return: 0, or 1 after an error message.
 */
int out_emit(struct json_object *doc, int (*print_text)(FILE *out, struct json_object *doc));

/*
 * out_emit() for key/value documents. Text mode: one aligned "key  value"
 * line per member; arrays of scalars are joined by commas.
 */
int out_emit_object(struct json_object *doc);

#endif /* _VMATLAS_OUTPUT_H */
