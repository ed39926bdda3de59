// SPDX-License-Identifier: GPL-2.0
/* The fault trace of a scenario in a build without BPF: there is none. */
#include <errno.h>

#include "explain.h"

int story_trace_start(struct story_trace *t, pid_t pid)
{
	t->pid = -1;
	return -EOPNOTSUPP;
}

struct json_object *story_trace_stop(struct story_trace *t)
{
	return NULL;
}
