// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/vmatlas: the stable binary interface. This file is the only one that
 * touches user memory. Each command reads its request with
 * copy_struct_from_user(), asks a core function to fill a kernel struct, and
 * copies the result out once no lock is held any more.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "arch.h"
#include "vmatlas.h"

/* A struct grows only at its end, and each size it had stays published. */
static_assert(sizeof(struct vmatlas_info) == VMATLAS_INFO_SIZE_VER1);
static_assert(sizeof(struct vmatlas_vmas) == VMATLAS_VMAS_SIZE_VER0);
static_assert(sizeof(struct vmatlas_walk) == VMATLAS_WALK_SIZE_VER1);
static_assert(sizeof(struct vmatlas_ptdump) == VMATLAS_PTDUMP_SIZE_VER0);
static_assert(sizeof(struct vmatlas_translate) == VMATLAS_TRANSLATE_SIZE_VER0);
static_assert(sizeof(struct vmatlas_layout) == VMATLAS_LAYOUT_SIZE_VER1);
static_assert(sizeof(struct vmatlas_kaddr) == VMATLAS_KADDR_SIZE_VER1);
static_assert(sizeof(struct vmatlas_lab) == VMATLAS_LAB_SIZE_VER0);
static_assert(sizeof(struct vmatlas_segments) == VMATLAS_SEGMENTS_SIZE_VER0);

/*
 * Read a request that starts with its own __u32 size. Sizes below the first
 * published layout are -EINVAL; larger ones are accepted if the bytes this
 * module does not know are zero (-E2BIG otherwise), as for openat2(2) and
 * clone3(2). Returns the caller's size or a negative errno.
 */
static int vmatlas_read_request(void *req, size_t ksize, size_t min_size,
				const void __user *uarg)
{
	u32 usize;
	int ret;

	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize < min_size)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	ret = copy_struct_from_user(req, ksize, uarg, usize);
	if (ret)
		return ret;
	return usize;
}

/*
 * Copy a reply back into a request buffer of @usize bytes: as much as both
 * sides know, with the size field saying how much that was.
 */
static int vmatlas_write_reply(void __user *uarg, void *reply, size_t ksize,
			       u32 usize)
{
	u32 len = min_t(u32, usize, ksize);

	*(u32 *)reply = len;
	if (copy_to_user(uarg, reply, len))
		return -EFAULT;
	return 0;
}

static long vmatlas_ioctl_info(struct file *file, void __user *uarg)
{
	struct vmatlas_info info = {};
	int usize;

	usize = vmatlas_read_request(&info, sizeof(info),
				     VMATLAS_INFO_SIZE_VER0, uarg);
	if (usize < 0)
		return usize;
	if (info.flags || info.reserved)
		return -EINVAL;

	vmatlas_info_fill(&info, file);
	return vmatlas_write_reply(uarg, &info, sizeof(info), usize);
}

/* An array entry size a caller may give: at least the first published one. */
static bool vmatlas_entry_size_ok(u32 usize, size_t ksize)
{
	return usize >= ksize && usize <= PAGE_SIZE;
}

/*
 * Copy @n entries of @ksize bytes to a user array of @usize-byte entries:
 * an older caller gets the fields it knows, a newer one zeroes beyond ours.
 */
static int vmatlas_copy_entries(u64 uptr, u32 usize, const void *kbuf,
				size_t ksize, unsigned int n)
{
	unsigned int i;

	if (usize == ksize) {
		if (copy_to_user(u64_to_user_ptr(uptr), kbuf, n * ksize))
			return -EFAULT;
		return 0;
	}
	for (i = 0; i < n; i++) {
		void __user *dst = u64_to_user_ptr(uptr + (u64)i * usize);

		if (copy_to_user(dst, kbuf + i * ksize,
				 min_t(size_t, usize, ksize)))
			return -EFAULT;
		if (usize > ksize && clear_user(dst + ksize, usize - ksize))
			return -EFAULT;
	}
	return 0;
}

static long vmatlas_ioctl_vmas(struct file *file, void __user *uarg)
{
	struct vmatlas_vmas_batch batch = {};
	struct vmatlas_vmas req = {};
	struct vmatlas_target t;
	int usize, ret;

	usize = vmatlas_read_request(&req, sizeof(req), VMATLAS_VMAS_SIZE_VER0,
				     uarg);
	if (usize < 0)
		return usize;
	if ((req.flags & ~VMATLAS_VMAS_RESIDENCY) || req.reserved ||
	    !req.count ||
	    !vmatlas_entry_size_ok(req.entry_size, sizeof(struct vmatlas_vma)))
		return -EINVAL;

	ret = vmatlas_vmas_batch_alloc(&batch, req.count,
				       req.names_ptr ? req.names_size : 0);
	if (ret)
		return ret;

	ret = vmatlas_target_get(&t, file, req.pid);
	if (ret)
		goto out_free;
	ret = vmatlas_vmas_collect(&t, req.start,
				   req.flags & VMATLAS_VMAS_RESIDENCY, &batch);
	vmatlas_target_put(&t);
	if (ret)
		goto out_free;

	ret = vmatlas_copy_entries(req.vmas_ptr, req.entry_size, batch.vmas,
				   sizeof(*batch.vmas), batch.count);
	if (ret)
		goto out_free;
	if (batch.names_used && copy_to_user(u64_to_user_ptr(req.names_ptr),
					     batch.names, batch.names_used)) {
		ret = -EFAULT;
		goto out_free;
	}
	req.count = batch.count;
	req.next = batch.next;
	req.names_size = batch.names_used;
	req.out_flags = 0;
	ret = vmatlas_write_reply(uarg, &req, sizeof(req), usize);
out_free:
	vmatlas_vmas_batch_free(&batch);
	return ret;
}

static long vmatlas_ioctl_walk(struct file *file, void __user *uarg)
{
	struct vmatlas_walk req = {}, out = {};
	struct vmatlas_target t;
	int usize, ret;

	usize = vmatlas_read_request(&req, sizeof(req), VMATLAS_WALK_SIZE_VER0,
				     uarg);
	if (usize < 0)
		return usize;
	if (req.flags || req.reserved)
		return -EINVAL;

	ret = vmatlas_target_get(&t, file, req.pid);
	if (ret)
		return ret;
	out.pid = req.pid;
	out.addr = req.addr;
	ret = -EINVAL;
	if (req.addr == (unsigned long)req.addr)
		ret = vmatlas_translate(&t, req.addr, &out);
	vmatlas_target_put(&t);
	if (ret)
		return ret;
	return vmatlas_write_reply(uarg, &out, sizeof(out), usize);
}

/*
 * TRANSLATE: chunk by chunk, the addresses are read in, translated under the
 * lock and written back with no lock held; a fatal signal ends the call.
 */
static long vmatlas_ioctl_translate(struct file *file, void __user *uarg)
{
	struct vmatlas_translate req = {};
	struct vmatlas_xlat *x;
	struct vmatlas_target t;
	unsigned int done, n, i;
	int usize, ret;

	usize = vmatlas_read_request(&req, sizeof(req),
				     VMATLAS_TRANSLATE_SIZE_VER0, uarg);
	if (usize < 0)
		return usize;
	if (req.flags || !req.count ||
	    !vmatlas_entry_size_ok(req.entry_size, sizeof(struct vmatlas_xlat)))
		return -EINVAL;

	/* One chunk's worth, or what a short request needs. */
	x = kcalloc(min_t(u32, req.count, VMATLAS_XLAT_BATCH), sizeof(*x),
		    GFP_KERNEL | __GFP_NOWARN);
	if (!x)
		return -ENOMEM;
	ret = vmatlas_target_get(&t, file, req.pid);
	if (ret)
		goto out_free;
	for (done = 0; done < req.count; done += n) {
		u64 uptr = req.xlat_ptr + (u64)done * req.entry_size;

		n = min_t(u32, req.count - done, VMATLAS_XLAT_BATCH);
		for (i = 0; i < n; i++) {
			u64 __user *addr =
				u64_to_user_ptr(uptr + (u64)i * req.entry_size);

			if (get_user(x[i].addr, addr)) {
				ret = -EFAULT;
				break;
			}
		}
		if (!ret) {
			ret = vmatlas_translate_batch(&t, x, n);
			n = ret < 0 ? 0 : ret;
			ret = min(ret, 0);
		}
		if (!ret)
			ret = vmatlas_copy_entries(uptr, req.entry_size, x,
						   sizeof(*x), n);
		if (!ret && fatal_signal_pending(current))
			ret = -EINTR;
		if (ret)
			break;
		cond_resched();
	}
	req.out_flags = t.show_phys ? 0 : VMATLAS_OUT_PHYS_HIDDEN;
	if (!t.show_tables)
		req.out_flags |= VMATLAS_OUT_TABLES_HIDDEN;
	vmatlas_target_put(&t);
	if (!ret) {
		req.count = done;
		ret = vmatlas_write_reply(uarg, &req, sizeof(req), usize);
	}
out_free:
	kfree(x);
	return ret;
}

static long vmatlas_ioctl_ptdump(struct file *file, void __user *uarg)
{
	struct vmatlas_ptdump req = {};
	struct vmatlas_run *runs = NULL;
	struct vmatlas_target t;
	unsigned long next;
	unsigned int count;
	int usize, ret;

	usize = vmatlas_read_request(&req, sizeof(req),
				     VMATLAS_PTDUMP_SIZE_VER0, uarg);
	if (usize < 0)
		return usize;
	if ((req.flags & ~VMATLAS_PTDUMP_SHARING) || !req.count ||
	    !vmatlas_entry_size_ok(req.entry_size, sizeof(struct vmatlas_run)))
		return -EINVAL;

	ret = vmatlas_target_get(&t, file, req.pid);
	if (ret)
		return ret;
	count = min_t(u32, req.count, VMATLAS_RUNS_BATCH);
	runs = kvcalloc(count, sizeof(*runs), GFP_KERNEL | __GFP_NOWARN);
	if (!runs) {
		ret = -ENOMEM;
		goto out_put;
	}
	ret = vmatlas_ptdump_collect(&t, req.start, req.end, req.flags, runs,
				     count, &count, &next);
	req.out_flags = t.show_phys ? 0 : VMATLAS_OUT_PHYS_HIDDEN;
out_put:
	vmatlas_target_put(&t);
	if (ret)
		goto out_free;

	ret = vmatlas_copy_entries(req.runs_ptr, req.entry_size, runs,
				   sizeof(*runs), count);
	if (!ret) {
		req.count = count;
		req.next = next;
		ret = vmatlas_write_reply(uarg, &req, sizeof(req), usize);
	}
out_free:
	kvfree(runs);
	return ret;
}

/* What every request starts with. */
struct vmatlas_request_head {
	u32 size;
	u32 flags;
};

/*
 * A kernel command's request of @ksize bytes (the first published had
 * @min_size) in a new zeroed buffer: read, its flags 0, and the caller
 * allowed kernel addresses. The buffer, to kfree(), with *@usize the
 * caller's size; or an ERR_PTR.
 */
static void *vmatlas_kernel_request(struct file *file, const void __user *uarg,
				    size_t ksize, size_t min_size, int *usize)
{
	struct vmatlas_request_head *head = kzalloc(ksize, GFP_KERNEL);
	int err;

	if (!head)
		return ERR_PTR(-ENOMEM);
	*usize = vmatlas_read_request(head, ksize, min_size, uarg);
	err = *usize;
	if (err >= 0 && head->flags)
		err = -EINVAL;
	else if (err >= 0 && !vmatlas_may_see_kernel(file))
		err = -EPERM;
	if (err < 0) {
		kfree(head);
		return ERR_PTR(err);
	}
	return head;
}

static long vmatlas_ioctl_layout(struct file *file, void __user *uarg)
{
	struct vmatlas_layout *req;
	int usize;
	long ret;

	req = vmatlas_kernel_request(file, uarg, sizeof(*req),
				     VMATLAS_LAYOUT_SIZE_VER0, &usize);
	if (IS_ERR(req))
		return PTR_ERR(req);
	vmatlas_layout_get(req);
	vmatlas_arch_mmu_regs(&req->mmu_control, &req->table_base_user,
			      &req->table_base_kernel);
	req->out_flags |= VMATLAS_LAYOUT_MMU;
	/* Physical addresses of page tables: as WALK's levels[].table. */
	if (!vmatlas_privileged(file)) {
		req->table_base_user = 0;
		req->table_base_kernel = 0;
		req->out_flags |= VMATLAS_LAYOUT_TABLES_HIDDEN;
	}
	ret = vmatlas_write_reply(uarg, req, sizeof(*req), usize);
	kfree(req);
	return ret;
}

static long vmatlas_ioctl_kaddr(struct file *file, void __user *uarg)
{
	struct vmatlas_kaddr req = {}, out = {};
	int usize;

	usize = vmatlas_read_request(&req, sizeof(req), VMATLAS_KADDR_SIZE_VER0,
				     uarg);
	if (usize < 0)
		return usize;
	if (req.flags || req.reserved)
		return -EINVAL;
	if (!vmatlas_may_see_kernel(file))
		return -EPERM;
	out.addr = req.addr;
	vmatlas_kaddr(req.addr, &out);
	return vmatlas_write_reply(uarg, &out, sizeof(out), usize);
}

static long vmatlas_ioctl_lab(struct file *file, void __user *uarg)
{
	struct vmatlas_lab_page *pages;
	struct vmatlas_lab req = {};
	int usize, ret;

	usize = vmatlas_read_request(&req, sizeof(req), VMATLAS_LAB_SIZE_VER0,
				     uarg);
	if (usize < 0)
		return usize;
	if (req.flags || !req.count ||
	    !vmatlas_entry_size_ok(req.entry_size,
				   sizeof(struct vmatlas_lab_page)))
		return -EINVAL;
	if (!vmatlas_may_see_kernel(file))
		return -EPERM;

	pages = kvcalloc(VMATLAS_LAB_MAX_PAGES, sizeof(*pages),
			 GFP_KERNEL | __GFP_NOWARN);
	if (!pages)
		return -ENOMEM;
	req.out_flags = 0;
	ret = vmatlas_lab(&req, pages);
	if (ret)
		goto out_free;
	req.count = min(req.count, req.npages);
	ret = vmatlas_copy_entries(req.pages_ptr, req.entry_size, pages,
				   sizeof(*pages), req.count);
	if (!ret)
		ret = vmatlas_write_reply(uarg, &req, sizeof(req), usize);
out_free:
	kvfree(pages);
	return ret;
}

static long vmatlas_ioctl_segments(struct file *file, void __user *uarg)
{
	struct vmatlas_segments *req;
	int usize;
	long ret;

	/* The GDT's address and its TSS's base are kernel addresses. */
	req = vmatlas_kernel_request(file, uarg, sizeof(*req),
				     VMATLAS_SEGMENTS_SIZE_VER0, &usize);
	if (IS_ERR(req))
		return PTR_ERR(req);
	/* Nothing the caller wrote is handed back but @size. */
	*req = (struct vmatlas_segments){ .size = req->size };
	ret = vmatlas_arch_segments(req);
	if (!ret)
		ret = vmatlas_write_reply(uarg, req, sizeof(*req), usize);
	kfree(req);
	return ret;
}

/*
 * Dispatch on type and number, not on the whole command: the size _IOWR()
 * encodes would change whenever a struct grows, while the size field in the
 * struct itself already tells which version the caller speaks.
 */
static long vmatlas_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	if (_IOC_TYPE(cmd) != VMATLAS_IOCTL_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;

	switch (_IOC_NR(cmd)) {
	case _IOC_NR(VMATLAS_IOC_INFO):
		return vmatlas_ioctl_info(file, uarg);
	case _IOC_NR(VMATLAS_IOC_VMAS):
		return vmatlas_ioctl_vmas(file, uarg);
	case _IOC_NR(VMATLAS_IOC_WALK):
		return vmatlas_ioctl_walk(file, uarg);
	case _IOC_NR(VMATLAS_IOC_PTDUMP):
		return vmatlas_ioctl_ptdump(file, uarg);
	case _IOC_NR(VMATLAS_IOC_LAYOUT):
		return vmatlas_ioctl_layout(file, uarg);
	case _IOC_NR(VMATLAS_IOC_KADDR):
		return vmatlas_ioctl_kaddr(file, uarg);
	case _IOC_NR(VMATLAS_IOC_LAB):
		return vmatlas_ioctl_lab(file, uarg);
	case _IOC_NR(VMATLAS_IOC_TRANSLATE):
		return vmatlas_ioctl_translate(file, uarg);
	case _IOC_NR(VMATLAS_IOC_SEGMENTS):
		return vmatlas_ioctl_segments(file, uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations vmatlas_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = vmatlas_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice vmatlas_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = VMATLAS_DEVICE_NAME,
	.fops = &vmatlas_fops,
	.mode = 0600,
};

/**
 * vmatlas_chardev_init() - register /dev/vmatlas
 *
 * Return: 0 or a negative errno from misc_register().
 */
int vmatlas_chardev_init(void)
{
	return misc_register(&vmatlas_miscdev);
}

/**
 * vmatlas_chardev_exit() - unregister /dev/vmatlas
 */
void vmatlas_chardev_exit(void)
{
	misc_deregister(&vmatlas_miscdev);
}
