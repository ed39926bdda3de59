/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct vmatlas_walk as JSON, in the vocabulary of vmatlas walk --json.
 */
#ifndef _VMATLAS_WALK_JSON_H
#define _VMATLAS_WALK_JSON_H

#include <linux/vmatlas.h>

struct json_object;

/* One translation as $defs/walk_result has it: the levels down to the leaf, the outcome. */
struct json_object *walk_to_json(const struct vmatlas_walk *w);

/* What a level of a walk_to_json() was: "leaf", "folded", "empty", "bad", "table". */
const char *walk_note(struct json_object *level);

#endif /* _VMATLAS_WALK_JSON_H */
