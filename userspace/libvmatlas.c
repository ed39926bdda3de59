// SPDX-License-Identifier: GPL-2.0
/*
 * libvmatlas: open /dev/vmatlas, check that the module speaks our ABI, and
 * issue requests. Errors are turned into a sentence that says what to do.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libvmatlas.h"
#include "util.h"

static char vmatlas_errbuf[256];

static int vmatlas_fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(vmatlas_errbuf, sizeof(vmatlas_errbuf), fmt, ap);
	va_end(ap);
	return -err;
}

/**
 * vmatlas_strerror() - the explanation of the last failure
 *
 * Return: a NUL-terminated sentence without a trailing newline.
 */
const char *vmatlas_strerror(void)
{
	return vmatlas_errbuf;
}

static const char *const vmatlas_lab_kinds[] = {
	[VMATLAS_LAB_KMALLOC] = "kmalloc",
	[VMATLAS_LAB_VMALLOC] = "vmalloc",
	[VMATLAS_LAB_PAGES] = "pages",
	[VMATLAS_LAB_KMAP] = "kmap",
};

/**
 * vmatlas_lab_kind() - the name of a LAB kind
 * @kind: VMATLAS_LAB_*
 *
 * Return: "kmalloc", "vmalloc", "pages", "kmap", or NULL for another value.
 */
const char *vmatlas_lab_kind(unsigned int kind)
{
	return kind < ARRAY_SIZE(vmatlas_lab_kinds) ? vmatlas_lab_kinds[kind] : NULL;
}

/*
 * Explain the errors every process command shares; the callers have said
 * what their own EINVAL or ENOMEM means before.
 */
static int vmatlas_fail_pid(int err, int pid)
{
	char path[32];

	switch (err) {
	case ESRCH:
		snprintf(path, sizeof(path), "/proc/%d", pid);
		if (access(path, F_OK) && errno == ENOENT)
			return vmatlas_fail(err, "pid %d: no such process", pid);
		return vmatlas_fail(err, "pid %d: no user address space (kernel thread or exiting)",
				    pid);
	case EPERM:
		return vmatlas_fail(err, "pid %d: another process's memory needs CAP_SYS_ADMIN",
				    pid);
	case EINTR:
		return vmatlas_fail(err, "interrupted");
	case EAGAIN:
		return vmatlas_fail(err, "pid %d: address space kept changing (execve?); try again",
				    pid);
	default:
		return vmatlas_fail(err, "pid %d: %s", pid, strerror(err));
	}
}

/*
 * EAGAIN means the target was between two states (an execve() half done, a
 * page table being replaced): ask again a few times before giving up.
 */
static int vmatlas_ioctl(int fd, unsigned long cmd, void *arg)
{
	int tries = 10, ret;

	while ((ret = ioctl(fd, cmd, arg)) < 0 && errno == EAGAIN && --tries)
		usleep(1000);
	return ret;
}

/**
 * vmatlas_get_info() - issue INFO
 * @fd: from vmatlas_open()
 * @info: filled in
 *
 * Return: 0 or a negative errno.
 */
int vmatlas_get_info(int fd, struct vmatlas_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	if (ioctl(fd, VMATLAS_IOC_INFO, info) < 0)
		return vmatlas_fail(errno, "INFO: %s", strerror(errno));
	return 0;
}

/**
 * vmatlas_open() - open the device and check its ABI version
 *
 * Return: a file descriptor or a negative errno.
 */
int vmatlas_open(void)
{
	struct vmatlas_info info;
	int fd, err;

	fd = open(VMATLAS_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if (err == ENOENT || err == ENXIO || err == ENODEV)
			return vmatlas_fail(err, "%s: %s (is the vmatlas module loaded?)",
					    VMATLAS_DEVICE_PATH, strerror(err));
		if (err == EACCES || err == EPERM)
			return vmatlas_fail(err, "%s: %s (the device is root's: run as root)",
					    VMATLAS_DEVICE_PATH, strerror(err));
		return vmatlas_fail(err, "%s: %s", VMATLAS_DEVICE_PATH, strerror(err));
	}

	err = vmatlas_get_info(fd, &info);
	if (err)
		goto out_close;
	if (info.abi_version != VMATLAS_ABI_VERSION) {
		err = vmatlas_fail(EPROTO, "module speaks ABI %u, this tool %u: update both",
				   info.abi_version, VMATLAS_ABI_VERSION);
		goto out_close;
	}
	return fd;

out_close:
	close(fd);
	return err;
}

/**
 * vmatlas_close() - close a descriptor from vmatlas_open()
 * @fd: the descriptor
 */
void vmatlas_close(int fd)
{
	close(fd);
}

/* VMAs and bytes of names one VMAS call may return: more than the module gives. */
#define VMATLAS_VMAS_ENTRIES	256
#define VMATLAS_NAMES_SIZE	(64 * 1024)

/**
 * vmatlas_list_vmas() - issue VMAS until every VMA of @pid was seen
 * @fd: from vmatlas_open()
 * @pid: the process
 * @residency: also count what the page tables of each VMA map
 * @fn: called for each VMA in address order with its name, or NULL if it
 *	has none; a non-zero return stops the loop
 * @priv: passed to @fn
 *
 * Return: 0, a negative errno, or what @fn returned if it was not 0 (then
 * vmatlas_strerror() is not changed).
 */
int vmatlas_list_vmas(int fd, int pid, bool residency,
		      int (*fn)(const struct vmatlas_vma *vma, const char *name, void *priv),
		      void *priv)
{
	struct vmatlas_vma *vmas = calloc(VMATLAS_VMAS_ENTRIES, sizeof(*vmas));
	/* One more byte, always NUL: no name can run past the end. */
	char *names = calloc(1, VMATLAS_NAMES_SIZE + 1);
	unsigned long long start = 0;
	struct vmatlas_vmas req;
	unsigned int i;
	int ret = 0;

	if (!vmas || !names) {
		ret = vmatlas_fail(ENOMEM, "%s", strerror(ENOMEM));
		goto out;
	}
	do {
		memset(&req, 0, sizeof(req));
		req.size = sizeof(req);
		req.flags = residency ? VMATLAS_VMAS_RESIDENCY : 0;
		req.pid = pid;
		req.count = VMATLAS_VMAS_ENTRIES;
		req.start = start;
		req.vmas_ptr = (unsigned long)vmas;
		req.names_ptr = (unsigned long)names;
		req.names_size = VMATLAS_NAMES_SIZE;
		req.entry_size = sizeof(*vmas);
		if (vmatlas_ioctl(fd, VMATLAS_IOC_VMAS, &req) < 0) {
			ret = vmatlas_fail_pid(errno, pid);
			goto out;
		}
		if (req.count > VMATLAS_VMAS_ENTRIES || (req.next && req.next <= start) ||
		    (req.next && !req.count)) {
			ret = vmatlas_fail(EPROTO, "VMAS: malformed reply from the module");
			goto out;
		}
		for (i = 0; i < req.count && !ret; i++) {
			unsigned int off = vmas[i].name_off;

			ret = fn(&vmas[i], off < VMATLAS_NAMES_SIZE ? names + off : NULL, priv);
		}
		start = req.next;
	} while (start && !ret);
out:
	free(names);
	free(vmas);
	return ret;
}

/**
 * vmatlas_walk() - issue WALK: translate one address of @pid
 * @fd: from vmatlas_open()
 * @pid: the process
 * @addr: the address
 * @out: filled in
 *
 * Return: 0 or a negative errno.
 */
int vmatlas_walk(int fd, int pid, unsigned long long addr, struct vmatlas_walk *out)
{
	int err;

	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	out->pid = pid;
	out->addr = addr;
	if (vmatlas_ioctl(fd, VMATLAS_IOC_WALK, out) >= 0)
		return 0;

	err = errno;
	if (err == EINVAL)
		return vmatlas_fail(err, "0x%llx: not a user address of pid %d", addr, pid);
	if (err == ENOMEM)
		return vmatlas_fail(err, "0x%llx: not mapped in pid %d (no VMA)", addr, pid);
	return vmatlas_fail_pid(err, pid);
}

/**
 * vmatlas_translate() - issue TRANSLATE: many addresses of @pid in one call
 * @fd: from vmatlas_open()
 * @pid: the process
 * @x: @n entries; each @addr is read, the rest written; an address WALK
 *	would refuse has its own @error
 * @n: entries
 * @out_flags: set to the VMATLAS_OUT_* bits of the reply
 *
 * Return: 0 or a negative errno.
 */
int vmatlas_translate(int fd, int pid, struct vmatlas_xlat *x, unsigned int n,
		      unsigned int *out_flags)
{
	struct vmatlas_translate req = {
		.size = sizeof(req),
		.pid = pid,
		.count = n,
		.xlat_ptr = (unsigned long)x,
		.entry_size = sizeof(*x),
	};

	if (vmatlas_ioctl(fd, VMATLAS_IOC_TRANSLATE, &req) < 0) {
		if (errno == ENOTTY)
			return vmatlas_fail(errno, "the module does not know TRANSLATE: update it");
		return vmatlas_fail_pid(errno, pid);
	}
	if (req.count != n)
		return vmatlas_fail(EPROTO, "TRANSLATE: malformed reply from the module");
	*out_flags = req.out_flags;
	return 0;
}

/* Runs one PTDUMP call may return. */
#define VMATLAS_PTDUMP_RUNS	512

static int vmatlas_fail_range(int err, int pid, unsigned long long start, unsigned long long end)
{
	if (err == EINVAL)
		return vmatlas_fail(err, "range 0x%llx-0x%llx: not a valid user range of pid %d",
				    start, end, pid);
	return vmatlas_fail_pid(err, pid);
}

/**
 * vmatlas_list_runs() - issue PTDUMP until [@start, @end) was seen
 * @fd: from vmatlas_open()
 * @pid: the process
 * @start: page-aligned first address
 * @end: page-aligned end, above @start
 * @flags: VMATLAS_PTDUMP_* to ask with
 * @fn: called for each run in address order; a non-zero return stops the loop
 * @priv: passed to @fn
 * @out_flags: set to the VMATLAS_OUT_* bits of the replies
 *
 * Return: 0, a negative errno, or what @fn returned if it was not 0 (then
 * vmatlas_strerror() is not changed).
 */
int vmatlas_list_runs(int fd, int pid, unsigned long long start, unsigned long long end,
		      unsigned int flags, int (*fn)(const struct vmatlas_run *run, void *priv),
		      void *priv, unsigned int *out_flags)
{
	struct vmatlas_run *runs = calloc(VMATLAS_PTDUMP_RUNS, sizeof(*runs));
	unsigned long long from = start;
	struct vmatlas_ptdump req;
	unsigned int i;
	int ret = 0;

	*out_flags = 0;
	if (!runs)
		return vmatlas_fail(ENOMEM, "%s", strerror(ENOMEM));
	do {
		memset(&req, 0, sizeof(req));
		req.size = sizeof(req);
		req.flags = flags;
		req.pid = pid;
		req.count = VMATLAS_PTDUMP_RUNS;
		req.start = from;
		req.end = end;
		req.runs_ptr = (unsigned long)runs;
		req.entry_size = sizeof(*runs);
		if (vmatlas_ioctl(fd, VMATLAS_IOC_PTDUMP, &req) < 0) {
			ret = vmatlas_fail_range(errno, pid, start, end);
			break;
		}
		if (req.count > VMATLAS_PTDUMP_RUNS || (req.next && req.next <= from)) {
			ret = vmatlas_fail(EPROTO, "PTDUMP: malformed reply from the module");
			break;
		}
		*out_flags |= req.out_flags;
		for (i = 0; i < req.count && !ret; i++)
			ret = fn(&runs[i], priv);
		from = req.next;
	} while (from && !ret);
	free(runs);
	return ret;
}

/* Explain the errors every kernel command shares. */
static int vmatlas_fail_kernel(int err)
{
	switch (err) {
	case EPERM:
		return vmatlas_fail(err,
				    "kernel addresses are refused: needs CAP_SYS_ADMIN, kptr_restrict < 2 and no lockdown=confidentiality");
	case ENOTTY:
		return vmatlas_fail(err, "the module does not know this command: update it");
	default:
		return vmatlas_fail(err, "%s", strerror(err));
	}
}

/**
 * vmatlas_layout() - issue LAYOUT: this boot's kernel memory map
 * @fd: from vmatlas_open()
 * @out: filled in
 *
 * Return: 0 or a negative errno.
 */
int vmatlas_layout(int fd, struct vmatlas_layout *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	if (vmatlas_ioctl(fd, VMATLAS_IOC_LAYOUT, out) < 0)
		return vmatlas_fail_kernel(errno);
	if (out->count > VMATLAS_MAX_REGIONS)
		return vmatlas_fail(EPROTO, "LAYOUT: malformed reply from the module");
	return 0;
}

/**
 * vmatlas_segments() - issue SEGMENTS: the GDT and the caller's segments
 * @fd: from vmatlas_open()
 * @out: filled in
 *
 * Return: 0 or a negative errno; -EOPNOTSUPP where there is no segmentation.
 */
int vmatlas_segments(int fd, struct vmatlas_segments *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	if (vmatlas_ioctl(fd, VMATLAS_IOC_SEGMENTS, out) >= 0)
		return 0;
	if (errno == EOPNOTSUPP)
		return vmatlas_fail(errno, "segments are x86's: this kernel's MMU has none");
	return vmatlas_fail_kernel(errno);
}

/**
 * vmatlas_kaddr() - issue KADDR: what one kernel address is
 * @fd: from vmatlas_open()
 * @addr: any value
 * @out: filled in
 *
 * Return: 0 or a negative errno.
 */
int vmatlas_kaddr(int fd, unsigned long long addr, struct vmatlas_kaddr *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	out->addr = addr;
	if (vmatlas_ioctl(fd, VMATLAS_IOC_KADDR, out) < 0)
		return vmatlas_fail_kernel(errno);
	return 0;
}

/**
 * vmatlas_lab() - issue LAB: allocate, describe every page, free
 * @fd: from vmatlas_open()
 * @kind: VMATLAS_LAB_*
 * @bytes: how much to allocate, 1 to VMATLAS_LAB_MAX_BYTES
 * @out: filled in; @out->count pages of @pages are described
 * @pages: room for @room pages
 * @room: entries of @pages
 *
 * Return: 0 or a negative errno.
 */
int vmatlas_lab(int fd, unsigned int kind, unsigned long long bytes, struct vmatlas_lab *out,
		struct vmatlas_lab_page *pages, unsigned int room)
{
	int err;

	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	out->kind = kind;
	out->count = room;
	out->bytes = bytes;
	out->pages_ptr = (unsigned long)pages;
	out->entry_size = sizeof(*pages);
	if (vmatlas_ioctl(fd, VMATLAS_IOC_LAB, out) >= 0) {
		if (out->count > room)
			return vmatlas_fail(EPROTO, "LAB: malformed reply from the module");
		return 0;
	}

	err = errno;
	if (err == ENOMEM)
		return vmatlas_fail(err, "the kernel could not allocate %llu bytes with %s",
				    bytes, vmatlas_lab_kind(kind));
	if (err == EINVAL)
		return vmatlas_fail(err, "lab: SIZE must be 1 to %u bytes", VMATLAS_LAB_MAX_BYTES);
	return vmatlas_fail_kernel(err);
}

/*
 * @array, which has room for *@room elements of @size bytes and uses @used,
 * with room for @more more: reallocated, doubling, when needed.
 * Return: the array, or NULL if out of memory (then @array is unchanged).
 */
static void *vmatlas_grow(void *array, size_t *room, size_t used, size_t more, size_t size)
{
	size_t want = *room ? *room : 64;

	while (want - used < more) {
		if (want > (size_t)-1 / 2 / size)
			return NULL;
		want *= 2;
	}
	if (want == *room)
		return array;
	array = realloc(array, want * size);
	if (array)
		*room = want;
	return array;
}

static int vmatlas_add_vma(const struct vmatlas_vma *vma, const char *name, void *priv)
{
	struct vmatlas_vma_list *list = priv;
	size_t len = name ? strlen(name) + 1 : 0;
	struct vmatlas_vma *vmas, *copy;
	char *names;

	vmas = vmatlas_grow(list->vmas, &list->room, list->count, 1, sizeof(*vma));
	if (!vmas)
		return vmatlas_fail(ENOMEM, "%s", strerror(ENOMEM));
	list->vmas = vmas;
	if (name) {
		names = vmatlas_grow(list->names, &list->names_room, list->names_len, len, 1);
		if (!names)
			return vmatlas_fail(ENOMEM, "%s", strerror(ENOMEM));
		list->names = names;
		/* name_off is 32 bits wide, and VMATLAS_NO_NAME is not an offset. */
		if (list->names_len + len >= VMATLAS_NO_NAME)
			return vmatlas_fail(ENOMEM, "%s", strerror(ENOMEM));
	}
	copy = &list->vmas[list->count++];
	*copy = *vma;
	copy->name_off = VMATLAS_NO_NAME;
	if (name) {
		memcpy(list->names + list->names_len, name, len);
		copy->name_off = list->names_len;
		list->names_len += len;
	}
	if (list->progress)
		list->progress(vma->end, list->count, list->progress_priv);
	return 0;
}

/**
 * vmatlas_read_vmas() - gather every VMA of @pid, as vmatlas_list_vmas() sees them
 * @fd: from vmatlas_open()
 * @pid: the process
 * @residency: also count what the page tables of each VMA map
 * @list: zeroed, or filled before; the VMAs are appended
 *
 * Return: 0 or a negative errno. Free @list with vmatlas_vma_list_free() in either case.
 */
int vmatlas_read_vmas(int fd, int pid, bool residency, struct vmatlas_vma_list *list)
{
	return vmatlas_list_vmas(fd, pid, residency, vmatlas_add_vma, list);
}

/**
 * vmatlas_vma_name() - the name of VMA @i of @list
 * @list: from vmatlas_read_vmas()
 * @i: below @list->count
 *
 * Return: the name, or NULL if the VMA has none.
 */
const char *vmatlas_vma_name(const struct vmatlas_vma_list *list, size_t i)
{
	__u32 off = list->vmas[i].name_off;

	return off == VMATLAS_NO_NAME ? NULL : list->names + off;
}

/**
 * vmatlas_vma_list_free() - release what vmatlas_read_vmas() gathered
 * @list: emptied
 */
void vmatlas_vma_list_free(struct vmatlas_vma_list *list)
{
	free(list->vmas);
	free(list->names);
	memset(list, 0, sizeof(*list));
}

static int vmatlas_add_run(const struct vmatlas_run *run, void *priv)
{
	struct vmatlas_run_list *list = priv;
	struct vmatlas_run *runs;

	runs = vmatlas_grow(list->runs, &list->room, list->count, 1, sizeof(*run));
	if (!runs)
		return vmatlas_fail(ENOMEM, "%s", strerror(ENOMEM));
	list->runs = runs;
	list->runs[list->count++] = *run;
	if (list->progress)
		list->progress(run->end, list->count, list->progress_priv);
	return 0;
}

/**
 * vmatlas_read_runs() - gather the runs of [@start, @end) of @pid
 * @fd: from vmatlas_open()
 * @pid: the process
 * @start: page-aligned first address
 * @end: page-aligned end, above @start
 * @list: zeroed but for @list->flags; the runs are appended and @list->out_flags set
 *
 * Return: 0 or a negative errno. Free @list with vmatlas_run_list_free() in either case.
 */
int vmatlas_read_runs(int fd, int pid, unsigned long long start, unsigned long long end,
		      struct vmatlas_run_list *list)
{
	return vmatlas_list_runs(fd, pid, start, end, list->flags, vmatlas_add_run, list,
				 &list->out_flags);
}

/**
 * vmatlas_run_sharing() - whether a run's pages are mapped once or more
 * @run: a run read with VMATLAS_PTDUMP_SHARING
 *
 * Return: VMATLAS_RUN_PRIVATE, VMATLAS_RUN_SHARED, or 0: not known, or both
 * bits, which no module sets.
 */
unsigned int vmatlas_run_sharing(const struct vmatlas_run *run)
{
	unsigned int flags = run->page_flags & (VMATLAS_RUN_PRIVATE | VMATLAS_RUN_SHARED);

	return flags == (VMATLAS_RUN_PRIVATE | VMATLAS_RUN_SHARED) ? 0 : flags;
}

/**
 * vmatlas_run_list_free() - release what vmatlas_read_runs() gathered
 * @list: emptied
 */
void vmatlas_run_list_free(struct vmatlas_run_list *list)
{
	free(list->runs);
	memset(list, 0, sizeof(*list));
}
