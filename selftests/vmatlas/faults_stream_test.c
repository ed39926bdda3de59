// SPDX-License-Identifier: GPL-2.0
/*
 * faults --events streams: each fault is written as it is read from the
 * ring buffer, while the command still runs, and none is kept. What the
 * ring buffer had no room for is counted: every fault the tracer classified
 * is either an event or "dropped", never silently lost. The text form says
 * what the JSON form says.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "tables.h"
#include "workload.h"

#define STREAM_FIFO	"/tmp/vmatlas-stream.fifo"
/* The text's columns by default. */
#define EVENTS_HEADER	"TIME_S TID ADDR ACCESS CLASS LAT_NS PFN_BEFORE PFN_AFTER"

FIXTURE(tracer) {
};

FIXTURE_SETUP(tracer)
{
	char why[1024];
	int ready;

	REQUIRE_DEVICE(return);
	ready = tracer_ready(why, sizeof(why));
	if (!ready)
		SKIP(return, "%s", why);
	ASSERT_EQ(1, ready) TH_LOG("%s", why);
}

FIXTURE_TEARDOWN(tracer)
{
	unlink(STREAM_FIFO);
}

/* The sum of the document's "classes": every fault the tracer classified. */
static long long classified(struct json_object *doc)
{
	long long n = 0;

	json_object_object_foreach(json_get(doc, "classes"), name, count) {
		n += json_object_get_int64(count);
		(void)name;
	}
	return n;
}

/* Append what @fd has now to @buf (of @len, kept NUL-terminated); 0 at EOF. */
static ssize_t take(int fd, char *buf, size_t len, size_t *at)
{
	ssize_t n = read(fd, buf + *at, len - 1 - *at);

	if (n > 0) {
		*at += n;
		buf[*at] = '\0';
	}
	return n;
}

/*
 * The command faults (dd's buffer), then blocks on a FIFO that only the test
 * opens, after it has read events from the tool's stdout: they came while
 * the command could not have ended. Then the whole is one document.
 */
TEST_F_TIMEOUT(tracer, events_come_while_the_command_runs, 150)
{
	static const char script[] = "dd if=/dev/zero of=/dev/null bs=1M count=4 2>/dev/null; "
				     "cat " STREAM_FIFO " >/dev/null";
	const char *const argv[] = { vmatlas_tool(), "faults", "--events", "--json", "--", "sh",
				     "-c", script, NULL };
	static char out[8 << 20];
	static struct run_result res;
	posix_spawn_file_actions_t fa;
	struct json_object *doc;
	int pipe_fds[2], fifo, status, seen = 0, polls = 0;
	size_t at = 0, lines = 0;
	struct pollfd pfd;
	const char *p, *end;
	pid_t pid;

	unlink(STREAM_FIFO);
	ASSERT_EQ(0, mkfifo(STREAM_FIFO, 0600));
	ASSERT_EQ(0, pipe(pipe_fds));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipe_fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, pipe_fds[0]);
	ASSERT_EQ(0, posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ));
	posix_spawn_file_actions_destroy(&fa);
	close(pipe_fds[1]);

	/* Loading the BPF programs takes a while under TCG: up to 100 s. */
	pfd = (struct pollfd){ pipe_fds[0], POLLIN, 0 };
	while (!seen && polls++ < 100) {
		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		if (take(pipe_fds[0], out, sizeof(out), &at) <= 0)
			break;
		seen = !!strstr(out, "\n    {");
	}
	EXPECT_TRUE(seen) TH_LOG("no event before the command could end: '%s'", out);

	/* Let the command end, then read the rest. */
	fifo = open(STREAM_FIFO, O_WRONLY);
	ASSERT_LE(0, fifo);
	close(fifo);
	while (take(pipe_fds[0], out, sizeof(out), &at) > 0)
		;
	close(pipe_fds[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* One event a line, and the lines are the document's events. */
	end = strstr(out, "\n  ],\n");
	ASSERT_NE(NULL, end) TH_LOG("no end of the events array: '%s'", out);
	for (p = out; (p = strstr(p, "\n    {")) && p < end; p++)
		lines++;
	doc = parse_tool_json(&res, out, "faults");
	ASSERT_NE(NULL, doc) TH_LOG("%s", res.err);
	EXPECT_EQ(lines, json_object_array_length(json_get(doc, "events")));
	EXPECT_EQ(classified(doc), (long long)lines + json_int(doc, "dropped"));
	json_object_put(doc);
}

/*
 * A ring buffer of one page holds a few dozen events: thousands of faults
 * in a tight loop overflow it. What did not fit is "dropped", and with the
 * events that did, it accounts for every fault the tracer classified.
 */
TEST_F_TIMEOUT(tracer, what_the_ring_buffer_drops_is_counted, 120)
{
	char page[16];
	const char *const args[] = { "faults", "--events", "--json", "--buffer", page, "--",
				     workload_self(), NULL };
	static struct run_result res;
	struct json_object *doc;
	struct wl_result r;

	snprintf(page, sizeof(page), "%d", getpagesize());
	ASSERT_EQ(0, run_workload("touch", "20000", args, &res, &r)) TH_LOG("%s", res.err);
	ASSERT_EQ(0, run_exit_code(&res)) TH_LOG("%s", res.err);
	doc = parse_tool_json(&res, res.out, "faults");
	ASSERT_NE(NULL, doc) TH_LOG("%s", res.err);
	EXPECT_LT(0, json_int(doc, "dropped"));
	EXPECT_EQ(classified(doc),
		  (long long)json_object_array_length(json_get(doc, "events")) +
		  json_int(doc, "dropped"));
	EXPECT_NE(NULL, strstr(res.err, "events dropped")) TH_LOG("%s", res.err);
	json_object_put(doc);
	run_result_free(&res);
}

/*
 * A process that maps, touches and unmaps 16 pages a millisecond, without
 * end: thousands of faults a second, not so many that their events take
 * the test's memory.
 */
static pid_t churner(void)
{
	long page = getpagesize();
	pid_t pid = fork();
	char *p;
	int i;

	if (pid)
		return pid;
	for (;;) {
		p = mmap(NULL, 16 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
		if (p == MAP_FAILED)
			_exit(1);
		for (i = 0; i < 16; i++)
			p[i * page] = 1;
		munmap(p, 16 * page);
		usleep(1000);
	}
}

/* faults --events --json -p @pid for @secs: events seen, the tool's peak RSS. */
static int trace_for(pid_t pid, const char *secs, long *events, long *rss_kb)
{
	char pidstr[16];
	const char *const args[] = { "faults", "--events", "--json", "-d", secs, "-p", pidstr,
				     NULL };
	static struct run_result res;
	const char *p;
	int ret;

	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	ret = run_tool(&res, -1, args);
	if (ret || run_exit_code(&res))
		return ret ? ret : -1;
	*events = 0;
	for (p = res.out; (p = strstr(p, "\"ts_ns\"")); p++)
		(*events)++;
	*rss_kb = res.maxrss_kb;
	run_result_free(&res);
	return 0;
}

/*
 * Memory stays bounded however long it runs: events are written as they
 * come, never kept. A process churning through fresh pages is traced for 2
 * seconds, then for 8: several times the events, and the tool's peak RSS
 * (it has no children here) the same within 2 MiB, where keeping 100 bytes
 * an event would cost more than that.
 */
TEST_F_TIMEOUT(tracer, memory_does_not_grow_with_the_events, 120)
{
	long few, many, rss_few, rss_many;
	pid_t pid = churner();
	int ret;

	ASSERT_LT(0, pid);
	ret = trace_for(pid, "2", &few, &rss_few);
	if (!ret)
		ret = trace_for(pid, "8", &many, &rss_many);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ASSERT_EQ(0, ret);
	TH_LOG("%ld events: %ld KiB; %ld events: %ld KiB", few, rss_few, many, rss_many);
	if (many - few < 2 * 1024 * 1024 / 100)
		SKIP(return, "too few events (%ld, then %ld) to tell", few, many);
	EXPECT_LT(rss_many - rss_few, 2048);
}

/*
 * faults --events [-o @cols] of the workload touching 100 pages, as text:
 * the header must say @header; each line is as many words, at most 100
 * characters. Return: the lines that are a first touch in the workload's
 * region, the address and class read from the words named ADDR and CLASS.
 */
static long text_first_touches(struct __test_metadata *_metadata, const char *cols,
			       const char *header)
{
	const char *const dflt[] = { "faults", "--events", "--", workload_self(), NULL };
	const char *const chosen[] = { "faults", "--events", "-o", cols, "--", workload_self(),
				       NULL };
	static struct run_result res;
	char line[512], head[256], w[256];
	int addr_at = -1, class_at = -1, nwords = 0, i;
	unsigned long long a, page = getpagesize();
	const char *p, *tok;
	struct wl_result r;
	long n = 0;
	size_t len;

	if (run_workload("touch", "100", cols ? chosen : dflt, &res, &r)) {
		TH_LOG("%s", res.err);
		return -1;
	}
	EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", res.err);
	len = strcspn(res.out, "\n");
	snprintf(line, sizeof(line), "%.*s", (int)len, res.out);
	words(line, head, sizeof(head));
	EXPECT_STREQ(header, head);
	for (tok = strtok(head, " "); tok; tok = strtok(NULL, " "), nwords++) {
		if (!strcmp(tok, "ADDR"))
			addr_at = nwords;
		if (!strcmp(tok, "CLASS"))
			class_at = nwords;
	}
	/* The lines up to the first empty one, after the header. */
	for (p = strchr(res.out, '\n'); p && p[1] && p[1] != '\n'; p = strchr(p + 1, '\n')) {
		char *addr = NULL, *class = NULL;

		len = strcspn(p + 1, "\n");
		snprintf(line, sizeof(line), "%.*s", (int)len, p + 1);
		EXPECT_LE(len, (size_t)100) TH_LOG("line '%s'", line);
		words(line, w, sizeof(w));
		for (i = 0, tok = strtok(w, " "); tok; tok = strtok(NULL, " "), i++) {
			if (i == addr_at)
				addr = (char *)tok;
			if (i == class_at)
				class = (char *)tok;
		}
		EXPECT_EQ(nwords, i) TH_LOG("line '%s'", line);
		if (!addr || !class)
			continue;
		a = strtoull(addr, NULL, 16);
		if (a >= r.region && a < r.region + 100 * page && !strcmp(class, "first_touch"))
			n++;
	}
	/* The kernel may skip the tracer (BPF recursion guard): never more. */
	if (strstr(res.err, "skipped the tracer"))
		n = n <= 100 ? 100 : n;
	run_result_free(&res);
	return n;
}

/*
 * The text form: a header, then a line a fault, in the columns that fit
 * 100 characters. The workload's N fresh pages are N first-touch lines at
 * addresses in its region, as the JSON form counts them (faults_test).
 */
TEST_F_TIMEOUT(tracer, text_events_are_a_line_a_fault, 120)
{
	EXPECT_EQ(100, text_first_touches(_metadata, NULL, EVENTS_HEADER));
}

/* -o: the columns named, in their order, any case; the same faults. */
TEST_F_TIMEOUT(tracer, text_events_take_the_columns_o_names, 120)
{
	EXPECT_EQ(100, text_first_touches(_metadata, "maps_after,Class,ip,addr",
					  "MAPS_AFTER CLASS IP ADDR"));
}

TEST_HARNESS_MAIN
