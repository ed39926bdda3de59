// SPDX-License-Identifier: GPL-2.0
/*
 * A JSON Schema validator for the subset schema.h lists, over json-c.
 */
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "schema.h"
#include "schema_text.h"	/* generated from Documentation/vmatlas.schema.json */

struct json_object *schema_root(void)
{
	static struct json_object *root;

	if (!root)
		root = json_tokener_parse(vmatlas_schema_text);
	return root;
}

static bool fail(char *why, size_t len, const char *path, const char *what)
{
	snprintf(why, len, "%s: %s", *path ? path : "(document)", what);
	return false;
}

static const char *type_name(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "boolean";
	case json_type_double:
		return "number";
	case json_type_int:
		return "integer";
	case json_type_object:
		return "object";
	case json_type_array:
		return "array";
	default:
		return "string";
	}
}

static bool type_is(struct json_object *v, const char *type)
{
	const char *t = type_name(v);

	return !strcmp(t, type) || (!strcmp(type, "number") && !strcmp(t, "integer"));
}

static bool type_ok(struct json_object *v, struct json_object *type)
{
	size_t i;

	if (!json_object_is_type(type, json_type_array))
		return type_is(v, json_object_get_string(type));
	for (i = 0; i < json_object_array_length(type); i++)
		if (type_is(v, json_object_get_string(json_object_array_get_idx(type, i))))
			return true;
	return false;
}

static bool equal(struct json_object *a, struct json_object *b)
{
	return !strcmp(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN),
		       json_object_to_json_string_ext(b, JSON_C_TO_STRING_PLAIN));
}

static bool pattern_ok(const char *pattern, const char *s)
{
	regex_t re;
	bool ok;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB))
		return false;
	ok = !regexec(&re, s, 0, NULL, 0);
	regfree(&re);
	return ok;
}

static bool valid_at(struct json_object *root, struct json_object *schema,
		     struct json_object *doc, const char *path, char *why, size_t len);

static bool object_ok(struct json_object *root, struct json_object *schema,
		      struct json_object *doc, const char *path, char *why, size_t len)
{
	struct json_object *props = json_object_object_get(schema, "properties");
	struct json_object *req = json_object_object_get(schema, "required");
	struct json_object *extra = json_object_object_get(schema, "additionalProperties");
	struct json_object *sub;
	char at[256];
	size_t i;

	for (i = 0; req && i < json_object_array_length(req); i++) {
		const char *key = json_object_get_string(json_object_array_get_idx(req, i));

		if (!json_object_object_get_ex(doc, key, NULL)) {
			snprintf(at, sizeof(at), "missing member \"%s\"", key);
			return fail(why, len, path, at);
		}
	}
	json_object_object_foreach(doc, key, val) {
		snprintf(at, sizeof(at), "%s.%s", path, key);
		sub = props ? json_object_object_get(props, key) : NULL;
		if (sub) {
			if (!valid_at(root, sub, val, at, why, len))
				return false;
		} else if (extra && json_object_is_type(extra, json_type_boolean)) {
			if (!json_object_get_boolean(extra))
				return fail(why, len, at, "not in the schema");
		} else if (extra && !valid_at(root, extra, val, at, why, len)) {
			return false;
		}
	}
	return true;
}

static bool valid_at(struct json_object *root, struct json_object *schema,
		     struct json_object *doc, const char *path, char *why, size_t len)
{
	struct json_object *v, *items;
	char at[256], what[160];
	const char *ref;
	size_t i;

	if (json_object_object_get_ex(schema, "$ref", &v)) {
		ref = json_object_get_string(v);
		if (strncmp(ref, "#/$defs/", 8) ||
		    !json_object_object_get_ex(json_object_object_get(root, "$defs"), ref + 8, &v))
			return fail(why, len, path, "schema: bad $ref");
		if (!valid_at(root, v, doc, path, why, len))
			return false;
	}
	if (json_object_object_get_ex(schema, "type", &v) && !type_ok(doc, v)) {
		snprintf(what, sizeof(what), "%s, not %s", type_name(doc),
			 json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
		return fail(why, len, path, what);
	}
	if (json_object_object_get_ex(schema, "enum", &v)) {
		for (i = 0; i < json_object_array_length(v); i++)
			if (equal(doc, json_object_array_get_idx(v, i)))
				break;
		if (i == json_object_array_length(v)) {
			snprintf(what, sizeof(what), "%s is not one of the values allowed",
				 json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN));
			return fail(why, len, path, what);
		}
	}
	if (json_object_is_type(doc, json_type_string) &&
	    json_object_object_get_ex(schema, "pattern", &v) &&
	    !pattern_ok(json_object_get_string(v), json_object_get_string(doc))) {
		snprintf(what, sizeof(what), "\"%s\" does not match %s",
			 json_object_get_string(doc), json_object_get_string(v));
		return fail(why, len, path, what);
	}
	/* A __u64 above INT64_MAX reads as INT64_MAX: never below a minimum. */
	if (json_object_is_type(doc, json_type_int) &&
	    json_object_object_get_ex(schema, "minimum", &v) &&
	    json_object_get_int64(doc) < json_object_get_int64(v))
		return fail(why, len, path, "below the minimum");
	if (json_object_is_type(doc, json_type_object))
		return object_ok(root, schema, doc, path, why, len);
	items = json_object_object_get(schema, "items");
	if (json_object_is_type(doc, json_type_array) && items) {
		for (i = 0; i < json_object_array_length(doc); i++) {
			snprintf(at, sizeof(at), "%s[%zu]", path, i);
			if (!valid_at(root, items, json_object_array_get_idx(doc, i), at, why,
				      len))
				return false;
		}
	}
	return true;
}

bool schema_valid(struct json_object *root, struct json_object *schema,
		  struct json_object *doc, char *why, size_t len)
{
	return valid_at(root, schema, doc, "", why, len);
}

bool schema_valid_output(const char *command, struct json_object *doc, char *why, size_t len)
{
	struct json_object *root = schema_root(), *def;

	if (!root) {
		snprintf(why, len, "the schema does not parse");
		return false;
	}
	if (!json_object_object_get_ex(json_object_object_get(root, "$defs"), command, &def)) {
		snprintf(why, len, "the schema has no \"%s\" document", command);
		return false;
	}
	return schema_valid(root, def, doc, why, len);
}
