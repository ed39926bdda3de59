/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kselftest fixture of the tests that read the tool's output about the
 * layout process (layout.h): self->l, and self->pid, its PID as the tool's
 * argument. One test binary includes it once, as it does the harness.
 */
#ifndef _VMATLAS_TEST_LAYOUT_FIXTURE_H
#define _VMATLAS_TEST_LAYOUT_FIXTURE_H

#include <stdio.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "layout.h"

FIXTURE(layout) {
	struct layout l;
	char pid[16];
};

FIXTURE_SETUP(layout)
{
	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, layout_start(&self->l));
	snprintf(self->pid, sizeof(self->pid), "%d", self->l.pid);
}

FIXTURE_TEARDOWN(layout)
{
	if (self->l.pid)
		layout_stop(&self->l);
}

#endif /* _VMATLAS_TEST_LAYOUT_FIXTURE_H */
