// SPDX-License-Identifier: GPL-2.0
/*
 * The process side of "vmatlas faults": starting the command to trace and
 * noticing that a traced process has ended. Nothing here knows BPF.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "faults.h"

/* Start the command; it is traced from its first instruction. */
pid_t faults_spawn(char **argv)
{
	int pipefd[2], err = 0;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execvp(argv[0], argv);
		err = errno;
		if (write(pipefd[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(127);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &err, sizeof(err)) == sizeof(err)) {
		waitpid(pid, NULL, 0);
		close(pipefd[0]);
		return -err;
	}
	close(pipefd[0]);
	return pid;
}

/* Gone, or a zombie whose parent has not reaped it yet: it faults no more. */
bool faults_gone(int pid)
{
	char path[32], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return true;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return !p || p[2] == 'Z' || p[2] == 'X';
}
