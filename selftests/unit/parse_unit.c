// SPDX-License-Identifier: GPL-2.0
/*
 * The tool's command-line parsers, on the build machine: what each accepts,
 * what it refuses, and the value it gives. Addresses are read as people
 * paste them (from /proc/PID/maps, /proc/kallsyms, pagemap tools), sizes as
 * people type them.
 */
#include <stdbool.h>

#include "parse.h"
#include "kselftest_harness.h"

struct num_case {
	const char *in;
	bool ok;
	unsigned long long val;
};

static const struct num_case addr_cases[] = {
	{ "0x7ffd12340000", true, 0x7ffd12340000ULL },
	{ "7ffd12340000", true, 0x7ffd12340000ULL },	/* as maps prints it */
	{ "00400000", true, 0x400000 },			/* never octal */
	{ "0X1f", true, 0x1f },
	{ "ffffffffffffffff", true, ~0ULL },
	{ "0", true, 0 },
	{ "10", true, 0x10 },
	{ "10000000000000000", false },			/* 2^64 */
	{ "", false },
	{ "0x", false },
	{ "0x0x10", false },
	{ "-1", false },
	{ "+1", false },
	{ " 1", false },
	{ "1 ", false },
	{ "g", false },
	{ "12z", false },
};

static const struct num_case size_cases[] = {
	{ "12288", true, 12288 },
	{ "012", true, 12 },				/* decimal, not octal */
	{ "0x3000", true, 0x3000 },
	{ "12K", true, 12288 },
	{ "12k", true, 12288 },
	{ "1M", true, 1ULL << 20 },
	{ "2g", true, 2ULL << 30 },
	{ "1T", true, 1ULL << 40 },
	{ "0", true, 0 },
	{ "16777215T", true, 16777215ULL << 40 },
	{ "16777216T", false },				/* 2^64 */
	{ "18446744073709551616", false },
	{ "K", false },
	{ "1KB", false },
	{ "1.5M", false },
	{ "1P", false },
	{ "-1", false },
	{ "", false },
	{ "0x", false },
	{ "3000", true, 3000 },
};

static const struct num_case pid_cases[] = {
	{ "1", true, 1 },
	{ "2147483647", true, 2147483647 },
	{ "2147483648", false },
	{ "0", false },
	{ "-5", false },
	{ "12abc", false },
	{ "0x10", false },
	{ "", false },
};

/* Each case through @parse (@tab, @n of them): accepted or not, and the value, untouched if not. */
static void check_cases(struct __test_metadata *_metadata,
			int (*parse)(const char *s, unsigned long long *v),
			const struct num_case *tab, size_t n)
{
	unsigned long long v;
	size_t i;

	for (i = 0; i < n; i++) {
		v = 0xdead;
		EXPECT_EQ(tab[i].ok, !parse(tab[i].in, &v)) TH_LOG("'%s'", tab[i].in);
		EXPECT_EQ(tab[i].ok ? tab[i].val : 0xdead, v) TH_LOG("'%s'", tab[i].in);
	}
}

TEST(addresses_are_hexadecimal_with_or_without_0x)
{
	check_cases(_metadata, parse_addr, addr_cases, ARRAY_SIZE(addr_cases));
}

TEST(sizes_are_decimal_or_0x_with_k_m_g_t)
{
	check_cases(_metadata, parse_size, size_cases, ARRAY_SIZE(size_cases));
}

TEST(pids_are_positive_decimal_ints)
{
	size_t i;
	int v;

	for (i = 0; i < ARRAY_SIZE(pid_cases); i++) {
		v = -7;
		EXPECT_EQ(pid_cases[i].ok, !parse_pid(pid_cases[i].in, &v))
			TH_LOG("'%s'", pid_cases[i].in);
		EXPECT_EQ(pid_cases[i].ok ? (long long)pid_cases[i].val : -7, v)
			TH_LOG("'%s'", pid_cases[i].in);
	}
}

TEST_HARNESS_MAIN
