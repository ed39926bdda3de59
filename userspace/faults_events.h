/* SPDX-License-Identifier: GPL-2.0 */
/*
 * faults --events: every fault written as it is read from the ring buffer,
 * as libbpf-tools do, and none kept: a line of text a fault under a header,
 * or with --json the "events" array of the document, one fault a line,
 * before the summary's members.
 */
#ifndef _VMATLAS_FAULTS_EVENTS_H
#define _VMATLAS_FAULTS_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "output.h"

/*
 * The text's columns by default: what fits in 100 columns. -o adds IP,
 * MAPS_BEFORE and MAPS_AFTER.
 */
#define FAULTS_EVENTS_DEFAULT	"time_s,tid,addr,access,class,lat_ns,pfn_before,pfn_after"

struct faults_events {
	FILE *out;
	bool json;
	bool begun;			/* the header (or the document's head) is out */
	unsigned long long count;
	unsigned long long t0;		/* ts_ns of the first event */
	/* The text's columns, in order: see faults_events_columns(). */
	size_t cols[OUT_COLS_MAX];
	int ncols;
};

/*
 * Choose the text's columns: @list names them (comma-separated headers, any
 * case, or "all"); NULL: FAULTS_EVENTS_DEFAULT. Return: 0, or -1 with the
 * first unknown name in @bad (@len bytes).
 */
int faults_events_columns(struct faults_events *fe, const char *list, char *bad, size_t len);

/*
 * struct faults_opts's on_event: write @event (NULL: flush what was
 * written). @priv is a struct faults_events.
 */
void faults_events_on(struct json_object *event, void *priv);

/*
 * The end of the stream. JSON: close the array and write the rest of the
 * document, @doc's members (@doc is not released). Text: nothing more, the
 * summary follows. Return: 0, or the exit status after an error message.
 */
int faults_events_end(struct faults_events *fe, struct json_object *doc);

#endif /* _VMATLAS_FAULTS_EVENTS_H */
