/* SPDX-License-Identifier: GPL-2.0 */
/*
 * policy_test's subjects and what each sees of each facet (policy_cells.c),
 * and its check that every ioctl writes every byte of its reply.
 */
#ifndef _VMATLAS_TEST_POLICY_H
#define _VMATLAS_TEST_POLICY_H

#include <stdbool.h>
#include <sys/types.h>

enum policy_subject {
	SUBJ_ROOT,		/* uid 0, every capability */
	SUBJ_NOADMIN,		/* uid 0 without CAP_SYS_ADMIN (nor in its bounding set) */
	SUBJ_NOBODY,		/* uid 65534 opening /dev/vmatlas (0600, root's) */
	SUBJ_NOBODY_0666,	/* uid 65534 opening a 0666 node of the same device */
	SUBJ_PASSED,		/* uid 65534 using a descriptor root opened and sent it */
	NR_SUBJ
};

enum policy_facet {
	FACET_OWN,		/* WALK, VMAS, PTDUMP of its own process */
	FACET_OTHER,		/* the same of a process of root's */
	FACET_KERNEL,		/* LAYOUT, KADDR, LAB */
	FACET_PHYS,		/* phys, pfn, PFN bits, run phys, VMATLAS_FEAT_PHYS */
	FACET_TABLES,		/* WALK's levels[].table */
	FACET_FACTS,		/* WALK's page facts */
	NR_FACET
};

#define POLICY_NPAGES	4
/* The frame number of an entry (helpers.h). */
#define PFN_BITS	entry_addr_mask()
#define POLICY_WHY	160

/*
 * What one subject saw of each facet: 'Y' shown, 'H' hidden (zero, with the
 * *_HIDDEN flag where the transport has one), 'P' EPERM, 'A' EACCES at open,
 * 'L' debugfs's own lockdown rule refused the view's control file, '-' the
 * transport offers no such facet, '?' none of these (@why).
 */
struct policy_verdict {
	char got[NR_FACET];
	char why[NR_FACET][POLICY_WHY];
};

struct policy_world {
	char *page;			/* POLICY_NPAGES private anonymous pages */
	pid_t other;			/* a process of root's that only sleeps */
	char node[64];			/* a 0666 node of the device */
	struct policy_verdict *v;	/* shared with the subjects */
};

/* Run subject @s in a process of its own; what it saw lands in @w->v. */
void policy_run_subject(enum policy_subject s, const struct policy_world *w);

/*
 * The same through debugfs (policy_debugfs.c): root points the views at the
 * subject's process, then at root's, on its behalf; the subject reads them.
 */
void policy_run_debugfs_subject(enum policy_subject s, const struct policy_world *w);

/* A descriptor over a Unix socket; 0, or -1 with errno. */
int policy_send_fd(int sock, int fd);
/* The descriptor sent, or -1 with errno. */
int policy_recv_fd(int sock);
/* Root without CAP_SYS_ADMIN, for good: out of the bounding set too. */
int policy_drop_admin_for_good(void);

/*
 * Call each ioctl twice on @fd, its reply buffers filled with 0x00 and then
 * 0xff: the replies must be the same and reserved fields zero. @who names the
 * caller in messages; process commands look at @page of @pid; the kernel
 * ones run only if @kernel. Returns the number of problems (each printed).
 */
int policy_bytes_check(int fd, const char *who, pid_t pid, void *page, bool kernel);

#endif /* _VMATLAS_TEST_POLICY_H */
