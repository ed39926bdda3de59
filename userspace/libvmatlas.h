/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvmatlas: the char device, wrapped. Every function returns 0 or a
 * negative errno and leaves a one-line explanation in vmatlas_strerror().
 */
#ifndef _LIBVMATLAS_H
#define _LIBVMATLAS_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/vmatlas.h>

#define VMATLAS_DEVICE_PATH	"/dev/" VMATLAS_DEVICE_NAME

int vmatlas_open(void);
void vmatlas_close(int fd);
int vmatlas_get_info(int fd, struct vmatlas_info *info);
const char *vmatlas_strerror(void);

/*
 * The process commands. Each callback sees one entry; a non-zero return stops
 * the loop and is returned as it is.
 */
int vmatlas_list_vmas(int fd, int pid, bool residency,
		      int (*fn)(const struct vmatlas_vma *vma, const char *name, void *priv),
		      void *priv);
int vmatlas_walk(int fd, int pid, unsigned long long addr, struct vmatlas_walk *out);
int vmatlas_translate(int fd, int pid, struct vmatlas_xlat *x, unsigned int n,
		      unsigned int *out_flags);
int vmatlas_list_runs(int fd, int pid, unsigned long long start, unsigned long long end,
		      unsigned int flags, int (*fn)(const struct vmatlas_run *run, void *priv),
		      void *priv, unsigned int *out_flags);

/*
 * The kernel commands: they need CAP_SYS_ADMIN, kptr_restrict < 2 and no
 * lockdown=confidentiality (else -EPERM).
 */
int vmatlas_layout(int fd, struct vmatlas_layout *out);
/* x86 segmentation as the caller runs; -EOPNOTSUPP elsewhere. */
int vmatlas_segments(int fd, struct vmatlas_segments *out);
int vmatlas_kaddr(int fd, unsigned long long addr, struct vmatlas_kaddr *out);
int vmatlas_lab(int fd, unsigned int kind, unsigned long long bytes, struct vmatlas_lab *out,
		struct vmatlas_lab_page *pages, unsigned int room);
/* A LAB kind's name ("kmalloc", ...), or NULL. */
const char *vmatlas_lab_kind(unsigned int kind);

/*
 * Every VMA of a process, gathered before anything is printed. @names holds
 * the names, each NUL-terminated; a VMA's name_off is its offset there, or
 * VMATLAS_NO_NAME. Start from a zeroed list.
 */
struct vmatlas_vma_list {
	struct vmatlas_vma *vmas;
	size_t count, room;
	char *names;
	size_t names_len, names_room;
	/* If set: called with the end of each VMA gathered and the count so far. */
	void (*progress)(unsigned long long at, size_t count, void *priv);
	void *progress_priv;
};

int vmatlas_read_vmas(int fd, int pid, bool residency, struct vmatlas_vma_list *list);
const char *vmatlas_vma_name(const struct vmatlas_vma_list *list, size_t i);
void vmatlas_vma_list_free(struct vmatlas_vma_list *list);

/*
 * Every run of a range, gathered, asked with @flags (VMATLAS_PTDUMP_*);
 * @out_flags: the VMATLAS_OUT_* bits of the replies.
 */
struct vmatlas_run_list {
	struct vmatlas_run *runs;
	size_t count, room;
	unsigned int flags, out_flags;
	/* If set: called with the end of each run gathered and the count so far. */
	void (*progress)(unsigned long long at, size_t count, void *priv);
	void *progress_priv;
};

int vmatlas_read_runs(int fd, int pid, unsigned long long start, unsigned long long end,
		      struct vmatlas_run_list *list);
void vmatlas_run_list_free(struct vmatlas_run_list *list);

/*
 * Whether @run's pages are mapped once or more (with VMATLAS_PTDUMP_SHARING),
 * of the bits this tool knows: VMATLAS_RUN_PRIVATE, VMATLAS_RUN_SHARED, or 0.
 */
unsigned int vmatlas_run_sharing(const struct vmatlas_run *run);

#endif /* _LIBVMATLAS_H */
