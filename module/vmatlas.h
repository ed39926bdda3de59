/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces between the files of the vmatlas module. Core functions fill
 * kernel copies of the UAPI structs; the transports (chardev.c, debugfs.c)
 * only copy and format them.
 */
#ifndef _VMATLAS_H
#define _VMATLAS_H

#include <linux/types.h>
#include <linux/vmatlas.h>

struct file;

/* info.c */
void vmatlas_info_fill(struct vmatlas_info *info, const struct file *file);

/* policy.c */
bool vmatlas_may_see_phys(const struct file *file);

/* chardev.c */
int vmatlas_chardev_init(void);
void vmatlas_chardev_exit(void);

/* debugfs.c */
void vmatlas_debugfs_init(void);
void vmatlas_debugfs_exit(void);

#endif /* _VMATLAS_H */
