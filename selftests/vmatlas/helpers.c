// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for the vmatlas selftests.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <poll.h>
#include <pty.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "helpers.h"
#include "schema.h"

const char *vmatlas_tool(void)
{
	const char *tool = getenv("VMATLAS_TOOL");

	return tool && *tool ? tool : "vmatlas";
}

/* Read a pipe until EOF into a growing buffer; the tail beyond @cap is dropped. */
static void drain(int out_fd, int err_fd, struct run_result *res)
{
	struct pollfd pfd[2] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 } };
	size_t out_cap = 0, err_len = 0;
	int open_fds = 2;

	res->out = NULL;
	res->out_len = 0;
	while (open_fds) {
		char buf[65536];
		ssize_t n;
		int i;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(pfd[i].fd, buf, sizeof(buf));
			if (n <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open_fds--;
				continue;
			}
			if (i == 1) {
				size_t room = sizeof(res->err) - 1 - err_len;

				size_t take = (size_t)n < room ? (size_t)n : room;

				memcpy(res->err + err_len, buf, take);
				err_len += take;
				continue;
			}
			if (res->out_len + n + 1 > out_cap) {
				out_cap = (res->out_len + n + 1) * 2;
				res->out = realloc(res->out, out_cap);
				if (!res->out)
					abort();
			}
			memcpy(res->out + res->out_len, buf, n);
			res->out_len += n;
		}
	}
	res->err[err_len] = '\0';
	if (!res->out)
		res->out = calloc(1, 1);
	else
		res->out[res->out_len] = '\0';
}

/*
 * As the caller, the tool is started with posix_spawn(), which glibc does
 * with vfork semantics: the caller's page tables are not copied and marked
 * copy-on-write by the act of measuring. Another user needs fork().
 */
/* The tool's argv: vmatlas_tool(), then @args, cut to @room - 1 words and NULL. */
static void tool_argv(const char **argv, size_t room, const char *const args[])
{
	size_t i;

	argv[0] = vmatlas_tool();
	for (i = 0; args[i] && i + 2 < room; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
}

int run_tool(struct run_result *res, uid_t uid, const char *const args[])
{
	posix_spawn_file_actions_t fa;
	int out[2], err[2], ret;
	struct rusage ru;
	const char *argv[1024];
	pid_t pid;

	tool_argv(argv, ARRAY_SIZE(argv), args);

	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		return -errno;
	if (uid == (uid_t)-1) {
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
		posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
		ret = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
		posix_spawn_file_actions_destroy(&fa);
		if (ret)
			return -ret;
	} else {
		pid = fork();
		if (pid < 0)
			return -errno;
		if (pid == 0) {
			dup2(out[1], STDOUT_FILENO);
			dup2(err[1], STDERR_FILENO);
			if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
			    setresuid(uid, uid, uid))
				_exit(125);
			execvp(argv[0], (char *const *)argv);
			_exit(127);
		}
	}
	close(out[1]);
	close(err[1]);
	drain(out[0], err[0], res);
	if (wait4(pid, &res->status, 0, &ru) < 0)
		return -errno;
	res->maxrss_kb = ru.ru_maxrss;
	return 0;
}

int run_tool_tty(struct run_result *res, int tty_fd, const char *const args[])
{
	posix_spawn_file_actions_t fa;
	int pipe_fds[2], master, slave, ret;
	struct termios raw;
	const char *argv[64];
	pid_t pid;

	tool_argv(argv, ARRAY_SIZE(argv), args);
	if (openpty(&master, &slave, NULL, NULL, NULL))
		return -errno;
	/* Raw: what the tool writes is what the test reads, "\n" and all. */
	tcgetattr(slave, &raw);
	cfmakeraw(&raw);
	tcsetattr(slave, TCSANOW, &raw);
	if (pipe2(pipe_fds, O_CLOEXEC)) {
		ret = -errno;
		close(master);
		close(slave);
		return ret;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, slave, tty_fd);
	posix_spawn_file_actions_adddup2(&fa, pipe_fds[1],
					 tty_fd == STDOUT_FILENO ? STDERR_FILENO : STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, master);
	ret = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(slave);
	close(pipe_fds[1]);
	if (ret) {
		close(master);
		close(pipe_fds[0]);
		return -ret;
	}
	/* The terminal's master reads EIO once the tool is gone: its end. */
	if (tty_fd == STDOUT_FILENO)
		drain(master, pipe_fds[0], res);
	else
		drain(pipe_fds[0], master, res);
	if (waitpid(pid, &res->status, 0) < 0)
		return -errno;
	return 0;
}

void run_result_free(struct run_result *res)
{
	free(res->out);
	res->out = NULL;
}

const char *run_tool_text(struct run_result *res, const char *const args[])
{
	if (run_tool(res, -1, args) || run_exit_code(res)) {
		fprintf(stderr, "# %s: %s\n", args[0], res->err);
		return NULL;
	}
	return res->out;
}

struct json_object *parse_tool_json(struct run_result *res, const char *text,
				    const char *what)
{
	struct json_object *doc = parse_json_object(text);
	size_t n = strlen(res->err);

	/* Every document a test reads is one the schema describes. */
	if (doc && !schema_valid_output(what, doc, res->err + n, sizeof(res->err) - n)) {
		json_object_put(doc);
		return NULL;
	}
	return doc;
}

struct json_object *run_tool_json(struct run_result *res, const char *const args[])
{
	if (run_tool(res, -1, args) || run_exit_code(res) != 0)
		return NULL;
	return parse_tool_json(res, res->out, args[0]);
}

struct json_object *json_get(struct json_object *obj, const char *key)
{
	struct json_object *v;

	return obj && json_object_object_get_ex(obj, key, &v) ? v : NULL;
}

unsigned long long json_hex(struct json_object *obj, const char *key)
{
	struct json_object *v = json_get(obj, key);

	return v && json_object_is_type(v, json_type_string) ?
	       strtoull(json_object_get_string(v), NULL, 16) : 0;
}

long long json_int(struct json_object *obj, const char *key)
{
	struct json_object *v = json_get(obj, key);

	return v ? json_object_get_int64(v) : -1;
}

int json_array_has(struct json_object *arr, const char *s)
{
	size_t i;

	for (i = 0; arr && i < json_object_array_length(arr); i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(arr, i)), s))
			return 1;
	return 0;
}

int run_exit_code(const struct run_result *res)
{
	return WIFEXITED(res->status) ? WEXITSTATUS(res->status) : -1;
}

int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		if (*s == '\n' || !s[1])
			n++;
	return n;
}

struct json_object *parse_json_object(const char *text)
{
	struct json_object *obj = json_tokener_parse(text);

	if (obj && !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

ssize_t read_file(const char *path, char *buf, size_t len)
{
	ssize_t n, total = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((size_t)total + 1 < len) {
		n = read(fd, buf + total, len - 1 - total);
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (!n)
			break;
		total += n;
	}
	buf[total] = '\0';
	close(fd);
	return total;
}

int write_file(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != (ssize_t)len)
		ret = -errno ?: -EIO;
	close(fd);
	return ret;
}

int in_child(int (*fn)(void *arg), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY_UID, NOBODY_UID, NOBODY_UID) ||
	    setresuid(NOBODY_UID, NOBODY_UID, NOBODY_UID))
		return -errno;
	return 0;
}

int find_line(const char *path, const char *needle, char *line, size_t len)
{
	FILE *f = fopen(path, "r");
	int found = 0;

	while (f && !found && fgets(line, len, f))
		found = !!strstr(line, needle);
	if (f)
		fclose(f);
	return found;
}

static bool machine_is(const char *machine)
{
	struct utsname uts;

	return !uname(&uts) && !strcmp(uts.machine, machine);
}

bool kernel_is_arm64(void)
{
	return machine_is("aarch64");
}

bool kernel_is_64bit(void)
{
	return machine_is("x86_64") || kernel_is_arm64();
}

unsigned long long entry_addr_mask(void)
{
	unsigned long long page = getpagesize();

	if (kernel_is_arm64())
		return ((1ULL << 50) - 1) & ~(page - 1);
	return 0x000ffffffffff000ULL;
}

unsigned int page_shift(void)
{
	return __builtin_ctz(getpagesize());
}

static unsigned int index_bits(unsigned int levels)
{
	return page_shift() - (levels == 2 ? 2 : 3);
}

unsigned int level_shift(unsigned int level, unsigned int levels)
{
	unsigned int below = level ? 4 - level : levels - 1;

	return page_shift() + below * index_bits(levels);
}

unsigned long long level_index(unsigned long long addr, unsigned int level,
			       unsigned int levels)
{
	return (addr >> level_shift(level, levels)) & ((1ULL << index_bits(levels)) - 1);
}

unsigned long long pmd_size(unsigned int levels)
{
	return 1ULL << level_shift(3, levels);
}

unsigned long thp_size(void)
{
	char buf[32];

	if (read_file("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", buf, sizeof(buf)) > 0)
		return strtoul(buf, NULL, 10);
	return pmd_size(3);
}

int drop_cap_sys_admin(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	int word = CAP_SYS_ADMIN / 32;
	unsigned int bit = 1U << (CAP_SYS_ADMIN % 32);

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[word].effective &= ~bit;
	data[word].permitted &= ~bit;
	data[word].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

int open_device_without_cap_sys_admin(void)
{
	if (drop_cap_sys_admin())
		return -1;
	return open(VMATLAS_TEST_DEVICE, O_RDONLY);
}

bool in_harness(void)
{
	const char *h = getenv("VMATLAS_HARNESS");

	return h && !strcmp(h, "1");
}

void json_join(struct json_object *arr, char *out, size_t len)
{
	size_t i, at = 0, n = json_object_array_length(arr);

	out[0] = '\0';
	for (i = 0; i < n && at < len; i++)
		at += snprintf(out + at, len - at, "%s%s", i ? "," : "",
			       json_object_get_string(json_object_array_get_idx(arr, i)));
	if (!n)
		snprintf(out, len, "-");
}

bool json_layout_ok(const char *out)
{
	struct json_object *doc = json_tokener_parse(out);
	const char *again;
	size_t len;
	bool ok;

	if (!doc)
		return false;
	again = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_SPACED |
						    JSON_C_TO_STRING_NOSLASHESCAPE);
	len = again ? strlen(again) : 0;
	ok = again && strlen(out) == len + 1 && !memcmp(out, again, len) && out[len] == '\n';
	json_object_put(doc);
	return ok;
}

bool json_members_are(struct json_object *obj, const struct json_member *want, size_t n,
		      char *why, size_t len)
{
	size_t i = 0;

	snprintf(why, len, "not an object");
	if (!json_object_is_type(obj, json_type_object))
		return false;
	json_object_object_foreach(obj, key, val) {
		json_type type = json_object_get_type(val);

		if (i == n) {
			snprintf(why, len, "member \"%s\" not expected", key);
			return false;
		}
		if (strcmp(key, want[i].key)) {
			snprintf(why, len, "member %zu is \"%s\", not \"%s\"", i, key,
				 want[i].key);
			return false;
		}
		if (type != want[i].type && !(want[i].or_null && type == json_type_null)) {
			snprintf(why, len, "\"%s\" is a %s, not a %s", key,
				 json_type_to_name(type), json_type_to_name(want[i].type));
			return false;
		}
		i++;
	}
	snprintf(why, len, "%zu members, not %zu", i, n);
	return i == n;
}
