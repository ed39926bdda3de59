// SPDX-License-Identifier: GPL-2.0
/*
 * Under lockdown=confidentiality the kernel-address views are refused while
 * the process views go on working, and a BPF program calling the kfunc is
 * refused at load, as BPF itself may not read kernel memory then. Lockdown
 * cannot be lowered again, so the harness runs this test after every other
 * one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "workload.h"

#if VMATLAS_TEST_BPF
#include "kfunc_probe.skel.h"
#endif

#define LOCKDOWN	"/sys/kernel/security/lockdown"

#if VMATLAS_TEST_BPF
/*
 * A program of the test's own that calls the kfunc is refused when it is
 * loaded, as one calling bpf_probe_read_kernel() is; INFO stops announcing
 * the kfunc. (kfunc_was_announced: INFO said so before lockdown.)
 */
static void kfunc_is_refused(struct __test_metadata *_metadata, bool kfunc_was_announced)
{
	struct kfunc_probe_bpf *skel;

	if (!kfunc_was_announced)
		return;
	EXPECT_FALSE(module_has_kfunc());
	skel = kfunc_probe_bpf__open();
	ASSERT_NE(NULL, skel);
	skel->rodata->targ_tgid = getpid();
	EXPECT_NE(0, kfunc_probe_bpf__load(skel));
	kfunc_probe_bpf__destroy(skel);
}
#else
static void kfunc_is_refused(struct __test_metadata *_metadata, bool kfunc_was_announced)
{
}
#endif

TEST(confidentiality_lockdown_refuses_kernel_addresses)
{
	static const char *const layout[] = { "layout", NULL };
	static const char *const info[] = { "info", NULL };
	struct vmatlas_kaddr k = { .size = sizeof(k), .addr = 0x1000 };
	static struct run_result res;
	bool kfunc_was_announced;
	char state[128];
	int fd;

	if (access("/dev/vmatlas", F_OK))
		SKIP(return, "/dev/vmatlas missing");
	if (read_file(LOCKDOWN, state, sizeof(state)) < 0 || !strstr(state, "confidentiality"))
		SKIP(return, "the lockdown LSM is not active");
	ASSERT_EQ(0, run_tool(&res, -1, layout));
	ASSERT_EQ(0, run_exit_code(&res)) TH_LOG("layout fails before lockdown: %s", res.err);
	run_result_free(&res);
	kfunc_was_announced = module_has_kfunc();

	fd = open(LOCKDOWN, O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, write(fd, "confidentiality", 15));
	close(fd);

	ASSERT_EQ(0, run_tool(&res, -1, layout));
	EXPECT_EQ(1, run_exit_code(&res));
	EXPECT_STREQ("", res.out);
	EXPECT_NE(NULL, strstr(res.err, "lockdown")) TH_LOG("%s", res.err);
	run_result_free(&res);

	fd = open("/dev/vmatlas", O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, VMATLAS_IOC_KADDR, &k));
	EXPECT_EQ(EPERM, errno);
	close(fd);

	ASSERT_EQ(0, run_tool(&res, -1, info));
	EXPECT_EQ(0, run_exit_code(&res));
	run_result_free(&res);

	kfunc_is_refused(_metadata, kfunc_was_announced);
}

TEST_HARNESS_MAIN
