// SPDX-License-Identifier: GPL-2.0
/*
 * The MMU's registers that LAYOUT reads for its caller (arm64 TCR_EL1,
 * TTBR0/1; x86 CR4, CR3), against the layout and the walker.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "ioctls.h"
#include "kselftest_harness.h"

/* The start of a region of @l, or 0. */
static __u64 region_start(const struct vmatlas_layout *l, __u32 id)
{
	__u32 i;

	for (i = 0; i < l->count; i++)
		if (l->regions[i].id == id)
			return l->regions[i].start;
	return 0;
}

/*
 * The MMU's registers, read by LAYOUT for its caller, against what the
 * layout and the walker say: the user table base is the caller's own top
 * table (WALK's level-0 table of its stack); arm64's T0SZ and T1SZ give
 * the end of user space and the start of the linear map, TG0 and TG1 the
 * page size; x86's CR4 has PAE, and LA57 exactly with five levels. Without
 * CAP_SYS_ADMIN the table bases (physical addresses) read as zero.
 */
TEST(mmu_registers_agree_with_the_layout_and_the_walk)
{
	struct vmatlas_layout l = { .size = sizeof(l) };
	struct vmatlas_walk w;
	unsigned long long table;
	int local = 1, status;
	struct vx x;
	pid_t pid;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, vx_open(&x));
	ASSERT_EQ(0, ioctl(x.fd, VMATLAS_IOC_LAYOUT, &l));
	ASSERT_TRUE(l.out_flags & VMATLAS_LAYOUT_MMU);
	ASSERT_FALSE(l.out_flags & VMATLAS_LAYOUT_TABLES_HIDDEN);
	ASSERT_EQ(0, vx_walk(&x, &w, getpid(), (uintptr_t)&local));
	if (kernel_is_arm64()) {
		unsigned int t0sz = l.mmu_control & 0x3f, t1sz = (l.mmu_control >> 16) & 0x3f;
		unsigned int tg0 = (l.mmu_control >> 14) & 3, tg1 = (l.mmu_control >> 30) & 3;

		EXPECT_EQ(1ULL << (64 - t0sz), l.task_size);
		EXPECT_EQ(-(1ULL << (64 - t1sz)), region_start(&l, VMATLAS_REGION_DIRECT_MAP));
		EXPECT_EQ(l.page_size == 4096 ? 0 : 2, tg0);	/* 4K, 16K */
		EXPECT_EQ(l.page_size == 4096 ? 2 : 1, tg1);
		table = l.table_base_user & ((1ULL << 48) - (1ULL << 6));
		EXPECT_NE(0, l.table_base_kernel);
	} else {
		EXPECT_TRUE(l.mmu_control & (1 << 5)) TH_LOG("CR4 %#llx: no PAE", l.mmu_control);
		EXPECT_EQ(l.levels == 5, !!(l.mmu_control & (1 << 12)));
		table = l.table_base_user & (kernel_is_64bit() ? 0x000ffffffffff000ULL :
					     0xffffffe0ULL);
		EXPECT_EQ(0, l.table_base_kernel);
	}
	if (w.out_flags & VMATLAS_OUT_TABLES_HIDDEN)
		SKIP(goto out, "page-table addresses hidden (kptr_restrict)");
	EXPECT_EQ(w.levels[0].table, table) TH_LOG("table base %#llx", l.table_base_user);

	/* Without CAP_SYS_ADMIN: no physical addresses. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct vmatlas_layout u = { .size = sizeof(u) };
		int fd = open_device_without_cap_sys_admin();

		if (fd < 0)
			_exit(2);
		if (ioctl(fd, VMATLAS_IOC_LAYOUT, &u))
			_exit(errno == EPERM ? 0 : 3);
		_exit(!(u.out_flags & VMATLAS_LAYOUT_TABLES_HIDDEN) || u.table_base_user ||
		      u.table_base_kernel || u.mmu_control != l.mmu_control ? 4 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
out:
	vx_close(&x);
}

TEST_HARNESS_MAIN
