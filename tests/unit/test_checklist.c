/* test_checklist.c - checklist/: what a settlement reviewer would check.
 * Claims are built in memory (documents by type), evaluated against the
 * real rules/2026/evidence.ini through a fake classifier that knows the
 * CONTRACT §2 types, so these tests do not depend on classify's cues. */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "checklist/checklist_int.h"

#ifndef EVIDCHECK_RULES_DIR
#define EVIDCHECK_RULES_DIR "rules"
#endif
#define RULES_2026 EVIDCHECK_RULES_DIR "/2026/evidence.ini"

/* CONTRACT.md §2: what a freshly written classifier recognises. */
static const char contract_type_list[] =
    "invoice payment_proof acceptance_form software_copyright_cert "
    "authorization_letter diagnosis_report implementation_plan "
    "run_screenshot midterm_report software_test_report "
    "function_acceptance_cert data_security_statement operation_records "
    "operation_manual survey_report sign_in_sheet meeting_minutes photo "
    "cma_cert cnas_cert qualification_cert test_report "
    "management_system_cert contract other";
static char **contract_types; /* split from the list in main() */

static const char *const labels[][2] = {{"invoice", "发票"},
					{"payment_proof", "支付凭证"},
					{"acceptance_form", "成果验收单"},
					{"authorization_letter", "授权委托书"},
					{"photo", "照片"},
					{NULL, NULL}};

static ChecklistPolicy *policy;

static gboolean
fake_knows(const char *type, gpointer data)
{
	return g_hash_table_contains(data, type);
}

static const char *
fake_label(const char *type, gpointer data)
{
	(void)data;
	for (guint i = 0; labels[i][0] != NULL; i++)
		if (strcmp(labels[i][0], type) == 0)
			return labels[i][1];
	return type;
}

/* A classifier knowing the §2 types plus EXTRA (NULL-terminated). */
static ChecklistTypes
fake_types(const char *const *extra)
{
	GHashTable *known = g_hash_table_new(g_str_hash, g_str_equal);
	ChecklistTypes t = {fake_knows, fake_label, known};

	for (guint i = 0; contract_types[i] != NULL; i++)
		g_hash_table_add(known, (gpointer)contract_types[i]);
	for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
		g_hash_table_add(known, (gpointer)extra[i]);
	return t;
}

static void
add_doc(GPtrArray *docs, const char *type, int pages)
{
	char *file = g_strdup_printf("材料/%s-%u.pdf", type, docs->len);
	CoreDocument *doc = core_document_new(file, type);

	for (int p = 1; p <= pages; p++)
		core_document_add_page(doc, p);
	g_ptr_array_add(docs, doc);
	g_free(file);
}

static void
drop_type(GPtrArray *docs, const char *type)
{
	for (guint i = docs->len; i-- > 0;) {
		CoreDocument *doc = g_ptr_array_index(docs, i);

		if (strcmp(doc->type, type) == 0)
			g_ptr_array_remove_index(docs, i);
	}
}

/* Everything items ①-④ and ⑥-⑩ of a digital transformation claim need. */
static GPtrArray *
digital_docs(void)
{
	static const char *const types[] = {"invoice",
					    "payment_proof",
					    "software_copyright_cert",
					    "diagnosis_report",
					    "implementation_plan",
					    "run_screenshot",
					    "midterm_report",
					    "software_test_report",
					    "function_acceptance_cert",
					    "data_security_statement",
					    "operation_records",
					    "acceptance_form",
					    "operation_manual",
					    "survey_report",
					    "sign_in_sheet",
					    "meeting_minutes",
					    NULL};
	GPtrArray *docs = core_ptr_array_new(core_document_free);

	for (guint i = 0; types[i] != NULL; i++)
		add_doc(docs, types[i], 1);
	add_doc(docs, "photo", 2); /* 调研照片 + 培训会议照片 */
	return docs;
}

static CoreClaim *
claim_new(const char *direction, const char *scene, const char *delivery)
{
	CoreClaim *c = core_claim_new();

	c->direction = g_strdup(direction);
	c->scene = g_strdup(scene);
	c->delivery = g_strdup(delivery);
	return c;
}

typedef struct {
	ChecklistTypes types;
	CoreClaim *claim;
	GPtrArray *docs;
	ChecklistResult *result;
} Case;

static void
case_run(Case *c)
{
	checklist_result_free(c->result);
	c->result =
	    checklist_evaluate_types(policy, &c->types, c->claim, c->docs);
}

static void
case_clear(Case *c)
{
	g_hash_table_unref(c->types.data);
	core_claim_free(c->claim);
	if (c->docs != NULL)
		g_ptr_array_unref(c->docs);
	checklist_result_free(c->result);
}

static const ChecklistItem *
item_of(const ChecklistResult *r, const char *id)
{
	for (guint i = 0; i < r->items->len; i++) {
		const ChecklistItem *it = g_ptr_array_index(r->items, i);

		if (strcmp(it->item, id) == 0)
			return it;
	}
	g_assert_not_reached();
	return NULL;
}

static guint
count_code(const ChecklistResult *r, const char *code)
{
	guint n = 0;

	for (guint i = 0; i < r->findings->len; i++) {
		const CoreFinding *f = g_ptr_array_index(r->findings, i);

		n += strcmp(f->code, code) == 0;
	}
	return n;
}

static const CoreFinding *
finding_of(const ChecklistResult *r, const char *code)
{
	for (guint i = 0; i < r->findings->len; i++) {
		const CoreFinding *f = g_ptr_array_index(r->findings, i);

		if (strcmp(f->code, code) == 0) {
			/* Every finding says the same in English. */
			g_assert_nonnull(f->message_en);
			g_assert_cmpstr(f->message_en, !=, "");
			return f;
		}
	}
	g_assert_not_reached();
	return NULL;
}

static guint
count_errors(const ChecklistResult *r)
{
	guint n = 0;

	for (guint i = 0; i < r->findings->len; i++) {
		const CoreFinding *f = g_ptr_array_index(r->findings, i);

		n += f->severity == CORE_SEVERITY_ERROR;
	}
	return n;
}

static void
assert_status(const ChecklistResult *r, const char *id, ChecklistStatus want)
{
	const ChecklistItem *it = item_of(r, id);

	if (it->status != want)
		g_error("item %s: %s, want %s (note: %s)", id,
			checklist_status_name(it->status),
			checklist_status_name(want),
			it->note != NULL ? it->note : "-");
}

/* ---- direction 4 (生产制造), the digital transformation shape ---------- */

static void
test_d4_complete_scene3(void)
{
	Case c = {fake_types(NULL), claim_new("4", "3", "self"), digital_docs(),
		  NULL};

	case_run(&c);
	g_assert_cmpstr(c.result->direction, ==, "4");
	g_assert_cmpstr(c.result->direction_name, ==, "生产制造");
	g_assert_cmpuint(c.result->items->len, ==, 10);
	for (guint i = 0; i < c.result->items->len; i++) {
		const ChecklistItem *it = g_ptr_array_index(c.result->items, i);

		if (strcmp(it->item, "scene_data") == 0)
			continue;
		assert_status(c.result, it->item, CHECKLIST_PRESENT);
		g_assert_cmpuint(it->documents->len, >, 0);
	}
	/* ⑤'s quality records are not yet known to the classifier. */
	assert_status(c.result, "scene_data", CHECKLIST_NOT_CHECKED);
	g_assert_nonnull(strstr(item_of(c.result, "scene_data")->note,
				"quality_data_records"));
	g_assert_cmpstr(item_of(c.result, "scene_data")->number, ==, "⑤");
	g_assert_cmpstr(item_of(c.result, "acceptance_form")->number, ==, "⑨");
	g_assert_cmpuint(count_errors(c.result), ==, 0);
	/* Both halves of ① are listed as the documents used. */
	g_assert_cmpuint(item_of(c.result, "invoice_payment")->documents->len,
			 ==, 2);
	case_clear(&c);
}

static void
test_d4_scene3_known_types(void)
{
	static const char *const extra[] = {"quality_data_records",
					    "pass_rate_comparison", NULL};
	Case c = {fake_types(extra), claim_new("4", "3", "self"),
		  digital_docs(), NULL};

	case_run(&c);
	assert_status(c.result, "scene_data", CHECKLIST_MISSING);
	add_doc(c.docs, "quality_data_records", 3);
	case_run(&c);
	assert_status(c.result, "scene_data", CHECKLIST_MISSING);
	g_assert_nonnull(
	    strstr(finding_of(c.result, "MISSING_EVIDENCE")->message,
		   "pass_rate_comparison"));
	g_assert_null(strstr(finding_of(c.result, "MISSING_EVIDENCE")->message,
			     "quality_data_records"));
	add_doc(c.docs, "pass_rate_comparison", 1);
	case_run(&c);
	assert_status(c.result, "scene_data", CHECKLIST_PRESENT);
	g_assert_cmpuint(c.result->findings->len, ==, 0);
	case_clear(&c);
}

static void
test_d4_no_acceptance_form(void)
{
	Case c = {fake_types(NULL), claim_new("4", "3", "self"), digital_docs(),
		  NULL};
	const CoreFinding *f;

	drop_type(c.docs, "acceptance_form");
	case_run(&c);
	g_assert_cmpuint(count_code(c.result, "MISSING_EVIDENCE"), ==, 1);
	g_assert_cmpuint(c.result->findings->len, ==, 1);
	f = finding_of(c.result, "MISSING_EVIDENCE");
	g_assert_cmpint(f->severity, ==, CORE_SEVERITY_ERROR);
	g_assert_cmpstr(f->item, ==, "acceptance_form");
	g_assert_nonnull(strstr(f->message, "⑨企业出具的成果验收单"));
	g_assert_nonnull(strstr(f->message, "acceptance_form"));
	g_assert_cmpstr(
	    f->message_en, ==,
	    "Missing acceptance_form (item acceptance_form); please "
	    "upload it");
	g_assert_cmpuint(f->documents->len, ==, 0);
	assert_status(c.result, "acceptance_form", CHECKLIST_MISSING);
	g_assert_cmpuint(item_of(c.result, "acceptance_form")->documents->len,
			 ==, 0);
	case_clear(&c);
}

static void
test_d4_no_payment_proof(void)
{
	Case c = {fake_types(NULL), claim_new("4", "3", "self"), digital_docs(),
		  NULL};
	const CoreFinding *f;

	drop_type(c.docs, "payment_proof");
	case_run(&c);
	assert_status(c.result, "invoice_payment", CHECKLIST_MISSING);
	g_assert_cmpuint(count_code(c.result, "MISSING_EVIDENCE"), ==, 1);
	f = finding_of(c.result, "MISSING_EVIDENCE");
	g_assert_cmpstr(f->item, ==, "invoice_payment");
	g_assert_nonnull(strstr(f->message, "①发票及支付凭证"));
	g_assert_nonnull(strstr(f->message, "支付凭证（payment_proof）"));
	/* The invoice is there: the message must not ask for it. */
	g_assert_null(strstr(f->message, "invoice）"));
	g_assert_nonnull(strstr(f->message_en, "no payment_proof found"));
	g_assert_null(strstr(f->message_en, "invoice,"));
	case_clear(&c);
}

static void
test_d4_scene1_not_required(void)
{
	Case c = {fake_types(NULL), claim_new("4", "1", "self"), digital_docs(),
		  NULL};
	const ChecklistItem *it;

	case_run(&c);
	it = item_of(c.result, "scene_data");
	g_assert_cmpint(it->status, ==, CHECKLIST_NOT_REQUIRED);
	g_assert_nonnull(strstr(it->note, "场景1"));
	g_assert_nonnull(strstr(it->note, "场景3"));
	g_assert_cmpuint(c.result->findings->len, ==, 0);
	case_clear(&c);
}

static void
test_d4_scene_undeclared(void)
{
	Case c = {fake_types(NULL), claim_new("4", NULL, "self"),
		  digital_docs(), NULL};
	const ChecklistItem *it;

	case_run(&c);
	it = item_of(c.result, "scene_data");
	g_assert_cmpint(it->status, ==, CHECKLIST_NOT_CHECKED);
	g_assert_nonnull(strstr(it->note, "未声明场景"));
	g_assert_cmpuint(c.result->findings->len, ==, 0);
	case_clear(&c);
}

static void
test_d4_scene_not_in_direction(void)
{
	Case c = {fake_types(NULL), claim_new("4", "9", "self"), digital_docs(),
		  NULL};
	const CoreFinding *f;

	case_run(&c);
	f = finding_of(c.result, "SCENE_UNKNOWN");
	g_assert_cmpint(f->severity, ==, CORE_SEVERITY_WARNING);
	g_assert_nonnull(strstr(f->message, "“9”"));
	g_assert_nonnull(strstr(f->message_en, "Scene \"9\""));
	assert_status(c.result, "scene_data", CHECKLIST_NOT_CHECKED);
	g_assert_cmpuint(count_errors(c.result), ==, 0);
	case_clear(&c);
}

static void
test_d4_agency_not_allowed(void)
{
	Case c = {fake_types(NULL), claim_new("4", "3", "agency"),
		  digital_docs(), NULL};
	const CoreFinding *f;

	case_run(&c);
	g_assert_cmpuint(count_code(c.result, "AGENCY_NOT_ALLOWED"), ==, 1);
	f = finding_of(c.result, "AGENCY_NOT_ALLOWED");
	g_assert_cmpint(f->severity, ==, CORE_SEVERITY_ERROR);
	g_assert_nonnull(strstr(f->message, "暂不支持授权代理"));
	g_assert_nonnull(strstr(f->message_en, "Direction 4 does not yet"));
	/* Self delivery in the same direction raises nothing. */
	g_free(c.claim->delivery);
	c.claim->delivery = g_strdup("self");
	case_run(&c);
	g_assert_cmpuint(count_code(c.result, "AGENCY_NOT_ALLOWED"), ==, 0);
	case_clear(&c);
}

/* ⑩ names 调研照片 and 培训会议照片: one photo page is not enough. */
static void
test_d4_training_needs_two_photos(void)
{
	Case c = {fake_types(NULL), claim_new("4", "1", "self"), digital_docs(),
		  NULL};
	const CoreFinding *f;

	drop_type(c.docs, "photo");
	add_doc(c.docs, "photo", 1);
	case_run(&c);
	assert_status(c.result, "training_materials", CHECKLIST_MISSING);
	f = finding_of(c.result, "MISSING_EVIDENCE");
	g_assert_nonnull(strstr(f->message, "⑩"));
	g_assert_nonnull(strstr(f->message, "照片（photo）至少2页，仅见1页"));
	add_doc(c.docs, "photo", 1);
	case_run(&c);
	assert_status(c.result, "training_materials", CHECKLIST_PRESENT);
	g_assert_cmpuint(c.result->findings->len, ==, 0);
	case_clear(&c);
}

/* ---- directions 6 and 7: agency allowed ---------------------------- */

static void
test_d6_agency_needs_authorization(void)
{
	Case c = {fake_types(NULL), claim_new("6", "1", "agency"),
		  digital_docs(), NULL};
	const CoreFinding *f;

	case_run(&c);
	g_assert_cmpuint(count_code(c.result, "AGENCY_NOT_ALLOWED"), ==, 0);
	assert_status(c.result, "software_copyright", CHECKLIST_MISSING);
	f = finding_of(c.result, "MISSING_EVIDENCE");
	g_assert_cmpstr(f->item, ==, "software_copyright");
	g_assert_nonnull(strstr(f->message, "②"));
	g_assert_nonnull(
	    strstr(f->message, "授权委托书（authorization_letter）"));
	add_doc(c.docs, "authorization_letter", 2);
	case_run(&c);
	assert_status(c.result, "software_copyright", CHECKLIST_PRESENT);
	g_assert_cmpuint(
	    item_of(c.result, "software_copyright")->documents->len, ==, 2);
	g_assert_cmpuint(c.result->findings->len, ==, 0);
	case_clear(&c);
}

static void
test_d6_self_and_undeclared_delivery(void)
{
	Case c = {fake_types(NULL), claim_new("6", "1", "self"), digital_docs(),
		  NULL};
	const ChecklistItem *it;

	case_run(&c);
	assert_status(c.result, "software_copyright", CHECKLIST_PRESENT);
	g_assert_null(item_of(c.result, "software_copyright")->note);
	g_clear_pointer(&c.claim->delivery, g_free);
	case_run(&c);
	it = item_of(c.result, "software_copyright");
	g_assert_cmpint(it->status, ==, CHECKLIST_PRESENT);
	g_assert_nonnull(strstr(it->note, "未声明交付方式"));
	g_assert_nonnull(strstr(it->note, "自研（self）"));
	case_clear(&c);
}

static void
test_d7_scene_items(void)
{
	static const char *const extra[] = {"quality_trace_records", NULL};
	Case c = {fake_types(extra), claim_new("7", "3", "self"),
		  digital_docs(), NULL};

	case_run(&c);
	assert_status(c.result, "scene_data", CHECKLIST_MISSING);
	g_assert_nonnull(
	    strstr(finding_of(c.result, "MISSING_EVIDENCE")->message,
		   "quality_trace_records"));
	add_doc(c.docs, "quality_trace_records", 1);
	case_run(&c);
	assert_status(c.result, "scene_data", CHECKLIST_PRESENT);
	case_clear(&c);
}

/* ---- other directions ---------------------------------------------- */

static void
test_d8_nine_items_shifted(void)
{
	Case c = {fake_types(NULL), claim_new("8", "3", "self"), digital_docs(),
		  NULL};

	case_run(&c);
	g_assert_cmpuint(c.result->items->len, ==, 9);
	g_assert_cmpstr(item_of(c.result, "midterm_report")->number, ==, "⑤");
	g_assert_cmpstr(item_of(c.result, "training_materials")->number, ==,
			"⑨");
	g_assert_cmpuint(c.result->findings->len, ==, 0);
	case_clear(&c);
}

/* Direction 9 ③: any one of three certificates. */
static void
test_d9_one_of_certificates(void)
{
	static const char *const extra[] = {"iim_cert", "dcmm_cert",
					    "dt_star_rating", NULL};
	Case c = {fake_types(extra), claim_new("9", NULL, NULL),
		  core_ptr_array_new(core_document_free), NULL};
	const CoreFinding *f;

	case_run(&c);
	assert_status(c.result, "assessment_cert", CHECKLIST_MISSING);
	for (guint i = 0; i < c.result->findings->len; i++) {
		f = g_ptr_array_index(c.result->findings, i);
		if (g_strcmp0(f->item, "assessment_cert") == 0) {
			g_assert_nonnull(strstr(f->message, "iim_cert"));
			g_assert_nonnull(strstr(f->message, "或"));
		}
	}
	add_doc(c.docs, "dcmm_cert", 1);
	case_run(&c);
	assert_status(c.result, "assessment_cert", CHECKLIST_PRESENT);
	case_clear(&c);
}

/* 9 ②: (assessment_plan | implementation_plan) & consulting_records, with
 * only implementation_plan known: partly recognisable. */
static void
test_partly_recognisable(void)
{
	Case c = {fake_types(NULL), claim_new("9", NULL, NULL),
		  core_ptr_array_new(core_document_free), NULL};
	const ChecklistItem *it;

	case_run(&c);
	/* Only unknown types decide it: not checked, never missing. */
	it = item_of(c.result, "assessment_process");
	g_assert_cmpint(it->status, ==, CHECKLIST_NOT_CHECKED);
	g_assert_nonnull(strstr(it->note, "consulting_records"));
	/* 1 ③ (test_data | test_report) & site_inspection_records, with
	 * test_report known: same. 10 ③ any of three, photo known: present. */
	g_free(c.claim->direction);
	c.claim->direction = g_strdup("10");
	add_doc(c.docs, "photo", 1);
	case_run(&c);
	assert_status(c.result, "design_application", CHECKLIST_PRESENT);
	assert_status(c.result, "design_deliverables", CHECKLIST_NOT_CHECKED);
	assert_status(c.result, "invoice_payment", CHECKLIST_MISSING);
	case_clear(&c);
}

/* A known type missing beside an unknown one: missing, and the message
 * names only what could be checked. */
static void
test_known_missing_beside_unknown(void)
{
	Case c = {fake_types(NULL), claim_new("13", NULL, NULL),
		  core_ptr_array_new(core_document_free), NULL};
	const ChecklistItem *it;

	/* 13 ③ pilot_plan & test_data & test_report */
	case_run(&c);
	it = item_of(c.result, "pilot_trial");
	g_assert_cmpint(it->status, ==, CHECKLIST_MISSING);
	g_assert_nonnull(strstr(it->note, "pilot_plan"));
	for (guint i = 0; i < c.result->findings->len; i++) {
		const CoreFinding *f = g_ptr_array_index(c.result->findings, i);

		if (g_strcmp0(f->item, "pilot_trial") != 0)
			continue;
		g_assert_nonnull(strstr(f->message, "test_report"));
		g_assert_null(strstr(f->message, "pilot_plan"));
	}
	case_clear(&c);
}

static void
test_optional_items(void)
{
	static const char *const extra[] = {"certification_cert",
					    "application_receipt", NULL};
	Case c = {fake_types(extra), claim_new("15.3", NULL, NULL),
		  core_ptr_array_new(core_document_free), NULL};
	const ChecklistItem *it;

	add_doc(c.docs, "invoice", 1);
	add_doc(c.docs, "payment_proof", 1);
	add_doc(c.docs, "certification_cert", 1);
	case_run(&c);
	g_assert_cmpuint(c.result->findings->len, ==, 0);
	it = item_of(c.result, "acceptance_form");
	g_assert_cmpint(it->status, ==, CHECKLIST_NOT_REQUIRED);
	g_assert_nonnull(strstr(it->note, "如有"));
	assert_status(c.result, "application_receipt", CHECKLIST_NOT_REQUIRED);
	add_doc(c.docs, "acceptance_form", 1);
	case_run(&c);
	assert_status(c.result, "acceptance_form", CHECKLIST_PRESENT);
	case_clear(&c);
}

/* 15.1 ②: CNAS alone covers "CMA/CNAS及国际互认资质"; CMA alone not. */
static void
test_d15_1_mutual_recognition(void)
{
	static const char *const extra[] = {"intl_accreditation_cert", NULL};
	Case c = {fake_types(extra), claim_new("15.1", NULL, NULL),
		  core_ptr_array_new(core_document_free), NULL};

	add_doc(c.docs, "cma_cert", 1);
	case_run(&c);
	assert_status(c.result, "lab_qualification", CHECKLIST_MISSING);
	add_doc(c.docs, "cnas_cert", 1);
	case_run(&c);
	assert_status(c.result, "lab_qualification", CHECKLIST_PRESENT);
	/* cma + cnas, the CNAS document listed once though used twice. */
	g_assert_cmpuint(item_of(c.result, "lab_qualification")->documents->len,
			 ==, 2);
	case_clear(&c);
}

/* ---- direction unknown --------------------------------------------- */

static void
test_direction_unknown(void)
{
	Case c = {fake_types(NULL), claim_new(NULL, NULL, NULL), digital_docs(),
		  NULL};
	const CoreFinding *f;

	case_run(&c);
	g_assert_null(c.result->direction);
	g_assert_cmpuint(c.result->items->len, ==, 0);
	g_assert_cmpuint(c.result->findings->len, ==, 1);
	f = finding_of(c.result, "DIRECTION_UNKNOWN");
	g_assert_cmpint(f->severity, ==, CORE_SEVERITY_ERROR);
	g_assert_true(g_str_has_prefix(f->message, "申报方向未知"));
	g_assert_nonnull(strstr(f->message, "--direction"));
	g_assert_nonnull(strstr(f->message, "claim.json"));

	c.claim->direction = g_strdup("14");
	case_run(&c);
	f = finding_of(c.result, "DIRECTION_UNKNOWN");
	g_assert_nonnull(strstr(f->message, "“14”"));
	g_assert_nonnull(strstr(f->message, "14.1"));
	g_assert_nonnull(strstr(f->message_en, "\"14\" is not a direction"));
	g_assert_nonnull(strstr(f->message_en, "14.1"));

	checklist_result_free(c.result);
	c.result = checklist_evaluate_types(policy, &c.types, NULL, NULL);
	g_assert_cmpuint(count_code(c.result, "DIRECTION_UNKNOWN"), ==, 1);
	case_clear(&c);
}

/* A JSON number 14.1 comes back from claim.json as "14.10". */
static void
test_direction_number_form(void)
{
	g_assert_cmpstr(checklist_direction_name(policy, "14.10"), ==,
			"全生命周期可靠性测试");
	g_assert_cmpstr(checklist_direction_name(policy, "4"), ==, "生产制造");
	g_assert_null(checklist_direction_name(policy, "21"));
	g_assert_null(checklist_direction_name(policy, NULL));
}

/* ---- the rules file ------------------------------------------------ */

/* Counted from the guide by hand, item by item (①…). */
static const struct {
	const char *direction;
	guint items;
} guide_counts[] = {
    {"1", 6},	 {"2", 5},    {"3", 10},   {"4", 10},	{"5", 10},
    {"6", 10},	 {"7", 10},   {"8", 9},	   {"9", 4},	{"10", 4},
    {"11", 6},	 {"12", 5},   {"13", 5},   {"14.1", 5}, {"14.2", 5},
    {"14.3", 5}, {"15.1", 5}, {"15.2", 5}, {"15.3", 4}, {"15.4", 4},
    {"16", 4},	 {"17", 5},   {"18", 7},   {"19", 6},	{"20", 6},
};

static void
test_rules_file_counts(void)
{
	const char *const *ids = checklist_policy_directions(policy);
	guint n = 0;

	g_assert_cmpstr(checklist_policy_edition(policy), ==, "2026");
	while (ids[n] != NULL)
		n++;
	g_assert_cmpuint(n, ==, G_N_ELEMENTS(guide_counts));
	for (guint i = 0; i < G_N_ELEMENTS(guide_counts); i++) {
		const PolicyDirection *dir =
		    policy_find_direction(policy, guide_counts[i].direction);

		g_assert_nonnull(dir);
		if (dir->items->len != guide_counts[i].items)
			g_error("direction %s: %u items, the guide has %u",
				dir->id, dir->items->len,
				guide_counts[i].items);
	}
}

static void
test_rules_file_agency(void)
{
	static const struct {
		const char *direction;
		int allowed;
	} want[] = {{"3", 0}, {"4", 0}, {"5", 0},  {"6", 1},
		    {"7", 1}, {"8", 0}, {"1", -1}, {"12", -1}};

	for (guint i = 0; i < G_N_ELEMENTS(want); i++)
		g_assert_cmpint(policy_find_direction(policy, want[i].direction)
				    ->agency_allowed,
				==, want[i].allowed);
}

/* Every digital direction starts ①发票及支付凭证 ②软件著作权证书 and ends
 * with the acceptance form and the training materials. */
static void
test_rules_file_digital_shape(void)
{
	static const char *const dirs[] = {"3", "4", "5", "6", "7", "8"};

	for (guint i = 0; i < G_N_ELEMENTS(dirs); i++) {
		const PolicyDirection *d =
		    policy_find_direction(policy, dirs[i]);
		const PolicyItem *first = g_ptr_array_index(d->items, 0);
		const PolicyItem *second = g_ptr_array_index(d->items, 1);
		const PolicyItem *last =
		    g_ptr_array_index(d->items, d->items->len - 1);
		const PolicyItem *before =
		    g_ptr_array_index(d->items, d->items->len - 2);

		g_assert_cmpstr(first->label, ==, "发票及支付凭证");
		g_assert_true(
		    g_str_has_prefix(second->label, "软件著作权证书"));
		g_assert_cmpstr(before->id, ==, "acceptance_form");
		g_assert_cmpstr(last->id, ==, "training_materials");
	}
}

static gboolean
is_contract_type(const char *type)
{
	for (guint i = 0; contract_types[i] != NULL; i++)
		if (strcmp(contract_types[i], type) == 0)
			return TRUE;
	return FALSE;
}

static void
collect_types(const Expr *e, GHashTable *into)
{
	if (e == NULL)
		return;
	if (e->kind == EXPR_TYPE) {
		g_hash_table_add(into, e->type);
		return;
	}
	for (guint i = 0; i < e->kids->len; i++)
		collect_types(g_ptr_array_index(e->kids, i), into);
}

static void
collect_item_types(const PolicyItem *item, GHashTable *into)
{
	GHashTableIter iter;
	gpointer value;

	collect_types(item->requires, into);
	collect_types(item->otherwise, into);
	g_hash_table_iter_init(&iter, item->when);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		collect_types(value, into);
}

/* The classifier's author works from docs/rules-evidence.md: every type
 * the rules use beyond CONTRACT §2 must be listed there. */
static void
test_rules_file_types_documented(void)
{
	GHashTable *used = g_hash_table_new(g_str_hash, g_str_equal);
	char *doc = NULL;
	GError *error = NULL;
	GHashTableIter iter;
	gpointer type;

	g_file_get_contents(EVIDCHECK_RULES_DIR "/../docs/rules-evidence.md",
			    &doc, NULL, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < policy->directions->len; i++) {
		const PolicyDirection *d =
		    g_ptr_array_index(policy->directions, i);

		for (guint k = 0; k < d->items->len; k++)
			collect_item_types(g_ptr_array_index(d->items, k),
					   used);
	}
	g_hash_table_iter_init(&iter, used);
	while (g_hash_table_iter_next(&iter, &type, NULL)) {
		char *row = g_strdup_printf("| `%s` |", (char *)type);

		if (!is_contract_type(type) && strstr(doc, row) == NULL)
			g_error(
			    "type %s is used in evidence.ini but not listed "
			    "in docs/rules-evidence.md",
			    (char *)type);
		g_free(row);
	}
	g_hash_table_unref(used);
	g_free(doc);
}

/* ---- load errors --------------------------------------------------- */

static char *
write_rules(const char *body)
{
	GError *error = NULL;
	char *path = NULL;
	int fd = g_file_open_tmp("evidence-XXXXXX.ini", &path, &error);

	g_assert_no_error(error);
	close(fd);
	g_file_set_contents(path, body, -1, &error);
	g_assert_no_error(error);
	return path;
}

#define HEAD                                                                   \
	"[edition]\nedition = test\n\n[direction 4]\nname = 生产制造\n"    \
	"scenes = 3:质量智能检测; 4:远程能耗监测\n"

static const struct {
	const char *name;
	const char *body;
	const char *want[3];
} bad_rules[] = {
    {"bad-expression",
     HEAD "items = invoice_payment; scene_data\n"
	  "[item invoice_payment]\nlabel = 发票及支付凭证\n"
	  "requires = invoice & payment_proof\n"
	  "[direction 4 / scene_data]\nlabel = x\n"
	  "when.scene.3 = quality_data_records & (pass_rate_comparison\n",
     {"direction 4", "item scene_data", "expected ')'"}},
    {"dangling-operator",
     HEAD "items = a\n[item a]\nlabel = x\nrequires = invoice &\n",
     {"direction 4", "item a", "expected a document type id"}},
    {"unknown-key",
     HEAD "items = a\n[item a]\nlabel = x\nrequires = invoice\n"
	  "optinal = true\n",
     {"direction 4", "item a", "unknown key 'optinal'"}},
    {"scene-not-in-direction",
     HEAD "items = a\n[item a]\nlabel = x\nwhen.scene.7 = invoice\n",
     {"direction 4", "item a", "when.scene.7"}},
    {"number-out-of-place",
     HEAD "items = a; b\n[item a]\nlabel = x\nrequires = invoice\n"
	  "[direction 4 / b]\nnumber = ③\nlabel = y\nrequires = photo\n",
     {"direction 4", "item b", "number ③"}},
    {"no-group",
     HEAD "items = a\n",
     {"direction 4", "item a", "no [direction 4"}},
    {"unlisted-group",
     HEAD "items = a\n[item a]\nlabel = x\nrequires = invoice\n"
	  "[direction 4 / typo]\nlabel = y\nrequires = photo\n",
     {"[direction 4 / typo]", "not listed", NULL}},
    {"bad-count",
     HEAD "items = a\n[item a]\nlabel = x\nrequires = 0*photo\n",
     {"item a", "at least 1", NULL}},
    {"requires-and-when",
     HEAD "items = a\n[item a]\nlabel = x\nrequires = invoice\n"
	  "when.scene.3 = photo\n",
     {"item a", "exclude each other", NULL}},
    {"undeclared-not-a-value",
     HEAD "items = a\n[item a]\nlabel = x\nwhen.delivery.agency = invoice\n"
	  "undeclared = self\n",
     {"item a", "undeclared = self", NULL}},
    {"no-edition",
     "[direction 4]\nname = x\nitems = a\n",
     {"edition", NULL, NULL}},
};

static void
test_load_errors(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(bad_rules); i++) {
		char *path = write_rules(bad_rules[i].body);
		GError *error = NULL;
		ChecklistPolicy *p = checklist_policy_load(path, &error);

		if (p != NULL)
			g_error("%s: loaded", bad_rules[i].name);
		g_assert_error(error, CORE_ERROR, CORE_ERROR_RULES);
		for (guint k = 0; k < 3 && bad_rules[i].want[k] != NULL; k++)
			if (strstr(error->message, bad_rules[i].want[k]) ==
			    NULL)
				g_error("%s: '%s' lacks '%s'",
					bad_rules[i].name, error->message,
					bad_rules[i].want[k]);
		g_clear_error(&error);
		g_unlink(path);
		g_free(path);
	}
}

static void
test_load_missing_file(void)
{
	GError *error = NULL;

	g_assert_null(
	    checklist_policy_load("/nonexistent/evidence.ini", &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_IO);
	g_assert_nonnull(strstr(error->message, "evidence.ini"));
	g_clear_error(&error);
}

/* ---- expressions --------------------------------------------------- */

static void
test_expr_parse(void)
{
	static const char *const good[] = {
	    "invoice", " invoice&payment_proof ", "a | b & c", "(a|b)&(c|d)",
	    "2*photo", "2 * photo & x",		  "((a))",     NULL};
	static const char *const bad[] = {
	    "",	      "&a",	   "a &", "a b",     "(a",     "a)",
	    "2photo", "100*photo", "A",	  "a | | b", "a & ()", NULL};
	Expr *e;

	for (guint i = 0; good[i] != NULL; i++) {
		GError *error = NULL;

		e = expr_parse(good[i], &error);
		g_assert_no_error(error);
		expr_free(e);
	}
	for (guint i = 0; bad[i] != NULL; i++) {
		GError *error = NULL;

		e = expr_parse(bad[i], &error);
		if (e != NULL)
			g_error("'%s' parsed", bad[i]);
		g_assert_error(error, CORE_ERROR, CORE_ERROR_RULES);
		g_assert_nonnull(strstr(error->message, "column"));
		g_clear_error(&error);
	}
	/* & binds tighter than |: a | (b & c). */
	e = expr_parse("a | b & c", NULL);
	g_assert_cmpint(e->kind, ==, EXPR_ANY);
	g_assert_cmpint(((Expr *)g_ptr_array_index(e->kids, 1))->kind, ==,
			EXPR_ALL);
	expr_free(e);
}

static void
test_status_names(void)
{
	g_assert_cmpstr(checklist_status_name(CHECKLIST_PRESENT), ==,
			"present");
	g_assert_cmpstr(checklist_status_name(CHECKLIST_MISSING), ==,
			"missing");
	g_assert_cmpstr(checklist_status_name(CHECKLIST_NOT_REQUIRED), ==,
			"not_required");
	g_assert_cmpstr(checklist_status_name(CHECKLIST_NOT_CHECKED), ==,
			"not_checked");
}

int
main(int argc, char **argv)
{
	GError *error = NULL;
	int rc;

	g_test_init(&argc, &argv, NULL);
	contract_types = g_strsplit(contract_type_list, " ", -1);
	policy = checklist_policy_load(RULES_2026, &error);
	g_assert_no_error(error);

	g_test_add_func("/checklist/d4/complete-scene3",
			test_d4_complete_scene3);
	g_test_add_func("/checklist/d4/scene3-known-types",
			test_d4_scene3_known_types);
	g_test_add_func("/checklist/d4/no-acceptance-form",
			test_d4_no_acceptance_form);
	g_test_add_func("/checklist/d4/no-payment-proof",
			test_d4_no_payment_proof);
	g_test_add_func("/checklist/d4/scene1-not-required",
			test_d4_scene1_not_required);
	g_test_add_func("/checklist/d4/scene-undeclared",
			test_d4_scene_undeclared);
	g_test_add_func("/checklist/d4/scene-not-in-direction",
			test_d4_scene_not_in_direction);
	g_test_add_func("/checklist/d4/agency-not-allowed",
			test_d4_agency_not_allowed);
	g_test_add_func("/checklist/d4/training-two-photos",
			test_d4_training_needs_two_photos);
	g_test_add_func("/checklist/d6/agency-authorization",
			test_d6_agency_needs_authorization);
	g_test_add_func("/checklist/d6/self-and-undeclared",
			test_d6_self_and_undeclared_delivery);
	g_test_add_func("/checklist/d7/scene-items", test_d7_scene_items);
	g_test_add_func("/checklist/d8/nine-items", test_d8_nine_items_shifted);
	g_test_add_func("/checklist/d9/one-of", test_d9_one_of_certificates);
	g_test_add_func("/checklist/partly-recognisable",
			test_partly_recognisable);
	g_test_add_func("/checklist/known-missing-beside-unknown",
			test_known_missing_beside_unknown);
	g_test_add_func("/checklist/optional", test_optional_items);
	g_test_add_func("/checklist/d15.1/mutual-recognition",
			test_d15_1_mutual_recognition);
	g_test_add_func("/checklist/direction-unknown", test_direction_unknown);
	g_test_add_func("/checklist/direction-number-form",
			test_direction_number_form);
	g_test_add_func("/checklist/rules/counts", test_rules_file_counts);
	g_test_add_func("/checklist/rules/agency", test_rules_file_agency);
	g_test_add_func("/checklist/rules/digital-shape",
			test_rules_file_digital_shape);
	g_test_add_func("/checklist/rules/types-documented",
			test_rules_file_types_documented);
	g_test_add_func("/checklist/load/errors", test_load_errors);
	g_test_add_func("/checklist/load/missing-file", test_load_missing_file);
	g_test_add_func("/checklist/expr/parse", test_expr_parse);
	g_test_add_func("/checklist/status-names", test_status_names);
	rc = g_test_run();
	checklist_policy_free(policy);
	g_strfreev(contract_types);
	return rc;
}
