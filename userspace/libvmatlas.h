/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvmatlas: the char device, wrapped. Every function returns 0 or a
 * negative errno and leaves a one-line explanation in vmatlas_strerror().
 */
#ifndef _LIBVMATLAS_H
#define _LIBVMATLAS_H

#include <linux/vmatlas.h>

#define VMATLAS_DEVICE_PATH	"/dev/" VMATLAS_DEVICE_NAME

int vmatlas_open(void);
void vmatlas_close(int fd);
int vmatlas_get_info(int fd, struct vmatlas_info *info);
const char *vmatlas_strerror(void);

#endif /* _LIBVMATLAS_H */
