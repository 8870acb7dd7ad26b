/* fields.c - pull a document's fields out of its text with the patterns of
 * [fields TYPE]: alternatives tried in file order, the first valid value
 * wins; then 大写 amounts are checked against their 小写 twins, because a
 * reviewer trusts neither alone when OCR may have misread one. */
#include <string.h>

#include "classify/classify_int.h"

/* The NTH valid value of F's pattern in S (the last when nth is 0), as a
 * new string, or NULL. */
static char *
find_value(const FieldRule *f, ClassifySubject *s)
{
	size_t from = 0, a, b;
	char *last = NULL;
	int count = 0;

	while (
	    classify_subject_next(s, f->re, f->group, s->len, &from, &a, &b)) {
		char *raw = g_strndup(s->text + a, b - a);
		char *v = classify_value_convert(f, raw);

		g_free(raw);
		if (v == NULL)
			continue;
		g_free(last);
		last = v;
		if (f->nth != 0 && ++count == f->nth)
			return last;
	}
	if (f->nth != 0) {
		g_free(last); /* fewer than nth valid values */
		return NULL;
	}
	return last;
}

static void
set_value(CoreDocument *found, const FieldRule *f, char *value)
{
	char *version = NULL;

	if (f->version_to != NULL)
		version = classify_split_version(value);
	core_document_set_field(found, f->name, value);
	if (version != NULL &&
	    core_document_get_field(found, f->version_to) == NULL)
		core_document_set_field(found, f->version_to, version);
	g_free(version);
}

/* 大写 against 小写: agreeing, keep the 小写; 小写 missing, take the 大写's
 * value; disagreeing, drop the 小写 and say why in NAME_conflict, so no
 * check runs on a number nobody can vouch for. An unreadable 大写 changes
 * nothing. */
static void
check_capital(CoreDocument *found, GHashTable *dropped, const FieldRule *f)
{
	const char *upper = core_document_get_field(found, f->name);
	const char *lower = core_document_get_field(found, f->checks);
	char *value, *conflict, *msg;

	if (upper == NULL)
		return;
	value = classify_amount_from_capital(upper);
	if (value == NULL)
		return;
	if (lower == NULL) {
		core_document_set_field(found, f->checks, value);
	} else if (strcmp(lower, value) != 0) {
		conflict = g_strconcat(f->checks, "_conflict", NULL);
		msg = g_strdup_printf("小写 %s，大写 %s（= %s）", lower, upper,
				      value);
		core_document_set_field(found, conflict, msg);
		g_hash_table_add(dropped, g_strdup(f->checks));
		g_free(conflict);
		g_free(msg);
	}
	g_free(value);
}

static void
copy_fields(CoreDocument *doc, const CoreDocument *found, GHashTable *dropped)
{
	guint i;

	for (i = 0; i < found->field_order->len; i++) {
		const char *name = g_ptr_array_index(found->field_order, i);

		if (!g_hash_table_contains(dropped, name))
			core_document_set_field(
			    doc, name, core_document_get_field(found, name));
	}
}

void
classify_extract_fields(const ClassifyRules *rules, CoreDocument *doc,
			const char *text)
{
	const TypeRules *t = g_hash_table_lookup(rules->by_id, doc->type);
	CoreDocument *found;
	GHashTable *dropped;
	ClassifySubject s;
	guint i;

	if (t == NULL || t->fields->len == 0)
		return;
	/* Collect into a scratch document first: the cross-check may take a
	 * field back, and a CoreDocument has no way to remove one. */
	found = core_document_new(doc->file, doc->type);
	dropped = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	classify_subject_init(&s, rules, text, CLASSIFY_MAX_DOC_BYTES);
	for (i = 0; i < t->fields->len; i++) {
		const FieldRule *f = g_ptr_array_index(t->fields, i);
		char *v;

		if (core_document_get_field(found, f->name) != NULL)
			continue; /* an earlier alternative found it */
		v = find_value(f, &s);
		if (v != NULL)
			set_value(found, f, v);
		g_free(v);
	}
	for (i = 0; i < t->fields->len; i++) {
		const FieldRule *f = g_ptr_array_index(t->fields, i);

		if (f->checks != NULL)
			check_capital(found, dropped, f);
	}
	copy_fields(doc, found, dropped);
	classify_subject_clear(&s);
	g_hash_table_unref(dropped);
	core_document_free(found);
}
