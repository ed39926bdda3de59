/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Colour in the tool's text, for the tests that check it (terminal_test,
 * output_unit): what remains without it must be the plain text.
 */
#ifndef _VMATLAS_TEST_SGR_H
#define _VMATLAS_TEST_SGR_H

#include <string.h>

/* Remove every SGR sequence, "ESC [ ... m", from @s, in place. */
static inline void strip_sgr(char *s)
{
	char *to = s;

	while (*s) {
		if (s[0] == '\033' && s[1] == '[') {
			s += strcspn(s, "m");
			s += !!*s;
			continue;
		}
		*to++ = *s++;
	}
	*to = '\0';
}

#endif /* _VMATLAS_TEST_SGR_H */
