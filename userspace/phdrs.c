// SPDX-License-Identifier: GPL-2.0
/*
 * The program headers of an ELF file (phdrs.h). Only what mapping a program
 * needs is read: the header, each program header, the interpreter's name.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "phdrs.h"

static int elf_fail(char *why, size_t len, int err, const char *path, const char *what)
{
	snprintf(why, len, "%s: %s", path, what);
	return -err;
}

/* One program header of either class, into @s. */
static void elf_seg_of(const unsigned char *ph, bool is64, struct elf_seg *s)
{
	if (is64) {
		const Elf64_Phdr *p = (const Elf64_Phdr *)ph;

		*s = (struct elf_seg){ p->p_type, p->p_flags, p->p_offset, p->p_vaddr,
				       p->p_filesz, p->p_memsz };
	} else {
		const Elf32_Phdr *p = (const Elf32_Phdr *)ph;

		*s = (struct elf_seg){ p->p_type, p->p_flags, p->p_offset, p->p_vaddr,
				       p->p_filesz, p->p_memsz };
	}
}

int elf_read(const char *path, struct elf_info *e, char *why, size_t len)
{
	unsigned char hdr[sizeof(Elf64_Ehdr)], ph[sizeof(Elf64_Phdr)];
	unsigned long long phoff;
	unsigned int phnum, phentsize, type, i;
	const struct elf_seg *in;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;
	ssize_t n;

	memset(e, 0, sizeof(*e));
	if (fd < 0)
		return elf_fail(why, len, errno, path, strerror(errno));
	n = pread(fd, hdr, sizeof(hdr), 0);
	if (n < (ssize_t)sizeof(Elf32_Ehdr) || memcmp(hdr, ELFMAG, SELFMAG)) {
		err = elf_fail(why, len, ENOEXEC, path, "not an ELF file");
		goto out;
	}
	if (hdr[EI_DATA] != ELFDATA2LSB || (hdr[EI_CLASS] != ELFCLASS32 &&
					    hdr[EI_CLASS] != ELFCLASS64)) {
		err = elf_fail(why, len, ENOEXEC, path, "not a little-endian ELF of 32 or 64 bits");
		goto out;
	}
	e->is64 = hdr[EI_CLASS] == ELFCLASS64;
	if (e->is64) {
		const Elf64_Ehdr *h = (const Elf64_Ehdr *)hdr;

		type = h->e_type, phoff = h->e_phoff, phnum = h->e_phnum;
		phentsize = h->e_phentsize;
	} else {
		const Elf32_Ehdr *h = (const Elf32_Ehdr *)hdr;

		type = h->e_type, phoff = h->e_phoff, phnum = h->e_phnum;
		phentsize = h->e_phentsize;
	}
	if ((type != ET_EXEC && type != ET_DYN) || phnum > ELF_MAX_SEGS ||
	    phentsize != (e->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr))) {
		err = elf_fail(why, len, ENOEXEC, path, "not a program (no program headers)");
		goto out;
	}
	e->pie = type == ET_DYN;
	for (i = 0; i < phnum; i++) {
		if (pread(fd, ph, phentsize, phoff + (unsigned long long)i * phentsize) !=
		    (ssize_t)phentsize) {
			err = elf_fail(why, len, EIO, path, "short program header");
			goto out;
		}
		elf_seg_of(ph, e->is64, &e->segs[e->nsegs++]);
	}
	in = elf_find(e, PT_INTERP);
	if (in && in->filesz < sizeof(e->interp) &&
	    pread(fd, e->interp, in->filesz, in->offset) == (ssize_t)in->filesz)
		e->interp[in->filesz] = '\0';
	else if (in)
		err = elf_fail(why, len, ENOEXEC, path, "unreadable PT_INTERP");
out:
	close(fd);
	return err;
}

const char *elf_type_name(unsigned int type)
{
	switch (type) {
	case PT_LOAD:
		return "LOAD";
	case PT_DYNAMIC:
		return "DYNAMIC";
	case PT_INTERP:
		return "INTERP";
	case PT_NOTE:
		return "NOTE";
	case PT_PHDR:
		return "PHDR";
	case PT_TLS:
		return "TLS";
	case PT_GNU_EH_FRAME:
		return "GNU_EH_FRAME";
	case PT_GNU_STACK:
		return "GNU_STACK";
	case PT_GNU_RELRO:
		return "GNU_RELRO";
	case PT_GNU_PROPERTY:
		return "GNU_PROPERTY";
	}
	return "other";
}

const struct elf_seg *elf_find(const struct elf_info *e, unsigned int type)
{
	size_t i;

	for (i = 0; i < e->nsegs; i++)
		if (e->segs[i].type == type)
			return &e->segs[i];
	return NULL;
}
