// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas faults in a build without BPF (the 32-bit tool, or no vmlinux BTF
 * at build time): says so.
 */
#include "cli.h"

static int faults_unavailable(int argc, char **argv)
{
	return vmatlas_error("this vmatlas was built without BPF support");
}

const struct vmatlas_cmd vmatlas_cmd_faults = {
	.name = "faults",
	.summary = "page faults of a process or command (not in this build)",
	.run = faults_unavailable,
};
