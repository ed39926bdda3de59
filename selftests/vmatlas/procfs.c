// SPDX-License-Identifier: GPL-2.0
/*
 * Readers of /proc/PID/{smaps,pagemap,stat} for the tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "helpers.h"
#include "procfs.h"

/* "7f..-7f.. rw-p 00000000 00:00 0   [heap]" */
static int parse_maps_line(const char *line, struct smaps_vma *v)
{
	int name_at = 0;

	memset(v, 0, sizeof(*v));
	if (sscanf(line, "%llx-%llx %7s %llx %15s %llu %n", &v->start, &v->end, v->perms,
		   &v->offset, v->dev, &v->inode, &name_at) < 6)
		return -1;
	if (name_at) {
		snprintf(v->name, sizeof(v->name), "%.500s", line + name_at);
		v->name[strcspn(v->name, "\n")] = '\0';
	}
	return 0;
}

static void parse_smaps_field(const char *line, struct smaps_vma *v)
{
	static const struct {
		const char *key;
		size_t off;
	} fields[] = {
		{ "Rss:", offsetof(struct smaps_vma, rss) },
		{ "Swap:", offsetof(struct smaps_vma, swap) },
		{ "Anonymous:", offsetof(struct smaps_vma, anonymous) },
		{ "AnonHugePages:", offsetof(struct smaps_vma, anon_huge) },
		{ "ShmemPmdMapped:", offsetof(struct smaps_vma, shmem_pmd) },
		{ "FilePmdMapped:", offsetof(struct smaps_vma, file_pmd) },
		{ "Shared_Clean:", offsetof(struct smaps_vma, shared_clean) },
		{ "Shared_Dirty:", offsetof(struct smaps_vma, shared_dirty) },
		{ "Private_Hugetlb:", offsetof(struct smaps_vma, private_hugetlb) },
		{ "Shared_Hugetlb:", offsetof(struct smaps_vma, shared_hugetlb) },
		{ "KernelPageSize:", offsetof(struct smaps_vma, kernel_page) },
	};
	size_t i;

	if (!strncmp(line, "VmFlags:", 8)) {
		snprintf(v->vmflags, sizeof(v->vmflags), "%.200s", line + 8);
		v->vmflags[strcspn(v->vmflags, "\n")] = '\0';
		return;
	}
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		size_t len = strlen(fields[i].key);

		if (!strncmp(line, fields[i].key, len)) {
			*(unsigned long long *)((char *)v + fields[i].off) =
				strtoull(line + len, NULL, 10);
			return;
		}
	}
}

int smaps_read(pid_t pid, struct smaps_vma **out)
{
	struct smaps_vma *v = NULL;
	char path[64], line[1024];
	int n = 0, cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		struct smaps_vma cur;

		if (!parse_maps_line(line, &cur) && strchr(line, '-') < strchr(line, ' ')) {
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				v = realloc(v, cap * sizeof(*v));
				if (!v)
					abort();
			}
			v[n++] = cur;
		} else if (n) {
			parse_smaps_field(line, &v[n - 1]);
		}
	}
	fclose(f);
	*out = v;
	return n;
}

struct smaps_vma *smaps_find(struct smaps_vma *v, int n, unsigned long long start)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i].start == start)
			return &v[i];
	return NULL;
}

int pagemap_open(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	return fd < 0 ? -errno : fd;
}

__u64 pagemap_entry(int fd, unsigned long long addr, long page)
{
	__u64 e;

	if (pread(fd, &e, sizeof(e), (off_t)(addr / page) * sizeof(e)) != sizeof(e))
		return 0;
	return e;
}

/* The 64-bit word of @pfn in a /proc/kpage* file; 0 on a read error. */
static __u64 kpage_word(const char *file, unsigned long long pfn)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	__u64 word = 0;

	if (fd < 0)
		return 0;
	if (pread(fd, &word, sizeof(word), (off_t)(pfn * sizeof(word))) != sizeof(word))
		word = 0;
	close(fd);
	return word;
}

__u64 kpage_flags(unsigned long long pfn)
{
	return kpage_word("/proc/kpageflags", pfn);
}

__u64 kpage_count(unsigned long long pfn)
{
	return kpage_word("/proc/kpagecount", pfn);
}

/*
 * Read /proc/PID/stat into @buf; return where the fields after "(comm) "
 * start (comm may hold spaces and parentheses), or NULL.
 */
static const char *proc_stat_fields(pid_t pid, char *buf, size_t len)
{
	char path[64], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p + 2 : NULL;
}

long long proc_faults(pid_t pid)
{
	unsigned long long minflt, majflt;
	const char *f;
	char buf[1024];

	/* state ppid pgrp session tty tpgid flags minflt cminflt majflt */
	f = proc_stat_fields(pid, buf, sizeof(buf));
	if (!f || sscanf(f, "%*c %*d %*d %*d %*d %*d %*u %llu %*u %llu", &minflt, &majflt) != 2)
		return -1;
	return minflt + majflt;
}

static char proc_state(pid_t pid)
{
	char buf[1024];
	const char *f = proc_stat_fields(pid, buf, sizeof(buf));

	return f ? f[0] : 0;
}

int proc_wait_sleeping(pid_t pid)
{
	int i;

	for (i = 0; i < 5000; i++) {
		if (proc_state(pid) == 'S')
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

int soft_dirty_supported(void)
{
	struct utsname uts;

	/* CONFIG_MEM_SOFT_DIRTY is x86-64 only: the i386 PTE has no bit for it. */
	return !uname(&uts) && !strcmp(uts.machine, "x86_64");
}

/* A symbol's address in /proc/kallsyms; 0 if missing or hidden. */
unsigned long long kallsyms_addr(const char *name)
{
	unsigned long long addr = 0;
	char line[256], needle[128];

	snprintf(needle, sizeof(needle), " %s\n", name);
	if (find_line("/proc/kallsyms", needle, line, sizeof(line)))
		sscanf(line, "%llx", &addr);
	return addr;
}

/* The start of the first /proc/iomem range that names @what; 0 if none. */
unsigned long long iomem_start(const char *what)
{
	unsigned long long start = 0;
	char line[256];

	if (find_line("/proc/iomem", what, line, sizeof(line)))
		sscanf(line, " %llx", &start);
	return start;
}

unsigned long long meminfo_kb(const char *key)
{
	char line[256];

	return find_line("/proc/meminfo", key, line, sizeof(line)) ?
	       strtoull(line + strlen(key), NULL, 10) : 0;
}

/* The highest end of any zone, in pages (start_pfn + spanned). */
unsigned long long zones_end_pfn(int lowmem_only)
{
	unsigned long long end = 0, start = 0, spanned = 0;
	char line[256], zone[32] = "";
	FILE *f = fopen("/proc/zoneinfo", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Node %*d, zone %31s", zone) == 1)
			continue;
		if (sscanf(line, " spanned %llu", &spanned) == 1)
			continue;
		if (sscanf(line, " start_pfn: %llu", &start) == 1 && spanned &&
		    !(lowmem_only && !strcmp(zone, "HighMem")) && start + spanned > end)
			end = start + spanned;
	}
	if (f)
		fclose(f);
	return end;
}
