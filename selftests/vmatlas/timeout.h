/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-test timeouts that follow the machine: kselftest_harness.h arms
 * alarm() with each test's timeout (30 s unless TEST_F_TIMEOUT says), which
 * a debug kernel (KASAN, lockdep) under QEMU TCG, many times slower than a
 * production kernel, overruns. Every test is built with this header
 * included first (the Makefile's -include), so the harness's alarm() goes
 * through vmatlas_alarm(), which multiplies it by $VMATLAS_TIMEOUT_SCALE
 * (an integer, default 1; the debug target's VM sets it).
 */
#ifndef _VMATLAS_TEST_TIMEOUT_H
#define _VMATLAS_TEST_TIMEOUT_H

/* $VMATLAS_TIMEOUT_SCALE: how many times slower than a production kernel. */
unsigned int vmatlas_timeout_scale(void);

unsigned int vmatlas_alarm(unsigned int seconds);
#define alarm(seconds) vmatlas_alarm(seconds)

#endif
