// SPDX-License-Identifier: GPL-2.0
/*
 * libvmatlas, the tool's library over the device, on its own: this test is
 * linked with userspace/libvmatlas.c and nothing else, no json-c (the
 * Makefile gives it no -ljson-c), so that the library a program embeds to
 * talk to /dev/vmatlas stays free of the tool's JSON and front end. What it
 * can do without the device (a build machine has none): say why it cannot
 * open it, in one line, and name the LAB kinds.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "libvmatlas.h"

/* Without the module (or as a user who may not open it): an errno and a line. */
TEST(open_without_the_device_says_why_in_a_line)
{
	int fd = vmatlas_open();

	if (fd >= 0) {
		vmatlas_close(fd);
		SKIP(return, "this machine has the vmatlas device");
	}
	EXPECT_TRUE(fd == -ENOENT || fd == -EACCES || fd == -EPERM || fd == -ENXIO ||
		    fd == -ENODEV) TH_LOG("%d", fd);
	EXPECT_NE(NULL, strstr(vmatlas_strerror(), VMATLAS_DEVICE_PATH ": "))
		TH_LOG("'%s'", vmatlas_strerror());
	EXPECT_EQ(NULL, strchr(vmatlas_strerror(), '\n'));
}

TEST(lab_kinds_are_named_and_nothing_else)
{
	EXPECT_STREQ("kmalloc", vmatlas_lab_kind(VMATLAS_LAB_KMALLOC));
	EXPECT_STREQ("vmalloc", vmatlas_lab_kind(VMATLAS_LAB_VMALLOC));
	EXPECT_STREQ("pages", vmatlas_lab_kind(VMATLAS_LAB_PAGES));
	EXPECT_STREQ("kmap", vmatlas_lab_kind(VMATLAS_LAB_KMAP));
	EXPECT_EQ(NULL, vmatlas_lab_kind(0));
	EXPECT_EQ(NULL, vmatlas_lab_kind(VMATLAS_LAB_KMAP + 1));
	EXPECT_EQ(NULL, vmatlas_lab_kind(~0U));
}

TEST_HARNESS_MAIN
