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
#include <linux/uaccess.h>

#include "vmatlas.h"

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
static int vmatlas_write_reply(void __user *uarg, void *reply, size_t ksize, u32 usize)
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

	usize = vmatlas_read_request(&info, sizeof(info), VMATLAS_INFO_SIZE_VER0, uarg);
	if (usize < 0)
		return usize;
	if (info.flags || info.reserved)
		return -EINVAL;

	vmatlas_info_fill(&info, file);
	return vmatlas_write_reply(uarg, &info, sizeof(info), usize);
}

/*
 * Dispatch on type and number, not on the whole command: the size _IOWR()
 * encodes would change whenever a struct grows, while the size field in the
 * struct itself already tells which version the caller speaks.
 */
static long vmatlas_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	if (_IOC_TYPE(cmd) != VMATLAS_IOCTL_MAGIC ||
	    _IOC_DIR(cmd) != (_IOC_READ | _IOC_WRITE))
		return -ENOTTY;

	switch (_IOC_NR(cmd)) {
	case _IOC_NR(VMATLAS_IOC_INFO):
		return vmatlas_ioctl_info(file, uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations vmatlas_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= vmatlas_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice vmatlas_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= VMATLAS_DEVICE_NAME,
	.fops	= &vmatlas_fops,
	.mode	= 0600,
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
