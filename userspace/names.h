/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of the ABI's bits and values, as the JSON documents spell them.
 */
#ifndef _VMATLAS_NAMES_H
#define _VMATLAS_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

struct out_json;
struct vmatlas_page;
struct vmatlas_residency;
struct vmatlas_vma;

struct names_bit {
	unsigned long long bit;
	const char *name;
};

/* One family of bits, in the order the names are listed. */
struct names_table {
	const struct names_bit *bits;
	size_t count;
};

extern const struct names_table names_vm;	/* VMATLAS_VM_*: "VM_READ", ... */
extern const struct names_table names_ent;	/* VMATLAS_ENT_*: "present", ... */
extern const struct names_table names_pg;	/* VMATLAS_PG_*: "anon", ... */
extern const struct names_table names_feat;	/* VMATLAS_FEAT_*: "highmem", ... */

/* Append the name of every bit of @table set in @bits to the JSON @array. */
void names_append_bits(struct json_object *array, const struct names_table *table,
		       unsigned long long bits);

/* A new JSON array with the names of the bits of @table set in @bits. */
struct json_object *names_bits_to_json(const struct names_table *table,
				       unsigned long long bits);

/* names_bits_to_json() written as member @key (NULL in an array) by @j. */
void names_json_bits(struct out_json *j, const char *key, const struct names_table *table,
		     unsigned long long bits);

/*
 * The names of the bits of @table set in @bits into @buf of @len bytes,
 * joined by ',', or "-" if none. Cut to fit @len.
 * Return: @buf.
 */
const char *names_join_bits(char *buf, size_t len, const struct names_table *table,
			    unsigned long long bits);

/* The bits of @table whose names a JSON @array lists (names_bits_to_json()'s inverse). */
unsigned long long names_json_to_bits(const struct names_table *table,
				      struct json_object *array);

/* A struct vmatlas_page as JSON: {"flags": [...], "mapcount", "refcount", "order"}. */
struct json_object *names_page_to_json(const struct vmatlas_page *page);

/* struct vmatlas_residency's members, by the names "pages" has in JSON. */
struct names_member {
	const char *key;
	size_t offset;
};

extern const struct names_member names_residency[];
extern const size_t names_residency_count;

/* The residency member @k of @res. */
unsigned long long names_residency_get(const struct vmatlas_residency *res, size_t k);
void names_residency_set(struct vmatlas_residency *res, size_t k, unsigned long long v);

/*
 * A VMA as maps --json and snapshots have it ($defs/vma), an element of
 * the array @j is writing; @path is its name, "" if none.
 */
void names_json_vma(struct out_json *j, const struct vmatlas_vma *v, const char *path);

/* "rw-p": r, w, x from VMATLAS_VM_READ/WRITE/EXEC, then 's' or 'p' as /proc/PID/maps. */
void names_perms(unsigned long long vm_flags, char perms[5]);

/*
 * VMATLAS_KIND_*, VMATLAS_LEVEL_*, VMATLAS_SWP_*, VMATLAS_REGION_*,
 * VMATLAS_LAB_*; "unknown" for other values.
 */
const char *names_kind(unsigned int kind);
const char *names_level(unsigned int level);
const char *names_swap(unsigned int swap_kind);
const char *names_region(unsigned int region);
const char *names_lab_kind(unsigned int kind);

/* The colour a VMATLAS_KIND_* is drawn in (SGR parameters), or NULL. */
const char *names_kind_color(unsigned int kind);

/* The VMATLAS_LAB_* value that names_lab_kind() calls @name, or 0 if none. */
unsigned int names_lab_kind_value(const char *name);

#endif /* _VMATLAS_NAMES_H */
