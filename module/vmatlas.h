/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces between the files of the vmatlas module. Core functions fill
 * kernel copies of the UAPI structs; the transports (chardev.c, debugfs*.c)
 * only copy and format them.
 */
#ifndef _VMATLAS_H
#define _VMATLAS_H

#include <linux/sizes.h>
#include <linux/types.h>
#include <linux/vmatlas.h>

struct file;
struct mm_struct;
struct page;
struct vm_area_struct;

/* info.c */
void vmatlas_info_fill(struct vmatlas_info *info, const struct file *file);

/* policy.c */
bool vmatlas_privileged(const struct file *file);
bool vmatlas_may_see_kernel(const struct file *file);
bool vmatlas_kernel_addrs_shown(void);
bool vmatlas_bpf_may_read_kernel(void);

/* layout.c */
void vmatlas_layout_init(void);
void vmatlas_layout_get(struct vmatlas_layout *out);
u32 vmatlas_region_of(u64 addr);
bool vmatlas_layout_is_logical(u64 addr);

/* kaddr.c */
void vmatlas_kaddr(u64 addr, struct vmatlas_kaddr *out);

/* lab.c */
#define VMATLAS_LAB_MAX_PAGES (VMATLAS_LAB_MAX_BYTES / PAGE_SIZE)

int vmatlas_lab(struct vmatlas_lab *lab, struct vmatlas_lab_page *pages);

/* target.c: the process a request is about, with a reference on its mm. */
struct vmatlas_target {
	struct mm_struct *mm;
	pid_t pid; /* as the caller named it, for tracepoints */
	bool show_phys; /* the opener may see physical addresses, page facts */
	bool show_tables; /* ... and where the page tables are (kptr_restrict) */
};

int vmatlas_target_get(struct vmatlas_target *t, const struct file *file,
		       s32 pid);
void vmatlas_target_put(struct vmatlas_target *t);
int vmatlas_target_lock(struct vmatlas_target *t);
void vmatlas_target_unlock(struct vmatlas_target *t);
bool vmatlas_target_contended(struct vmatlas_target *t);
int vmatlas_target_check_range(struct vmatlas_target *t, u64 start, u64 end);

/* cursor.c: the VMAs of a target, one at a time, under the lightest lock. */
struct vmatlas_cursor {
	struct vmatlas_target *t;
	struct vm_area_struct *vma; /* the VMA handed out last, or NULL */
	struct vma_iterator vmi; /* under the mmap lock: stands at @next */
	bool vmi_lost; /* @vmi must be set to @next again */
	unsigned long from; /* @vma is new from here on */
	unsigned long next; /* the next VMA handed out ends above it */
	bool vma_locked; /* @vma holds its own read lock */
	bool mmap_locked; /* the cursor holds the mmap read lock */
};

int vmatlas_cursor_begin(struct vmatlas_cursor *c, struct vmatlas_target *t,
			 unsigned long addr);
struct vm_area_struct *vmatlas_cursor_next(struct vmatlas_cursor *c,
					   unsigned long end);
int vmatlas_cursor_relock(struct vmatlas_cursor *c, unsigned long addr);
bool vmatlas_cursor_contended(struct vmatlas_cursor *c);
void vmatlas_cursor_end(struct vmatlas_cursor *c);

/* walk.c */
struct vmatlas_leaf {
	/* The part of the leaf inside the walked range: [@addr, @end). */
	unsigned long addr;
	unsigned long end; /* end of that part */
	/* What the whole leaf maps: PAGE_SIZE, PMD_SIZE or PUD_SIZE. */
	unsigned long size;
	unsigned int level; /* VMATLAS_LEVEL_* */
	bool present; /* else a swap-format entry */
	u64 entry; /* raw value */
	unsigned long pfn; /* frame of @addr, if present */
	/*
	 * Where @entry was read (pte_t *, pmd_t *, pud_t *), valid during the
	 * walker's leaf callback; NULL from vmatlas_lookup_lockless().
	 */
	void *slot;
};

struct vmatlas_walker {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	/* Every present or swap-format leaf; non-zero stops the walk. */
	int (*leaf)(struct vmatlas_walker *w, const struct vmatlas_leaf *leaf);
	/* Optional: every entry read, top down, VMATLAS_LVL_* flags. */
	void (*visit)(struct vmatlas_walker *w, unsigned int level, u64 entry,
		      unsigned int index, unsigned int flags,
		      phys_addr_t table);
	unsigned long next; /* where a stopped or paused walk would go on */
	/* PMD tables and huge leaves a chunk may read before it pauses; 0: all. */
	unsigned int budget;
	/* @vma holds its own read lock, not the mmap lock (cursor.c). */
	bool vma_locked;
};

/* vmatlas_walk_range() read its budget: go on at @w->next. */
#define VMATLAS_WALK_PAUSED 2
/* vmatlas_walk_vma(): the VMA changed while it was let go of (@w->next). */
#define VMATLAS_WALK_MOVED 3
/* PMD tables (or huge leaves) a chunk reads under one hold of the lock. */
#define VMATLAS_WALK_CHUNK 64

int vmatlas_walk_range(struct vmatlas_walker *w, unsigned long start,
		       unsigned long end);
int vmatlas_walk_vma(struct vmatlas_walker *w, struct vmatlas_cursor *c,
		     unsigned long start, unsigned long end);
int vmatlas_lookup_lockless(struct mm_struct *mm, unsigned long addr,
			    struct vmatlas_leaf *leaf);

/* entry.c */
u64 vmatlas_entry_bits(u64 entry, unsigned int level, bool leaf);
u64 vmatlas_entry_hide_phys(u64 entry);
unsigned int vmatlas_swap_decode(u64 entry, unsigned int *type,
				 unsigned long *offset);
struct page *vmatlas_leaf_page(struct vm_area_struct *vma,
			       const struct vmatlas_leaf *leaf, bool *zero);
void vmatlas_page_facts(struct page *page, bool zero, struct vmatlas_page *out);
bool vmatlas_leaf_unchanged(struct mm_struct *mm,
			    const struct vmatlas_leaf *leaf);
struct folio *vmatlas_leaf_folio_get(struct mm_struct *mm,
				     const struct vmatlas_leaf *leaf,
				     struct page *page);
bool vmatlas_leaf_facts(struct mm_struct *mm, const struct vmatlas_leaf *leaf,
			struct page *page, bool zero, struct vmatlas_page *out);

/* vma.c */
u64 vmatlas_vm_flags(unsigned long vm_flags);
unsigned int vmatlas_vma_kind(struct vm_area_struct *vma);
const char *vmatlas_vma_name(struct vm_area_struct *vma, char *buf, size_t len);
void vmatlas_vma_fill(struct vm_area_struct *vma, struct vmatlas_vma *out);

/* residency.c */
int vmatlas_residency(struct vmatlas_cursor *c, struct vmatlas_residency *res);

/* vmas.c: VMAS, gathered in fixed-size batches. */
struct vmatlas_vmas_batch {
	struct vmatlas_vma *vmas; /* room for @max entries */
	unsigned int max;
	unsigned int count;
	char *names; /* @names_size bytes */
	size_t names_size;
	size_t names_used;
	char *path; /* PATH_MAX scratch */
	unsigned long next; /* 0: no VMA left */
};

/*
 * One call's bounce buffers: 128 entries of 184 bytes and 16 KiB of names,
 * about 40 KiB, whatever the caller asks for. Measured (performance.rst):
 * with 16 a call, listing 10,000 VMAs spent most of its time entering and
 * leaving the module; with 128 it needs 79 calls.
 */
#define VMATLAS_VMAS_BATCH 128
#define VMATLAS_NAMES_BATCH SZ_16K

int vmatlas_vmas_batch_alloc(struct vmatlas_vmas_batch *b, u32 max,
			     u32 names_size);
void vmatlas_vmas_batch_free(struct vmatlas_vmas_batch *b);
int vmatlas_vmas_collect(struct vmatlas_target *t, unsigned long start,
			 bool residency, struct vmatlas_vmas_batch *b);

/* translate.c: WALK */
int vmatlas_translate(struct vmatlas_target *t, unsigned long addr,
		      struct vmatlas_walk *out);

/* translate.c: TRANSLATE, entries a chunk translates under one hold of the lock */
#define VMATLAS_XLAT_BATCH 64

int vmatlas_translate_batch(struct vmatlas_target *t, struct vmatlas_xlat *x,
			    unsigned int n);

/* ptdump.c: PTDUMP, at most @max runs a call */
#define VMATLAS_RUNS_BATCH 256 /* 12 KiB */

int vmatlas_ptdump_collect(struct vmatlas_target *t, unsigned long start,
			   unsigned long end, u32 flags,
			   struct vmatlas_run *runs, unsigned int max,
			   unsigned int *count, unsigned long *next);

/* kfunc.c: BPF kfuncs, where the module has BTF */
int vmatlas_pte_get(u64 addr, u32 flags, void *pte, u32 pte__sz);
void vmatlas_kfunc_init(void);
bool vmatlas_kfunc_available(void);

/* chardev.c */
int vmatlas_chardev_init(void);
void vmatlas_chardev_exit(void);

/* debugfs.c, debugfs_proc.c */
void vmatlas_debugfs_init(void);
void vmatlas_debugfs_exit(void);
bool vmatlas_debugfs_available(void);
void vmatlas_debugfs_proc_init(struct dentry *dir);
u64 vmatlas_debugfs_addr_get(void);
void vmatlas_debugfs_kernel_init(struct dentry *dir);

#endif /* _VMATLAS_H */
