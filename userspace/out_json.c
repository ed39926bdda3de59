// SPDX-License-Identifier: GPL-2.0
/*
 * A JSON document written member by member, with no document in memory: the
 * layout of json-c 0.16's PRETTY | SPACED | NOSLASHESCAPE (which the DOM
 * printer uses), byte for byte, so that either writer may print a command.
 * Also the text of numbers, which tables share.
 */
#include <string.h>

#include "output.h"

const char *out_cell_u64(char *buf, unsigned long long v)
{
	char *p = &buf[OUT_NUM_MAX - 1];

	*p = '\0';
	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v);
	return p;
}

const char *out_cell_hex(char *buf, unsigned long long v)
{
	char *p = &buf[OUT_NUM_MAX - 1];

	*p = '\0';
	do {
		*--p = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	return p;
}

/*
 * The text goes through the writer's own buffer, not stdio call by call,
 * which cost more than the formatting; stdio sees 64 KiB at a time. Nothing
 * else writes to the stream while the document is written.
 */
static void out_json_flush(struct out_json *j)
{
	fwrite(j->buf, 1, j->len, j->out);
	j->len = 0;
}

static void out_json_write(struct out_json *j, const char *s, size_t n)
{
	if (n > sizeof(j->buf) - j->len) {
		out_json_flush(j);
		if (n > sizeof(j->buf)) {
			fwrite(s, 1, n, j->out);
			return;
		}
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

static void out_json_puts(struct out_json *j, const char *s)
{
	out_json_write(j, s, strlen(s));
}

static void out_json_putc(struct out_json *j, char c)
{
	if (j->len == sizeof(j->buf))
		out_json_flush(j);
	j->buf[j->len++] = c;
}

/* Two blanks a level, as json-c indents. */
static void out_json_indent(struct out_json *j)
{
	static const char blanks[] = "                                ";
	size_t n = 2 * j->depth;

	while (n) {
		size_t k = n < sizeof(blanks) - 1 ? n : sizeof(blanks) - 1;

		out_json_write(j, blanks, k);
		n -= k;
	}
}

/* What precedes every member: a comma after another, a new line, the indent, the key. */
static void out_json_member(struct out_json *j, const char *key)
{
	out_json_puts(j, j->empty ? "\n" : ",\n");
	j->empty = false;
	out_json_indent(j);
	if (key) {
		/* Keys are literals of this program: nothing to escape. */
		out_json_putc(j, '"');
		out_json_puts(j, key);
		out_json_puts(j, "\": ");
	}
}

static void out_json_open(struct out_json *j, const char *key, char open, char close)
{
	if (key || j->depth)
		out_json_member(j, key);
	out_json_putc(j, open);
	if (j->depth < OUT_JSON_DEPTH)
		j->close[j->depth] = close;
	j->depth++;
	j->empty = true;
}

void out_json_begin(struct out_json *j, FILE *out)
{
	j->out = out;
	j->len = 0;
	j->depth = 0;
	out_json_open(j, NULL, '{', '}');
}

void out_json_object(struct out_json *j, const char *key)
{
	out_json_open(j, key, '{', '}');
}

void out_json_array(struct out_json *j, const char *key)
{
	out_json_open(j, key, '[', ']');
}

/* json-c closes every container on a line of its own, an empty one too. */
void out_json_close(struct out_json *j)
{
	j->depth--;
	out_json_putc(j, '\n');
	out_json_indent(j);
	out_json_putc(j, j->depth < OUT_JSON_DEPTH ? j->close[j->depth] : '?');
	j->empty = false;
}

void out_json_end(struct out_json *j)
{
	out_json_close(j);
	out_json_putc(j, '\n');
	out_json_flush(j);
}

/*
 * As json-c escapes strings: the two-letter escapes, other bytes below 0x20
 * as \u00xx; '/', DEL and bytes from 0x80 (valid UTF-8 or not) as they are.
 */
static void out_json_escape(struct out_json *j, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n;

	for (;;) {
		for (n = 0; (unsigned char)s[n] >= 0x20 && s[n] != '"' && s[n] != '\\'; n++)
			;
		out_json_write(j, s, n);
		s += n;
		switch (*s) {
		case '\0':
			return;
		case '\b':
			out_json_puts(j, "\\b");
			break;
		case '\n':
			out_json_puts(j, "\\n");
			break;
		case '\r':
			out_json_puts(j, "\\r");
			break;
		case '\t':
			out_json_puts(j, "\\t");
			break;
		case '\f':
			out_json_puts(j, "\\f");
			break;
		case '"':
			out_json_puts(j, "\\\"");
			break;
		case '\\':
			out_json_puts(j, "\\\\");
			break;
		default:
			out_json_puts(j, "\\u00");
			out_json_putc(j, hex[*s >> 4]);
			out_json_putc(j, hex[*s & 15]);
			break;
		}
		s++;
	}
}

void out_json_str(struct out_json *j, const char *key, const char *s)
{
	out_json_member(j, key);
	out_json_putc(j, '"');
	out_json_escape(j, s);
	out_json_putc(j, '"');
}

void out_json_u64(struct out_json *j, const char *key, unsigned long long v)
{
	char buf[OUT_NUM_MAX];

	out_json_member(j, key);
	out_json_puts(j, out_cell_u64(buf, v));
}

void out_json_s64(struct out_json *j, const char *key, long long v)
{
	char buf[OUT_NUM_MAX];

	out_json_member(j, key);
	if (v < 0)
		out_json_putc(j, '-');
	out_json_puts(j, out_cell_u64(buf, v < 0 ? -(unsigned long long)v : (unsigned long long)v));
}

void out_json_bool(struct out_json *j, const char *key, bool v)
{
	out_json_member(j, key);
	out_json_puts(j, v ? "true" : "false");
}

void out_json_null(struct out_json *j, const char *key)
{
	out_json_member(j, key);
	out_json_puts(j, "null");
}

void out_json_hex(struct out_json *j, const char *key, unsigned long long v)
{
	char buf[OUT_NUM_MAX];

	out_json_member(j, key);
	out_json_putc(j, '"');
	out_json_puts(j, out_cell_hex(buf, v));
	out_json_putc(j, '"');
}

void out_json_hex_or_null(struct out_json *j, const char *key, bool known,
			  unsigned long long v)
{
	if (known)
		out_json_hex(j, key, v);
	else
		out_json_null(j, key);
}
