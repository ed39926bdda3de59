/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the atlas's two pictures share: the SVG element, which the page
 * embeds, and XML escaping.
 */
#ifndef _VMATLAS_ATLAS_DRAW_H
#define _VMATLAS_ATLAS_DRAW_H

#include <stdio.h>

struct atlas;

/* The <svg> element of @a, to @out. */
void atlas_svg(FILE *out, const struct atlas *a);

/* @s as XML character data or attribute value: &, <, >, " escaped. */
void atlas_xml(FILE *out, const char *s);

#endif /* _VMATLAS_ATLAS_DRAW_H */
