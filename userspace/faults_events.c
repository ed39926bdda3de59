// SPDX-License-Identifier: GPL-2.0
/*
 * The events of "vmatlas faults --events", streamed. Text has fixed
 * columns, as a table of rows not yet seen cannot be measured; JSON is the
 * same document the summary alone would be, with "events" first and each
 * event on a line of its own, so that a reader can follow it as it grows
 * and the whole still parses when it ends.
 */
#include <stdio.h>
#include <string.h>

#include "faults_events.h"
#include "output.h"
#include "util.h"

/* A column of the text: fixed, as rows not yet seen cannot be measured. */
struct fe_col {
	const char *header;
	int width;			/* negative: left-aligned */
	/* The cell of @e, in @buf (OUT_NUM_MAX bytes) or a string @e holds. */
	const char *(*cell)(const struct faults_events *fe, struct json_object *e,
			    const char *path, char *buf);
	const char *path;		/* the member of the event it shows */
};

/* An integer member as text, "-" for null. */
static const char *fe_u64(const struct faults_events *fe, struct json_object *e,
			  const char *path, char *buf)
{
	struct json_object *v = out_get(e, path);

	return v ? out_cell_u64(buf, json_object_get_uint64(v)) : "-";
}

static const char *fe_str(const struct faults_events *fe, struct json_object *e,
			  const char *path, char *buf)
{
	return out_get_str(e, path);
}

/* Seconds since the first event, to the microsecond. */
static const char *fe_time(const struct faults_events *fe, struct json_object *e,
			   const char *path, char *buf)
{
	snprintf(buf, OUT_NUM_MAX, "%.6f", (out_get_u64(e, path) - fe->t0) / 1e9);
	return buf;
}

static const struct fe_col fe_cols[] = {
	{ "TIME_S", 10, fe_time, "ts_ns" },
	{ "PID", 7, fe_u64, "pid" },
	{ "TID", 7, fe_u64, "tid" },
	{ "ADDR", 14, fe_str, "addr" },
	{ "IP", 18, fe_str, "ip" },
	{ "ACCESS", -6, fe_str, "access" },
	{ "CLASS", -13, fe_str, "class" },
	{ "LAT_NS", 8, fe_u64, "latency_ns" },
	{ "PFN_BEFORE", 10, fe_str, "pte_before.pfn" },
	{ "PFN_AFTER", 10, fe_str, "pte_after.pfn" },
	{ "MAPS_BEFORE", 11, fe_u64, "pte_before.mapcount" },
	{ "MAPS_AFTER", 10, fe_u64, "pte_after.mapcount" },
};

static const char *fe_col_names(const void *all, size_t i, const char **key)
{
	*key = NULL;
	return ((const struct fe_col *)all)[i].header;
}

int faults_events_columns(struct faults_events *fe, const char *list, char *bad, size_t len)
{
	int n = out_choose(ARRAY_SIZE(fe_cols), list ? list : FAULTS_EVENTS_DEFAULT, fe->cols,
			   bad, len, fe_cols, fe_col_names);

	if (n < 0)
		return -1;
	fe->ncols = n;
	return 0;
}

/* A line of the text: @e's cells, or the headers if @e is NULL. */
static void fe_line(struct faults_events *fe, struct json_object *e)
{
	const struct fe_col *col;
	char buf[OUT_NUM_MAX];
	const char *text;
	int i;

	for (i = 0; i < fe->ncols; i++) {
		col = &fe_cols[fe->cols[i]];
		text = e ? col->cell(fe, e, col->path, buf) : col->header;
		/* No blanks at the end of a line. */
		if (i + 1 == fe->ncols && col->width < 0)
			fputs(text, fe->out);
		else
			fprintf(fe->out, "%*s", col->width, text);
		fputs(i + 1 < fe->ncols ? "  " : "\n", fe->out);
	}
}

static void fe_begin(struct faults_events *fe)
{
	fe->begun = true;
	if (fe->json)
		fputs("{\n  \"events\": [\n", fe->out);
	else
		fe_line(fe, NULL);
}

static void fe_text(struct faults_events *fe, struct json_object *e)
{
	if (!fe->count)
		fe->t0 = out_get_u64(e, "ts_ns");
	fe_line(fe, e);
}

void faults_events_on(struct json_object *event, void *priv)
{
	struct faults_events *fe = priv;

	if (!event) {
		fflush(fe->out);
		return;
	}
	if (!fe->begun)
		fe_begin(fe);
	if (fe->json)
		fprintf(fe->out, "%s    %s", fe->count ? ",\n" : "",
			json_object_to_json_string_ext(event, JSON_C_TO_STRING_SPACED |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		fe_text(fe, event);
	fe->count++;
}

int faults_events_end(struct faults_events *fe, struct json_object *doc)
{
	const char *text;

	if (!fe->begun)
		fe_begin(fe);
	if (!fe->json) {
		fputc('\n', fe->out);
		return 0;
	}
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
						   JSON_C_TO_STRING_SPACED |
						   JSON_C_TO_STRING_NOSLASHESCAPE);
	/* The summary's members follow the array: its text without its "{\n". */
	if (!text || strncmp(text, "{\n", 2)) {
		fputs("\n  ]\n}\n", fe->out);
		return out_flush();
	}
	fprintf(fe->out, "%s  ],\n%s\n", fe->count ? "\n" : "", text + 2);
	return out_flush();
}
