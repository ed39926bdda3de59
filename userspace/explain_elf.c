// SPDX-License-Identifier: GPL-2.0
/*
 * explain elf: a program's LOAD segments (readelf -l) become its VMAs. The
 * program runs traced: looked at when execve() returns, with only what the
 * kernel mapped (each LOAD segment from the file with its permissions, the
 * .bss past the file's last page as anonymous memory, the dynamic linker
 * named by PT_INTERP), and again as it exits, after the dynamic linker
 * mapped the shared libraries and made the RELRO range read-only. A static
 * program beside a dynamic one, or the programs named.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "explain.h"
#include "names.h"
#include "phdrs.h"
#include "util.h"

#define ELF_WAIT_S	10	/* for the program to exit */

struct prog {
	char path[PATH_MAX];		/* as mapped: the real path */
	char interp[PATH_MAX];		/* the dynamic linker's, "" for a static program */
	struct elf_info e;
	unsigned long long bias;	/* where the file's address 0 is */
	struct snapshot at_exec, at_exit;
};

static unsigned long long down(unsigned long long a, unsigned long long page)
{
	return a & ~(page - 1);
}

static unsigned long long up(unsigned long long a, unsigned long long page)
{
	return down(a + page - 1, page);
}

/* Wait for @pid to stop at its exit, passing on other signals; 0 or -errno. */
static int elf_wait_exit(pid_t pid)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int status, i, sig;
	pid_t got;

	for (i = 0; i < ELF_WAIT_S * 100; i++) {
		got = waitpid(pid, &status, WNOHANG);
		if (got < 0)
			return -errno;
		if (!got) {
			nanosleep(&tick, NULL);
			continue;
		}
		if (!WIFSTOPPED(status))
			return -ECHILD;
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8)))
			return 0;
		sig = WSTOPSIG(status) == SIGTRAP ? 0 : WSTOPSIG(status);
		if (ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig))
			return -errno;
	}
	return -ETIMEDOUT;
}

/*
 * Kill @pid and reap it. SIGKILL does not wake a tracee stopped at its
 * PTRACE_EVENT_EXIT: it is let go on at each stop until it is gone.
 */
static void elf_end(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	ptrace(PTRACE_CONT, pid, NULL, NULL);
	while (waitpid(pid, &status, 0) == pid && WIFSTOPPED(status))
		ptrace(PTRACE_CONT, pid, NULL, NULL);
}

/* Run @p traced: a snapshot when execve() returns, one when it exits. */
static int elf_run_traced(struct story *st, struct prog *p)
{
	pid_t pid;
	int status, err, null;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execl(p->path, p->path, (char *)NULL);
		_exit(127);
	}
	err = -ECHILD;
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
		goto out;
	err = ptrace(PTRACE_SETOPTIONS, pid, NULL,
		     (void *)(long)(PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL)) ? -errno : 0;
	if (!err)
		err = snapshot_take(st->fd, pid, &p->at_exec);
	if (!err)
		err = ptrace(PTRACE_CONT, pid, NULL, NULL) ? -errno : 0;
	if (!err)
		err = elf_wait_exit(pid);
	if (!err)
		err = snapshot_take(st->fd, pid, &p->at_exit);
out:
	elf_end(pid);
	if (err == -ECHILD || err == -ETIMEDOUT)
		snprintf(st->why, sizeof(st->why), "%.80s: %s", p->path,
			 err == -ECHILD ? "could not run it under ptrace" :
					  "it did not exit within 10 s (give one that exits)");
	return err;
}

/* The VMA of the program's own file at @addr in @s, or NULL. */
static const struct snap_vma *elf_file_vma(const struct snapshot *s, const char *path,
					   unsigned long long addr)
{
	const struct snap_vma *v = story_vma_at(s, addr);

	return v && v->start == addr && !strcmp(v->path, path) ? v : NULL;
}

/* Whether @s maps the file at @path. */
static bool elf_maps(const struct snapshot *s, const char *path)
{
	size_t i;

	for (i = 0; i < s->nvmas; i++)
		if (!strcmp(s->vmas[i].path, path))
			return true;
	return false;
}

/* Files mapped in @s other than the program and its dynamic linker. */
static unsigned int elf_libraries(const struct snapshot *s, const struct prog *p, char *names,
				  size_t len)
{
	const char *base, *last = "";
	unsigned int n = 0;
	size_t i;

	names[0] = '\0';
	for (i = 0; i < s->nvmas; i++) {
		const char *path = s->vmas[i].path;

		if (s->vmas[i].kind != VMATLAS_KIND_FILE || !strcmp(path, p->path) ||
		    !strcmp(path, p->interp) || !strcmp(path, last))
			continue;
		last = path;
		base = strrchr(path, '/');
		snprintf(names + strlen(names), len - strlen(names), "%s%s", n ? ", " : "",
			 base ? base + 1 : path);
		n++;
	}
	return n;
}

/* The LOAD segments beside their VMAs; how many match. */
static unsigned int elf_loads(struct story *st, const struct prog *p)
{
	unsigned long long pg = st->page_size, start;
	unsigned int n = 0, match = 0, want;
	const struct snap_vma *v;
	char perms[5];
	size_t i;

	story_say(st, "  %-4s %10s %18s %10s %10s %-3s  %s", "TYPE", "OFFSET", "VIRTADDR",
		  "FILESIZ", "MEMSIZ", "FLG", "VMA AT EXEC, PERMISSIONS");
	for (i = 0; i < p->e.nsegs; i++) {
		const struct elf_seg *s = &p->e.segs[i];

		if (s->type != PT_LOAD)
			continue;
		n++;
		start = down(p->bias + s->vaddr, pg);
		v = elf_file_vma(&p->at_exec, p->path, start);
		want = (s->flags & PF_R ? VMATLAS_VM_READ : 0) |
		       (s->flags & PF_W ? VMATLAS_VM_WRITE : 0) |
		       (s->flags & PF_X ? VMATLAS_VM_EXEC : 0);
		if (v)
			names_perms(v->vm_flags, perms);
		else
			snprintf(perms, sizeof(perms), "-");
		match += v && (v->vm_flags & (VMATLAS_VM_READ | VMATLAS_VM_WRITE |
					      VMATLAS_VM_EXEC)) == want &&
			 v->pgoff == down(s->offset, pg);
		story_say(st, "  LOAD %#10llx %#18llx %#10llx %#10llx %c%c%c  0x%llx-0x%llx %s",
			  s->offset, s->vaddr, s->filesz, s->memsz, s->flags & PF_R ? 'R' : ' ',
			  s->flags & PF_W ? 'W' : ' ', s->flags & PF_X ? 'E' : ' ', start,
			  v ? v->end : 0, perms);
	}
	story_check(st, n && match == n,
		    "each LOAD segment is a VMA of the file, with its flags and offset: %u of %u",
		    match, n);
	return match;
}

/* The .bss past the file's last page: anonymous memory, at exec. */
static void elf_bss(struct story *st, const struct prog *p)
{
	unsigned long long pg = st->page_size, from, to;
	const struct snap_vma *v;
	bool anon;
	size_t i;

	for (i = 0; i < p->e.nsegs; i++) {
		const struct elf_seg *s = &p->e.segs[i];

		from = up(p->bias + s->vaddr + s->filesz, pg);
		to = up(p->bias + s->vaddr + s->memsz, pg);
		if (s->type != PT_LOAD || to <= from)
			continue;
		v = story_vma_at(&p->at_exec, from);
		anon = v && !v->path[0] &&
		       (v->kind == VMATLAS_KIND_ANON || v->kind == VMATLAS_KIND_HEAP);
		story_check(st, anon && v->start == from && v->end >= to,
			    ".bss past the file's last page is anonymous memory: 0x%llx-0x%llx",
			    from, to);
	}
}

/* RELRO: writable as the kernel mapped it, read-only once relocated. */
static void elf_relro(struct story *st, const struct prog *p)
{
	const struct elf_seg *r = elf_find(&p->e, PT_GNU_RELRO);
	unsigned long long from, to;
	const struct snap_vma *a, *b;
	bool made_ro;

	if (!r)
		return;
	from = down(p->bias + r->vaddr, st->page_size);
	to = down(p->bias + r->vaddr + r->memsz, st->page_size);
	if (to <= from)
		return;
	a = story_vma_at(&p->at_exec, from);
	b = story_vma_at(&p->at_exit, from);
	made_ro = a && b && (a->vm_flags & VMATLAS_VM_WRITE) && !(b->vm_flags & VMATLAS_VM_WRITE);
	story_check(st, made_ro && b->start == from && b->end >= to,
		    "GNU_RELRO 0x%llx-0x%llx: writable at exec, read-only after relocation", from,
		    to);
}

/* Tell @p: the kernel's mapping at exec, then the dynamic linker's at exit. */
static void elf_tell(struct story *st, struct prog *p)
{
	char libs[512];
	unsigned int n;

	story_say(st, "\n%s: ELF%d, %s, %s%s", p->path, p->e.is64 ? 64 : 32,
		  p->e.pie ? "position-independent" : "at fixed addresses",
		  p->interp[0] ? "dynamic, interpreter " : "static", p->e.interp);
	elf_loads(st, p);
	elf_bss(st, p);
	n = elf_libraries(&p->at_exec, p, libs, sizeof(libs));
	if (p->interp[0]) {
		story_check(st, elf_maps(&p->at_exec, p->interp) && !n,
			    "the kernel mapped the dynamic linker too, and no library: %u", n);
		n = elf_libraries(&p->at_exit, p, libs, sizeof(libs));
		story_check(st, n, "at exit, the dynamic linker had mapped %u: %s", n,
			    n ? libs : "none");
	} else {
		n += elf_libraries(&p->at_exit, p, libs, sizeof(libs));
		story_check(st, !n, "nothing but the program is mapped from a file, %s",
			    "at exec or exit");
	}
	elf_relro(st, p);
}

/* @name's program headers and real path; -errno with st->why. */
static int elf_prog_open(struct story *st, const char *name, struct prog *p)
{
	int err;

	memset(p, 0, sizeof(*p));
	if (!realpath(name, p->path)) {
		snprintf(st->why, sizeof(st->why), "%.100s: %s", name, strerror(errno));
		return -errno;
	}
	err = elf_read(p->path, &p->e, st->why, sizeof(st->why));
	if (err)
		return err;
	if (p->e.interp[0] && !realpath(p->e.interp, p->interp)) {
		snprintf(st->why, sizeof(st->why), "%.60s: its interpreter %.60s: %s", name,
			 p->e.interp, strerror(errno));
		return -errno;
	}
	return 0;
}

/* Where the file's address 0 went: the VMA of its first page less its vaddr. */
static void elf_bias(struct story *st, struct prog *p)
{
	const struct elf_seg *first = elf_find(&p->e, PT_LOAD);
	size_t i;

	for (i = 0; first && i < p->at_exec.nvmas; i++) {
		const struct snap_vma *v = &p->at_exec.vmas[i];

		if (!strcmp(v->path, p->path) && v->pgoff == down(first->offset, st->page_size)) {
			p->bias = v->start - down(first->vaddr, st->page_size);
			return;
		}
	}
}

static int elf_one(struct story *st, const char *name)
{
	struct prog *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	err = elf_prog_open(st, name, p);
	if (!err)
		err = elf_run_traced(st, p);
	if (!err) {
		elf_bias(st, p);
		elf_tell(st, p);
	}
	snapshot_free(&p->at_exec);
	snapshot_free(&p->at_exit);
	free(p);
	return err;
}

/* The first static and the first dynamic program of a few well known ones. */
static int elf_defaults(struct story *st)
{
	static const char *const known[] = { "/proc/self/exe", "/usr/bin/true", "/bin/true" };
	const char *pick[2] = { NULL, NULL };
	struct elf_info e;
	char why[160];
	size_t i;
	int err = 0;

	for (i = 0; i < ARRAY_SIZE(known); i++)
		if (!elf_read(known[i], &e, why, sizeof(why)) && !pick[!!e.interp[0]])
			pick[!!e.interp[0]] = known[i];
	story_say(st, "The kernel maps a program's LOAD segments at execve(); a dynamic one's");
	story_say(st, "libraries are the dynamic linker's work, before main().");
	for (i = 0; !err && i < 2; i++)
		if (pick[i])
			err = elf_one(st, pick[i]);
		else
			story_say(st, "\n(No %s program here to show: %s.)",
				  i ? "dynamically linked" : "static",
				  "name one, vmatlas explain elf PROGRAM");
	return err;
}

static int elf_run(struct story *st)
{
	int i, err = 0;

	if (!st->nargs)
		return elf_defaults(st);
	for (i = 0; !err && i < st->nargs; i++)
		err = elf_one(st, st->args[i]);
	return err;
}

const struct scenario scenario_elf = {
	.name = "elf",
	.claim = "a program's LOAD segments become its VMAs; libraries come after",
	.args_doc = "[PROGRAM...]",
	.run = elf_run,
};
