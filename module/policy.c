// SPDX-License-Identifier: GPL-2.0
/*
 * Who may see what. Modelled on /proc/PID/pagemap, made stricter because
 * ptrace_may_access() is not exported to modules: another process's address
 * space and all physical addresses need CAP_SYS_ADMIN, checked on the
 * credentials the file was opened with, so that a privileged opener cannot
 * hand its descriptor to an unprivileged process that then learns more than
 * its opener could.
 */
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/security.h>
#include <linux/string.h>
#include <linux/fs.h>
#include <linux/user_namespace.h>

#include "vmatlas.h"

/**
 * vmatlas_privileged() - did the opener of @file have CAP_SYS_ADMIN?
 * @file: the char device or debugfs file the request came through
 *
 * The one question behind both rules: may this opener see physical
 * addresses, and may it look at processes other than itself.
 *
 * Return: true if @file was opened with CAP_SYS_ADMIN in the initial user
 * namespace.
 */
bool vmatlas_privileged(const struct file *file)
{
	return file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN);
}

/**
 * vmatlas_may_see_kernel() - may the opener of @file see kernel addresses?
 * @file: the char device or debugfs file the request came through
 *
 * Kernel addresses defeat KASLR. They need CAP_SYS_ADMIN at open, no
 * lockdown=confidentiality (the reason /proc/kcore gives), and a
 * kptr_restrict setting that shows this caller real pointers. kptr_restrict
 * is not exported, so "%pK" is asked: it prints zeros exactly when the
 * kernel would hide a pointer from the current task.
 *
 * Return: true if all three allow it.
 */
bool vmatlas_may_see_kernel(const struct file *file)
{
	return vmatlas_privileged(file) && vmatlas_kernel_addrs_shown();
}

/**
 * vmatlas_kernel_addrs_shown() - vmatlas_may_see_kernel() for a privileged opener
 *
 * For a caller that has asked vmatlas_privileged() already: each of these
 * checks goes through every LSM, and a request makes one of each.
 *
 * Return: true unless lockdown or kptr_restrict hides kernel addresses.
 */
bool vmatlas_kernel_addrs_shown(void)
{
	char buf[24];

	if (security_locked_down(LOCKDOWN_KCORE))
		return false;
	snprintf(buf, sizeof(buf), "%pK", vmatlas_may_see_kernel);
	return buf[strspn(buf, "0")] != '\0';
}

/**
 * vmatlas_bpf_may_read_kernel() - may a BPF program learn page tables here?
 *
 * A tracing program can read kernel memory, page tables and all, with the
 * privileges it needs to be loaded; lockdown=confidentiality takes that away
 * (LOCKDOWN_BPF_READ_KERNEL), and the kfunc must not give it back.
 *
 * Context: process context: security hooks may lock, allocate and audit.
 * Return: true unless the kernel is locked down for confidentiality.
 */
bool vmatlas_bpf_may_read_kernel(void)
{
	return !security_locked_down(LOCKDOWN_BPF_READ_KERNEL);
}
