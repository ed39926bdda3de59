// SPDX-License-Identifier: GPL-2.0
/*
 * The atlas as data ($defs/atlas of Documentation/vmatlas.schema.json):
 * what "vmatlas atlas --json" prints and what the page embeds for its
 * script, so that what the picture shows can be checked against it.
 */
#include <json-c/json.h>

#include "atlas.h"
#include "names.h"
#include "output.h"

static struct json_object *atlas_vma_json(const struct snap_vma *v)
{
	struct json_object *o = json_object_new_object();
	char perms[5];

	names_perms(v->vm_flags, perms);
	json_object_object_add(o, "start", out_hex(v->start));
	json_object_object_add(o, "end", out_hex(v->end));
	json_object_object_add(o, "perms", json_object_new_string(perms));
	json_object_object_add(o, "kind", json_object_new_string(names_kind(v->kind)));
	json_object_object_add(o, "path", json_object_new_string(v->path));
	return o;
}

static struct json_object *atlas_pages_json(const struct atlas_pages *p)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "present", json_object_new_uint64(p->present));
	json_object_object_add(o, "huge", json_object_new_uint64(p->huge));
	json_object_object_add(o, "swap", json_object_new_uint64(p->swap));
	json_object_object_add(o, "other", json_object_new_uint64(p->other));
	json_object_object_add(o, "none", json_object_new_uint64(p->none));
	json_object_object_add(o, "shared", json_object_new_uint64(p->shared));
	return o;
}

static struct json_object *atlas_row_json(const struct atlas_row *r)
{
	struct json_object *o = json_object_new_object();
	struct json_object *faults = NULL;
	bool user = r->type <= ATLAS_ROW_GROUP;
	unsigned int i;

	json_object_object_add(o, "type", json_object_new_string(atlas_row_type_name(r->type)));
	json_object_object_add(o, "start", out_hex(r->start));
	json_object_object_add(o, "end", out_hex(r->end));
	json_object_object_add(o, "size", json_object_new_uint64(r->end - r->start));
	json_object_object_add(o, "first", user ? json_object_new_uint64(r->first) : NULL);
	json_object_object_add(o, "count", user ? json_object_new_uint64(r->count) : NULL);
	json_object_object_add(o, "region", r->region ?
				json_object_new_string(names_region(r->region)) : NULL);
	json_object_object_add(o, "pages", user ? atlas_pages_json(&r->pages) : NULL);
	json_object_object_add(o, "strip", user ? json_object_new_string(r->strip) : NULL);
	if (r->faults) {
		faults = json_object_new_array();
		for (i = 0; i < r->nbins; i++)
			json_object_array_add(faults, json_object_new_uint64(r->faults[i]));
	}
	json_object_object_add(o, "faults", faults);
	json_object_object_add(o, "cells", user ? json_object_new_uint64(r->ncells) : NULL);
	json_object_object_add(o, "walks", r->walks ? json_object_get(r->walks) : NULL);
	return o;
}

/**
 * atlas_to_json() - the atlas as $defs/atlas
 * @a: the atlas
 *
 * Return: a new JSON object, for json_object_put().
 */
struct json_object *atlas_to_json(const struct atlas *a)
{
	const struct snapshot *s = a->s;
	struct json_object *doc = json_object_new_object();
	struct json_object *vmas = json_object_new_array();
	struct json_object *rows = json_object_new_array();
	struct json_object *faults = NULL;
	size_t i;

	json_object_object_add(doc, "pid", json_object_new_int(s->pid));
	json_object_object_add(doc, "comm", json_object_new_string(s->comm));
	json_object_object_add(doc, "time", json_object_new_string(s->time));
	json_object_object_add(doc, "kernel", json_object_new_string(s->kernel));
	json_object_object_add(doc, "arch", json_object_new_string(s->arch));
	json_object_object_add(doc, "page_size", json_object_new_uint64(s->page_size));
	json_object_object_add(doc, "phys_hidden", json_object_new_boolean(s->phys_hidden));
	json_object_object_add(doc, "bins", json_object_new_uint64(ATLAS_BINS));
	json_object_object_add(doc, "max_rows", json_object_new_uint64(a->max_rows));
	json_object_object_add(doc, "grouped", json_object_new_boolean(a->grouped));
	json_object_object_add(doc, "kernel_regions", json_object_new_boolean(a->kernel));
	json_object_object_add(doc, "kernel_note", *a->kernel_note ?
				json_object_new_string(a->kernel_note) : NULL);
	if (a->traced) {
		faults = json_object_new_object();
		json_object_object_add(faults, "in_rows", json_object_new_uint64(a->faults_in));
		json_object_object_add(faults, "outside", json_object_new_uint64(a->faults_out));
	}
	json_object_object_add(doc, "faults", faults);
	for (i = 0; i < s->nvmas; i++)
		json_object_array_add(vmas, atlas_vma_json(&s->vmas[i]));
	json_object_object_add(doc, "vmas", vmas);
	for (i = 0; i < a->nrows; i++)
		json_object_array_add(rows, atlas_row_json(&a->rows[i]));
	json_object_object_add(doc, "rows", rows);
	return doc;
}
