// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas watch: a process's address space changing, live: a snapshot every
 * interval, and what changed since the one before, until interrupted.
 */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "libvmatlas.h"
#include "output.h"
#include "parse.h"
#include "snapdiff.h"

static const char watch_doc[] =
"Watch a process's address space change: take a snapshot every interval and\n"
"print what changed since the one before (as vmatlas diff does), until\n"
"interrupted (Ctrl-C), COUNT intervals have passed, or the process is gone.\n"
"\n"
"USAGE: vmatlas watch [-i SECONDS] [-n COUNT] [--json] PID\n"
"\n"
"Intervals in which nothing changed print nothing, nor those whose snapshot\n"
"was refused because the VMAs kept changing while read. With --json, each\n"
"change is one diff document. Exit status 0 when interrupted, done or the\n"
"process exited; 1 if a snapshot failed otherwise.\n"
"\n"
"EXAMPLES:\n"
"    vmatlas watch 1234              # every second, until Ctrl-C\n"
"    vmatlas watch -i 0.2 -n 50 1234 # every 200 ms, ten seconds\n";

static const struct argp_option watch_options[] = {
	{ "interval", 'i', "SECONDS", 0, "Between two snapshots (default 1; 0.01 to 3600)", 0 },
	{ "count", 'n', "COUNT", 0, "Stop after COUNT intervals", 0 },
	{},
};

static struct {
	int pid;
	double interval;
	unsigned long count;
} watch_args = { .interval = 1 };

static int watch_stop;		/* set by SIGINT/SIGTERM: atomic access only */

static void watch_on_signal(int sig)
{
	__atomic_store_n(&watch_stop, 1, __ATOMIC_RELAXED);
}

static bool watch_stopped(void)
{
	return __atomic_load_n(&watch_stop, __ATOMIC_RELAXED);
}

static error_t watch_parse(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case 'i':
		errno = 0;
		watch_args.interval = strtod(arg, &end);
		if (errno || *end || end == arg || !(watch_args.interval >= 0.01) ||
		    watch_args.interval > 3600)
			parse_error(state, "interval '%s': seconds, from 0.01 to 3600", arg);
		return 0;
	case 'n':
		errno = 0;
		watch_args.count = strtoul(arg, &end, 10);
		if (errno || *end || end == arg || *arg == '-' || !watch_args.count)
			parse_error(state, "count '%s': a positive number of intervals", arg);
		return 0;
	default:
		return parse_pid_key(key, arg, state, &watch_args.pid);
	}
}

static const struct argp watch_argp = {
	.options = watch_options,
	.parser = watch_parse,
	.args_doc = "PID",
	.doc = watch_doc,
	.children = vmatlas_common_children,
};

/* Sleep one interval, or less when a signal comes. */
static void watch_sleep(void)
{
	struct timespec ts = {
		.tv_sec = (time_t)watch_args.interval,
		.tv_nsec = (long)((watch_args.interval - (time_t)watch_args.interval) * 1e9),
	};

	if (!watch_stopped())
		nanosleep(&ts, NULL);
}

/* The snapshots' times, as names: "12:00:01" beside "12:00:02". */
static void watch_print(const struct snapshot *s, const struct snapdiff *d)
{
	const char *names[2] = { s[0].time, s[1].time };

	if (out_opts.json)
		snapdiff_write_json(stdout, names, s, d);
	else
		snapdiff_write_text(stdout, names, s, d);
	fflush(stdout);
}

static int watch_loop(int fd)
{
	struct snapshot s[2] = {};
	unsigned long n = 0;
	int err, ret = 0;

	err = snapshot_take(fd, watch_args.pid, &s[0]);
	if (err)
		return vmatlas_error("%s", snapshot_strerror(err, watch_args.pid));
	while (!watch_stopped() && (!watch_args.count || n++ < watch_args.count)) {
		struct snapdiff d = {};

		watch_sleep();
		if (watch_stopped())
			break;
		err = snapshot_take(fd, watch_args.pid, &s[1]);
		if (!err)
			err = snapdiff(&s[0], &s[1], &d);
		if (!err && !snapdiff_empty(&d))
			watch_print(s, &d);
		snapdiff_free(&d);
		if (err) {
			snapshot_free(&s[1]);
			/* Refused as it kept changing: the next interval will tell. */
			if (err == -EAGAIN)
				continue;
			/* ESRCH: the process is gone, what there was to see is seen. */
			if (err != -ESRCH)
				ret = vmatlas_error("%s", snapshot_strerror(err, watch_args.pid));
			break;
		}
		snapshot_free(&s[0]);
		s[0] = s[1];
		memset(&s[1], 0, sizeof(s[1]));
	}
	snapshot_free(&s[0]);
	return ret;
}

static int watch_run(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = watch_on_signal };
	int fd, ret;

	if (parse_args(&watch_argp, argc, argv, 0))
		return VMATLAS_EXIT_USAGE;
	fd = vmatlas_open();
	if (fd < 0)
		return vmatlas_error("%s", vmatlas_strerror());
	/* No SA_RESTART: Ctrl-C ends the sleep at once. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = watch_loop(fd);
	vmatlas_close(fd);
	return ret;
}

const struct vmatlas_cmd vmatlas_cmd_watch = {
	.name = "watch",
	.summary = "what changes in a process's address space, live",
	.run = watch_run,
};
