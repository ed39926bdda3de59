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

#define FE_FORMAT	"%10s %7s %14s %14s  %-6s  %-13s %8s %10s %10s %11s %10s\n"

/* An integer member as text, "-" for null: into @buf (OUT_NUM_MAX bytes). */
static const char *fe_u64(struct json_object *e, const char *path, char *buf)
{
	struct json_object *v = out_get(e, path);

	return v ? out_cell_u64(buf, json_object_get_uint64(v)) : "-";
}

static void fe_begin(struct faults_events *fe)
{
	fe->begun = true;
	if (fe->json)
		fputs("{\n  \"events\": [\n", fe->out);
	else
		fprintf(fe->out, FE_FORMAT, "TIME_S", "TID", "ADDR", "IP", "ACCESS", "CLASS",
			"LAT_NS", "PFN_BEFORE", "PFN_AFTER", "MAPS_BEFORE", "MAPS_AFTER");
}

static void fe_text(struct faults_events *fe, struct json_object *e)
{
	char tid[OUT_NUM_MAX], lat[OUT_NUM_MAX], mb[OUT_NUM_MAX], ma[OUT_NUM_MAX], t[32];
	unsigned long long ts = out_get_u64(e, "ts_ns");

	if (!fe->count)
		fe->t0 = ts;
	snprintf(t, sizeof(t), "%.6f", (ts - fe->t0) / 1e9);
	fprintf(fe->out, FE_FORMAT, t, fe_u64(e, "tid", tid), out_get_str(e, "addr"),
		out_get_str(e, "ip"), out_get_str(e, "access"), out_get_str(e, "class"),
		fe_u64(e, "latency_ns", lat), out_get_str(e, "pte_before.pfn"),
		out_get_str(e, "pte_after.pfn"), fe_u64(e, "pte_before.mapcount", mb),
		fe_u64(e, "pte_after.mapcount", ma));
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
