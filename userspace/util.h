/* SPDX-License-Identifier: GPL-2.0 */
/* What every part of the tool may use, front end or not. */
#ifndef _VMATLAS_UTIL_H
#define _VMATLAS_UTIL_H

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* qsort()'s comparison of two unsigned long long. */
static inline int cmp_ull(const void *x, const void *y)
{
	unsigned long long a = *(const unsigned long long *)x, b = *(const unsigned long long *)y;

	return a < b ? -1 : a > b;
}

#endif /* _VMATLAS_UTIL_H */
