// SPDX-License-Identifier: GPL-2.0
/*
 * Races: walker threads inspect processes that change as fast as they can,
 * through every interface that takes a PID (VMAS with and without
 * residency, WALK, PTDUMP, and the debugfs maps, walk and ptdump views).
 *
 * The target's threads map, unmap, mremap and mprotect; split VMAs and merge
 * them back; fault in, collapse (MADV_COLLAPSE) and split THPs; share and
 * unshare hugetlb PMD tables; push pages to swap (MADV_PAGEOUT); fork
 * children that touch shared memory and exit. A second target re-executes
 * itself from a thread, forever. The tool's snapshot, atlas, ptdump
 * --sharing and watch look at it meanwhile. Every call must succeed or fail with an
 * error a moving target explains (ioctls.h: vx_expected()), and every
 * success must be internally consistent. The harness fails the run on any
 * kernel report. VMATLAS_RACE_SECONDS sets the duration (default 60 s).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "ioctls.h"
#include "kselftest_harness.h"
#include "race/race.h"
#include "schema.h"

#define RACE_WALKERS	3
#define RACE_TEXT	(4 << 20)

static long page;

/* ---- the walkers ---- */

enum { T_MAIN, T_EXEC, T_FORK, T_MAX };
enum {
	K_VMAS, K_VMAS_RES, K_WALK, K_PTDUMP, K_TRANSLATE, K_DBG_MAPS, K_DBG_WALK, K_DBG_PTDUMP,
	K_MAX
};

static const char *const kind_names[K_MAX] = {
	"VMAS", "VMAS+residency", "WALK", "PTDUMP", "TRANSLATE", "debugfs maps", "debugfs walk",
	"debugfs ptdump",
};

/* Per kind of call: how many, how many succeeded (by target), which errors. */
enum { S_CALLS, S_OK, S_OK_MAIN, S_OK_EXEC, S_OK_FORK, S_EAGAIN, S_ESRCH, S_ENOMEM, S_EINVAL,
	S_MAX };

struct race {
	pid_t pid[T_MAX];
	time_t until;			/* CLOCK_MONOTONIC */
	int no_debugfs;
	pthread_mutex_t dbg_lock;	/* debugfs pid and addr are global */
	pthread_mutex_t lock;
	unsigned long long st[K_MAX][S_MAX];
	unsigned long long bad;
	char first_bad[600];
};

struct walker {
	struct race *r;
	struct vx x;
	pid_t pid;			/* of the target this call is about */
	__u64 s;
	unsigned long long st[K_MAX][S_MAX];
	/* VMAs last seen in each target, for addresses to ask about */
	int n[T_MAX];
	unsigned long long vstart[T_MAX][64], vend[T_MAX][64], top[T_MAX];
	unsigned long long lo, hi;	/* what the call asked about */
	char why[512];
	char *text;
};

/*
 * The new mm of an execve() has its stack at STACK_TOP_MAX (bprm_mm_init())
 * until setup_arg_pages() moves it below TASK_SIZE; for a 32-bit target on
 * a 64-bit kernel that is above its TASK_SIZE. A VMA seen there is no user
 * address any more once the exec is done: EINVAL is the right answer then.
 */
static int expected(struct walker *w, int kind, int tgt, int err)
{
	if (err == EINVAL && tgt == T_EXEC && sizeof(long) == 4 && w->hi > 0xffffe000ULL)
		return 1;
	/* The main target never exits. */
	return vx_expected(err, kind == K_WALK || kind == K_DBG_WALK || kind == K_TRANSLATE) &&
	       (err != ESRCH || tgt != T_MAIN);
}

static void outcome(struct walker *w, int kind, int tgt, int err, int inconsistent)
{
	unsigned long long *st = w->st[kind];
	char msg[600];

	st[S_CALLS]++;
	st[S_EAGAIN] += err == EAGAIN;
	st[S_ESRCH] += err == ESRCH;
	st[S_ENOMEM] += err == ENOMEM;
	st[S_EINVAL] += err == EINVAL;
	if (!err && !inconsistent) {
		st[S_OK]++;
		st[S_OK_MAIN + tgt]++;
		return;
	}
	if (!inconsistent && expected(w, kind, tgt, err))
		return;
	if (inconsistent)
		snprintf(msg, sizeof(msg), "%s of target %d: %s", kind_names[kind], tgt, w->why);
	else
		snprintf(msg, sizeof(msg), "%s of target %d at %#llx-%#llx: %s errno %d (%s)",
			 kind_names[kind], tgt, w->lo, w->hi,
			 vx_documented(err) ? "unexpected" : "undocumented", err, strerror(err));
	pthread_mutex_lock(&w->r->lock);
	if (!w->r->bad++)
		snprintf(w->r->first_bad, sizeof(w->r->first_bad), "%s", msg);
	pthread_mutex_unlock(&w->r->lock);
}

/* A range worth asking about: a published region or a VMA last seen. */
static void pick_range(struct walker *w, int tgt, unsigned long long *start,
		       unsigned long long *end)
{
	int i;

	if ((tgt == T_MAIN && vx_rnd(&w->s) % 2) || !w->n[tgt]) {
		i = vx_rnd(&w->s) % sh->nregions;
		*start = sh->start[i];
		*end = sh->start[i] + sh->len[i];
		return;
	}
	i = vx_rnd(&w->s) % w->n[tgt];
	*start = w->vstart[tgt][i];
	*end = w->vend[tgt][i];
}

static unsigned long long pick_addr(struct walker *w, int tgt)
{
	unsigned long long start, end;

	pick_range(w, tgt, &start, &end);
	return start + vx_rnd(&w->s) % (end - start);
}

/* A whole listing, batch by batch, each batch a call. */
static void op_vmas(struct walker *w, int tgt, int residency)
{
	static __thread struct vmatlas_vma vmas[16];
	static __thread char names[8192];
	int kind = residency ? K_VMAS_RES : K_VMAS, calls = 0, n = 0;
	unsigned long long start = 0;
	struct vmatlas_vmas req;

	do {
		unsigned int i, count = 1 + vx_rnd(&w->s) % 16;
		int err = -vx_vmas(&w->x, &req, w->pid, w->lo = w->hi = start,
				   residency ? VMATLAS_VMAS_RESIDENCY : 0, vmas, count, names,
				   sizeof(names));
		int bad = !err && vx_vmas_check(&w->x, &req, start, count, sizeof(names), vmas,
						names, w->why, sizeof(w->why));

		outcome(w, kind, tgt, err, bad);
		if (err || bad)
			return;
		for (i = 0; i < req.count && n < 64; i++, n++) {
			w->vstart[tgt][n] = vmas[i].start;
			w->vend[tgt][n] = vmas[i].end;
		}
		if (req.count)
			w->top[tgt] = vmas[req.count - 1].end;
		start = req.next;
	} while (start && ++calls < 64);
	w->n[tgt] = n;
}

static void op_walk(struct walker *w, int tgt)
{
	unsigned long long addr = w->lo = w->hi = pick_addr(w, tgt);
	struct vmatlas_walk walk;
	int err = -vx_walk(&w->x, &walk, w->pid, addr);

	outcome(w, K_WALK, tgt, err,
		!err && vx_walk_check(&w->x, &walk, addr, w->why, sizeof(w->why)));
}

/* Up to 200 addresses of the target in one call, each checked as a WALK. */
static void op_translate(struct walker *w, int tgt)
{
	static __thread unsigned long long addr[200];
	static __thread struct vmatlas_xlat e[200];
	unsigned int i, n = 1 + vx_rnd(&w->s) % 200;
	struct vmatlas_translate req;
	int err, bad;

	for (i = 0; i < n; i++) {
		addr[i] = pick_addr(w, tgt);
		e[i].addr = addr[i];
	}
	w->lo = addr[0];
	w->hi = addr[n - 1];
	err = -vx_translate(&w->x, &req, w->pid, e, n);
	/* A 32-bit target in execve() (expected()): its old addresses turn EINVAL. */
	bad = !err && vx_translate_check(&w->x, &req, addr, e, n,
					 tgt == T_EXEC && sizeof(long) == 4, w->why,
					 sizeof(w->why));
	outcome(w, K_TRANSLATE, tgt, err, bad);
}

/* A VMA, a slice of a region, or everything, over up to 16 calls. */
static void op_ptdump(struct walker *w, int tgt)
{
	static __thread struct vmatlas_run runs[64];
	unsigned long long start, end, pages, pg = page;
	struct vmatlas_ptdump req;
	/* Half the calls hold each page's folio to read its map count. */
	unsigned int flags = vx_rnd(&w->s) % 2 ? VMATLAS_PTDUMP_SHARING : 0;
	int calls = 0;

	pick_range(w, tgt, &start, &end);
	pages = (end - start) / pg;
	if (!(vx_rnd(&w->s) % 3) && w->top[tgt]) {
		start = 0;
		end = w->top[tgt];
	} else if (vx_rnd(&w->s) % 2 && pages > 1) {
		start += vx_rnd(&w->s) % pages * pg;
		end = start + (1 + vx_rnd(&w->s) % ((end - start) / pg)) * pg;
	}
	do {
		unsigned int count = 1 + vx_rnd(&w->s) % 64;
		int err = -vx_ptdump(&w->x, &req, w->pid, flags, w->lo = start, w->hi = end, runs,
				     count);
		int bad = !err && vx_ptdump_check(&w->x, &req, start, end, count, runs, w->why,
						  sizeof(w->why));

		outcome(w, K_PTDUMP, tgt, err, bad);
		if (err || bad)
			return;
		start = req.next;
	} while (start && ++calls < 16);
}

static void op_debugfs(struct walker *w, int tgt, int kind)
{
	static const char *const views[] = { "maps", "walk", "ptdump" };
	const char *view = views[kind - K_DBG_MAPS];
	unsigned long long addr = w->lo = w->hi = pick_addr(w, tgt);
	int err = 0, bad = 0;
	ssize_t n;

	pthread_mutex_lock(&w->r->dbg_lock);
	n = vx_dbg_read(view, w->pid, addr, w->text, RACE_TEXT);
	pthread_mutex_unlock(&w->r->dbg_lock);
	if (n == -ENOENT) {
		w->r->no_debugfs = 1;
		return;
	}
	if (n < 0) {
		err = -n;
	} else {
		char *cut = strrchr(w->text, '\n');

		/* A view larger than the buffer: check the lines that fit. */
		if (n >= RACE_TEXT - 1 && cut)
			cut[1] = '\0';
		bad = vx_dbg_check(&w->x, view, w->text, addr, &err, w->why, sizeof(w->why));
	}
	outcome(w, kind, tgt, err, bad);
}

static time_t mono_s(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec;
}

static void *walker_main(void *arg)
{
	struct walker *w = arg;
	struct race *r = w->r;
	int k, t;

	while (mono_s() < r->until) {
		int kind = vx_rnd(&w->s) % K_MAX;
		int tgt = vx_rnd(&w->s) % 10;

		tgt = tgt < 5 ? T_MAIN : tgt < 8 ? T_EXEC : T_FORK;
		w->pid = tgt == T_FORK ? __atomic_load_n(&sh->fork_child, __ATOMIC_RELAXED) :
			 r->pid[tgt];
		if (!w->pid) {
			tgt = T_MAIN;
			w->pid = r->pid[T_MAIN];
		}
		if (kind >= K_DBG_MAPS && r->no_debugfs)
			kind = vx_rnd(&w->s) % K_DBG_MAPS;
		if (kind <= K_VMAS_RES)
			op_vmas(w, tgt, kind == K_VMAS_RES);
		else if (kind == K_WALK)
			op_walk(w, tgt);
		else if (kind == K_PTDUMP)
			op_ptdump(w, tgt);
		else if (kind == K_TRANSLATE)
			op_translate(w, tgt);
		else
			op_debugfs(w, tgt, kind);
	}
	pthread_mutex_lock(&r->lock);
	for (k = 0; k < K_MAX; k++)
		for (t = 0; t < S_MAX; t++)
			r->st[k][t] += w->st[k][t];
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/*
 * The tool's snapshot, atlas, ptdump --sharing and watch of the churning
 * target, in turn, over and over: each must be taken (exit 0), or refused
 * whole because the VMAs kept changing; a snapshot must be a file diff
 * reads back whole, sorted and apart (diff of it against itself: exit 0),
 * an atlas and a ptdump documents the schema describes (the atlas's walks:
 * of addresses that may have gone since); watch must go through its
 * intervals (a refused one is skipped).
 */
struct snapshotter {
	struct race *r;
	unsigned long long ok, bad, refused, atlases, dumps;
	char first_bad[600];
};

/* Is @file's document (without a file: @out) one the schema describes for @cmd? */
static int snapshotter_schema(struct snapshotter *s, const char *cmd, const char *file,
			      char *out)
{
	static char text[16 << 20];
	struct json_object *doc;
	char why[256];
	int rc;

	if (file)
		out = read_file(file, text, sizeof(text)) > 0 ? text : NULL;
	doc = out ? parse_json_object(out) : NULL;
	rc = doc && schema_valid_output(cmd, doc, why, sizeof(why)) ? 0 : 2;
	if (rc)
		snprintf(s->first_bad, sizeof(s->first_bad), "%s: %s", cmd, doc ? why : "not JSON");
	json_object_put(doc);
	return rc;
}

/*
 * Run @args, then, if it exited 0, @check on its output @file, or on its
 * standard output without one ("schema": is it the document the schema
 * describes). Return: -1 (the tool did not run), 0 (good), 1 (refused
 * whole), 2 (bad: s->first_bad says why).
 */
static int snapshotter_take(struct snapshotter *s, const char *const args[],
			    const char *const check[], const char *file)
{
	struct run_result res;
	int rc;

	if (run_tool(&res, -1, args))
		return -1;
	rc = run_exit_code(&res);
	/* Refused whole, as it should be when it cannot be had. */
	if (rc == 1 && strstr(res.err, "kept changing")) {
		run_result_free(&res);
		return 1;
	}
	if (rc)
		snprintf(s->first_bad, sizeof(s->first_bad), "%s: exit %d: %.500s", args[0], rc,
			 res.err);
	else if (check && !strcmp(check[0], "schema"))
		rc = snapshotter_schema(s, args[0], file, res.out);
	run_result_free(&res);
	if (rc)
		return 2;
	if (!check || !strcmp(check[0], "schema"))
		return 0;
	if (run_tool(&res, -1, check))
		return -1;
	rc = run_exit_code(&res);
	if (rc)
		snprintf(s->first_bad, sizeof(s->first_bad), "diff of a snapshot: exit %d: %.500s",
			 rc, res.err);
	run_result_free(&res);
	return rc ? 2 : 0;
}

static void *snapshotter_main(void *arg)
{
	struct snapshotter *s = arg;
	char pid[16], file[64], atlas[64];
	const char *const take[] = { "snapshot", "-o", file, pid, NULL };
	const char *const draw[] = { "atlas", "--json", "--rows=16", "-o", atlas, pid, NULL };
	const char *const watch[] = { "watch", "-i", "0.05", "-n", "4", "--json", pid, NULL };
	const char *const dump[] = { "ptdump", "--sharing", "--json", pid, NULL };
	const char *const check[] = { "diff", file, file, NULL };
	const char *const schema[] = { "schema", NULL };
	unsigned long long n;
	int rc;

	snprintf(pid, sizeof(pid), "%d", s->r->pid[T_MAIN]);
	snprintf(file, sizeof(file), "/tmp/race-snapshot.%d.json", getpid());
	snprintf(atlas, sizeof(atlas), "/tmp/race-atlas.%d.json", getpid());
	for (n = 0; mono_s() < s->r->until; n++) {
		if (n % 4 == 0)
			rc = snapshotter_take(s, take, check, file);
		else if (n % 4 == 1)
			rc = snapshotter_take(s, draw, schema, atlas);
		else if (n % 4 == 2)
			rc = snapshotter_take(s, dump, schema, NULL);
		else
			rc = snapshotter_take(s, watch, NULL, NULL);
		if (rc < 0)
			break;
		s->ok += rc == 0;
		s->refused += rc == 1;
		s->bad += rc == 2;
		s->atlases += n % 4 == 1;
		s->dumps += n % 4 == 2;
	}
	unlink(file);
	unlink(atlas);
	return NULL;
}

static pid_t start_exec_target(int *count_fd)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_NONBLOCK))
		return -1;
	pid = fork();
	if (pid == 0) {
		char env[32];

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(p[0]);
		snprintf(env, sizeof(env), "%d", p[1]);
		setenv("VMATLAS_RACE_EXEC", env, 1);
		execl("/proc/self/exe", "vmatlas-race-exec", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	*count_fd = p[0];
	return pid;
}

static const char *errors(const unsigned long long *st)
{
	static char buf[96];

	snprintf(buf, sizeof(buf), "EAGAIN %llu ESRCH %llu ENOMEM %llu EINVAL %llu", st[S_EAGAIN],
		 st[S_ESRCH], st[S_ENOMEM], st[S_EINVAL]);
	return buf;
}

FIXTURE(race) {
};

FIXTURE_SETUP(race)
{
}

FIXTURE_TEARDOWN(race)
{
}

TEST_F_TIMEOUT(race, walkers_against_a_churning_target_get_consistent_answers, 900)
{
	const char *secs_env = getenv("VMATLAS_RACE_SECONDS");
	int secs = secs_env ? atoi(secs_env) : 60;
	static struct walker walkers[RACE_WALKERS];
	static struct snapshotter snap;
	pthread_t threads[RACE_WALKERS], snap_thread;
	static struct race r = {
		.dbg_lock = PTHREAD_MUTEX_INITIALIZER, .lock = PTHREAD_MUTEX_INITIALIZER,
	};
	struct pollfd pfd;
	int ready[2], count_fd, i, k, status;
	unsigned long long ok_exec;
	int execs;
	char c;

	page = getpagesize();
	if (access(VMATLAS_TEST_DEVICE, F_OK))
		SKIP(return, "/dev/vmatlas missing");
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	ASSERT_EQ(0, pipe(ready));
	r.pid[T_MAIN] = fork();
	ASSERT_LE(0, r.pid[T_MAIN]);
	if (r.pid[T_MAIN] == 0) {
		close(ready[0]);
		target_main(ready[1]);
	}
	close(ready[1]);
	pfd = (struct pollfd){ .fd = ready[0], .events = POLLIN };
	ASSERT_EQ(1, poll(&pfd, 1, 60000));
	ASSERT_EQ(1, read(ready[0], &c, 1)) TH_LOG("the target died while starting");
	r.pid[T_EXEC] = start_exec_target(&count_fd);
	ASSERT_LT(0, r.pid[T_EXEC]);

	r.until = mono_s() + secs;
	for (i = 0; i < RACE_WALKERS; i++) {
		walkers[i].r = &r;
		walkers[i].s = vx_seed() + i;
		walkers[i].text = malloc(RACE_TEXT);
		ASSERT_NE(NULL, walkers[i].text);
		ASSERT_EQ(0, vx_open(&walkers[i].x));
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, walker_main, &walkers[i]));
	}
	snap.r = &r;
	ASSERT_EQ(0, pthread_create(&snap_thread, NULL, snapshotter_main, &snap));
	pthread_join(snap_thread, NULL);
	for (i = 0; i < RACE_WALKERS; i++) {
		pthread_join(threads[i], NULL);
		vx_close(&walkers[i].x);
		free(walkers[i].text);
	}

	/* Both targets must have survived all of it. */
	EXPECT_EQ(0, waitpid(r.pid[T_MAIN], &status, WNOHANG)) TH_LOG("target died: %#x", status);
	EXPECT_EQ(0, waitpid(r.pid[T_EXEC], &status, WNOHANG))
		TH_LOG("exec target died: %#x", status);
	for (i = T_MAIN; i <= T_EXEC; i++) {
		kill(r.pid[i], SIGKILL);
		waitpid(r.pid[i], NULL, 0);
	}
	/* One byte per exec is waiting in the pipe. */
	if (ioctl(count_fd, FIONREAD, &execs))
		execs = 0;
	close(count_fd);

	/* Before the figures: a summary keeps a failure's first lines (parse.awk). */
	EXPECT_EQ(0, r.bad) TH_LOG("%llu bad; first: %s", r.bad, r.first_bad);
	EXPECT_EQ(0, snap.bad) TH_LOG("%llu bad snapshots; first: %s", snap.bad, snap.first_bad);
	ksft_print_msg("%d s, %d walkers; the target: %d execs of the second target\n", secs,
		       RACE_WALKERS, execs);
	for (i = 0; i < OP_MAX; i++)
		ksft_print_msg("  %-22s %llu\n", op_names[i], sh->ops[i]);
	ksft_print_msg("  hugetlb over an aligned 1 GiB (PMD sharing): %s\n",
		       sh->hugetlb_pud ? "yes" : "no");
	for (k = 0; k < K_MAX; k++) {
		unsigned long long *st = r.st[k];

		ksft_print_msg("%-15s %6llu calls %6llu ok (main %llu exec %llu fork %llu) %s\n",
			       kind_names[k], st[S_CALLS], st[S_OK], st[S_OK_MAIN], st[S_OK_EXEC],
			       st[S_OK_FORK], errors(st));
		if (k < K_DBG_MAPS || !r.no_debugfs)
			EXPECT_LT(0, st[S_OK]) TH_LOG("no %s call succeeded", kind_names[k]);
	}
	if (r.no_debugfs)
		ksft_print_msg("no debugfs views: not tested\n");
	ksft_print_msg("vmatlas snapshot, atlas (%llu), ptdump -S (%llu), watch\n",
		       snap.atlases, snap.dumps);
	ksft_print_msg("%6llu ok %llu refused %llu bad\n", snap.ok, snap.refused, snap.bad);
	EXPECT_LT(0, snap.ok) TH_LOG("no snapshot of the target was taken");
	EXPECT_LT(0, execs);
	for (i = 0; i < OP_MAX; i++) {
		const char *op = op_names[i] ?: "?";

		if (i != OP_COLLAPSED && (i != OP_HUGETLB || getenv("VMATLAS_HARNESS")))
			EXPECT_LT(0, sh->ops[i]) TH_LOG("the target never did %s", op);
	}
	/* Of any kind: the debug kernel makes a few dozen calls in all. */
	for (k = 0, ok_exec = 0; k < K_MAX; k++)
		ok_exec += r.st[k][S_OK_EXEC];
	EXPECT_LT(0, ok_exec) TH_LOG("no call on the exec target succeeded");
}

TEST_HARNESS_MAIN
