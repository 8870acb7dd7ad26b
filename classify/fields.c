/* fields.c - pull a document's fields out of its text with the patterns of
 * [fields TYPE]: alternatives tried in file order, the first valid value
 * wins; then 大写 amounts are checked against their 小写 twins, because a
 * reviewer trusts neither alone when OCR may have misread one, and OCR'd
 * credit codes are held to their check character. */
#include <string.h>

#include "classify/classify_int.h"

/* How a field picks among its pattern's valid values. Date fields named
 * *_earliest or *_latest span a document (the records of a run log): their
 * order on the page says nothing, their calendar order everything. */
typedef enum { PICK_NTH, PICK_EARLIEST, PICK_LATEST } Pick;

static Pick
pick_of(const FieldRule *f)
{
	if (f->kind != VALUE_DATE)
		return PICK_NTH;
	if (g_str_has_suffix(f->name, "_earliest"))
		return PICK_EARLIEST;
	if (g_str_has_suffix(f->name, "_latest"))
		return PICK_LATEST;
	return PICK_NTH;
}

/* TRUE when V should replace BEST under PICK (ISO dates sort as text). */
static gboolean
better(Pick pick, const char *v, const char *best)
{
	if (best == NULL || pick == PICK_NTH)
		return TRUE;
	return pick == PICK_EARLIEST ? strcmp(v, best) < 0
				     : strcmp(v, best) > 0;
}

/* The NTH valid value of F's pattern in S (the last when nth is 0; the
 * earliest or latest date for those fields), as a new string, or NULL. */
static char *
find_value(const FieldRule *f, ClassifySubject *s)
{
	size_t from = 0, a, b;
	char *last = NULL;
	int count = 0;
	Pick pick = pick_of(f);

	while (
	    classify_subject_next(s, f->re, f->group, s->len, &from, &a, &b)) {
		char *raw = g_strndup(s->text + a, b - a);
		char *v = classify_value_convert(f, raw);

		g_free(raw);
		if (v == NULL)
			continue;
		if (!better(pick, v, last)) {
			g_free(v);
			continue;
		}
		g_free(last);
		last = v;
		if (pick == PICK_NTH && f->nth != 0 && ++count == f->nth)
			return last;
	}
	if (pick == PICK_NTH && f->nth != 0) {
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

/* A credit code read by OCR that fails its check character is most often
 * one misread character: take the unique one-character variant that
 * passes, say so in NAME_corrected and a note. A text layer prints the code
 * as issued, so a failing one there is left for the checks to report. */
static void
repair_credit_code(CoreDocument *doc, CoreDocument *found, const FieldRule *f)
{
	const char *read = core_document_get_field(found, f->name);
	char *fixed, *flag;

	if (read == NULL || doc->source == CORE_TEXT_PDF)
		return;
	fixed = classify_credit_code_repair(read);
	if (fixed == NULL)
		return;
	g_ptr_array_add(doc->notes,
			g_strdup_printf("统一社会信用代码（%s）识别为 %s，"
					"校验位不符；按 OCR 常见误认（0/D/Q、"
					"1/L、8/B、6/G）更正为 %s",
					f->name, read, fixed));
	core_document_set_field(found, f->name, fixed);
	flag = g_strconcat(f->name, "_corrected", NULL);
	core_document_set_field(found, flag, "true");
	g_free(flag);
	g_free(fixed);
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
		/* Alternatives share the name: the first repair makes the
		 * code pass, so it is done once. */
		if (f->kind == VALUE_CREDIT_CODE)
			repair_credit_code(doc, found, f);
	}
	copy_fields(doc, found, dropped);
	classify_subject_clear(&s);
	g_hash_table_unref(dropped);
	core_document_free(found);
}
