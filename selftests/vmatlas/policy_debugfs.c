// SPDX-License-Identifier: GPL-2.0
/*
 * policy_test's subjects again, through debugfs: the text views under
 * /sys/kernel/debug/vmatlas are judged on the credentials they were opened
 * with, as the device is. Root writes the views' "pid" and "addr" for the
 * subject (nobody cannot), so a subject only opens and reads: "maps",
 * "walk" and "ptdump" of its own process and of root's, "layout" and
 * "kaddr". debugfs has no page facts and no *_HIDDEN flags: hidden values
 * read as zero, VMATLAS_NO_PHYS for a run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "policy.h"

#define TEXT_LEN	(256 * 1024)

enum view { V_MAPS, V_WALK, V_PTDUMP, V_LAYOUT, V_KADDR, NR_VIEW };

static const char *const view_name[NR_VIEW] = { "maps", "walk", "ptdump", "layout", "kaddr" };

/* Messages from the subject to root, and root's answers. */
#define ASK_OWN		'o'	/* point the views at me */
#define ASK_OTHER	'x'	/* now at root's process */
#define GOT_OK		'k'
#define GOT_LOCKDOWN	'L'	/* "pid" or "addr" refused with EPERM */
#define GOT_ERROR	'E'

static char text[NR_VIEW][TEXT_LEN];

static void view_path(enum view v, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", VMATLAS_TEST_DEBUGFS, view_name[v]);
}

/* A whole view, from offset 0 (a seq_file starts over there); length or -errno. */
static ssize_t view_read(int fd, char *buf)
{
	ssize_t n, got = 0;

	while (got < TEXT_LEN - 1) {
		n = pread(fd, buf + got, TEXT_LEN - 1 - got, got);
		if (n < 0)
			return -errno;
		if (!n)
			break;
		got += n;
	}
	buf[got] = '\0';
	return got;
}

/* The three process views: Y if each printed its view, P if each said EPERM. */
static char process_views(const int *fd, char *why)
{
	int v, ok = 0, perm = 0, len = 0;
	ssize_t n;

	for (v = V_MAPS; v <= V_PTDUMP; v++) {
		n = view_read(fd[v], text[v]);
		/* A refused target reads "pid N: error -1 (...)" (-EPERM). */
		if (n > 0 && strstr(text[v], "error -1 "))
			perm++;
		else if (n > 0 && !strstr(text[v], "error"))
			ok++;
		if (len < POLICY_WHY)
			len += snprintf(why + len, POLICY_WHY - len, "%s%s: %.40s", v ? "; " : "",
					view_name[v], n < 0 ? strerror(-n) : text[v]);
	}
	return ok == 3 ? 'Y' : perm == 3 ? 'P' : '?';
}

/*
 * The walk view's entries: how many lie above the leaf and how many of
 * those carry a frame (a table's address), and whether the leaf does.
 */
static void walk_entries(const char *walk, int *upper, int *upper_pfn, int *leaf_pfn)
{
	unsigned long long e;
	char line[160], lvl[8];
	const char *p, *nl;
	unsigned int idx;

	*upper = *upper_pfn = *leaf_pfn = 0;
	for (p = walk; *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		if (sscanf(line, "%7s index %u entry %llx", lvl, &idx, &e) == 3) {
			if (strstr(line, " leaf")) {
				*leaf_pfn = !!(e & PFN_BITS);
				return;
			}
			(*upper)++;
			*upper_pfn += !!(e & PFN_BITS);
		}
		if (!*nl)
			break;
	}
}

/* The run of the ptdump view that holds @addr: its phys, or 0 if none. */
static unsigned long long run_phys(const char *ptdump, unsigned long long addr, int *found)
{
	unsigned long long start, end, kb, bits, phys;
	const char *p, *nl;
	char lvl[8];

	*found = 0;
	for (p = ptdump; *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		if (sscanf(p, "%llx-%llx %lluK %7s bits %llx phys %llx", &start, &end, &kb, lvl,
			   &bits, &phys) == 6 && start <= addr && addr < end) {
			*found = 1;
			return phys;
		}
		if (!*nl)
			break;
	}
	return 0;
}

/* Physical addresses of the subject's page: all shown, or all zero. */
static char phys_views(unsigned long long addr, char *why)
{
	unsigned long long size = 0, phys = 1, pfn = 1, rphys;
	int upper, upper_pfn, leaf_pfn, found;
	const char *present = strstr(text[V_WALK], "present page_size");

	if (present)
		sscanf(present, "present page_size %llu phys %llx pfn %llx", &size, &phys, &pfn);
	walk_entries(text[V_WALK], &upper, &upper_pfn, &leaf_pfn);
	rphys = run_phys(text[V_PTDUMP], addr, &found);
	snprintf(why, POLICY_WHY,
		 "walk: present %d phys %#llx pfn %#llx leaf PFN %d; run %d phys %#llx",
		 !!present, phys, pfn, leaf_pfn, found, rphys);
	if (!present || !found)
		return '?';
	if (phys && pfn && leaf_pfn && rphys != VMATLAS_NO_PHYS)
		return 'Y';
	return !phys && !pfn && !leaf_pfn && !upper_pfn && rphys == VMATLAS_NO_PHYS ? 'H' : '?';
}

/* Page-table addresses: the frames in the walk's entries above the leaf. */
static char tables_view(char *why)
{
	int upper, upper_pfn, leaf_pfn;

	walk_entries(text[V_WALK], &upper, &upper_pfn, &leaf_pfn);
	snprintf(why, POLICY_WHY, "%d of %d entries above the leaf with a frame", upper_pfn,
		 upper);
	if (!upper)
		return '?';
	return upper_pfn == upper ? 'Y' : !upper_pfn ? 'H' : '?';
}

/* layout and kaddr: Y if both print, P if both are refused with EPERM. */
static char kernel_views(const int *fd, char *why)
{
	ssize_t n[2] = { view_read(fd[V_LAYOUT], text[V_LAYOUT]),
			 view_read(fd[V_KADDR], text[V_KADDR]) };

	snprintf(why, POLICY_WHY, "layout: %.50s; kaddr: %.50s",
		 n[0] < 0 ? strerror(-n[0]) : text[V_LAYOUT],
		 n[1] < 0 ? strerror(-n[1]) : text[V_KADDR]);
	if (n[0] > 0 && n[1] > 0 && strstr(text[V_LAYOUT], "page_offset") &&
	    strstr(text[V_KADDR], "addr "))
		return 'Y';
	return n[0] == -EPERM && n[1] == -EPERM ? 'P' : '?';
}

static char ask(int sock, char what)
{
	char answer = GOT_ERROR;

	if (write(sock, &what, 1) != 1 || read(sock, &answer, 1) != 1)
		return GOT_ERROR;
	return answer;
}

/* Become @s and open every view as @s does; 0, or -errno of the first that fails. */
static int subject_open(enum policy_subject s, int sock, int *fd)
{
	char path[128];
	int v;

	if (s == SUBJ_NOADMIN && policy_drop_admin_for_good())
		return -errno;
	if ((s == SUBJ_NOBODY || s == SUBJ_PASSED) && become_nobody())
		return -errno;
	for (v = 0; v < NR_VIEW; v++) {
		view_path(v, path, sizeof(path));
		fd[v] = s == SUBJ_PASSED ? policy_recv_fd(sock) : open(path, O_RDONLY);
		if (fd[v] < 0)
			return -errno;
	}
	return 0;
}

static void subject_main(enum policy_subject s, int sock, const struct policy_world *self)
{
	struct policy_verdict *v = self->v;
	unsigned long long addr = (uintptr_t)self->page;
	int fd[NR_VIEW], f, e;
	char got;

	e = subject_open(s, sock, fd);
	if (e) {
		for (f = 0; f < NR_FACET; f++) {
			v->got[f] = e == -EACCES ? 'A' : '?';
			snprintf(v->why[f], POLICY_WHY, "open: %s", strerror(-e));
		}
		v->got[FACET_FACTS] = '-';
		return;
	}
	memset(self->page, 2, POLICY_NPAGES * getpagesize());
	/*
	 * The ptdump view covers the whole process and merges neighbours; a
	 * run of discontiguous frames has no phys. Page 0 gets a run of its
	 * own, which has one whenever physical addresses are shown.
	 */
	mprotect(self->page + getpagesize(), getpagesize(), PROT_READ);
	got = ask(sock, ASK_OWN);
	if (got == GOT_OK) {
		v->got[FACET_OWN] = process_views(fd, v->why[FACET_OWN]);
		v->got[FACET_PHYS] = phys_views(addr, v->why[FACET_PHYS]);
		v->got[FACET_TABLES] = tables_view(v->why[FACET_TABLES]);
	} else {
		for (f = FACET_OWN; f <= FACET_TABLES; f++) {
			if (f == FACET_OTHER || f == FACET_KERNEL)
				continue;
			v->got[f] = got == GOT_LOCKDOWN ? 'L' : '?';
			snprintf(v->why[f], POLICY_WHY, "root could not write pid/addr");
		}
	}
	got = ask(sock, ASK_OTHER);
	if (got == GOT_OK)
		v->got[FACET_OTHER] = process_views(fd, v->why[FACET_OTHER]);
	else
		v->got[FACET_OTHER] = got == GOT_LOCKDOWN ? 'L' : '?';
	v->got[FACET_KERNEL] = kernel_views(fd, v->why[FACET_KERNEL]);
	v->got[FACET_FACTS] = '-';
	snprintf(v->why[FACET_FACTS], POLICY_WHY, "debugfs shows no page facts");
}

/* Root's side: point "pid" and "addr" at @pid and the page. */
static char point_views(pid_t pid, const void *page)
{
	char buf[32];
	int e;

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	e = write_file(VMATLAS_TEST_DEBUGFS "/pid", buf);
	if (!e) {
		snprintf(buf, sizeof(buf), "%#llx", (unsigned long long)(uintptr_t)page);
		e = write_file(VMATLAS_TEST_DEBUGFS "/addr", buf);
	}
	return !e ? GOT_OK : e == -EPERM ? GOT_LOCKDOWN : GOT_ERROR;
}

static void serve(enum policy_subject s, int sock, pid_t pid, const struct policy_world *self)
{
	char path[128], what;
	int v, fd;

	for (v = 0; s == SUBJ_PASSED && v < NR_VIEW; v++) {
		view_path(v, path, sizeof(path));
		fd = open(path, O_RDONLY);
		if (fd < 0 || policy_send_fd(sock, fd)) {
			/* The subject's recvmsg() then sees the end. */
			shutdown(sock, SHUT_WR);
			if (fd >= 0)
				close(fd);
			break;
		}
		close(fd);
	}
	while (read(sock, &what, 1) == 1) {
		what = point_views(what == ASK_OWN ? pid : self->other, self->page);
		if (write(sock, &what, 1) != 1)
			break;
	}
}

void policy_run_debugfs_subject(enum policy_subject s, const struct policy_world *self)
{
	int sv[2], f;
	pid_t pid;

	for (f = 0; f < NR_FACET; f++) {
		self->v->got[f] = '?';
		snprintf(self->v->why[f], POLICY_WHY, "the subject did not report");
	}
	if (s == SUBJ_NOBODY_0666) {
		/* A device node of another mode has no debugfs counterpart. */
		memset(self->v->got, '-', sizeof(self->v->got));
		return;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		subject_main(s, sv[1], self);
		_exit(0);
	}
	close(sv[1]);
	if (pid > 0) {
		serve(s, sv[0], pid, self);
		waitpid(pid, NULL, 0);
	}
	close(sv[0]);
}
