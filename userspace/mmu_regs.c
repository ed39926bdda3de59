// SPDX-License-Identifier: GPL-2.0
/*
 * The MMU's control register and table bases that LAYOUT reads, decoded:
 * arm64's TCR_EL1, TTBR0_EL1 and TTBR1_EL1 (Arm ARM D24.2), x86's CR4 and
 * CR3. They say how each half of the address space is translated: how many
 * address bits, which granule, where its top table is.
 */
#include <string.h>
#include <sys/utsname.h>

#include "mmu_regs.h"
#include "output.h"

#define BIT64(n)		(1ULL << (n))
#define FIELD(v, lo, bits)	(((v) >> (lo)) & ((1ULL << (bits)) - 1))

static void add_bool(struct json_object *o, const char *key, unsigned long long v, int bit)
{
	json_object_object_add(o, key, json_object_new_boolean(!!(v & BIT64(bit))));
}

/* TCR_EL1.TG0 and .TG1 encode the granule differently. */
static int granule(unsigned int tg, bool tg1)
{
	static const int tg0_sizes[] = { 4096, 65536, 16384, 0 };
	static const int tg1_sizes[] = { 0, 16384, 4096, 65536 };

	return tg1 ? tg1_sizes[tg & 3] : tg0_sizes[tg & 3];
}

static struct json_object *tcr_json(unsigned long long tcr)
{
	static const int pa_bits[] = { 32, 36, 40, 42, 44, 48, 52, 56 };
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "register", json_object_new_string("TCR_EL1"));
	json_object_object_add(o, "value", out_hex(tcr));
	json_object_object_add(o, "user_va_bits", json_object_new_int(64 - FIELD(tcr, 0, 6)));
	json_object_object_add(o, "kernel_va_bits", json_object_new_int(64 - FIELD(tcr, 16, 6)));
	json_object_object_add(o, "user_granule",
			       json_object_new_int(granule(FIELD(tcr, 14, 2), false)));
	json_object_object_add(o, "kernel_granule",
			       json_object_new_int(granule(FIELD(tcr, 30, 2), true)));
	json_object_object_add(o, "pa_bits", json_object_new_int(pa_bits[FIELD(tcr, 32, 3)]));
	json_object_object_add(o, "asid_bits", json_object_new_int(tcr & BIT64(36) ? 16 : 8));
	/* A1: the ASID in use is TTBR1's, not TTBR0's. */
	add_bool(o, "asid_in_ttbr1", tcr, 22);
	add_bool(o, "hw_access_flag", tcr, 39);
	add_bool(o, "hw_dirty", tcr, 40);
	add_bool(o, "lpa2", tcr, 59);
	return o;
}

/* BADDR: bits 47-6 (a table may be as small as 64 bytes); with DS, 51-48 in 5-2. */
static struct json_object *ttbr_json(const char *name, unsigned long long ttbr, bool ds,
				     bool hidden)
{
	struct json_object *o = json_object_new_object();
	unsigned long long table = ttbr & (BIT64(48) - BIT64(6));

	if (ds)
		table |= FIELD(ttbr, 2, 4) << 48;
	json_object_object_add(o, "register", json_object_new_string(name));
	json_object_object_add(o, "value", out_hex_or_null(!hidden, ttbr));
	json_object_object_add(o, "table", out_hex_or_null(!hidden, table));
	json_object_object_add(o, "asid", hidden ? NULL : json_object_new_int(FIELD(ttbr, 48, 16)));
	return o;
}

static struct json_object *cr4_json(unsigned long long cr4)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "register", json_object_new_string("CR4"));
	json_object_object_add(o, "value", out_hex(cr4));
	add_bool(o, "pse", cr4, 4);
	add_bool(o, "pae", cr4, 5);
	add_bool(o, "pge", cr4, 7);
	add_bool(o, "la57", cr4, 12);
	add_bool(o, "pcide", cr4, 17);
	add_bool(o, "smep", cr4, 20);
	add_bool(o, "smap", cr4, 21);
	return o;
}

/* PAE's top table is 32 bytes (CR3 bits 31-5); x86-64's a page (51-12). */
static struct json_object *cr3_json(unsigned long long cr3, unsigned long long cr4, bool is64,
				    bool hidden)
{
	struct json_object *o = json_object_new_object();
	unsigned long long table = is64 ? cr3 & 0x000ffffffffff000ULL : cr3 & 0xffffffe0ULL;
	bool pcid = cr4 & BIT64(17);

	json_object_object_add(o, "register", json_object_new_string("CR3"));
	json_object_object_add(o, "value", out_hex_or_null(!hidden, cr3));
	json_object_object_add(o, "table", out_hex_or_null(!hidden, table));
	json_object_object_add(o, "pcid", hidden || !pcid ? NULL :
				   json_object_new_int(FIELD(cr3, 0, 12)));
	return o;
}

struct json_object *mmu_regs_json(const struct vmatlas_layout *l)
{
	bool hidden = l->out_flags & VMATLAS_LAYOUT_TABLES_HIDDEN;
	struct json_object *o;
	struct utsname uts;

	if (!(l->out_flags & VMATLAS_LAYOUT_MMU) || uname(&uts))
		return NULL;
	o = json_object_new_object();
	if (!strcmp(uts.machine, "aarch64")) {
		bool ds = l->mmu_control & BIT64(59);

		json_object_object_add(o, "control", tcr_json(l->mmu_control));
		json_object_object_add(o, "table_base_user",
				       ttbr_json("TTBR0_EL1", l->table_base_user, ds, hidden));
		json_object_object_add(o, "table_base_kernel",
				       ttbr_json("TTBR1_EL1", l->table_base_kernel, ds, hidden));
	} else {
		json_object_object_add(o, "control", cr4_json(l->mmu_control));
		json_object_object_add(o, "table_base_user",
				       cr3_json(l->table_base_user, l->mmu_control,
						!strcmp(uts.machine, "x86_64"), hidden));
		json_object_object_add(o, "table_base_kernel", NULL);
	}
	json_object_object_add(o, "tables_hidden", json_object_new_boolean(hidden));
	return o;
}
