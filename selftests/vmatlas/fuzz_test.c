// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input at scale: threads throw ioctls at the device for a while,
 * each a valid request with one thing made wrong (or none): an unknown
 * command, a size that is too small, too large or absurd, unknown flags,
 * reserved bits, PIDs that are dead, exiting, kernel threads or someone
 * else's, addresses that are unmapped, non-canonical, in the kernel or on a
 * guard page, and buffers that are NULL, read-only, unmapped or too small.
 * Every call must succeed or fail with an errno the ABI documents; the
 * harness fails the run on any kernel report.
 *
 * The run ends after VMATLAS_FUZZ_CALLS calls (default a million) and
 * fails if VMATLAS_FUZZ_SECONDS (default 240, times VMATLAS_TIMEOUT_SCALE)
 * pass before that many were made.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"

#define FUZZ_THREADS	4

struct fuzz_env {
	int fd;
	pid_t dead, other;
	char *ro, *guard, *rw;	/* a read-only page, a PROT_NONE page, a buffer */
	size_t rw_len;
	time_t until;
	unsigned long long goal;
	unsigned long long started;	/* calls handed out, atomically */
	unsigned long long calls, bad;
	int first_bad_cmd, first_bad_errno;
	pthread_mutex_t lock;
};

static const unsigned int fuzz_cmds[] = {
	VMATLAS_IOC_INFO, VMATLAS_IOC_VMAS, VMATLAS_IOC_WALK, VMATLAS_IOC_PTDUMP,
	VMATLAS_IOC_LAYOUT, VMATLAS_IOC_KADDR, VMATLAS_IOC_LAB, VMATLAS_IOC_TRANSLATE,
	VMATLAS_IOC_SEGMENTS,
};

static __u64 rnd(__u64 *s)
{
	/* xorshift64*: per thread, no locks. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static int documented(int e)
{
	switch (e) {
	case EINVAL: case ENOTTY: case EFAULT: case ESRCH: case EPERM: case ENOMEM:
	case EAGAIN: case EINTR: case E2BIG: case ERANGE:
	case EOPNOTSUPP:	/* SEGMENTS, where there is no segmentation */
		return 1;
	}
	return 0;
}

static pid_t fuzz_pid(struct fuzz_env *env, __u64 *s)
{
	static const pid_t odd[] = { 0, -1, 1, 2, 0x7fffffff, -0x7fffffff };

	switch (rnd(s) % 6) {
	case 0:
		return env->dead;
	case 1:
		return env->other;
	case 2:
		return odd[rnd(s) % ARRAY_SIZE(odd)];
	default:
		return getpid();
	}
}

static __u64 fuzz_addr(struct fuzz_env *env, __u64 *s)
{
	static const __u64 odd[] = {
		0, 0x1000, 0x7ffffffff000ULL, 0x800000000000ULL, 0x8000000000000000ULL,
		0xffff888000000000ULL, 0xffffffff81000000ULL, ~0ULL, 0xfffffffffffff000ULL,
	};

	switch (rnd(s) % 5) {
	case 0:
		return odd[rnd(s) % ARRAY_SIZE(odd)];
	case 1:
		return (uintptr_t)env->guard;
	case 2:
		return rnd(s);
	default:
		return (uintptr_t)env->rw + (rnd(s) % env->rw_len);
	}
}

/* A buffer for the module to write entries to: fine, NULL, read-only, unmapped. */
static __u64 fuzz_buf(struct fuzz_env *env, __u64 *s)
{
	switch (rnd(s) % 6) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)env->ro;
	case 2:
		return (uintptr_t)env->guard;
	case 3:
		return (uintptr_t)env->rw + env->rw_len - 8;
	default:
		return (uintptr_t)env->rw;
	}
}

/* One request for @cmd, valid but for what @s picks to spoil. */
static void fuzz_fill(struct fuzz_env *env, unsigned int cmd, __u64 *s, void *req,
		      size_t len)
{
	__u32 sizes[] = { 0, 4, 16, _IOC_SIZE(cmd) - 8, _IOC_SIZE(cmd), _IOC_SIZE(cmd) + 8,
			     (__u32)len, 0x7fffffff };
	__u32 *u = req;

	memset(req, 0, len);
	u[0] = rnd(s) % 4 ? _IOC_SIZE(cmd) : sizes[rnd(s) % ARRAY_SIZE(sizes)];
	if (!(rnd(s) % 8))
		u[1] = 1U << (rnd(s) % 32);	/* flags */
	switch (cmd) {
	case VMATLAS_IOC_VMAS: {
		struct vmatlas_vmas *r = req;

		r->pid = fuzz_pid(env, s);
		r->count = rnd(s) % 3 ? 1 + rnd(s) % 8 : (__u32)rnd(s);
		r->start = rnd(s) % 2 ? 0 : fuzz_addr(env, s);
		r->vmas_ptr = fuzz_buf(env, s);
		r->names_ptr = rnd(s) % 2 ? 0 : fuzz_buf(env, s);
		r->names_size = rnd(s) % 2 ? 256 : (__u32)rnd(s);
		r->entry_size = rnd(s) % 4 ? sizeof(struct vmatlas_vma) : (__u32)rnd(s) % 512;
		r->flags &= rnd(s) % 2 ? VMATLAS_VMAS_RESIDENCY : ~0U;
		if (!(rnd(s) % 16))
			r->reserved = 1;
		break;
	}
	case VMATLAS_IOC_WALK: {
		struct vmatlas_walk *r = req;

		r->pid = fuzz_pid(env, s);
		r->addr = fuzz_addr(env, s);
		break;
	}
	case VMATLAS_IOC_PTDUMP: {
		struct vmatlas_ptdump *r = req;

		r->pid = fuzz_pid(env, s);
		r->start = rnd(s) % 2 ? (uintptr_t)env->rw & ~0xfffULL : fuzz_addr(env, s);
		r->end = rnd(s) % 2 ? r->start + (rnd(s) % 64 + 1) * 4096 : fuzz_addr(env, s);
		r->count = rnd(s) % 3 ? 1 + rnd(s) % 8 : (__u32)rnd(s);
		r->runs_ptr = fuzz_buf(env, s);
		r->entry_size = rnd(s) % 4 ? sizeof(struct vmatlas_run) : (__u32)rnd(s) % 512;
		break;
	}
	case VMATLAS_IOC_TRANSLATE: {
		struct vmatlas_translate *r = req;

		r->pid = fuzz_pid(env, s);
		r->count = rnd(s) % 3 ? 1 + rnd(s) % 8 : (__u32)rnd(s);
		r->xlat_ptr = fuzz_buf(env, s);
		r->entry_size = rnd(s) % 4 ? sizeof(struct vmatlas_xlat) : (__u32)rnd(s) % 512;
		break;
	}
	case VMATLAS_IOC_KADDR: {
		struct vmatlas_kaddr *r = req;

		r->addr = fuzz_addr(env, s);
		break;
	}
	case VMATLAS_IOC_LAB: {
		struct vmatlas_lab *r = req;

		r->kind = rnd(s) % 5;
		r->bytes = rnd(s) % 4 ? 1 + rnd(s) % (64 << 10) : rnd(s);
		r->count = rnd(s) % 3 ? 1 + rnd(s) % 32 : (__u32)rnd(s);
		r->pages_ptr = fuzz_buf(env, s);
		r->entry_size = rnd(s) % 4 ? sizeof(struct vmatlas_lab_page) : (__u32)rnd(s) % 512;
		break;
	}
	}
}

static void *fuzz_thread(void *arg)
{
	static __thread char req[8192] __attribute__((aligned(8)));
	unsigned long long calls = 0, bad = 0;
	int bad_cmd = 0, bad_errno = 0;
	struct fuzz_env *env = arg;
	__u64 s;

	s = (__u64)time(NULL) * 2654435761ULL ^ (uintptr_t)&s;

	while (time(NULL) < env->until &&
	       __atomic_fetch_add(&env->started, 64, __ATOMIC_RELAXED) < env->goal) {
		unsigned int i, cmd = fuzz_cmds[rnd(&s) % ARRAY_SIZE(fuzz_cmds)];
		void *where = req;

		for (i = 0; i < 64; i++, calls++) {
			if (!(rnd(&s) % 32))
				cmd = _IOWR(VMATLAS_IOCTL_MAGIC, rnd(&s) % 32, struct vmatlas_info);
			fuzz_fill(env, cmd, &s, req, sizeof(req));
			/* Sometimes the request itself is not readable or writable. */
			switch (rnd(&s) % 32) {
			case 0:
				where = NULL;
				break;
			case 1:
				where = env->ro;
				break;
			case 2:
				where = env->guard;
				break;
			default:
				where = req;
				break;
			}
			if (ioctl(env->fd, cmd, where) && !documented(errno)) {
				if (!bad++) {
					bad_cmd = cmd;
					bad_errno = errno;
				}
			}
		}
	}
	pthread_mutex_lock(&env->lock);
	env->calls += calls;
	if (bad && !env->bad) {
		env->first_bad_cmd = bad_cmd;
		env->first_bad_errno = bad_errno;
	}
	env->bad += bad;
	pthread_mutex_unlock(&env->lock);
	return NULL;
}

FIXTURE(fuzz) {
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, a_flood_of_bad_ioctls_gets_documented_errors_only, 600)
{
	const char *secs = getenv("VMATLAS_FUZZ_SECONDS");
	const char *goal = getenv("VMATLAS_FUZZ_CALLS");
	const char *scale;
	struct timespec t0, t1;
	long page = getpagesize();
	pthread_t threads[FUZZ_THREADS];
	struct fuzz_env env = { .lock = PTHREAD_MUTEX_INITIALIZER };
	pid_t other;
	int i;

	env.fd = open(VMATLAS_TEST_DEVICE, O_RDONLY);
	if (env.fd < 0)
		SKIP(return, "/dev/vmatlas missing");
	env.dead = fork();
	if (env.dead == 0)
		_exit(0);
	waitpid(env.dead, NULL, 0);
	other = fork();
	if (other == 0) {
		pause();
		_exit(0);
	}
	env.other = other;
	env.rw_len = 64 * page;
	env.rw = mmap(NULL, env.rw_len + 2 * page, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, env.rw);
	memset(env.rw, 1, env.rw_len);
	env.guard = env.rw + env.rw_len;
	env.ro = env.guard + page;
	ASSERT_EQ(0, mprotect(env.guard, page, PROT_NONE));
	ASSERT_EQ(0, mprotect(env.ro, page, PROT_READ));
	/* A slow kernel (VMATLAS_TIMEOUT_SCALE, timeout.h) gets longer. */
	scale = getenv("VMATLAS_TIMEOUT_SCALE");
	env.until = time(NULL) + (secs ? atoi(secs) : 240 * (scale ? atoi(scale) : 1));
	env.goal = goal ? strtoull(goal, NULL, 0) : 1000000;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < FUZZ_THREADS; i++)
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, fuzz_thread, &env));
	for (i = 0; i < FUZZ_THREADS; i++)
		pthread_join(threads[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	kill(other, SIGKILL);
	waitpid(other, NULL, 0);
	close(env.fd);

	ksft_print_msg("fuzz: %llu calls from %d threads in %ld s\n", env.calls, FUZZ_THREADS,
		       (long)(t1.tv_sec - t0.tv_sec));
	EXPECT_LE(env.goal, env.calls) TH_LOG("the time ran out first");
	EXPECT_EQ(0, env.bad) TH_LOG("first: cmd %#x errno %d (%s)", env.first_bad_cmd,
				     env.first_bad_errno, strerror(env.first_bad_errno));
}

TEST_HARNESS_MAIN
