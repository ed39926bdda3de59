// SPDX-License-Identifier: GPL-2.0
/*
 * Rendering of a subcommand's result document, as JSON or as text.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"

struct json_object *out_hex(unsigned long long value)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", value);
	return json_object_new_string(buf);
}

static void out_print_scalar(struct json_object *val)
{
	size_t i, n;

	if (!json_object_is_type(val, json_type_array)) {
		fputs(json_object_is_type(val, json_type_null) ? "-" : json_object_get_string(val),
		      stdout);
		return;
	}
	n = json_object_array_length(val);
	for (i = 0; i < n; i++) {
		if (i)
			putchar(',');
		fputs(json_object_get_string(json_object_array_get_idx(val, i)), stdout);
	}
	if (!n)
		putchar('-');
}

static int out_finish(struct json_object *doc)
{
	int ret = 0;

	if (fflush(stdout) || ferror(stdout))
		ret = vmatlas_error("writing output: %m");
	json_object_put(doc);
	return ret;
}

int out_emit_object(struct json_object *doc)
{
	int width = 0;

	if (vmatlas_opts.json) {
		puts(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
							 JSON_C_TO_STRING_SPACED |
							 JSON_C_TO_STRING_NOSLASHESCAPE));
		return out_finish(doc);
	}

	json_object_object_foreach(doc, key, val) {
		if ((int)strlen(key) > width)
			width = strlen(key);
		(void)val;
	}
	json_object_object_foreach(doc, k, v) {
		printf("%-*s  ", width, k);
		out_print_scalar(v);
		putchar('\n');
	}
	return out_finish(doc);
}
