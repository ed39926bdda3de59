// SPDX-License-Identifier: GPL-2.0
/*
 * What the tool does on a terminal, on a pseudo-terminal of the test's:
 * colour on stdout (--color=auto, always, never; NO_COLOR) and the progress
 * line on stderr of the commands that read a whole address space. Neither
 * may change a byte of what a pipe receives: the coloured table without
 * its colours is the plain one, stdout beside a progress line is stdout
 * without one, and the line is erased when the walk ends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "layout.h"
#include "layout_fixture.h"
#include "sgr.h"

/*
 * --color=always draws the very table --color=never prints: bold headers,
 * the stack's KIND green, and nothing else changed. Into a pipe (auto, the
 * default) there is no colour; a WHEN that is not auto, always or never is
 * a usage error.
 */
TEST_F(layout, color_is_the_plain_table_drawn_in_colour)
{
	const char *const never[] = { "maps", "--color=never", self->pid, NULL };
	const char *const always[] = { "maps", "--color=always", self->pid, NULL };
	const char *const piped[] = { "maps", self->pid, NULL };
	const char *const bad[] = { "maps", "--color=sometimes", self->pid, NULL };
	static struct run_result plain, color, res;
	int tries = 0;

	for (;;) {
		ASSERT_NE(NULL, run_tool_text(&plain, never));
		ASSERT_NE(NULL, run_tool_text(&color, always));
		EXPECT_EQ(NULL, strchr(plain.out, '\033'));
		EXPECT_NE(NULL, strstr(color.out, "\033[1mSTART\033[0m"));
		EXPECT_NE(NULL, strstr(color.out, "\033[32mstack\033[0m")) TH_LOG("%s", color.out);
		strip_sgr(color.out);
		/* The kernel may reclaim a page between the two: then again. */
		if (!strcmp(plain.out, color.out) || ++tries == 3)
			break;
		run_result_free(&plain);
		run_result_free(&color);
	}
	EXPECT_STREQ(plain.out, color.out);
	run_result_free(&plain);
	run_result_free(&color);

	ASSERT_NE(NULL, run_tool_text(&res, piped));
	EXPECT_EQ(NULL, strchr(res.out, '\033'));
	run_result_free(&res);
	ASSERT_EQ(0, run_tool(&res, -1, bad));
	EXPECT_EQ(2, run_exit_code(&res));
	EXPECT_STREQ("", res.out);
	EXPECT_EQ(1, count_lines(res.err)) TH_LOG("%s", res.err);
	EXPECT_NE(NULL, strstr(res.err, "invalid --color 'sometimes'")) TH_LOG("%s", res.err);
	run_result_free(&res);
}

/*
 * --color=auto, the default, colours a terminal's table: the same table as
 * a pipe gets, drawn in colour. NO_COLOR turns it off (no-color.org).
 */
TEST_F(layout, color_auto_colours_a_terminal_unless_NO_COLOR)
{
	const char *const args[] = { "maps", self->pid, NULL };
	static struct run_result plain, tty;
	int tries = 0;

	for (;;) {
		ASSERT_NE(NULL, run_tool_text(&plain, args));
		ASSERT_EQ(0, run_tool_tty(&tty, STDOUT_FILENO, args));
		ASSERT_EQ(0, run_exit_code(&tty)) TH_LOG("%s", tty.err);
		ASSERT_NE(NULL, tty.out);
		EXPECT_NE(NULL, strstr(tty.out, "\033[1mSTART\033[0m"));
		strip_sgr(tty.out);
		if (!strcmp(plain.out, tty.out) || ++tries == 3)
			break;
		run_result_free(&plain);
		run_result_free(&tty);
	}
	EXPECT_STREQ(plain.out, tty.out);
	run_result_free(&plain);
	run_result_free(&tty);

	setenv("NO_COLOR", "1", 1);
	ASSERT_EQ(0, run_tool_tty(&tty, STDOUT_FILENO, args));
	unsetenv("NO_COLOR");
	ASSERT_EQ(0, run_exit_code(&tty)) TH_LOG("%s", tty.err);
	EXPECT_EQ(NULL, strchr(tty.out ?: "", '\033'));
	run_result_free(&tty);
}

/*
 * @command's progress line on a terminal: "vmatlas: COMMAND: 0x...", drawn
 * over itself with '\r' and erased at the end, nothing after it; stdout
 * (a pipe) is what it is without a terminal. The half second before the
 * first line is made 0, as the walk of a small process is quick.
 */
static void progress_case(struct __test_metadata *_metadata, const char *command,
			  const char *pid)
{
	const char *const args[] = { command, pid, NULL };
	static struct run_result plain, tty;
	char want[32];
	size_t n;
	int tries = 0;

	snprintf(want, sizeof(want), "\rvmatlas: %s: 0x", command);
	setenv("VMATLAS_PROGRESS_DELAY_MS", "0", 1);
	for (;;) {
		ASSERT_NE(NULL, run_tool_text(&plain, args));
		/* Off a terminal, never a progress line. */
		EXPECT_STREQ("", plain.err);
		ASSERT_EQ(0, run_tool_tty(&tty, STDERR_FILENO, args));
		ASSERT_EQ(0, run_exit_code(&tty)) TH_LOG("%s", tty.err);
		if (!strcmp(plain.out, tty.out ?: "") || ++tries == 3)
			break;
		run_result_free(&plain);
		run_result_free(&tty);
	}
	unsetenv("VMATLAS_PROGRESS_DELAY_MS");
	EXPECT_STREQ(plain.out, tty.out);
	EXPECT_TRUE(strstr(tty.err, want) == tty.err) TH_LOG("stderr: '%s'", tty.err);
	n = strlen(tty.err);
	ASSERT_LE(4, n);
	EXPECT_STREQ("\r\033[K", tty.err + n - 4) TH_LOG("stderr: '%s'", tty.err);
	EXPECT_EQ(NULL, strchr(tty.err, '\n')) TH_LOG("stderr: '%s'", tty.err);
	run_result_free(&plain);
	run_result_free(&tty);
}

TEST_F(layout, ptdump_progress_line_on_a_terminal_is_erased)
{
	progress_case(_metadata, "ptdump", self->pid);
}

TEST_F(layout, maps_progress_line_on_a_terminal_is_erased)
{
	progress_case(_metadata, "maps", self->pid);
}

TEST_HARNESS_MAIN
