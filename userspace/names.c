// SPDX-License-Identifier: GPL-2.0
/*
 * The tables that turn the ABI's bits and values into the names the JSON
 * documents and the tables use: one vocabulary, lowercase, the kernel's
 * names without their prefix (VM_READ is "read", as in maps's FLAGS column).
 * These names are a contract: change none of them.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <linux/vmatlas.h>

#include "libvmatlas.h"
#include "names.h"
#include "output.h"
#include "util.h"

static const struct names_bit vm_bits[] = {
	{ VMATLAS_VM_READ, "read" },
	{ VMATLAS_VM_WRITE, "write" },
	{ VMATLAS_VM_EXEC, "exec" },
	{ VMATLAS_VM_SHARED, "shared" },
	{ VMATLAS_VM_MAYREAD, "mayread" },
	{ VMATLAS_VM_MAYWRITE, "maywrite" },
	{ VMATLAS_VM_MAYEXEC, "mayexec" },
	{ VMATLAS_VM_MAYSHARE, "mayshare" },
	{ VMATLAS_VM_GROWSDOWN, "growsdown" },
	{ VMATLAS_VM_PFNMAP, "pfnmap" },
	{ VMATLAS_VM_LOCKED, "locked" },
	{ VMATLAS_VM_IO, "io" },
	{ VMATLAS_VM_SEQ_READ, "seq_read" },
	{ VMATLAS_VM_RAND_READ, "rand_read" },
	{ VMATLAS_VM_DONTCOPY, "dontcopy" },
	{ VMATLAS_VM_DONTEXPAND, "dontexpand" },
	{ VMATLAS_VM_ACCOUNT, "account" },
	{ VMATLAS_VM_NORESERVE, "noreserve" },
	{ VMATLAS_VM_HUGETLB, "hugetlb" },
	{ VMATLAS_VM_SYNC, "sync" },
	{ VMATLAS_VM_WIPEONFORK, "wipeonfork" },
	{ VMATLAS_VM_DONTDUMP, "dontdump" },
	{ VMATLAS_VM_SOFTDIRTY, "softdirty" },
	{ VMATLAS_VM_MIXEDMAP, "mixedmap" },
	{ VMATLAS_VM_HUGEPAGE, "hugepage" },
	{ VMATLAS_VM_NOHUGEPAGE, "nohugepage" },
	{ VMATLAS_VM_MERGEABLE, "mergeable" },
	{ VMATLAS_VM_UFFD_MISSING, "uffd_missing" },
	{ VMATLAS_VM_UFFD_WP, "uffd_wp" },
	{ VMATLAS_VM_LOCKONFAULT, "lockonfault" },
	{ VMATLAS_VM_UFFD_MINOR, "uffd_minor" },
	{ VMATLAS_VM_UFFD_RWP, "uffd_rwp" },
};

static const struct names_bit ent_bits[] = {
	{ VMATLAS_ENT_PRESENT, "present" },
	{ VMATLAS_ENT_WRITE, "write" },
	{ VMATLAS_ENT_USER, "user" },
	{ VMATLAS_ENT_PWT, "pwt" },
	{ VMATLAS_ENT_PCD, "pcd" },
	{ VMATLAS_ENT_ACCESSED, "accessed" },
	{ VMATLAS_ENT_DIRTY, "dirty" },
	{ VMATLAS_ENT_HUGE, "huge" },
	{ VMATLAS_ENT_GLOBAL, "global" },
	{ VMATLAS_ENT_PAT, "pat" },
	{ VMATLAS_ENT_NX, "nx" },
	{ VMATLAS_ENT_SOFT_DIRTY, "soft-dirty" },
	{ VMATLAS_ENT_UFFD_WP, "uffd-wp" },
	{ VMATLAS_ENT_SPECIAL, "special" },
	{ VMATLAS_ENT_PROTNONE, "protnone" },
	{ VMATLAS_ENT_SWAP, "swap" },
	{ VMATLAS_ENT_EXCLUSIVE, "exclusive" },
	/* Set only on arm64. */
	{ VMATLAS_ENT_ARM64_CONT, "cont" },
	{ VMATLAS_ENT_ARM64_RDONLY, "rdonly" },
	{ VMATLAS_ENT_ARM64_DBM, "dbm" },
	{ VMATLAS_ENT_ARM64_PXN, "pxn" },
	{ VMATLAS_ENT_ARM64_UXN, "uxn" },
	{ VMATLAS_ENT_ARM64_GP, "gp" },
	{ VMATLAS_ENT_ARM64_SW_DIRTY, "sw-dirty" },
};

static const struct names_bit pg_bits[] = {
	{ VMATLAS_PG_ANON, "anon" },
	{ VMATLAS_PG_KSM, "ksm" },
	{ VMATLAS_PG_ANON_EXCLUSIVE, "anon-exclusive" },
	{ VMATLAS_PG_LOCKED, "locked" },
	{ VMATLAS_PG_REFERENCED, "referenced" },
	{ VMATLAS_PG_UPTODATE, "uptodate" },
	{ VMATLAS_PG_DIRTY, "dirty" },
	{ VMATLAS_PG_LRU, "lru" },
	{ VMATLAS_PG_ACTIVE, "active" },
	{ VMATLAS_PG_WRITEBACK, "writeback" },
	{ VMATLAS_PG_SWAPCACHE, "swapcache" },
	{ VMATLAS_PG_SWAPBACKED, "swapbacked" },
	{ VMATLAS_PG_UNEVICTABLE, "unevictable" },
	{ VMATLAS_PG_MLOCKED, "mlocked" },
	{ VMATLAS_PG_LARGE, "large" },
	{ VMATLAS_PG_HUGETLB, "hugetlb" },
	{ VMATLAS_PG_ZERO, "zero" },
	{ VMATLAS_PG_RESERVED, "reserved" },
	{ VMATLAS_PG_SLAB, "slab" },
	{ VMATLAS_PG_HIGHMEM, "highmem" },
};

static const struct names_bit feat_bits[] = {
	{ VMATLAS_FEAT_HIGHMEM, "highmem" },
	{ VMATLAS_FEAT_PHYS, "phys" },
	{ VMATLAS_FEAT_DEBUGFS, "debugfs" },
	{ VMATLAS_FEAT_KFUNC, "kfunc" },
	{ VMATLAS_FEAT_VMA_LOCKS, "vma-locks" },
};

const struct names_table names_vm = { vm_bits, ARRAY_SIZE(vm_bits) };
const struct names_table names_ent = { ent_bits, ARRAY_SIZE(ent_bits) };
const struct names_table names_pg = { pg_bits, ARRAY_SIZE(pg_bits) };
const struct names_table names_feat = { feat_bits, ARRAY_SIZE(feat_bits) };

static const char *const kind_names[] = {
	[VMATLAS_KIND_ANON] = "anon",
	[VMATLAS_KIND_FILE] = "file",
	[VMATLAS_KIND_SHM] = "shm",
	[VMATLAS_KIND_HEAP] = "heap",
	[VMATLAS_KIND_STACK] = "stack",
	[VMATLAS_KIND_VDSO] = "vdso",
	[VMATLAS_KIND_VVAR] = "vvar",
	[VMATLAS_KIND_GUARD] = "guard",
	[VMATLAS_KIND_HUGETLB] = "hugetlb",
};

/* The colour (SGR parameters) each kind is drawn in: tables, --color. */
static const char *const kind_colors[] = {
	[VMATLAS_KIND_ANON] = "34",
	[VMATLAS_KIND_FILE] = "36",
	[VMATLAS_KIND_SHM] = "35",
	[VMATLAS_KIND_HEAP] = "33",
	[VMATLAS_KIND_STACK] = "32",
	[VMATLAS_KIND_VDSO] = "1;32",
	[VMATLAS_KIND_VVAR] = "1;32",
	[VMATLAS_KIND_GUARD] = "2",
	[VMATLAS_KIND_HUGETLB] = "1;35",
};

static const char *const level_names[] = {
	[VMATLAS_LEVEL_PGD] = "pgd",
	[VMATLAS_LEVEL_P4D] = "p4d",
	[VMATLAS_LEVEL_PUD] = "pud",
	[VMATLAS_LEVEL_PMD] = "pmd",
	[VMATLAS_LEVEL_PTE] = "pte",
};

static const char *const swap_names[] = {
	[VMATLAS_SWP_NONE] = "none",
	[VMATLAS_SWP_SWAP] = "swap",
	[VMATLAS_SWP_MIGRATION] = "migration",
	[VMATLAS_SWP_DEVICE] = "device",
	[VMATLAS_SWP_HWPOISON] = "hwpoison",
	[VMATLAS_SWP_MARKER] = "marker",
	[VMATLAS_SWP_OTHER] = "other",
};

static const char *const region_names[] = {
	[VMATLAS_REGION_USER] = "user",
	[VMATLAS_REGION_DIRECT_MAP] = "direct_map",
	[VMATLAS_REGION_VMALLOC] = "vmalloc",
	[VMATLAS_REGION_VMEMMAP] = "vmemmap",
	[VMATLAS_REGION_MODULES] = "modules",
	[VMATLAS_REGION_KERNEL_IMAGE] = "kernel_image",
	[VMATLAS_REGION_KERNEL_TEXT] = "kernel_text",
	[VMATLAS_REGION_KERNEL_RODATA] = "kernel_rodata",
	[VMATLAS_REGION_KERNEL_DATA] = "kernel_data",
	[VMATLAS_REGION_KERNEL_BSS] = "kernel_bss",
	[VMATLAS_REGION_FIXMAP] = "fixmap",
	[VMATLAS_REGION_PKMAP] = "pkmap",
	[VMATLAS_REGION_CPU_ENTRY_AREA] = "cpu_entry_area",
	[VMATLAS_REGION_LDT_REMAP] = "ldt_remap",
	[VMATLAS_REGION_ESPFIX] = "espfix",
	[VMATLAS_REGION_VSYSCALL] = "vsyscall",
	[VMATLAS_REGION_HOLE] = "hole",
	[VMATLAS_REGION_NONCANONICAL] = "non_canonical",
	[VMATLAS_REGION_PCI_IO] = "pci_io",
	[VMATLAS_REGION_KASAN_SHADOW] = "kasan_shadow",
};

void names_append_bits(struct json_object *array, const struct names_table *table,
		       unsigned long long bits)
{
	size_t i;

	for (i = 0; i < table->count; i++)
		if (bits & table->bits[i].bit)
			json_object_array_add(array, json_object_new_string(table->bits[i].name));
}

struct json_object *names_bits_to_json(const struct names_table *table, unsigned long long bits)
{
	struct json_object *array = json_object_new_array();

	names_append_bits(array, table, bits);
	return array;
}

void names_json_bits(struct out_json *j, const char *key, const struct names_table *table,
		     unsigned long long bits)
{
	size_t i;

	out_json_array(j, key);
	for (i = 0; i < table->count; i++)
		if (bits & table->bits[i].bit)
			out_json_str(j, NULL, table->bits[i].name);
	out_json_close(j);
}

const char *names_join_bits(char *buf, size_t len, const struct names_table *table,
			    unsigned long long bits)
{
	size_t i, at = 0;
	const char *name;

	for (i = 0; i < table->count; i++) {
		if (!(bits & table->bits[i].bit))
			continue;
		name = table->bits[i].name;
		if (at && at + 1 < len)
			buf[at++] = ',';
		for (; *name && at + 1 < len; name++)
			buf[at++] = *name;
	}
	if (!at && len > 1)
		buf[at++] = '-';
	if (len)
		buf[at] = '\0';
	return buf;
}

unsigned long long names_json_to_bits(const struct names_table *table, struct json_object *array)
{
	unsigned long long bits = 0;
	size_t i, j, n = json_object_array_length(array);

	for (i = 0; i < n; i++) {
		const char *name = json_object_get_string(json_object_array_get_idx(array, i));

		for (j = 0; j < table->count; j++)
			if (name && !strcmp(name, table->bits[j].name))
				bits |= table->bits[j].bit;
	}
	return bits;
}

struct json_object *names_page_to_json(const struct vmatlas_page *page)
{
	struct json_object *obj = json_object_new_object();

	json_object_object_add(obj, "flags", names_bits_to_json(&names_pg, page->flags));
	json_object_object_add(obj, "mapcount", json_object_new_int(page->mapcount));
	json_object_object_add(obj, "refcount", json_object_new_int(page->refcount));
	json_object_object_add(obj, "order", json_object_new_int64(page->order));
	return obj;
}

void names_perms(unsigned long long vm_flags, char perms[5])
{
	perms[0] = vm_flags & VMATLAS_VM_READ ? 'r' : '-';
	perms[1] = vm_flags & VMATLAS_VM_WRITE ? 'w' : '-';
	perms[2] = vm_flags & VMATLAS_VM_EXEC ? 'x' : '-';
	perms[3] = vm_flags & VMATLAS_VM_MAYSHARE ? 's' : 'p';
	perms[4] = '\0';
}

/* The name of @value in @names, or "unknown" if it has none. */
static const char *names_value(const char *const *names, size_t count, unsigned int value)
{
	return value < count && names[value] ? names[value] : "unknown";
}

const char *names_kind(unsigned int kind)
{
	return names_value(kind_names, ARRAY_SIZE(kind_names), kind);
}

const char *names_kind_color(unsigned int kind)
{
	return kind < ARRAY_SIZE(kind_colors) ? kind_colors[kind] : NULL;
}

const char *names_level(unsigned int level)
{
	return names_value(level_names, ARRAY_SIZE(level_names), level);
}

const char *names_swap(unsigned int swap_kind)
{
	return names_value(swap_names, ARRAY_SIZE(swap_names), swap_kind);
}

const char *names_region(unsigned int region)
{
	return names_value(region_names, ARRAY_SIZE(region_names), region);
}

/* The LAB kinds' names are the device library's (libvmatlas needs no json-c). */
const char *names_lab_kind(unsigned int kind)
{
	const char *name = vmatlas_lab_kind(kind);

	return name ? name : "unknown";
}

unsigned int names_lab_kind_value(const char *name)
{
	unsigned int kind;

	/* VMATLAS_LAB_* count from 1, with no gap. */
	for (kind = 1; vmatlas_lab_kind(kind); kind++)
		if (!strcmp(name, vmatlas_lab_kind(kind)))
			return kind;
	return 0;
}

const struct names_member names_residency[] = {
	{ "present", offsetof(struct vmatlas_residency, present) },
	{ "swap", offsetof(struct vmatlas_residency, swap) },
	{ "anon", offsetof(struct vmatlas_residency, anon) },
	{ "file", offsetof(struct vmatlas_residency, file) },
	{ "thp", offsetof(struct vmatlas_residency, thp) },
	{ "hugetlb", offsetof(struct vmatlas_residency, hugetlb) },
	{ "dirty", offsetof(struct vmatlas_residency, dirty) },
	{ "young", offsetof(struct vmatlas_residency, young) },
	{ "shared", offsetof(struct vmatlas_residency, shared) },
	{ "cow", offsetof(struct vmatlas_residency, cow) },
	{ "zero", offsetof(struct vmatlas_residency, zero) },
	{ "soft_dirty", offsetof(struct vmatlas_residency, soft_dirty) },
};

const size_t names_residency_count = ARRAY_SIZE(names_residency);

unsigned long long names_residency_get(const struct vmatlas_residency *res, size_t k)
{
	return *(const __u64 *)((const char *)res + names_residency[k].offset);
}

void names_residency_set(struct vmatlas_residency *res, size_t k, unsigned long long v)
{
	*(__u64 *)((char *)res + names_residency[k].offset) = v;
}

void names_json_vma(struct out_json *j, const struct vmatlas_vma *v, const char *path)
{
	char perms[5], dev[24];
	size_t k;

	names_perms(v->vm_flags, perms);
	snprintf(dev, sizeof(dev), "%02x:%02x", v->dev_major, v->dev_minor);
	out_json_object(j, NULL);
	out_json_hex(j, "start", v->start);
	out_json_hex(j, "end", v->end);
	out_json_str(j, "perms", perms);
	out_json_hex(j, "offset", v->pgoff);
	out_json_str(j, "dev", dev);
	out_json_u64(j, "inode", v->inode);
	out_json_str(j, "path", path);
	out_json_str(j, "kind", names_kind(v->kind));
	names_json_bits(j, "flags", &names_vm, v->vm_flags);
	out_json_object(j, "pages");
	for (k = 0; k < names_residency_count; k++)
		out_json_u64(j, names_residency[k].key, names_residency_get(&v->res, k));
	out_json_close(j);
	out_json_close(j);
}
