// SPDX-License-Identifier: GPL-2.0
/*
 * The page-table entry of the kernel the tracer runs on: which bits say
 * present, writable and leaf, and where the physical address sits. The BPF
 * walk reads tables with it and the events' entries are decoded with it;
 * the module's own decoding (VMATLAS_ENT_*) stays the reference, this is
 * only what a tracer needs on the fault path.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/vmatlas.h>

#include "bpf/faults.h"
#include "faults.h"
#include "output.h"

/* arm64 marks a PROT_NONE entry present-but-invalid in bit 11 since 6.10. */
static bool arm64_present_invalid_is_ng(const char *release)
{
	unsigned int major, minor;

	if (sscanf(release, "%u.%u", &major, &minor) != 2)
		return true;
	return major > 6 || (major == 6 && minor >= 10);
}

/* The entry format of this kernel's architecture: the walk's and the events'. */
struct entry_format faults_fmt;

int faults_entry_format(struct entry_format *f)
{
	unsigned int page_shift = __builtin_ctzl(sysconf(_SC_PAGESIZE));
	struct utsname uts;

	if (uname(&uts))
		return -1;
	memset(f, 0, sizeof(*f));
	f->page_shift = page_shift;
	f->index_bits = page_shift - 3;
	if (!strcmp(uts.machine, "x86_64")) {
		f->present = 0x101;		/* _PAGE_PRESENT | _PAGE_PROTNONE */
		f->write = 0x2;			/* _PAGE_RW */
		f->leaf_mask = 0x80;		/* _PAGE_PSE: a huge leaf */
		f->leaf_value = 0x80;
		f->addr = 0x000ffffffffff000ULL;
		return 0;
	}
	if (!strcmp(uts.machine, "aarch64")) {
		/* PTE_VALID, and PTE_PRESENT_INVALID (or PTE_PROT_NONE) */
		f->present = 1ULL | (arm64_present_invalid_is_ng(uts.release) ? 1ULL << 11 :
										1ULL << 58);
		f->write = 1ULL << 51;		/* PTE_WRITE, which is PTE_DBM */
		f->leaf_mask = 0x2;		/* a block, not a table */
		f->leaf_value = 0;
		/* The output address up to bit 49; 52-bit PAs are not decoded. */
		f->addr = ((1ULL << 50) - 1) & ~((1ULL << page_shift) - 1);
		return 0;
	}
	return -1;
}

bool faults_direct_map_at_zero(void)
{
	struct utsname uts;

	return !uname(&uts) && !strcmp(uts.machine, "x86_64");
}

bool faults_has_syndrome(void)
{
	struct utsname uts;

	return !uname(&uts) && !strcmp(uts.machine, "aarch64");
}

const char *const faults_mmu_names[] = {
	"other", "translation", "access_flag", "permission",
};

/*
 * ESR_EL1 of a data or instruction abort (Arm ARM D24.2.41): the exception
 * class in bits 31-26, for a data abort WnR (bit 6), and the fault status
 * code. The level is the table level the walk stopped at (0-3; -1 for
 * LPA2's fifth level).
 */
struct json_object *faults_syndrome_json(unsigned long long esr)
{
	unsigned int ec = (esr >> 26) & 0x3f, fsc = ESR_FSC(esr), slot = esr_fsc_slot(fsc);
	bool data = ec == 0x24 || ec == 0x25;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "esr", out_hex(esr));
	json_object_object_add(o, "abort", json_object_new_string(data ? "data" :
							ec == 0x20 || ec == 0x21 ? "instruction" :
							"other"));
	json_object_object_add(o, "fault",
			       json_object_new_string(faults_mmu_names[slot - FC_MMU_OTHER]));
	json_object_object_add(o, "level", slot == FC_MMU_OTHER ? NULL :
				   json_object_new_int(fsc == 0x2b ? -1 : (int)(fsc & 3)));
	json_object_object_add(o, "write", data ? json_object_new_boolean(esr & (1U << 6)) :
				   NULL);
	return o;
}

/* An event's entry before or after the fault, decoded with faults_fmt. */
struct json_object *faults_pte_json(unsigned int level, unsigned long long pte,
				    const struct fault_page *pg)
{
	const struct entry_format *f = &faults_fmt;
	struct json_object *o;

	if (level == PTE_UNKNOWN)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "present", json_object_new_boolean(level && level <= 3));
	json_object_object_add(o, "swap", json_object_new_boolean(level == PTE_SWAP));
	json_object_object_add(o, "entry", out_hex(pte));
	if (level >= PTE_LEAF_PTE && level <= PTE_LEAF_PUD) {
		/* PTE, PMD, PUD: each level's index above the page's offset. */
		unsigned int shift = f->page_shift + (level - PTE_LEAF_PTE) * f->index_bits;

		json_object_object_add(o, "writable", json_object_new_boolean(!!(pte & f->write)));
		json_object_object_add(o, "pfn", out_hex((pte & f->addr) >> f->page_shift));
		json_object_object_add(o, "size", json_object_new_int64(1LL << shift));
	}
	/* The struct page, from the kfunc only. */
	if (pg->mapcount >= 0) {
		json_object_object_add(o, "mapcount", json_object_new_int64(pg->mapcount));
		json_object_object_add(o, "refcount", json_object_new_int64(pg->refcount));
		json_object_object_add(o, "anon",
				       json_object_new_boolean(pg->flags & VMATLAS_PG_ANON));
		json_object_object_add(o, "zero_page",
				       json_object_new_boolean(pg->flags & VMATLAS_PG_ZERO));
	}
	return o;
}
