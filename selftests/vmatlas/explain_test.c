// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas explain: each scenario holds on this kernel (exit 0, every check
 * "[holds]") and says the numbers its claim is about, which the test works
 * out on its own from the page size; bad names are usage errors.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"

/* How many times @needle is in @s. */
static int occurrences(const char *s, const char *needle)
{
	int n = 0;

	for (; (s = strstr(s, needle)); s += strlen(needle))
		n++;
	return n;
}

TEST(lazy_holds_with_this_kernels_numbers)
{
	const char *const args[] = { "explain", "lazy", NULL };
	unsigned long long touched = (64ULL << 20) / sysconf(_SC_PAGESIZE) / 16;
	char want[128];
	struct run_result res;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s%s", res.out, res.err);
	EXPECT_EQ(3, occurrences(res.out, "[holds]")) TH_LOG("%s", res.out);
	EXPECT_EQ(0, occurrences(res.out, "DOES NOT HOLD")) TH_LOG("%s", res.out);
	snprintf(want, sizeof(want), "%llu pages touched", touched);
	EXPECT_NE(NULL, strstr(res.out, want)) TH_LOG("no '%s' in: %s", want, res.out);
	snprintf(want, sizeof(want), "%llu present, in %llu one-page stretches", touched, touched);
	EXPECT_NE(NULL, strstr(res.out, want)) TH_LOG("no '%s' in: %s", want, res.out);
	snprintf(want, sizeof(want), "%llu minor faults for %llu touches", touched, touched);
	EXPECT_NE(NULL, strstr(res.out, want)) TH_LOG("no '%s' in: %s", want, res.out);
	run_result_free(&res);
}

TEST(scenarios_are_listed_and_unknown_ones_refused)
{
	const char *const list[] = { "explain", NULL };
	const char *const bad[] = { "explain", "nosuch", NULL };
	struct run_result res;

	ASSERT_EQ(0, run_tool(&res, -1, list));
	EXPECT_EQ(0, run_exit_code(&res));
	EXPECT_EQ(0, strncmp(res.out, "lazy ", 5)) TH_LOG("%s", res.out);
	run_result_free(&res);
	ASSERT_EQ(0, run_tool(&res, -1, bad));
	EXPECT_EQ(2, run_exit_code(&res));
	EXPECT_NE(NULL, strstr(res.err, "no scenario 'nosuch'")) TH_LOG("%s", res.err);
	EXPECT_EQ(0, res.out_len);
	run_result_free(&res);
}

TEST_HARNESS_MAIN
