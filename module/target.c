// SPDX-License-Identifier: GPL-2.0
/*
 * From a PID to an mm with a reference, and the mmap lock around a request.
 * The task reference is dropped as soon as the mm is held: what vmatlas
 * inspects is the address space, which get_task_mm() keeps alive (page
 * tables included) even if the process exits or execs meanwhile.
 */
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

#include "vmatlas.h"

/**
 * vmatlas_target_get() - find a process's address space and check access
 * @t: filled in on success; release with vmatlas_target_put()
 * @file: the file the request came through, for the access policy
 * @pid: the process, in the caller's PID namespace
 *
 * Return: 0, -EINVAL for pid <= 0, -ESRCH if there is no such process or it
 * has no user address space (kernel thread, exiting), -EPERM for another
 * process's address space without CAP_SYS_ADMIN.
 */
int vmatlas_target_get(struct vmatlas_target *t, const struct file *file,
		       s32 pid)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *p;

	if (pid <= 0)
		return -EINVAL;
	p = find_get_pid(pid);
	if (!p)
		return -ESRCH;
	task = get_pid_task(p, PIDTYPE_PID);
	put_pid(p);
	if (!task)
		return -ESRCH;
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm)
		return -ESRCH;

	/*
	 * The view every collector and transport obeys, decided here once
	 * per request: frames as pagemap's show_pfn, page-table addresses
	 * as kernel addresses (kptr_restrict, lockdown) on top of that.
	 */
	t->show_phys = vmatlas_privileged(file);
	if (mm != current->mm && !t->show_phys) {
		mmput(mm);
		return -EPERM;
	}
	t->mm = mm;
	t->pid = pid;
	t->show_tables = t->show_phys && vmatlas_kernel_addrs_shown();
	return 0;
}

/**
 * vmatlas_target_put() - drop the reference vmatlas_target_get() took
 * @t: the target
 */
void vmatlas_target_put(struct vmatlas_target *t)
{
	mmput(t->mm);
	t->mm = NULL;
}

/**
 * vmatlas_target_lock() - take the target's mmap lock for reading
 * @t: the target
 *
 * Return: 0, or -EINTR if a fatal signal arrived while waiting.
 */
int vmatlas_target_lock(struct vmatlas_target *t)
{
	return mmap_read_lock_killable(t->mm) ? -EINTR : 0;
}

/**
 * vmatlas_target_unlock() - release the lock vmatlas_target_lock() took
 * @t: the target
 */
void vmatlas_target_unlock(struct vmatlas_target *t)
{
	mmap_read_unlock(t->mm);
}

/**
 * vmatlas_target_contended() - should a batch end here and let others in?
 * @t: the target, whose mmap lock the caller holds for reading
 *
 * A walk drops the lock between chunks of one VMA (vmatlas_walk_vma()); a
 * batch of many small VMAs or addresses has no such chunks, so it asks this
 * between two of them and, when a writer waits for the lock (mmap, munmap,
 * mprotect of the target) or the CPU is wanted, ends short: the caller comes
 * back for the rest with the lock released in between.
 *
 * Return: true if the batch should end now.
 */
bool vmatlas_target_contended(struct vmatlas_target *t)
{
	return mmap_lock_is_contended(t->mm) || need_resched();
}

/**
 * vmatlas_target_check_range() - is [@start, @end) a user range of the target?
 * @t: the target
 * @start: first address
 * @end: end
 *
 * During execve() the new mm is installed before setup_new_exec() gives it
 * a TASK_SIZE: until then no range is valid yet, which is not the caller's
 * mistake.
 *
 * Return: 0; -EAGAIN if the target is in the middle of an execve(), when no
 * range is valid; -EINVAL if the range is empty, wraps, is not page aligned
 * or reaches above the user address space.
 */
int vmatlas_target_check_range(struct vmatlas_target *t, u64 start, u64 end)
{
	unsigned long task_size = READ_ONCE(t->mm->task_size);

	if (!task_size)
		return -EAGAIN;
	if (start >= end || !PAGE_ALIGNED(start) || !PAGE_ALIGNED(end))
		return -EINVAL;
	if (end > task_size)
		return -EINVAL;
	return 0;
}
