// SPDX-License-Identifier: GPL-2.0
/*
 * Who may see what, cell by cell: each subject (root; root without
 * CAP_SYS_ADMIN; nobody; nobody through a node an administrator made 0666;
 * nobody holding a descriptor root opened and passed it over a socket)
 * against each facet (its own process, another process, kernel addresses,
 * physical addresses, page-table addresses, page facts) under kptr_restrict
 * 0, 1 and 2 and lockdown none, integrity and confidentiality, compared with
 * the table below, which is Documentation/reliability.rst's; through the
 * ioctls and again through the debugfs views. And no reply of any ioctl
 * carries a byte the module did not write.
 *
 * Lockdown cannot be lowered again. The test raises it only when it runs from
 * a directory named last/ (the harness runs those after every other test) or
 * with VMATLAS_LOCKDOWN_RAISE=1; elsewhere the higher levels SKIP. A 64-bit
 * binary also runs m32/policy_test next to it at each level, with
 * VMATLAS_POLICY_ONE_LEVEL=1 (that level only), so that compat_ioctl meets
 * every level too.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "policy.h"
#include "workload.h"

#if VMATLAS_TEST_BPF
#include "kfunc_probe.skel.h"
#endif

#define LOCKDOWN	"/sys/kernel/security/lockdown"
#define KPTR		"/proc/sys/kernel/kptr_restrict"
#define ONE_LEVEL	"VMATLAS_POLICY_ONE_LEVEL"

static const char *const subject_name[NR_SUBJ] = {
	"root", "root-without-CAP_SYS_ADMIN", "nobody", "nobody-via-0666-node",
	"root's-fd-passed-to-nobody",
};

static const char *const facet_name[NR_FACET] = {
	"own-process", "other-process", "kernel-addresses", "physical-addresses",
	"page-table-addresses", "page-facts",
};

static const char *const level_name[] = { "none", "integrity", "confidentiality" };

/*
 * The documented policy. For each subject and facet, lockdown none,
 * integrity and confidentiality, each at kptr_restrict 0, 1 and 2:
 *   Y  the call succeeds and shows it
 *   H  the call succeeds, the values read as zero and *_HIDDEN says so
 *   P  EPERM
 *   A  EACCES when opening /dev/vmatlas (root's, 0600)
 * Own and other process: WALK, VMAS and PTDUMP of that process. Kernel
 * addresses: LAYOUT, KADDR and LAB. Physical: WALK's phys, pfn and the PFN
 * bits of its entries, PTDUMP's run phys, INFO's VMATLAS_FEAT_PHYS. Page
 * tables: WALK's levels[].table and the frames in its entries above the leaf
 * (each the address of the table below). Page facts: WALK's page,
 * VMATLAS_WALK_PAGE.
 * Kernel addresses need CAP_SYS_ADMIN at open and what %pK would show the
 * calling task (kptr_restrict 1: CAP_SYSLOG), hence the passed descriptor's
 * P at kptr_restrict 1; lockdown=integrity changes nothing.
 */
static const char *const policy[NR_SUBJ][NR_FACET] = {
	/*                 none integrity confidentiality */
	[SUBJ_ROOT] = {
		[FACET_OWN]    = "YYY YYY YYY",
		[FACET_OTHER]  = "YYY YYY YYY",
		[FACET_KERNEL] = "YYP YYP PPP",
		[FACET_PHYS]   = "YYY YYY YYY",
		[FACET_TABLES] = "YYH YYH HHH",
		[FACET_FACTS]  = "YYY YYY YYY",
	},
	[SUBJ_NOADMIN] = {
		[FACET_OWN]    = "YYY YYY YYY",
		[FACET_OTHER]  = "PPP PPP PPP",
		[FACET_KERNEL] = "PPP PPP PPP",
		[FACET_PHYS]   = "HHH HHH HHH",
		[FACET_TABLES] = "HHH HHH HHH",
		[FACET_FACTS]  = "HHH HHH HHH",
	},
	[SUBJ_NOBODY] = {
		[FACET_OWN]    = "AAA AAA AAA",
		[FACET_OTHER]  = "AAA AAA AAA",
		[FACET_KERNEL] = "AAA AAA AAA",
		[FACET_PHYS]   = "AAA AAA AAA",
		[FACET_TABLES] = "AAA AAA AAA",
		[FACET_FACTS]  = "AAA AAA AAA",
	},
	[SUBJ_NOBODY_0666] = {
		[FACET_OWN]    = "YYY YYY YYY",
		[FACET_OTHER]  = "PPP PPP PPP",
		[FACET_KERNEL] = "PPP PPP PPP",
		[FACET_PHYS]   = "HHH HHH HHH",
		[FACET_TABLES] = "HHH HHH HHH",
		[FACET_FACTS]  = "HHH HHH HHH",
	},
	[SUBJ_PASSED] = {
		[FACET_OWN]    = "YYY YYY YYY",
		[FACET_OTHER]  = "YYY YYY YYY",
		[FACET_KERNEL] = "YPP YPP PPP",
		[FACET_PHYS]   = "YYY YYY YYY",
		[FACET_TABLES] = "YHH YHH HHH",
		[FACET_FACTS]  = "YYY YYY YYY",
	},
};

/*
 * Through debugfs, where root writes "pid" and "addr" for the subject, the
 * same table holds but for what debugfs itself decides: its views show no
 * page facts and a 0666 device node has no counterpart there ('-'); under
 * lockdown (integrity and above) debugfs refuses every file that can be
 * written, "pid" and "addr" among them, so the process views can no longer
 * be pointed anywhere ('L'), while the read-only kernel views stay. Its
 * root is 0700: nobody is refused at open as with the device ('A').
 */
static char debugfs_want(int s, int f, int level, int k)
{
	char want = policy[s][f][level * 4 + k];

	if (f == FACET_FACTS || s == SUBJ_NOBODY_0666)
		return '-';
	if (want != 'A' && level > 0 && f != FACET_KERNEL)
		return 'L';
	return want;
}

/* Cells of one lockdown level: every ioctl cell, the debugfs ones that apply. */
static int cells_per_level(void)
{
	int s, f, n = NR_SUBJ * NR_FACET * 3;

	for (s = 0; s < NR_SUBJ; s++)
		for (f = 0; f < NR_FACET; f++)
			if (debugfs_want(s, f, 0, 0) != '-')
				n += 3;
	return n;
}

#define MAX_CELLS_PER_LEVEL	(2 * NR_SUBJ * NR_FACET * 3)

static const char *outcome_name(char c)
{
	switch (c) {
	case 'Y': return "shown";
	case 'H': return "hidden";
	case 'P': return "EPERM";
	case 'A': return "EACCES";
	case 'L': return "refused by debugfs lockdown";
	case '-': return "not offered";
	default: return "inconsistent";
	}
}

/* Counts over all tests of this run (each runs in a child of the harness). */
static struct totals {
	int cells, mismatched, skipped, extras, kfunc_before;
} *tot;

__attribute__((constructor)) static void totals_init(void)
{
	static struct totals fallback;

	tot = mmap(NULL, sizeof(*tot), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tot == MAP_FAILED)
		tot = &fallback;
	tot->kfunc_before = -1;
}

FIXTURE(policy) {
	struct policy_world w;
	char kptr[16];		/* kptr_restrict as it was */
};

/* The lockdown level now (index into level_name), or -1 without the LSM. */
static int lockdown_level(void)
{
	char s[128], *b;
	size_t i, n;

	if (read_file(LOCKDOWN, s, sizeof(s)) < 0)
		return -1;
	b = strchr(s, '[');
	if (!b)
		return -1;
	for (i = 0; i < ARRAY_SIZE(level_name); i++) {
		n = strlen(level_name[i]);
		if (!strncmp(b + 1, level_name[i], n) && b[1 + n] == ']')
			return i;
	}
	return -1;
}

/* The directory this binary is in. */
static void exe_dir(char *dir, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", dir, len - 1);
	char *slash;

	dir[n > 0 ? n : 0] = '\0';
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
}

/* Raising lockdown is irreversible: only where the harness asks for it. */
static bool may_raise_lockdown(void)
{
	const char *env = getenv("VMATLAS_LOCKDOWN_RAISE");
	char dir[PATH_MAX], *base;

	if (env)
		return !strcmp(env, "1");
	exe_dir(dir, sizeof(dir));
	base = strrchr(dir, '/');
	return base && !strcmp(base + 1, "last");
}

FIXTURE_SETUP(policy)
{
	struct stat st;

	self->w.other = -1;
	self->w.node[0] = '\0';
	ASSERT_LT(0, read_file(KPTR, self->kptr, sizeof(self->kptr)));
	if (stat(VMATLAS_TEST_DEVICE, &st))
		SKIP(return, "/dev/vmatlas missing");
	self->w.v = mmap(NULL, sizeof(*self->w.v), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->w.v);
	self->w.page = mmap(NULL, POLICY_NPAGES * getpagesize(), PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->w.page);
	memset(self->w.page, 1, POLICY_NPAGES * getpagesize());
	self->w.other = fork();
	ASSERT_LE(0, self->w.other);
	if (self->w.other == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	/* The same device, 0666: what the module itself lets others see. */
	snprintf(self->w.node, sizeof(self->w.node), "/dev/.vmatlas-policy-%d", getpid());
	unlink(self->w.node);
	ASSERT_EQ(0, mknod(self->w.node, S_IFCHR | 0666, st.st_rdev));
	ASSERT_EQ(0, chmod(self->w.node, 0666));
}

FIXTURE_TEARDOWN(policy)
{
	if (self->w.other > 0) {
		kill(self->w.other, SIGKILL);
		waitpid(self->w.other, NULL, 0);
	}
	if (self->w.node[0])
		unlink(self->w.node);
	write_file(KPTR, self->kptr);
}

static void set_kptr(int k)
{
	char buf[4];

	snprintf(buf, sizeof(buf), "%d", k);
	if (write_file(KPTR, buf))
		ksft_print_msg("cannot set kptr_restrict to %d\n", k);
}

/* Mismatches of the level being tested, listed again at its end. */
static char mismatch[MAX_CELLS_PER_LEVEL + 8][320];
static int nmismatch;

static void report(bool ok, const char *line, const char *why)
{
	if (ok) {
		ksft_print_msg("%s\n", line);
		return;
	}
	ksft_print_msg("%s MISMATCH (%s)\n", line, why);
	if (nmismatch < (int)ARRAY_SIZE(mismatch))
		snprintf(mismatch[nmismatch++], sizeof(mismatch[0]), "%s (%s)", line, why);
	tot->mismatched++;
}

/* Compare what @w->v says subject @s saw through the ioctls or debugfs. */
static void compare(const struct policy_world *w, bool debugfs, int s, int level, int k)
{
	char line[256];
	int f;

	for (f = 0; f < NR_FACET; f++) {
		char want = debugfs ? debugfs_want(s, f, level, k) : policy[s][f][level * 4 + k];
		char got = w->v->got[f];

		if (want == '-' && got == '-')
			continue;
		snprintf(line, sizeof(line),
			 "cell %d: lockdown=%s kptr_restrict=%d %s %s %s: want %s, got %s",
			 ++tot->cells, level_name[level], k, subject_name[s],
			 debugfs ? "debugfs" : "ioctl", facet_name[f], outcome_name(want),
			 outcome_name(got));
		report(want == got, line, w->v->why[f]);
	}
}

/* Every subject and facet at every kptr_restrict, at lockdown @level. */
static void run_cells(const struct policy_world *w, int level)
{
	int k, s;

	for (k = 0; k < 3; k++) {
		set_kptr(k);
		for (s = 0; s < NR_SUBJ; s++) {
			policy_run_subject(s, w);
			compare(w, false, s, level, k);
			policy_run_debugfs_subject(s, w);
			compare(w, true, s, level, k);
		}
	}
	set_kptr(0);
}

/*
 * The tool at every level: it shows the layout, or under
 * confidentiality refuses it and says it is lockdown; INFO still works.
 */
static int tool_cell(int level, char *why, size_t len)
{
	static const char *const layout[] = { "layout", NULL };
	static const char *const info[] = { "info", NULL };
	static struct run_result res;
	int info_code, code;
	bool ok;

	if (run_tool(&res, -1, info))
		return -1;
	info_code = run_exit_code(&res);
	run_result_free(&res);
	if (info_code == 127 || run_tool(&res, -1, layout))
		return -1;
	code = run_exit_code(&res);
	ok = !info_code && (level == 2 ? code == 1 && !*res.out && strstr(res.err, "lockdown") :
					 !code);
	snprintf(why, len, "vmatlas info exit %d, vmatlas layout exit %d %.80s", info_code, code,
		 res.err);
	run_result_free(&res);
	return !ok;
}

#if VMATLAS_TEST_BPF
/*
 * A program of the test's own that calls the kfunc loads, and INFO announces
 * the kfunc, until lockdown=confidentiality; then neither (as a program
 * calling bpf_probe_read_kernel() is refused). Only where the module
 * registered the kfunc before lockdown.
 */
static int bpf_cell(int level, char *why, size_t len)
{
	int announced = module_has_kfunc(), loaded;
	struct kfunc_probe_bpf *skel;

	if (level == 0)
		tot->kfunc_before = announced;
	if (tot->kfunc_before != 1)
		return -1;
	skel = kfunc_probe_bpf__open();
	if (!skel)
		return 1;
	skel->rodata->targ_tgid = getpid();
	loaded = !kfunc_probe_bpf__load(skel);
	kfunc_probe_bpf__destroy(skel);
	snprintf(why, len, "INFO announces the kfunc: %d, a program calling it loads: %d",
		 announced, loaded);
	return level == 2 ? announced || loaded : !announced || !loaded;
}
#else
static int bpf_cell(int level, char *why, size_t len)
{
	return -1;
}
#endif

/*
 * The 32-bit build next to a 64-bit one (m32/policy_test) at this level only:
 * compat_ioctl at every level. Its lines are relayed as messages.
 */
static int companion_cell(int level, char *why, size_t len)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], line[512];
	int p[2], status;
	FILE *out;
	pid_t pid;

	if (sizeof(long) != 8 || getenv(ONE_LEVEL))
		return -1;
	exe_dir(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/m32/policy_test", dir);
	if (access(path, X_OK) || pipe(p))
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		setenv(ONE_LEVEL, "1", 1);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	out = fdopen(p[0], "r");
	while (out && fgets(line, sizeof(line), out))
		ksft_print_msg("m32: %s", line);
	if (out)
		fclose(out);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 1;
	snprintf(why, len, "%s exited %d", path, WEXITSTATUS(status));
	if (WEXITSTATUS(status) == 127)
		return -1;
	return WEXITSTATUS(status) != KSFT_PASS && WEXITSTATUS(status) != KSFT_SKIP;
}

static void check_extra(int (*fn)(int level, char *why, size_t len), const char *name, int level)
{
	char why[256] = "", line[128];
	int ret = fn(level, why, sizeof(why));

	if (ret < 0) {
		ksft_print_msg("extra %s at lockdown=%s: not applicable here %s\n", name,
			       level_name[level], why);
		return;
	}
	tot->extras++;
	snprintf(line, sizeof(line), "extra %s at lockdown=%s: %s", name, level_name[level],
		 ret ? "wrong" : "as documented");
	report(!ret, line, why);
	if (!ret)
		ksft_print_msg("  %s\n", why);
}

static void level_test(struct __test_metadata *_metadata, const struct policy_world *w,
		       int level)
{
	int cur = lockdown_level(), i;
	const char *skip = NULL;

	if (cur < 0 && level > 0)
		skip = "no lockdown LSM";
	else if (cur > level)
		skip = "lockdown is higher already and cannot be lowered";
	else if (cur >= 0 && cur < level && getenv(ONE_LEVEL))
		skip = ONE_LEVEL "=1: the current level only";
	else if (cur >= 0 && cur < level && !may_raise_lockdown())
		skip = "it cannot be undone: raised from last/ or with VMATLAS_LOCKDOWN_RAISE=1";
	if (skip) {
		tot->skipped += cells_per_level();
		SKIP(return, "%d cells at lockdown=%s: %s", cells_per_level(), level_name[level],
		     skip);
	}
	if (cur >= 0 && cur < level) {
		ASSERT_EQ(0, write_file(LOCKDOWN, level_name[level]));
		ASSERT_EQ(level, lockdown_level());
	}
	nmismatch = 0;
	run_cells(w, level);
	check_extra(tool_cell, "tool", level);
	check_extra(bpf_cell, "kfunc", level);
	check_extra(companion_cell, "m32/policy_test", level);
	ksft_print_msg("lockdown=%s: %d mismatches\n", level_name[level], nmismatch);
	ksft_print_msg("so far: %d cells checked, %d mismatched, %d skipped; %d extra checks\n",
		       tot->cells, tot->mismatched, tot->skipped, tot->extras);
	for (i = 0; i < nmismatch; i++)
		ksft_print_msg("mismatch: %s\n", mismatch[i]);
	EXPECT_EQ(0, nmismatch);
}

TEST_F_TIMEOUT(policy, every_output_byte_is_written, 120)
{
	struct vmatlas_layout layout = { .size = sizeof(layout) };
	int fd, bad, status;
	bool kernel;
	pid_t pid;

	fd = open(VMATLAS_TEST_DEVICE, O_RDONLY);
	ASSERT_LE(0, fd);
	set_kptr(0);
	kernel = !ioctl(fd, VMATLAS_IOC_LAYOUT, &layout);
	if (!kernel)
		ksft_print_msg("kernel commands refused here (%s): process commands only\n",
			       strerror(errno));
	bad = policy_bytes_check(fd, "root", self->w.other, self->w.page, kernel);
	/* Page-table addresses hidden, and what the module writes instead. */
	set_kptr(2);
	bad += policy_bytes_check(fd, "root at kptr_restrict=2", getpid(), self->w.page, false);
	set_kptr(0);
	close(fd);
	/* Frames and page facts hidden: the hiding writes every byte too. */
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		fd = open_device_without_cap_sys_admin();
		bad = fd < 0 ? 100 : policy_bytes_check(fd, "root without CAP_SYS_ADMIN",
							getpid(), self->w.page, false);
		fflush(stdout);
		_exit(bad > 100 ? 100 : bad);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	bad += WEXITSTATUS(status);
	EXPECT_EQ(0, bad);
}

TEST_F_TIMEOUT(policy, lockdown_none, 280)
{
	level_test(_metadata, &self->w, 0);
}

TEST_F_TIMEOUT(policy, lockdown_integrity, 280)
{
	level_test(_metadata, &self->w, 1);
}

TEST_F_TIMEOUT(policy, lockdown_confidentiality, 280)
{
	level_test(_metadata, &self->w, 2);
}

TEST_HARNESS_MAIN
