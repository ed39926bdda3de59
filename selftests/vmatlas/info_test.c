// SPDX-License-Identifier: GPL-2.0
/*
 * INFO, the first command: its answers are compared with what the kernel says
 * through other doors (uname(2), getpagesize(3), the reach of mmap(2), the
 * paging mode the VM was booted with, debugfs), and its ABI rules are
 * enforced: sizes, flags, unknown commands, permissions.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"

static int get_info(int fd, struct vmatlas_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ioctl(fd, VMATLAS_IOC_INFO, info);
}

/*
 * The value of the one row of @text called @key: a line that starts with
 * @key, then @sep, then blanks; the value runs to the end of the line. 0,
 * or -1 if no line or more than one is that row.
 */
static int row_value(const char *text, const char *key, const char *sep, char *val,
		     size_t len)
{
	size_t klen = strlen(key), slen = strlen(sep);
	const char *line, *v;
	int found = 0;

	for (line = text; *line; line += strcspn(line, "\n") + !!line[strcspn(line, "\n")]) {
		if (strncmp(line, key, klen) || strncmp(line + klen, sep, slen))
			continue;
		v = line + klen + slen;
		if (*v != ' ')
			continue;
		v += strspn(v, " ");
		snprintf(val, len, "%.*s", (int)strcspn(v, "\n"), v);
		found++;
	}
	return found == 1 ? 0 : -1;
}

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = open(VMATLAS_TEST_DEVICE, O_RDONLY);
	if (self->fd < 0)
		REQUIRE_HARNESS(return, "%s: %s (module not loaded)", VMATLAS_TEST_DEVICE,
				strerror(errno));
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(dev, info_matches_uname_and_page_size)
{
	struct vmatlas_info info;
	struct utsname uts;

	ASSERT_EQ(0, get_info(self->fd, &info));
	ASSERT_EQ(0, uname(&uts));
	EXPECT_EQ(sizeof(info), info.size);
	EXPECT_EQ(VMATLAS_ABI_VERSION, info.abi_version);
	EXPECT_EQ((unsigned int)getpagesize(), info.page_size);
	EXPECT_STREQ(uts.release, (char *)info.release);
	EXPECT_STREQ(uts.machine, (char *)info.arch);
	EXPECT_NE(0, info.module_version[0]);
	EXPECT_EQ(0, info.reserved);
}

/* The harness boots the VM with vmatlas_levels=N: what its CPU model gives. */
TEST_F(dev, levels_match_boot_paging_mode)
{
	const char *want = getenv("vmatlas_levels");
	struct vmatlas_info info;

	if (!want)
		REQUIRE_HARNESS(return, "vmatlas_levels not on the kernel command line");
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(strtoul(want, NULL, 10), info.levels);
}

/*
 * An independent witness of the paging mode: a user mapping lives above
 * 256 TiB only where the tables reach that far, and the kernel puts one
 * there only when asked with a hint that high. The tables' reach is the
 * page's bits plus those of each level's index; x86 gives user space the
 * lower half of it (47 bits with four levels, 56 with five), arm64 all of
 * TTBR0's, at most 52 bits (48 with four levels of 4 KiB, 52 with five, or
 * with four of 16 KiB, 47 with three).
 */
TEST_F(dev, levels_match_user_address_reach)
{
#if UINTPTR_MAX > 0xffffffffUL
	const uintptr_t top_of_48_bits = (uintptr_t)1 << 48;
	unsigned int page_shift = __builtin_ctz(getpagesize()), reach;
	struct vmatlas_info info;
	uintptr_t got;
	void *p;

	ASSERT_EQ(0, get_info(self->fd, &info));
	reach = page_shift + info.levels * (page_shift - 3);
	if (kernel_is_arm64())
		reach = reach > 52 ? 52 : reach;
	else
		reach--;
	p = mmap((void *)((uintptr_t)1 << 50), getpagesize(), PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	got = (uintptr_t)p;
	munmap(p, getpagesize());
	EXPECT_EQ(reach > 48, got >= top_of_48_bits)
		TH_LOG("levels %u (%u bits), mmap hint 1<<50 gave %#lx", info.levels, reach,
		       (unsigned long)got);
#else
	SKIP(return, "no 57-bit address space on 32-bit");
#endif
}

TEST_F(dev, root_opener_is_shown_physical_addresses)
{
	struct vmatlas_info info;

	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_TRUE(info.features & VMATLAS_FEAT_PHYS);
}

/*
 * The kfunc is announced exactly when the module could register it: when
 * its build carries BTF, which the kernel then shows in /sys/kernel/btf.
 */
TEST_F(dev, kfunc_feature_matches_module_btf)
{
	struct vmatlas_info info;

	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(!access("/sys/kernel/btf/vmatlas", F_OK),
		  !!(info.features & VMATLAS_FEAT_KFUNC));
}

/*
 * VMA locks are announced exactly when the kernel exports what a module
 * needs to take one, lock_vma_under_rcu() (7.x, not 6.12): its export
 * table entry in /proc/kallsyms.
 */
TEST_F(dev, vma_locks_feature_matches_kernel_exports)
{
	bool exported = false, defined = false, tables = false;
	struct vmatlas_info info;
	char line[256];
	FILE *f;

	ASSERT_EQ(0, get_info(self->fd, &info));
	f = fopen("/proc/kallsyms", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		tables |= !!strstr(line, " __ksymtab_");
		exported |= !!strstr(line, " __ksymtab_lock_vma_under_rcu\n");
		defined |= !!strstr(line, " lock_vma_under_rcu\n");
	}
	fclose(f);
	/* Without CONFIG_KALLSYMS_ALL the export tables are not listed. */
	if (defined && !tables)
		SKIP(return, "/proc/kallsyms does not list export tables");
	TH_LOG("lock_vma_under_rcu: %s", exported ? "exported" :
	       defined ? "not exported" : "not in this kernel");
	EXPECT_EQ(exported, !!(info.features & VMATLAS_FEAT_VMA_LOCKS));
}

static int open_without_cap_sys_admin_sees_no_phys(void *unused)
{
	struct vmatlas_info info;
	int fd;

	fd = open_device_without_cap_sys_admin();
	if (fd < 0)
		return 11;
	if (get_info(fd, &info))
		return 12;
	return info.features & VMATLAS_FEAT_PHYS ? 13 : 0;
}

/* Policy follows the opener's credentials, as for /proc/PID/pagemap. */
TEST_F(dev, phys_needs_cap_sys_admin_at_open)
{
	EXPECT_EQ(0, in_child(open_without_cap_sys_admin_sees_no_phys, NULL));
}

static int nobody_with_root_fd_sees_phys(void *fdp)
{
	struct vmatlas_info info;

	if (become_nobody())
		return 10;
	if (get_info(*(int *)fdp, &info))
		return 11;
	return info.features & VMATLAS_FEAT_PHYS ? 0 : 12;
}

TEST_F(dev, privileged_descriptor_keeps_opener_rights)
{
	EXPECT_EQ(0, in_child(nobody_with_root_fd_sees_phys, &self->fd));
}

TEST(device_node_is_root_only)
{
	struct stat st;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, stat(VMATLAS_TEST_DEVICE, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
}

static int nobody_open_is_eacces(void *unused)
{
	if (become_nobody())
		return 10;
	if (open(VMATLAS_TEST_DEVICE, O_RDONLY) >= 0)
		return 11;
	return errno == EACCES ? 0 : 12;
}

TEST(non_root_cannot_open_device)
{
	REQUIRE_DEVICE(return);
	EXPECT_EQ(0, in_child(nobody_open_is_eacces, NULL));
}

TEST_F(dev, unknown_commands_are_enotty)
{
	struct vmatlas_info info = { .size = sizeof(info) };
	const unsigned long cmds[] = {
		_IOWR(VMATLAS_IOCTL_MAGIC, 0x7f, struct vmatlas_info),
		_IOWR(VMATLAS_IOCTL_MAGIC ^ 1, 0x00, struct vmatlas_info),
		_IOR(VMATLAS_IOCTL_MAGIC, 0x00, struct vmatlas_info),
		_IO(VMATLAS_IOCTL_MAGIC, 0x00),
		TCGETS,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, cmds[i], &info));
		EXPECT_EQ(ENOTTY, errno) TH_LOG("command %#lx", cmds[i]);
	}
}

TEST_F(dev, short_size_is_einval)
{
	const unsigned int sizes[] = { 0, 4, VMATLAS_INFO_SIZE_VER0 - 1 };
	struct vmatlas_info info;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		memset(&info, 0, sizeof(info));
		info.size = sizes[i];
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, VMATLAS_IOC_INFO, &info));
		EXPECT_EQ(EINVAL, errno) TH_LOG("size %u", sizes[i]);
		EXPECT_EQ(0, info.abi_version) TH_LOG("size %u filled the reply", sizes[i]);
	}
}

/* What a caller built against a future, longer struct vmatlas_info sends. */
union longer_info {
	struct vmatlas_info info;
	unsigned char bytes[sizeof(struct vmatlas_info) + 64];
};

static void longer_info_init(union longer_info *req)
{
	memset(req, 0, sizeof(*req));
	req->info.size = sizeof(*req);
}

/* A newer caller with a longer struct works as long as it asks for nothing new. */
TEST_F(dev, longer_struct_with_zero_tail_is_accepted)
{
	union longer_info req;

	longer_info_init(&req);
	ASSERT_EQ(0, ioctl(self->fd, VMATLAS_IOC_INFO, &req));
	EXPECT_EQ(sizeof(struct vmatlas_info), req.info.size);
	EXPECT_EQ(VMATLAS_ABI_VERSION, req.info.abi_version);
	EXPECT_EQ(0, req.bytes[sizeof(struct vmatlas_info)]);
}

TEST_F(dev, longer_struct_with_unknown_fields_set_is_e2big)
{
	union longer_info req;

	longer_info_init(&req);
	req.bytes[sizeof(req) - 1] = 1;
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, VMATLAS_IOC_INFO, &req));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(0, req.info.abi_version);
}

TEST_F(dev, size_beyond_a_page_is_e2big)
{
	struct vmatlas_info info = { .size = 1 << 20 };

	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, VMATLAS_IOC_INFO, &info));
	EXPECT_EQ(E2BIG, errno);
}

TEST_F(dev, unknown_flags_and_reserved_bits_are_einval)
{
	struct vmatlas_info info;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.flags = 1;
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, VMATLAS_IOC_INFO, &info));
	EXPECT_EQ(EINVAL, errno);

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.reserved = 1U << 31;
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, VMATLAS_IOC_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, info.abi_version);
}

TEST_F(dev, bad_user_pointers_are_efault)
{
	void *unmapped;

	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, VMATLAS_IOC_INFO, NULL));
	EXPECT_EQ(EFAULT, errno);

	unmapped = mmap(NULL, getpagesize(), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, unmapped);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, VMATLAS_IOC_INFO, unmapped));
	EXPECT_EQ(EFAULT, errno);
	munmap(unmapped, getpagesize());
}

/* debugfs is a second transport over the same core function: same facts. */
TEST_F(dev, debugfs_info_matches_ioctl)
{
	struct vmatlas_info info;
	char text[1024], want[7][128], got[128];
	const char *const keys[] = { "abi_version", "module_version", "arch", "kernel",
				     "page_size", "levels", "features" };
	size_t i;

	if (read_file(VMATLAS_TEST_DEBUGFS "/info", text, sizeof(text)) < 0)
		REQUIRE_HARNESS(return, "%s/info unreadable (debugfs not mounted?)",
				VMATLAS_TEST_DEBUGFS);
	ASSERT_EQ(0, get_info(self->fd, &info));

	snprintf(want[0], sizeof(want[0]), "%u", info.abi_version);
	snprintf(want[1], sizeof(want[1]), "%s", (char *)info.module_version);
	snprintf(want[2], sizeof(want[2]), "%s", (char *)info.arch);
	snprintf(want[3], sizeof(want[3]), "%s", (char *)info.release);
	snprintf(want[4], sizeof(want[4]), "%u", info.page_size);
	snprintf(want[5], sizeof(want[5]), "%u", info.levels);
	snprintf(want[6], sizeof(want[6]), "%#llx", (unsigned long long)info.features);
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		ASSERT_EQ(0, row_value(text, keys[i], ":", got, sizeof(got)))
			TH_LOG("no one row %s:\n%s", keys[i], text);
		EXPECT_STREQ(want[i], got) TH_LOG("row %s", keys[i]);
	}
	EXPECT_EQ(ARRAY_SIZE(keys), count_lines(text)) TH_LOG("%s", text);
}

TEST(debugfs_files_are_root_only)
{
	struct stat st;

	if (stat(VMATLAS_TEST_DEBUGFS "/info", &st))
		REQUIRE_HARNESS(return, "%s/info: %s", VMATLAS_TEST_DEBUGFS, strerror(errno));
	EXPECT_EQ(0400, st.st_mode & 07777);
}

TEST_F(dev, cli_json_matches_uname_and_ioctl)
{
	static const char *const args[] = { "info", "--json", NULL };
	static struct run_result res;
	struct vmatlas_info info;
	struct utsname uts;
	struct json_object *doc, *v;

	ASSERT_EQ(0, get_info(self->fd, &info));
	ASSERT_EQ(0, uname(&uts));
	doc = run_tool_json(&res, args);
	ASSERT_NE(NULL, doc) TH_LOG("stderr: %s", res.err);
	EXPECT_STREQ("", res.err);

	ASSERT_TRUE(json_object_object_get_ex(doc, "abi_version", &v));
	EXPECT_EQ(VMATLAS_ABI_VERSION, json_object_get_int64(v));
	ASSERT_TRUE(json_object_object_get_ex(doc, "module_version", &v));
	EXPECT_STREQ((char *)info.module_version, json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(doc, "arch", &v));
	EXPECT_STREQ(uts.machine, json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(doc, "kernel", &v));
	EXPECT_STREQ(uts.release, json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(doc, "page_size", &v));
	EXPECT_EQ(getpagesize(), json_object_get_int64(v));
	ASSERT_TRUE(json_object_object_get_ex(doc, "levels", &v));
	EXPECT_EQ(info.levels, json_object_get_int64(v));
	json_object_put(doc);
	run_result_free(&res);
}

/* The JSON value of a row as the table prints it: arrays joined by ','. */
static void table_cell(struct json_object *val, char *buf, size_t len)
{
	if (json_object_is_type(val, json_type_array))
		json_join(val, buf, len);
	else
		snprintf(buf, len, "%s", json_object_get_string(val));
}

TEST_F(dev, cli_table_says_what_json_says)
{
	static const char *const targs[] = { "info", NULL };
	static const char *const jargs[] = { "info", "--json", NULL };
	static struct run_result tab, js;
	struct vmatlas_info info;
	struct json_object *doc;
	char want[256], got[256];
	int rows = 0;

	ASSERT_EQ(0, get_info(self->fd, &info));
	ASSERT_EQ(0, run_tool(&tab, -1, targs));
	ASSERT_EQ(0, run_exit_code(&tab));
	ASSERT_EQ(0, run_tool(&js, -1, jargs));
	doc = parse_tool_json(&js, js.out, "info");
	ASSERT_NE(NULL, doc) TH_LOG("%s", js.err);
	json_object_object_foreach(doc, key, val) {
		table_cell(val, want, sizeof(want));
		ASSERT_EQ(0, row_value(tab.out, key, "", got, sizeof(got)))
			TH_LOG("no one row %s:\n%s", key, tab.out);
		EXPECT_STREQ(want, got) TH_LOG("row %s", key);
		rows++;
	}
	EXPECT_EQ(7, rows);
	EXPECT_EQ(rows, count_lines(tab.out));
	/* And the numbers are the device's. */
	ASSERT_EQ(0, row_value(tab.out, "levels", "", got, sizeof(got)));
	EXPECT_EQ(info.levels, strtoul(got, NULL, 10));
	ASSERT_EQ(0, row_value(tab.out, "page_size", "", got, sizeof(got)));
	EXPECT_EQ(info.page_size, strtoul(got, NULL, 10));
	ASSERT_EQ(0, row_value(tab.out, "kernel", "", got, sizeof(got)));
	EXPECT_STREQ((char *)info.release, got);
	json_object_put(doc);
	run_result_free(&tab);
	run_result_free(&js);
}

TEST(cli_as_non_root_fails_with_one_line)
{
	static const char *const args[] = { "info", NULL };
	static struct run_result res;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, NOBODY_UID, args));
	EXPECT_EQ(1, run_exit_code(&res));
	EXPECT_STREQ("", res.out);
	EXPECT_EQ(1, count_lines(res.err));
	EXPECT_NE(NULL, strstr(res.err, "Permission denied")) TH_LOG("%s", res.err);
	run_result_free(&res);
}

TEST(cli_rejects_stray_arguments)
{
	static const char *const args[] = { "info", "bogus", NULL };
	static struct run_result res;

	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_NE(0, run_exit_code(&res));
	EXPECT_STREQ("", res.out);
	EXPECT_NE(NULL, strstr(res.err, "bogus"));
	run_result_free(&res);
}

TEST_HARNESS_MAIN
