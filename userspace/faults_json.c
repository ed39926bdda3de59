// SPDX-License-Identifier: GPL-2.0
/*
 * What the tracer's BPF records say, as the JSON the document and the event
 * stream carry: one fault event, and the kind of a VMA from what the BPF
 * side kept of it.
 */
#include <string.h>

#include "bpf/faults.h"
#include "faults.h"
#include "output.h"

const char *faults_vma_kind(const struct vma_stat *st)
{
	if (st->ino)
		return "file";
	if (!strcmp(st->name, "[heap]"))
		return "heap";
	if (!strcmp(st->name, "[stack]"))
		return "stack";
	return "anon";
}

struct json_object *faults_event_json(const struct fault_event *e, const struct vma_stat *st,
				      bool timed, bool syndrome)
{
	struct json_object *o = json_object_new_object(), *vma;
	const char *access = e->fault_flags & 1 ? "write" : e->fault_flags & 0x100 ? "exec" :
										   "read";

	json_object_object_add(o, "ts_ns", json_object_new_int64(e->ts_ns));
	json_object_object_add(o, "pid", json_object_new_int64(e->pid));
	json_object_object_add(o, "tid", json_object_new_int64(e->tid));
	json_object_object_add(o, "addr", out_hex(e->addr));
	json_object_object_add(o, "ip", out_hex(e->ip));
	json_object_object_add(o, "access", json_object_new_string(access));
	json_object_object_add(o, "user", json_object_new_boolean(e->fault_flags & 0x40));
	json_object_object_add(o, "class", json_object_new_string(faults_class_names[e->class]));
	if (!timed) {
		json_object_object_add(o, "counted", json_object_new_string("unknown"));
		json_object_object_add(o, "latency_ns", NULL);
	} else {
		json_object_object_add(o, "counted",
				       json_object_new_string(e->counted == 2 ? "major" :
							      e->counted == 1 ? "minor" : "no"));
		json_object_object_add(o, "latency_ns", json_object_new_int64(e->latency_ns));
	}
	vma = json_object_new_object();
	json_object_object_add(vma, "start", out_hex(e->vma_start));
	json_object_object_add(vma, "end", out_hex(e->vma_end));
	if (st) {
		json_object_object_add(vma, "kind", json_object_new_string(faults_vma_kind(st)));
		json_object_object_add(vma, "path", json_object_new_string(st->name));
	}
	json_object_object_add(o, "vma", vma);
	json_object_object_add(o, "pte_before",
			       faults_pte_json(e->level_before, e->pte_before, &e->page_before));
	json_object_object_add(o, "pte_after",
			       faults_pte_json(e->level_after, e->pte_after, &e->page_after));
	if (syndrome)
		json_object_object_add(o, "mmu", e->has_esr ? faults_syndrome_json(e->esr) : NULL);
	return o;
}
