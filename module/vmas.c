// SPDX-License-Identifier: GPL-2.0
/*
 * VMAS: a process's VMAs in address order, with their names and, if asked,
 * their residency, gathered in batches of fixed size, each VMA under its own
 * lock or under the mmap lock (cursor.c). The transports copy a batch out
 * once every lock is let go of and come back for the next one from where it
 * stopped.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "trace.h"
#include "vmatlas.h"

/* Append a name to the batch's names; false if it does not fit. */
static bool batch_add_name(struct vmatlas_vmas_batch *b, struct vmatlas_vma *v,
			   const char *name)
{
	size_t len;

	if (!name || !b->names)
		return true;
	len = strlen(name) + 1;
	if (b->names_used + len > b->names_size)
		return false;
	memcpy(b->names + b->names_used, name, len);
	v->name_off = b->names_used;
	b->names_used += len;
	return true;
}

/**
 * vmatlas_vmas_batch_alloc() - buffers for one batch of VMAS
 * @b: zeroed by the caller
 * @max: entries wanted, capped at VMATLAS_VMAS_BATCH
 * @names_size: bytes for names wanted (0: no names), capped at VMATLAS_NAMES_BATCH
 *
 * Fixed upper bounds: what a caller asks for never grows the module's memory.
 * A failure is the caller's -ENOMEM, not a warning in the log.
 *
 * Return: 0 or -ENOMEM (then nothing is left to free).
 */
int vmatlas_vmas_batch_alloc(struct vmatlas_vmas_batch *b, u32 max,
			     u32 names_size)
{
	b->max = min_t(u32, max, VMATLAS_VMAS_BATCH);
	b->names_size = min_t(u32, names_size, VMATLAS_NAMES_BATCH);
	b->vmas = kvcalloc(b->max, sizeof(*b->vmas), GFP_KERNEL | __GFP_NOWARN);
	b->path = kmalloc(PATH_MAX, GFP_KERNEL);
	if (b->names_size)
		b->names = kvmalloc(b->names_size, GFP_KERNEL | __GFP_NOWARN);
	if (!b->vmas || !b->path || (b->names_size && !b->names)) {
		vmatlas_vmas_batch_free(b);
		return -ENOMEM;
	}
	return 0;
}

/**
 * vmatlas_vmas_batch_free() - release what vmatlas_vmas_batch_alloc() took
 * @b: the batch
 */
void vmatlas_vmas_batch_free(struct vmatlas_vmas_batch *b)
{
	kvfree(b->names);
	kfree(b->path);
	kvfree(b->vmas);
	b->names = NULL;
	b->path = NULL;
	b->vmas = NULL;
}

/**
 * vmatlas_vmas_collect() - gather the VMAs that end above @start
 * @t: the target
 * @start: resume address
 * @residency: also walk each VMA's page tables
 * @b: the batch; @count, @names_used and @next are set
 *
 * Locking: each VMA under its own read lock where the kernel lets a module
 * take one, else under the target's mmap read lock, which a long residency
 * walk drops between chunks (vmatlas_residency()) and which ends the batch
 * short when a writer waits for it (cursor.c).
 *
 * Return: 0 or a negative errno: -ERANGE if the first name does not fit in
 * the names buffer, -EINTR, -EAGAIN.
 */
int vmatlas_vmas_collect(struct vmatlas_target *t, unsigned long start,
			 bool residency, struct vmatlas_vmas_batch *b)
{
	struct vmatlas_cursor c;
	struct vm_area_struct *vma;
	int ret;

	b->count = 0;
	b->names_used = 0;
	b->next = 0;
	ret = vmatlas_cursor_begin(&c, t, start);
	if (ret)
		return ret;

	for (;;) {
		struct vmatlas_vma *v = &b->vmas[b->count];

		vma = vmatlas_cursor_next(&c, ULONG_MAX);
		if (IS_ERR_OR_NULL(vma)) {
			ret = PTR_ERR_OR_ZERO(vma);
			break;
		}
		/*
		 * A batch that ends before this VMA resumes at c.from, not at
		 * its start: with VMA locks the one before may have grown into
		 * it meanwhile, and the next batch must not start below the
		 * end of this one (it starts with this VMA all the same).
		 */
		if (b->count == b->max) {
			b->next = c.from;
			break;
		}
		/* It grew over the one before meanwhile: the next batch starts with it. */
		if (b->count && vma->vm_start < c.from) {
			b->next = c.from;
			break;
		}
		memset(v, 0, sizeof(*v));
		vmatlas_vma_fill(vma, v);
		if (!batch_add_name(b, v,
				    vmatlas_vma_name(vma, b->path, PATH_MAX))) {
			if (!b->count)
				ret = -ERANGE;
			else
				b->next = c.from;
			break;
		}
		if (residency) {
			unsigned long from = c.from;

			ret = vmatlas_residency(&c, &v->res);
			if (ret == -EAGAIN && b->count) {
				/* It changed under us: the next batch starts with it. */
				b->next = from;
				ret = 0;
				break;
			}
			if (ret)
				break;
		}
		b->count++;
		if (vmatlas_cursor_contended(&c)) {
			b->next = v->end;
			break;
		}
	}
	vmatlas_cursor_end(&c);
	trace_vmatlas_vmas(t->pid, start, residency, b->count, b->next, ret);
	return ret;
}
