// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for the vmatlas selftests.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

const char *vmatlas_tool(void)
{
	const char *tool = getenv("VMATLAS_TOOL");

	return tool && *tool ? tool : "vmatlas";
}

static void drain(int fds[2], char *bufs[2], size_t lens[2])
{
	size_t used[2] = { 0, 0 };
	struct pollfd pfd[2];
	int open_fds = 2, i;

	for (i = 0; i < 2; i++) {
		pfd[i].fd = fds[i];
		pfd[i].events = POLLIN;
	}
	while (open_fds) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		for (i = 0; i < 2; i++) {
			char scratch[512];
			bool full = used[i] + 1 >= lens[i];
			char *dst = full ? scratch : bufs[i] + used[i];
			size_t room = full ? sizeof(scratch) : lens[i] - 1 - used[i];
			ssize_t n;

			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(pfd[i].fd, dst, room);
			if (n <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open_fds--;
			} else if (dst != scratch) {
				used[i] += n;
			}
		}
	}
	for (i = 0; i < 2; i++)
		bufs[i][used[i]] = '\0';
}

int run_tool(struct run_result *res, uid_t uid, const char *const args[])
{
	int out[2], err[2], fds[2];
	char *bufs[2] = { res->out, res->err };
	size_t lens[2] = { sizeof(res->out), sizeof(res->err) };
	const char *argv[32];
	pid_t pid;
	int i;

	argv[0] = vmatlas_tool();
	for (i = 0; args[i] && i < 30; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;

	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		if (uid != (uid_t)-1 && (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
					 setresuid(uid, uid, uid)))
			_exit(125);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	fds[0] = out[0];
	fds[1] = err[0];
	drain(fds, bufs, lens);
	if (waitpid(pid, &res->status, 0) < 0)
		return -errno;
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
