// SPDX-License-Identifier: GPL-2.0
/*
 * The fault trace of a scenario: the tracer of "vmatlas faults" runs in a
 * process of its own, attached to one of the scenario's processes while the
 * scenario acts, and hands back its summary with every event as JSON.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "explain.h"
#include "faults.h"

struct trace_side {
	struct json_object *events;
	int ready;
};

static void trace_keep(struct json_object *event, void *priv)
{
	struct trace_side *t = priv;

	if (event)
		json_object_array_add(t->events, json_object_get(event));
}

static void trace_ready(void *priv)
{
	struct trace_side *t = priv;

	if (write(t->ready, "r", 1) != 1)
		_exit(1);
	close(t->ready);
}

/* The tracer's process: trace @pid until SIGINT, write the document to @out. */
static void __attribute__((noreturn)) trace_child(pid_t pid, int ready, int out)
{
	struct trace_side t = { json_object_new_array(), ready };
	struct faults_opts opts = {
		.pid = pid, .events = true, .top = 0,
		.on_event = trace_keep, .event_priv = &t, .on_ready = trace_ready,
	};
	struct json_object *doc = json_object_new_object();
	const char *text;
	size_t len;
	int null = open("/dev/null", O_WRONLY);

	/* Its complaints (no BPF here) are the story's to tell, in a line. */
	if (null >= 0)
		dup2(null, STDERR_FILENO);
	if (faults_trace(&opts, doc))
		_exit(1);
	json_object_object_add(doc, "events", t.events);
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
	len = strlen(text);
	if (write(out, text, len) != (ssize_t)len)
		_exit(1);
	_exit(0);
}

int story_trace_start(struct story_trace *t, pid_t pid)
{
	int ready[2], out[2];
	char c;

	if (pipe(ready))
		return -errno;
	if (pipe(out)) {
		close(ready[0]);
		close(ready[1]);
		return -errno;
	}
	fflush(stdout);
	t->pid = fork();
	if (!t->pid) {
		close(ready[0]);
		close(out[0]);
		trace_child(pid, ready[1], out[1]);
	}
	close(ready[1]);
	close(out[1]);
	t->out = out[0];
	if (t->pid < 0 || read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		json_object_put(story_trace_stop(t));
		return -EOPNOTSUPP;
	}
	close(ready[0]);
	return 0;
}

struct json_object *story_trace_stop(struct story_trace *t)
{
	struct json_object *doc = NULL;
	char *text = NULL, buf[4096];
	size_t len = 0;
	ssize_t n;
	int status;

	if (t->pid > 0)
		kill(t->pid, SIGINT);
	while ((n = read(t->out, buf, sizeof(buf))) > 0) {
		char *more = realloc(text, len + n + 1);

		if (!more)
			break;
		text = more;
		memcpy(text + len, buf, n);
		len += n;
		text[len] = '\0';
	}
	close(t->out);
	if (t->pid > 0 && waitpid(t->pid, &status, 0) == t->pid && WIFEXITED(status) &&
	    !WEXITSTATUS(status) && text)
		doc = json_tokener_parse(text);
	free(text);
	return doc;
}
