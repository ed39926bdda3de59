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
	char *p = buf + OUT_NUM_MAX - 1;

	*p = '\0';
	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v);
	return p;
}

const char *out_cell_hex(char *buf, unsigned long long v)
{
	char *p = buf + OUT_NUM_MAX - 1;

	*p = '\0';
	do {
		*--p = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	return p;
}

/* Two blanks a level, as json-c indents. */
static void out_json_indent(struct out_json *j)
{
	static const char blanks[] = "                                ";
	size_t n = 2 * j->depth;

	while (n) {
		size_t k = n < sizeof(blanks) - 1 ? n : sizeof(blanks) - 1;

		fwrite(blanks, 1, k, j->out);
		n -= k;
	}
}

/* What precedes every member: a comma after another, a new line, the indent, the key. */
static void out_json_member(struct out_json *j, const char *key)
{
	fputs(j->empty ? "\n" : ",\n", j->out);
	j->empty = false;
	out_json_indent(j);
	if (key) {
		/* Keys are literals of this program: nothing to escape. */
		putc('"', j->out);
		fputs(key, j->out);
		fputs("\": ", j->out);
	}
}

static void out_json_open(struct out_json *j, const char *key, char open, char close)
{
	if (key || j->depth)
		out_json_member(j, key);
	putc(open, j->out);
	if (j->depth < OUT_JSON_DEPTH)
		j->close[j->depth] = close;
	j->depth++;
	j->empty = true;
}

void out_json_begin(struct out_json *j, FILE *out)
{
	j->out = out;
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
	putc('\n', j->out);
	out_json_indent(j);
	putc(j->depth < OUT_JSON_DEPTH ? j->close[j->depth] : '?', j->out);
	j->empty = false;
}

void out_json_end(struct out_json *j)
{
	out_json_close(j);
	putc('\n', j->out);
}

/*
 * As json-c escapes strings: the two-letter escapes, other bytes below 0x20
 * as \u00xx; '/', DEL and bytes from 0x80 (valid UTF-8 or not) as they are.
 */
static void out_json_escape(FILE *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n;

	for (;;) {
		for (n = 0; (unsigned char)s[n] >= 0x20 && s[n] != '"' && s[n] != '\\'; n++)
			;
		fwrite(s, 1, n, out);
		s += n;
		switch (*s) {
		case '\0':
			return;
		case '\b':
			fputs("\\b", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		default:
			fprintf(out, "\\u00%c%c", hex[(unsigned char)*s >> 4], hex[*s & 15]);
			break;
		}
		s++;
	}
}

void out_json_str(struct out_json *j, const char *key, const char *s)
{
	out_json_member(j, key);
	putc('"', j->out);
	out_json_escape(j->out, s);
	putc('"', j->out);
}

void out_json_u64(struct out_json *j, const char *key, unsigned long long v)
{
	char buf[OUT_NUM_MAX];

	out_json_member(j, key);
	fputs(out_cell_u64(buf, v), j->out);
}

void out_json_s64(struct out_json *j, const char *key, long long v)
{
	char buf[OUT_NUM_MAX];

	out_json_member(j, key);
	if (v < 0)
		putc('-', j->out);
	fputs(out_cell_u64(buf, v < 0 ? -(unsigned long long)v : (unsigned long long)v), j->out);
}

void out_json_bool(struct out_json *j, const char *key, bool v)
{
	out_json_member(j, key);
	fputs(v ? "true" : "false", j->out);
}

void out_json_null(struct out_json *j, const char *key)
{
	out_json_member(j, key);
	fputs("null", j->out);
}

void out_json_hex(struct out_json *j, const char *key, unsigned long long v)
{
	char buf[OUT_NUM_MAX];

	out_json_member(j, key);
	putc('"', j->out);
	fputs(out_cell_hex(buf, v), j->out);
	putc('"', j->out);
}

void out_json_hex_or_null(struct out_json *j, const char *key, bool known,
			  unsigned long long v)
{
	if (known)
		out_json_hex(j, key, v);
	else
		out_json_null(j, key);
}
