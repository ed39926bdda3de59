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
#include <stdio.h>

#include <json-c/json.h>

struct faults_events {
	FILE *out;
	bool json;
	bool begun;			/* the header (or the document's head) is out */
	unsigned long long count;
	unsigned long long t0;		/* ts_ns of the first event */
};

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
