/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the tables the tool prints without --json, as a person reads
 * them: lines, words, which header a cell sits under, sizes as cells.
 */
#ifndef _VMATLAS_TEST_TABLES_H
#define _VMATLAS_TEST_TABLES_H

#include <stddef.h>

/* The next line of *@text into @line, without its '\n'; 0 at the end. */
int next_line(const char **text, char *line, size_t len);

/* @line's words, separated by any blanks, joined by single spaces. */
void words(const char *line, char *out, size_t len);

/*
 * Whether every cell of @line sits under its header in @hdr: in a column
 * that @align marks 'R' it ends where the header ends, in an 'L' column it
 * starts where the header starts. Only the first strlen(@align) columns,
 * whose cells are words: not the PATH that ends a maps row.
 * Return: -1, or the first column missing or out of place.
 */
int table_misaligned(const char *hdr, const char *line, const char *align);

/* A SIZE cell of maps, ptdump and kaddr: "4K", "64K", "2M", "1.5M" (one decimal, cut). */
void size_cell(unsigned long long b, char *out, size_t len);

#endif /* _VMATLAS_TEST_TABLES_H */
