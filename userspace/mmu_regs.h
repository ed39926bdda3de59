/* SPDX-License-Identifier: GPL-2.0 */
/* LAYOUT's MMU registers, decoded for the running kernel's architecture. */
#ifndef _VMATLAS_MMU_REGS_H
#define _VMATLAS_MMU_REGS_H

#include <json-c/json.h>
#include <linux/vmatlas.h>

/* "mmu" of vmatlas layout: NULL where the module did not read them. */
struct json_object *mmu_regs_json(const struct vmatlas_layout *l);

#endif /* _VMATLAS_MMU_REGS_H */
