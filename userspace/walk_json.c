// SPDX-License-Identifier: GPL-2.0
/*
 * A translation of struct vmatlas_walk as JSON ($defs/walk_result): what vmatlas
 * walk prints, and what the atlas shows when the mouse is over an address.
 */
#include <json-c/json.h>

#include "names.h"
#include "output.h"
#include "util.h"
#include "walk_json.h"

/*
 * The VMATLAS_LVL_* flags a level is shown with: its JSON member and its note
 * in the table, the note of the first flag set winning.
 */
static const struct {
	const char *key;
	unsigned int flag;
	const char *note;
} walk_level_flags[] = {
	{ "leaf", VMATLAS_LVL_LEAF, "leaf" },
	{ "folded", VMATLAS_LVL_FOLDED, "folded" },
	{ "none", VMATLAS_LVL_NONE, "empty" },
	{ "bad", VMATLAS_LVL_BAD, "bad" },
};

static struct json_object *walk_level_to_json(const struct vmatlas_level *level, unsigned int i)
{
	struct json_object *obj = json_object_new_object();
	size_t j;

	json_object_object_add(obj, "level", json_object_new_string(names_level(i)));
	json_object_object_add(obj, "index", json_object_new_int64(level->index));
	json_object_object_add(obj, "entry", out_hex(level->entry));
	json_object_object_add(obj, "table", out_hex_or_null(level->table, level->table));
	json_object_object_add(obj, "flags", names_bits_to_json(&names_ent, level->bits));
	for (j = 0; j < ARRAY_SIZE(walk_level_flags); j++)
		json_object_object_add(obj, walk_level_flags[j].key,
				       json_object_new_boolean(!!(level->flags &
								  walk_level_flags[j].flag)));
	return obj;
}

static struct json_object *walk_swap_to_json(const struct vmatlas_walk *w)
{
	/* Without CAP_SYS_ADMIN the slot is not shown, as pagemap does not. */
	bool hidden = w->out_flags & VMATLAS_OUT_PHYS_HIDDEN;
	struct json_object *swap;

	if (w->swap_kind == VMATLAS_SWP_NONE)
		return NULL;
	swap = json_object_new_object();
	json_object_object_add(swap, "kind", json_object_new_string(names_swap(w->swap_kind)));
	json_object_object_add(swap, "type", hidden ? NULL : json_object_new_int64(w->swap_type));
	json_object_object_add(swap, "offset", out_hex_or_null(!hidden, w->swap_offset));
	return swap;
}

struct json_object *walk_to_json(const struct vmatlas_walk *w)
{
	bool present = w->out_flags & VMATLAS_WALK_PRESENT;
	bool phys = present && !(w->out_flags & VMATLAS_OUT_PHYS_HIDDEN);
	struct json_object *obj = json_object_new_object();
	struct json_object *levels = json_object_new_array();
	struct json_object *vma = json_object_new_object();
	unsigned int i;

	for (i = 0; i <= w->stop_level && i < VMATLAS_LEVELS; i++)
		json_object_array_add(levels, walk_level_to_json(&w->levels[i], i));
	json_object_object_add(vma, "start", out_hex(w->vma_start));
	json_object_object_add(vma, "end", out_hex(w->vma_end));
	json_object_object_add(vma, "flags", names_bits_to_json(&names_vm, w->vma_flags));

	json_object_object_add(obj, "addr", out_hex(w->addr));
	json_object_object_add(obj, "present", json_object_new_boolean(present));
	json_object_object_add(obj, "page_size", json_object_new_uint64(w->page_size));
	json_object_object_add(obj, "tlb_size", json_object_new_uint64(w->tlb_size));
	json_object_object_add(obj, "phys", out_hex_or_null(phys, w->phys));
	json_object_object_add(obj, "pfn", out_hex_or_null(phys, w->pfn));
	json_object_object_add(obj, "swap", walk_swap_to_json(w));
	json_object_object_add(obj, "stop", json_object_new_string(names_level(w->stop_level)));
	json_object_object_add(obj, "levels", levels);
	json_object_object_add(obj, "vma", vma);
	json_object_object_add(obj, "page", w->out_flags & VMATLAS_WALK_PAGE ?
					    names_page_to_json(&w->page) : NULL);
	return obj;
}

/*
 * What a level of the walk was: "leaf", "folded", "empty", "bad", or
 * "table" (an entry pointing to the next level's table).
 */
const char *walk_note(struct json_object *level)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(walk_level_flags); i++)
		if (json_object_get_boolean(out_get(level, walk_level_flags[i].key)))
			return walk_level_flags[i].note;
	return "table";
}
