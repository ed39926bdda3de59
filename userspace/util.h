/* SPDX-License-Identifier: GPL-2.0 */
/* What every part of the tool may use, front end or not. */
#ifndef _VMATLAS_UTIL_H
#define _VMATLAS_UTIL_H

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* _VMATLAS_UTIL_H */
