/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmatlas: observe the Linux virtual-memory system on a live kernel.
 *
 * This is the only header shared by the kernel module, the vmatlas tool, the
 * BPF programs and the tests. Rules that keep it stable:
 *
 * - fields are __u64, __u32, __s32 or fixed __u8 arrays for NUL-terminated
 *   strings; no pointers (user buffers are __u64), enums, bool or bitfields;
 * - every request starts with its own size (in bytes): the kernel reads it with
 *   copy_struct_from_user(), so a struct can grow at its end without breaking
 *   older binaries; a newer binary running on an older module gets -E2BIG only
 *   if it set a field the module does not know;
 * - reserved fields and unknown flag bits must be zero (-EINVAL otherwise);
 * - the command number identifies the request by type and number only: the
 *   size encoded by _IOWR() is not used, the size field is authoritative.
 */
#ifndef _UAPI_LINUX_VMATLAS_H
#define _UAPI_LINUX_VMATLAS_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VMATLAS_ABI_VERSION	1
#define VMATLAS_DEVICE_NAME	"vmatlas"

/* Not listed in Documentation/userspace-api/ioctl/ioctl-number.rst. */
#define VMATLAS_IOCTL_MAGIC	0xB7

/* struct vmatlas_info.features */
#define VMATLAS_FEAT_HIGHMEM	(1ULL << 0)	/* the kernel has highmem (32-bit) */
#define VMATLAS_FEAT_PHYS	(1ULL << 1)	/* this opener is shown physical addresses */
#define VMATLAS_FEAT_DEBUGFS	(1ULL << 2)	/* text views in debugfs */

/**
 * struct vmatlas_info - what this module and kernel are
 * @size: (in/out) sizeof(struct vmatlas_info) as the caller knows it; on
 *	return, the number of bytes the module filled in.
 * @flags: (in) must be 0.
 * @abi_version: (out) VMATLAS_ABI_VERSION of the module.
 * @page_size: (out) base page size in bytes.
 * @levels: (out) page-table levels the kernel uses now: 5 under LA57, 4 on
 *	x86-64 otherwise, 3 on i386 PAE, 2 on i386 without PAE.
 * @reserved: must be 0.
 * @features: (out) VMATLAS_FEAT_* bits.
 * @module_version: (out) version string of the module.
 * @arch: (out) machine name as uname(2) reports it to the caller.
 * @release: (out) kernel release as uname(2) reports it to the caller.
 */
struct vmatlas_info {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 page_size;
	__u32 levels;
	__u32 reserved;
	__u64 features;
	__u8 module_version[32];
	__u8 arch[32];
	__u8 release[72];
};

#define VMATLAS_INFO_SIZE_VER0	168	/* sizeof first published */

#define VMATLAS_IOC_INFO	_IOWR(VMATLAS_IOCTL_MAGIC, 0x00, struct vmatlas_info)

#endif /* _UAPI_LINUX_VMATLAS_H */
