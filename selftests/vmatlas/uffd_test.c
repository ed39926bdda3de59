// SPDX-License-Identifier: GPL-2.0
/*
 * The userfaultfd VMA flags, named as smaps names them: a private anonymous
 * range registered for missing faults and write protection ("um", "uw"), and
 * a shmem range registered for minor faults ("ui"). The test's own process
 * registers them and never touches them; vmatlas's flags for each VMA must
 * be exactly smaps's.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "helpers.h"
#include "ioctls.h"
#include "procfs.h"
#include "kselftest_harness.h"

#define PAGES	4

/* smaps's VmFlags mnemonic of each userfaultfd flag. */
static const struct {
	__u64 bit;
	const char *mnemonic;
} uffd_flags[] = {
	{ VMATLAS_VM_UFFD_MISSING, "um" },
	{ VMATLAS_VM_UFFD_WP, "uw" },
	{ VMATLAS_VM_UFFD_MINOR, "ui" },
	{ VMATLAS_VM_UFFD_RWP, "ur" },
};

FIXTURE(uffd) {
	int uffd;
	struct vx x;
	char *anon, *shm;
	size_t len;
	__u64 features;
};

FIXTURE_SETUP(uffd)
{
	struct uffdio_api api = { .api = UFFD_API };
	int memfd;

	self->anon = MAP_FAILED;
	self->shm = MAP_FAILED;
	self->len = PAGES * getpagesize();
	self->x.fd = -1;
	self->uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (self->uffd < 0)
		SKIP(return, "no userfaultfd: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(self->uffd, UFFDIO_API, &api));
	self->features = api.features;
	/* Enabling features needs a second handshake on a new descriptor. */
	close(self->uffd);
	self->uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	ASSERT_LE(0, self->uffd);
	api.api = UFFD_API;
	api.features = self->features & UFFD_FEATURE_MINOR_SHMEM;
	ASSERT_EQ(0, ioctl(self->uffd, UFFDIO_API, &api));
	if (vx_open(&self->x))
		REQUIRE_HARNESS(return, VMATLAS_TEST_DEVICE " missing");

	self->anon = mmap(NULL, self->len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->anon);
	memfd = memfd_create("vmatlas-uffd", 0);
	ASSERT_LE(0, memfd);
	ASSERT_EQ(0, ftruncate(memfd, self->len));
	self->shm = mmap(NULL, self->len, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	close(memfd);
	ASSERT_NE(MAP_FAILED, self->shm);
}

FIXTURE_TEARDOWN(uffd)
{
	if (self->anon != MAP_FAILED)
		munmap(self->anon, self->len);
	if (self->shm != MAP_FAILED)
		munmap(self->shm, self->len);
	if (self->x.fd >= 0)
		vx_close(&self->x);
	if (self->uffd >= 0)
		close(self->uffd);
}

static int uffd_register(int uffd, void *addr, size_t len, __u64 mode)
{
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)addr, .len = len },
		.mode = mode,
	};

	return ioctl(uffd, UFFDIO_REGISTER, &reg) ? -errno : 0;
}

/* vmatlas's flags of the VMA at @addr equal smaps's VmFlags, flag by flag. */
static void check_flags(struct __test_metadata *_metadata, struct vx *x, void *addr,
			__u64 want)
{
	unsigned long long start = (uintptr_t)addr;
	struct smaps_vma *v, *s;
	struct vmatlas_vmas req;
	struct vmatlas_vma vma;
	int n;
	size_t i;

	ASSERT_EQ(0, vx_vmas(x, &req, getpid(), start, 0, &vma, 1, NULL, 0));
	ASSERT_EQ(1, req.count);
	ASSERT_EQ(start, vma.start);
	n = smaps_read(getpid(), &v);
	ASSERT_LT(0, n);
	s = smaps_find(v, n, start);
	ASSERT_NE(NULL, s);
	for (i = 0; i < ARRAY_SIZE(uffd_flags); i++) {
		char word[8];
		int in_smaps;

		snprintf(word, sizeof(word), " %s", uffd_flags[i].mnemonic);
		in_smaps = !!strstr(s->vmflags, word);
		EXPECT_EQ(in_smaps, !!(vma.vm_flags & uffd_flags[i].bit))
			TH_LOG("%s at %llx (VmFlags:%s)", uffd_flags[i].mnemonic, start,
			       s->vmflags);
	}
	EXPECT_EQ(want, vma.vm_flags & want);
	free(v);
}

TEST_F(uffd, missing_and_write_protect_flags_equal_smaps)
{
	__u64 mode = UFFDIO_REGISTER_MODE_MISSING, want = VMATLAS_VM_UFFD_MISSING;

	if (self->features & UFFD_FEATURE_PAGEFAULT_FLAG_WP) {
		mode |= UFFDIO_REGISTER_MODE_WP;
		want |= VMATLAS_VM_UFFD_WP;
	}
	ASSERT_EQ(0, uffd_register(self->uffd, self->anon, self->len, mode));
	check_flags(_metadata, &self->x, self->anon, want);
}

TEST_F(uffd, minor_flag_equals_smaps)
{
	if (!(self->features & UFFD_FEATURE_MINOR_SHMEM))
		SKIP(return, "no userfaultfd minor faults on shmem in this kernel");
	ASSERT_EQ(0, uffd_register(self->uffd, self->shm, self->len,
				   UFFDIO_REGISTER_MODE_MINOR));
	check_flags(_metadata, &self->x, self->shm, VMATLAS_VM_UFFD_MINOR);
}

TEST_HARNESS_MAIN
