// SPDX-License-Identifier: GPL-2.0
/*
 * Rendering of a subcommand's result, as JSON or as text. A document's text
 * is written to a memory stream first and reaches stdout only once all of it
 * was formatted: a failure leaves stdout empty. Tables of records
 * (out_write_table()) need no memory and cannot fail to format; both kinds
 * of table share out_table_line().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "output.h"

struct out_opts out_opts;

/* out_opts.error(), or the message alone on stderr. Return: the exit status. */
__attribute__((format(gnu_printf, 1, 2)))
static int out_error(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (out_opts.error)
		return out_opts.error("%s", msg);
	fprintf(stderr, "%s\n", msg);
	return 1;
}

struct json_object *out_hex(unsigned long long value)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", value);
	return json_object_new_string(buf);
}

struct json_object *out_hex_or_null(bool known, unsigned long long value)
{
	return known ? out_hex(value) : NULL;
}

struct json_object *out_get(struct json_object *obj, const char *path)
{
	char key[64];
	size_t len;

	while (obj && json_object_is_type(obj, json_type_object)) {
		len = strcspn(path, ".");
		if (len >= sizeof(key))
			return NULL;
		memcpy(key, path, len);
		key[len] = '\0';
		if (!json_object_object_get_ex(obj, key, &obj))
			return NULL;
		if (!path[len])
			return obj;
		path += len + 1;
	}
	return NULL;
}

unsigned long long out_get_u64(struct json_object *obj, const char *path)
{
	return json_object_get_uint64(out_get(obj, path));
}

const char *out_get_str(struct json_object *obj, const char *path)
{
	struct json_object *val = out_get(obj, path);

	return val ? json_object_get_string(val) : "-";
}

void out_print_value(FILE *out, struct json_object *val)
{
	size_t i, n;

	if (!val) {
		fputc('-', out);
		return;
	}
	if (!json_object_is_type(val, json_type_array)) {
		fputs(json_object_get_string(val), out);
		return;
	}
	n = json_object_array_length(val);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		fputs(json_object_get_string(json_object_array_get_idx(val, i)), out);
	}
	if (!n)
		fputc('-', out);
}

size_t out_format_size(char *buf, size_t len, unsigned long long bytes, bool short_units)
{
	static const char units[] = "KMGTPE";
	unsigned long long unit = 1;
	size_t at;
	int i = -1;

	while (i + 1 < (int)sizeof(units) - 1 && bytes >> 10 >= unit) {
		unit <<= 10;
		i++;
	}
	at = snprintf(buf, len, "%llu", bytes / unit);
	if (bytes % unit)
		at += snprintf(buf + at, len - at, ".%llu", bytes % unit * 10 / unit);
	if (i < 0)
		at += snprintf(buf + at, len - at, "%s", short_units ? "" : " B");
	else
		at += snprintf(buf + at, len - at, short_units ? "%c" : " %ciB", units[i]);
	return at;
}

void out_print_size(FILE *out, unsigned long long bytes, bool short_units)
{
	char buf[OUT_NUM_MAX];

	out_format_size(buf, sizeof(buf), bytes, short_units);
	fputs(buf, out);
}

const char *out_cell_size(char *buf, unsigned long long bytes)
{
	if (!bytes)
		return "-";
	out_format_size(buf, OUT_NUM_MAX, bytes, true);
	return buf;
}

void out_print_size_cell(FILE *out, struct json_object *bytes)
{
	char buf[OUT_NUM_MAX];

	fputs(out_cell_size(buf, json_object_get_uint64(bytes)), out);
}

/* A memory stream and, once closed, the text written to it. */
struct out_buf {
	FILE *f;
	char *text;
	size_t len;
};

static int out_buf_open(struct out_buf *buf)
{
	buf->text = NULL;
	buf->len = 0;
	buf->f = open_memstream(&buf->text, &buf->len);
	return buf->f ? 0 : -ENOMEM;
}

/* Close the stream; the text stays in @buf->text until free()d. */
static int out_buf_close(struct out_buf *buf)
{
	bool failed = ferror(buf->f);

	if (fclose(buf->f) || failed)
		return -ENOMEM;
	return 0;
}

/* How out_table_line() lays out a column. */
struct out_layout {
	size_t width;
	enum out_align align;
};

/* The SGR parameters of a table's header line. */
#define OUT_SGR_HEADER	"1"

/*
 * One line of a table, the one home of its layout: columns two blanks apart,
 * each as wide as @layout says. Padding is written only before visible text,
 * so that no line ends in blanks when its last cells are empty. A cell whose
 * @sgr is not NULL is drawn in that colour (the padding is not).
 */
static void out_table_line(FILE *out, const char *const *cells, const char *const *sgr,
			   const struct out_layout *layout, size_t ncols)
{
	size_t i, len, pending = 0;

	for (i = 0; i < ncols; i++) {
		len = strlen(cells[i]);
		if (i)
			pending += 2;
		if (layout[i].align == OUT_RIGHT)
			pending += layout[i].width - len;
		if (len && sgr && sgr[i])
			fprintf(out, "%*s\033[%sm%s\033[0m", (int)pending, "", sgr[i], cells[i]);
		else if (len)
			fprintf(out, "%*s%s", (int)pending, "", cells[i]);
		if (len)
			pending = 0;
		if (layout[i].align == OUT_LEFT)
			pending += layout[i].width - len;
	}
	fputc('\n', out);
}

/* The colours of row @row (0: the header) of a table, or NULL for none. */
static const char *const *out_row_sgr(const struct out_col *cols, size_t ncols,
				      const void *rows, size_t row, const char **sgr)
{
	size_t c;

	if (!out_opts.color)
		return NULL;
	for (c = 0; c < ncols; c++) {
		if (!row)
			sgr[c] = OUT_SGR_HEADER;
		else
			sgr[c] = cols && cols[c].color ?
				 cols[c].color(rows, row - 1, cols[c].arg) : NULL;
	}
	return sgr;
}

/* Write a cell of the table to @f. */
static void out_table_cell(FILE *f, struct json_object *rows, size_t row,
			   const struct out_column *col)
{
	struct json_object *val;

	if (!row) {
		fputs(col->header, f);
		return;
	}
	val = json_object_array_get_idx(rows, row - 1);
	if (col->key)
		val = out_get(val, col->key);
	if (col->format)
		col->format(f, val);
	else
		out_print_value(f, val);
}

int out_print_table(FILE *out, struct json_object *rows, const struct out_column *cols,
		    size_t ncols)
{
	size_t nrows = json_object_array_length(rows) + 1;	/* with the header */
	size_t *offsets = calloc(nrows * ncols, sizeof(*offsets));
	struct out_layout *layout = calloc(ncols, sizeof(*layout));
	const char **cells = calloc(ncols, sizeof(*cells));
	const char **sgr = calloc(ncols, sizeof(*sgr));
	struct out_buf text = {};
	size_t r, c, i;
	int ret = -ENOMEM;

	/* Every cell into one buffer, each ended by a NUL; its width noted. */
	if (!offsets || !layout || !cells || !sgr || out_buf_open(&text))
		goto out;
	for (c = 0; c < ncols; c++)
		layout[c].align = cols[c].align;
	for (r = 0, i = 0; r < nrows; r++) {
		for (c = 0; c < ncols; c++, i++) {
			offsets[i] = ftell(text.f);
			out_table_cell(text.f, rows, r, &cols[c]);
			if ((size_t)ftell(text.f) - offsets[i] > layout[c].width)
				layout[c].width = ftell(text.f) - offsets[i];
			fputc('\0', text.f);
		}
	}
	ret = out_buf_close(&text);
	if (ret)
		goto out;
	for (r = 0, i = 0; r < nrows; r++) {
		for (c = 0; c < ncols; c++, i++)
			cells[c] = text.text + offsets[i];
		out_table_line(out, cells, out_row_sgr(NULL, ncols, NULL, r, sgr), layout, ncols);
	}
out:
	free(text.text);
	free(sgr);
	free(cells);
	free(layout);
	free(offsets);
	return ret;
}

int out_choice_set(void *choice, const char *list, char *bad, size_t badlen)
{
	struct out_choice *c = choice;

	c->n = out_choose_columns(c->all, c->nall, list, c->cols, bad, badlen);
	return c->n;
}

int out_print_choice(FILE *out, struct json_object *rows, struct out_choice *c)
{
	char bad[32];

	if (c->n <= 0 && out_choice_set(c, c->fallback ?: "all", bad, sizeof(bad)) < 0)
		return -EINVAL;
	return out_print_table(out, rows, c->cols, c->n);
}

/* The cells of row @row of @rows (0: the header) into @cells, formatted in @bufs. */
static void out_write_row(const struct out_col *cols, size_t ncols, const void *rows,
			  size_t row, const char **cells, char (*bufs)[OUT_CELL_MAX])
{
	size_t c;

	for (c = 0; c < ncols; c++)
		cells[c] = row ? cols[c].cell(rows, row - 1, cols[c].arg, bufs[c]) :
				 cols[c].header;
}

/*
 * Whether the @len bytes at @name name a column: its header, or the JSON
 * member it shows (@key, may be NULL), in any case.
 */
static bool out_col_named(const char *name, size_t len, const char *header, const char *key)
{
	return (strlen(header) == len && !strncasecmp(header, name, len)) ||
	       (key && strlen(key) == len && !strncasecmp(key, name, len));
}

int out_choose(size_t nall, const char *list, size_t *idx, char *bad, size_t badlen,
	       const void *all, const char *(*names)(const void *all, size_t i, const char **key))
{
	const char *p = list, *header, *key;
	size_t i, len, n = 0;

	if (!strcasecmp(list, "all")) {
		for (i = 0; i < nall && i < OUT_COLS_MAX; i++)
			idx[n++] = i;
		return n;
	}
	for (;;) {
		len = strcspn(p, ",");
		for (i = 0; i < nall; i++) {
			header = names(all, i, &key);
			if (out_col_named(p, len, header, key))
				break;
		}
		if (i == nall || n == OUT_COLS_MAX) {
			snprintf(bad, badlen, "%.*s", (int)len, p);
			return -1;
		}
		idx[n++] = i;
		if (!p[len])
			return n;
		p += len + 1;
	}
}

static const char *out_col_names(const void *all, size_t i, const char **key)
{
	*key = NULL;
	return ((const struct out_col *)all)[i].header;
}

static const char *out_column_names(const void *all, size_t i, const char **key)
{
	const struct out_column *col = &((const struct out_column *)all)[i];

	*key = col->key;
	return col->header;
}

int out_choose_cols(const struct out_col *all, size_t nall, const char *list,
		    struct out_col *out, char *bad, size_t badlen)
{
	size_t idx[OUT_COLS_MAX];
	int i, n = out_choose(nall, list, idx, bad, badlen, all, out_col_names);

	for (i = 0; i < n; i++)
		out[i] = all[idx[i]];
	return n;
}

int out_choose_columns(const struct out_column *all, size_t nall, const char *list,
		       struct out_column *out, char *bad, size_t badlen)
{
	size_t idx[OUT_COLS_MAX];
	int i, n = out_choose(nall, list, idx, bad, badlen, all, out_column_names);

	for (i = 0; i < n; i++)
		out[i] = all[idx[i]];
	return n;
}

void out_write_table(FILE *out, const struct out_col *cols, size_t ncols, const void *rows,
		     size_t nrows)
{
	char bufs[OUT_COLS_MAX][OUT_CELL_MAX];
	struct out_layout layout[OUT_COLS_MAX];
	const char *cells[OUT_COLS_MAX], *sgr[OUT_COLS_MAX];
	size_t r, c, len;

	if (ncols > OUT_COLS_MAX)
		ncols = OUT_COLS_MAX;
	for (c = 0; c < ncols; c++)
		layout[c] = (struct out_layout){ 0, cols[c].align };
	for (r = 0; r <= nrows; r++) {
		out_write_row(cols, ncols, rows, r, cells, bufs);
		for (c = 0; c < ncols; c++) {
			len = strlen(cells[c]);
			if (len > layout[c].width)
				layout[c].width = len;
		}
	}
	for (r = 0; r <= nrows; r++) {
		out_write_row(cols, ncols, rows, r, cells, bufs);
		out_table_line(out, cells, out_row_sgr(cols, ncols, rows, r, sgr), layout, ncols);
	}
}

int out_flush(void)
{
	if (fflush(stdout) || ferror(stdout))
		return out_error("writing output: %m");
	return 0;
}

static int out_finish(struct json_object *doc)
{
	int ret = out_flush();

	json_object_put(doc);
	return ret;
}

/* Text of @doc into a memory buffer, then to stdout. */
static int out_emit_text(struct json_object *doc,
			 int (*print_text)(FILE *out, struct json_object *doc))
{
	struct out_buf buf;
	int ret, err;

	ret = out_buf_open(&buf);
	if (ret)
		return ret;
	ret = print_text(buf.f, doc);
	err = out_buf_close(&buf);
	if (!ret)
		ret = err;
	if (!ret)
		fwrite(buf.text, 1, buf.len, stdout);
	free(buf.text);
	return ret;
}

int out_emit(struct json_object *doc, int (*print_text)(FILE *out, struct json_object *doc))
{
	const char *json;
	int ret;

	if (out_opts.json) {
		json = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
							   JSON_C_TO_STRING_SPACED |
							   JSON_C_TO_STRING_NOSLASHESCAPE);
		if (!json) {
			json_object_put(doc);
			return out_error("formatting output: %s", strerror(ENOMEM));
		}
		puts(json);
		return out_finish(doc);
	}

	ret = out_emit_text(doc, print_text);
	if (ret) {
		json_object_put(doc);
		return out_error("formatting output: %s", strerror(-ret));
	}
	return out_finish(doc);
}

static int out_print_object(FILE *out, struct json_object *doc)
{
	int width = 0;

	json_object_object_foreach(doc, key, val) {
		if ((int)strlen(key) > width)
			width = strlen(key);
		(void)val;
	}
	json_object_object_foreach(doc, k, v) {
		if (out_opts.color)
			fprintf(out, "\033[" OUT_SGR_HEADER "m%s\033[0m%*s  ", k,
				width - (int)strlen(k), "");
		else
			fprintf(out, "%-*s  ", width, k);
		out_print_value(out, v);
		fputc('\n', out);
	}
	return 0;
}

int out_emit_object(struct json_object *doc)
{
	return out_emit(doc, out_print_object);
}
