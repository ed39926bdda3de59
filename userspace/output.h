/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one printer: a subcommand's result is printed as JSON with --json and
 * as aligned text otherwise, from the same data, so both always say the
 * same. Most subcommands build a json-c document; maps and ptdump, whose
 * output grows with the target, write their records directly with the
 * out_json_*() writer and out_write_table(), in the same layout.
 */
#ifndef _VMATLAS_OUTPUT_H
#define _VMATLAS_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

/*
 * How the printer prints, set by the program that drives it (the tool's
 * front end, from --json and --color): a document or text, text with
 * colour or without, and how an error is reported. The printer knows
 * nothing else of the command line.
 */
struct out_opts {
	bool json;
	bool color;
	/* Reports "writing output: ..." and returns the exit status; NULL: stderr, 1. */
	int (*error)(const char *fmt, ...) __attribute__((format(gnu_printf, 1, 2)));
};

extern struct out_opts out_opts;

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

/*
 * out_print_size() into @buf of @len bytes (24 are always enough).
 * Return: the length of the text.
 */
size_t out_format_size(char *buf, size_t len, unsigned long long bytes, bool short_units);

/* A table cell (see struct out_column): the size @bytes, short; "-" for 0 or null. */
void out_print_size_cell(FILE *out, struct json_object *bytes);

enum out_align {
	OUT_LEFT,
	OUT_RIGHT,
};

/* Room for the text of any number: "0x" and 16 digits, or 20 digits, and a NUL. */
#define OUT_NUM_MAX	24

/* @v as "0x..." or in decimal, written at the end of @buf (OUT_NUM_MAX bytes). */
const char *out_cell_hex(char *buf, unsigned long long v);
const char *out_cell_u64(char *buf, unsigned long long v);

/*
 * A JSON document written as it goes, in the layout json-c prints
 * (PRETTY | SPACED | NOSLASHESCAPE): out_json_begin(), members, containers
 * closed with out_json_close(), out_json_end(). @key is NULL for the
 * elements of an array. The text is buffered in struct out_json and reaches
 * @out 64 KiB at a time, the last of it in out_json_end(): nothing else may
 * write to @out meanwhile. Writing cannot fail; the stream's error flag says
 * whether the text reached @out.
 */
/* Containers open at once, at most; deeper ones would close with '?': invalid JSON. */
#define OUT_JSON_DEPTH	8

struct out_json {
	FILE *out;
	unsigned int depth;
	bool empty;			/* the innermost container has no member yet */
	char close[OUT_JSON_DEPTH];	/* what closes each open container */
	size_t len;			/* of text in @buf */
	char buf[64 * 1024];
};

void out_json_begin(struct out_json *j, FILE *out);
void out_json_end(struct out_json *j);
void out_json_object(struct out_json *j, const char *key);
void out_json_array(struct out_json *j, const char *key);
void out_json_close(struct out_json *j);
void out_json_str(struct out_json *j, const char *key, const char *s);
void out_json_u64(struct out_json *j, const char *key, unsigned long long v);
void out_json_s64(struct out_json *j, const char *key, long long v);
void out_json_bool(struct out_json *j, const char *key, bool v);
void out_json_null(struct out_json *j, const char *key);
void out_json_hex(struct out_json *j, const char *key, unsigned long long v);
/* out_json_hex(), or null when !@known. */
void out_json_hex_or_null(struct out_json *j, const char *key, bool known,
			  unsigned long long v);

/* The longest cell out_write_table() formats (maps -f, all 32 VM flags: 275). */
#define OUT_CELL_MAX	512
#define OUT_COLS_MAX	24

/* A column of out_write_table(). */
struct out_col {
	const char *header;
	enum out_align align;
	/*
	 * The text of row @i of @rows: in @buf (OUT_CELL_MAX bytes) or a
	 * string that lives as long as @rows. @arg: the column's own.
	 */
	const char *(*cell)(const void *rows, size_t i, size_t arg, char *buf);
	size_t arg;
	/*
	 * With out_opts.color: the SGR parameters ("1;33") the cell of row @i
	 * is drawn with, or NULL for none. NULL: no colour in this column.
	 */
	const char *(*color)(const void *rows, size_t i, size_t arg);
};

/*
 * Write a table of @nrows rows: a header line and one line a row, each
 * column as wide as its widest cell, as out_print_table() does. With
 * out_opts.color the header is bold and cells take their column's colour;
 * the widths are the text's. Two passes
 * (widths, then text) over the rows, no memory: it cannot fail but in
 * writing, which the stream's error flag says.
 */
void out_write_table(FILE *out, const struct out_col *cols, size_t ncols, const void *rows,
		     size_t nrows);

/*
 * The columns named in @list (comma-separated headers, any case; "all": every
 * one of @all, in order) into @out, in the order named. Return: how many,
 * or -1 with the first unknown name (or "" for an empty list) in @bad.
 */
int out_choose_cols(const struct out_col *all, size_t nall, const char *list,
		    struct out_col *out, char *bad, size_t badlen);

/*
 * What out_choose_cols() does, for any table of @nall columns: the indexes
 * of the columns @list names into @idx (OUT_COLS_MAX of them). @names(@all,
 * i, &key): column i's header, and in key the JSON member it shows or NULL;
 * either names it, in any case.
 */
int out_choose(size_t nall, const char *list, size_t *idx, char *bad, size_t badlen,
	       const void *all, const char *(*names)(const void *all, size_t i, const char **key));

/* @bytes as out_print_size() writes it, short, into @buf; "-" for 0. */
const char *out_cell_size(char *buf, unsigned long long bytes);

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
 * out_choose_cols() for out_print_table()'s columns: a column is named by
 * its header or by its @key, the JSON member it shows ("phys_linear").
 */
int out_choose_columns(const struct out_column *all, size_t nall, const char *list,
		       struct out_column *out, char *bad, size_t badlen);

/*
 * Print @rows, a JSON array of objects, as a header line and one line a row,
 * each column as wide as its widest cell. Return: 0 or a negative errno.
 */
int out_print_table(FILE *out, struct json_object *rows, const struct out_column *cols,
		    size_t ncols);

/*
 * The columns -o chooses of an out_print_table() table: @all of them, the
 * default ones (@fallback, a list as -o takes; NULL: all), the chosen ones.
 */
struct out_choice {
	const struct out_column *all;
	size_t nall;
	const char *fallback;
	struct out_column cols[OUT_COLS_MAX];
	int n;
};

/*
 * out_choose_columns() of @choice's columns into it, a struct out_choice
 * (untyped, to be parse_columns_arg()'s @choose). Return: as that does.
 */
int out_choice_set(void *choice, const char *list, char *bad, size_t badlen);

/* out_print_table() of the columns chosen in @c, else of its default ones. */
int out_print_choice(FILE *out, struct json_object *rows, struct out_choice *c);

/*
 * Print @doc and release it. JSON mode: the document. Text mode: what
 * @print_text writes (it returns 0 or a negative errno). Nothing reaches
 * stdout unless all of the text was written.
 * Return: 0, or 1 after an error message.
 */
int out_emit(struct json_object *doc, int (*print_text)(FILE *out, struct json_object *doc));

/*
 * Flush stdout. Return: 0, or 1 after "writing output: ..." if any of what
 * was written to it could not be.
 */
int out_flush(void);

/*
 * out_emit() for key/value documents. Text mode: one aligned "key  value"
 * line per member; arrays of scalars are joined by commas.
 */
int out_emit_object(struct json_object *doc);

#endif /* _VMATLAS_OUTPUT_H */
