/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the vmatlas selftests: opening the device, running the tool as a
 * given user and parsing what it printed.
 */
#ifndef _VMATLAS_TEST_HELPERS_H
#define _VMATLAS_TEST_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <json-c/json.h>
#include <linux/vmatlas.h>

#define VMATLAS_TEST_DEVICE	"/dev/" VMATLAS_DEVICE_NAME
#define VMATLAS_TEST_DEBUGFS	"/sys/kernel/debug/" VMATLAS_DEVICE_NAME
#define NOBODY_UID		65534

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#define BIT_ULL(n)		(1ULL << (n))

struct run_result {
	int status;		/* as from waitpid() */
	char *out;		/* stdout, NUL-terminated; free with run_result_free() */
	size_t out_len;
	char err[4096];
	long maxrss_kb;		/* run_tool(): the peak RSS of the tool and what it waited for */
};

/* The vmatlas tool under test: $VMATLAS_TOOL or "vmatlas" in PATH. */
const char *vmatlas_tool(void);

/*
 * Run the tool with @args (NULL-terminated, without argv[0]) as @uid (or as
 * the caller if @uid is -1); capture stdout and stderr. Returns 0 or -errno.
 */
int run_tool(struct run_result *res, uid_t uid, const char *const args[]);

/*
 * run_tool() with @tty_fd (STDOUT_FILENO or STDERR_FILENO) a terminal: a
 * raw pseudo-terminal, whose text lands where that stream's would; the
 * other stream is a pipe as in run_tool().
 */
int run_tool_tty(struct run_result *res, int tty_fd, const char *const args[]);

void run_result_free(struct run_result *res);

/*
 * Run the tool as the caller and parse its stdout as a JSON object; NULL if
 * it failed, printed no object, or one that Documentation/vmatlas.schema.json
 * does not describe for the command args[0] (then @res->err says why).
 * Caller puts the object and frees @res.
 */
struct json_object *run_tool_json(struct run_result *res, const char *const args[]);

/* run_tool() as root; its stdout if it exited 0, else NULL (stderr said to ours). */
const char *run_tool_text(struct run_result *res, const char *const args[]);

/*
 * Parse @text, the output of the finished run @res, as the JSON document the
 * schema names @what: a command's (args[0]) or "error" (its stderr line when
 * it fails with --json). NULL if @text is not such an object; then @res->err
 * says why. For runs whose exit status is not 0 (run_tool_json() wants 0).
 * Caller puts the object.
 */
struct json_object *parse_tool_json(struct run_result *res, const char *text,
				    const char *what);

/* Exit code of a finished run, or -1 if it did not exit normally. */
int run_exit_code(const struct run_result *res);

/* Number of lines in @s (a final line without '\n' counts). */
int count_lines(const char *s);

/* Parse @text as JSON; NULL if it is not a JSON object. Caller puts it. */
struct json_object *parse_json_object(const char *text);

/* Read the whole of a small file into @buf; returns length or -errno. */
ssize_t read_file(const char *path, char *buf, size_t len);

/*
 * Write @text to @path, opened with O_TRUNC (which is what clears a tracefs
 * buffer; sysctl and debugfs files do not mind); 0 or -errno.
 */
int write_file(const char *path, const char *text);

/*
 * Run @fn(@arg) in a child process; return its exit code (what @fn returned)
 * or -1 if fork failed or the child did not exit normally.
 */
int in_child(int (*fn)(void *arg), void *arg);

/* Switch the calling process to the nobody user and group; 0 or -errno. */
int become_nobody(void);

/* A JSON array of strings as the tool's tables show it: joined by ',', or "-". */
void json_join(struct json_object *arr, char *out, size_t len);

/* A member of a JSON object, or NULL. */
struct json_object *json_get(struct json_object *obj, const char *key);

/* A "0x..." string member as a number; 0 if missing. */
unsigned long long json_hex(struct json_object *obj, const char *key);

/* An integer member; -1 if missing. */
long long json_int(struct json_object *obj, const char *key);

/* Whether a JSON array of strings contains @s. */
int json_array_has(struct json_object *arr, const char *s);

/*
 * Whether @out is byte for byte what json-c prints for the document it
 * parses to (PRETTY | SPACED | NOSLASHESCAPE, then a newline): the layout
 * the tool's JSON has always had, whoever writes it.
 */
bool json_layout_ok(const char *out);

/* A member a JSON object must have: its name and type; null allowed or not. */
struct json_member {
	const char *key;
	json_type type;
	bool or_null;
};

/*
 * Whether @obj is an object with exactly the members @want, in that order
 * and of those types. On a mismatch, @why says which member.
 */
bool json_members_are(struct json_object *obj, const struct json_member *want, size_t n,
		      char *why, size_t len);

/* The first line of @path that contains @needle, into @line; 0 if none. */
int find_line(const char *path, const char *needle, char *line, size_t len);

/* The kernel's machine is arm64 (uname(2): aarch64). */
bool kernel_is_arm64(void);

/* The kernel is 64-bit (x86-64 or arm64), whatever this process is built as. */
bool kernel_is_64bit(void);

/*
 * The bits of a page-table entry that hold a physical address: 12-51 on
 * x86 (4- and 5-level, PAE); on arm64 from the page shift to 49 (with LPA2
 * bits 51-50 sit in 9-8, where test VMs never have RAM).
 */
unsigned long long entry_addr_mask(void);

/*
 * The page tables' geometry, from the page size and the levels in use (the
 * walk's five: 0 is the PGD, 4 the PTE table). A table is one page of 8-byte
 * entries (4-byte without PAE, two levels), so each level's index has
 * page_shift - 3 bits: 9 with 4 KiB pages, 11 with 16 KiB. The top level's
 * index sits above the levels below it, whatever folded between.
 */
unsigned int page_shift(void);
unsigned int level_shift(unsigned int level, unsigned int levels);
unsigned long long level_index(unsigned long long addr, unsigned int level,
			       unsigned int levels);

/* What one PMD entry maps: 2 MiB with 4 KiB pages, 32 MiB with 16 KiB. */
unsigned long long pmd_size(unsigned int levels);

/* A transparent huge page's size, as the kernel says (hpage_pmd_size). */
unsigned long thp_size(void);

/* Drop CAP_SYS_ADMIN from the calling process, keeping uid 0. */
int drop_cap_sys_admin(void);

/*
 * Drop CAP_SYS_ADMIN (for good, in this process) and open the device as
 * root without it: the descriptor, or -1.
 */
int open_device_without_cap_sys_admin(void);

/*
 * Whether this runs in the harness's VM: its /init exports VMATLAS_HARNESS=1
 * and provides the loaded module, swap on zram, hugetlb pages, the helper
 * module and the ext4 disk at /mnt/disk, so their absence there is a bug.
 */
bool in_harness(void);

/*
 * Something the harness VM provides is missing: FAIL in the harness, saying
 * what; SKIP elsewhere, then run @statement as SKIP() does. For tests built
 * on kselftest_harness.h.
 */
#define REQUIRE_HARNESS(statement, fmt, ...) do {				\
	char _why[256];								\
										\
	snprintf(_why, sizeof(_why), fmt, ##__VA_ARGS__);			\
	ASSERT_FALSE(in_harness()) TH_LOG("missing in the harness VM: %s", _why); \
	SKIP(statement, "%s", _why);						\
} while (0)

/* REQUIRE_HARNESS() the vmatlas device (the module loaded). */
#define REQUIRE_DEVICE(statement) do {						\
	if (access(VMATLAS_TEST_DEVICE, F_OK))					\
		REQUIRE_HARNESS(statement, "%s missing (module not loaded)",	\
				VMATLAS_TEST_DEVICE);				\
} while (0)

#endif /* _VMATLAS_TEST_HELPERS_H */
