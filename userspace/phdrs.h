/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The program headers of an ELF file, 32- or 64-bit, little-endian: what
 * the kernel and the dynamic linker read to map a program.
 */
#ifndef _VMATLAS_PHDRS_H
#define _VMATLAS_PHDRS_H

#include <stdbool.h>
#include <stddef.h>

#define ELF_MAX_SEGS	32

struct elf_seg {
	unsigned int type;		/* PT_* */
	unsigned int flags;		/* PF_R, PF_W, PF_X */
	unsigned long long offset, vaddr, filesz, memsz;
};

struct elf_info {
	bool is64, pie;			/* ELFCLASS64; ET_DYN */
	char interp[256];		/* PT_INTERP, "" if none: a static program */
	struct elf_seg segs[ELF_MAX_SEGS];
	size_t nsegs;
};

/* Read @path's program headers; 0, or -errno with @why filled. */
int elf_read(const char *path, struct elf_info *e, char *why, size_t len);

/* The name readelf -l gives a segment type ("LOAD", "GNU_RELRO"). */
const char *elf_type_name(unsigned int type);

/* The first segment of @type, or NULL. */
const struct elf_seg *elf_find(const struct elf_info *e, unsigned int type);

#endif /* _VMATLAS_PHDRS_H */
