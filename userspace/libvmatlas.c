// SPDX-License-Identifier: GPL-2.0
/*
 * libvmatlas: open /dev/vmatlas, check that the module speaks our ABI, and
 * issue requests. Errors are turned into a sentence that says what to do.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libvmatlas.h"

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
