// SPDX-License-Identifier: GPL-2.0
/* alarm() scaled by $VMATLAS_TIMEOUT_SCALE: see timeout.h. */
#include <stdlib.h>
#include <unistd.h>

/* timeout.h renamed unistd.h's declaration: the real one. */
#undef alarm
extern unsigned int alarm(unsigned int seconds);

unsigned int vmatlas_timeout_scale(void)
{
	const char *scale = getenv("VMATLAS_TIMEOUT_SCALE");
	unsigned long n = scale ? strtoul(scale, NULL, 10) : 1;

	return n > 1 && n < 1000 ? n : 1;
}

unsigned int vmatlas_alarm(unsigned int seconds)
{
	return alarm(seconds * vmatlas_timeout_scale());
}
