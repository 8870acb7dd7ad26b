/* fuzz_rules.c - libFuzzer target: the three rules files of an edition
 * (types.ini, evidence.ini, checks.ini). Each loader gets the same bytes;
 * what loads is then used as a scan uses it: a page classified against
 * the types, every direction's list ticked, every check run on a claim
 * without documents, so a rule that loads but cannot run is found too.
 * Rules are written by people (next year's edition), not uploaded, but a
 * typo must be an error naming it, never a crash. */
#include "checklist/checklist.h"
#include "checks/checks.h"
#include "classify/classify.h"
#include "fuzz/fuzz.h"

static CoreClaim *
sample_claim(const char *direction)
{
	CoreClaim *c = core_claim_new();

	c->direction = g_strdup(direction);
	c->scene = g_strdup("3");
	c->delivery = g_strdup("agency");
	c->product_name = g_strdup("智能质检云平台");
	c->project_kind = g_strdup("single_line_mes");
	c->enterprise.name = g_strdup("广西桂鑫机械制造有限公司");
	c->enterprise.tier = g_strdup("general");
	c->provider.name = g_strdup("南宁智联科技有限公司");
	c->contract_signed_on = g_strdup("2025-06-01");
	c->contract_amount = g_strdup("60000.00");
	c->voucher_amount = g_strdup("30000.00");
	c->accepted_on = g_strdup("2026-01-10");
	c->trainees = 8;
	return c;
}

static void
use_types(ClassifyRules *rules)
{
	static const char text[] =
	    "增值税专用发票\n发票号码:26452000000012345678\n"
	    "开票日期:2026年01月18日\n价税合计(大写)"
	    "陆万圆整 (小写)¥60000.00\n";
	CorePage *page = core_page_new("f.pdf", 1);
	GPtrArray *pages = core_ptr_array_new(core_page_free);
	GPtrArray *docs;
	char *explained;

	classify_rules_edition(rules);
	core_page_set_text(page, text, CORE_TEXT_PDF, 1.0);
	classify_page(rules, page, FALSE);
	g_ptr_array_add(pages, page);
	docs = classify_documents(rules, pages);
	for (guint i = 0; i < docs->len; i++) {
		const CoreDocument *doc = docs->pdata[i];

		classify_type_label(rules, doc->type);
		classify_type_verify_fields(rules, doc->type);
		for (guint j = 0; j < doc->field_order->len; j++)
			classify_field_kind(rules, doc->type,
					    doc->field_order->pdata[j]);
	}
	explained = classify_explain(rules, text, TRUE);
	g_free(explained);
	g_ptr_array_unref(docs);
	g_ptr_array_unref(pages);
}

static void
use_evidence(ChecklistPolicy *policy)
{
	const char *const *dirs = checklist_policy_directions(policy);

	checklist_policy_edition(policy);
	for (gsize i = 0; dirs != NULL && dirs[i] != NULL; i++) {
		CoreClaim *claim = sample_claim(dirs[i]);
		GPtrArray *docs = core_ptr_array_new(core_document_free);
		ChecklistResult *r;

		checklist_direction_name(policy, dirs[i]);
		r = checklist_evaluate(policy, fuzz_real_types(), claim, docs);
		checklist_result_free(r);
		g_ptr_array_unref(docs);
		core_claim_free(claim);
	}
}

static void
use_checks(ChecksPolicy *policy)
{
	CoreClaim *claim = sample_claim("4");
	GPtrArray *docs = core_ptr_array_new(core_document_free);
	GPtrArray *pages = core_ptr_array_new(core_page_free);
	ChecksInput input = {.claim_id = "fuzz",
			     .claim = claim,
			     .documents = docs,
			     .pages = pages,
			     .today = "2026-03-01"};
	ChecksResult *r;

	checks_policy_edition(policy);
	r = checks_evaluate(policy, &input);
	checks_result_free(r);
	g_ptr_array_unref(pages);
	g_ptr_array_unref(docs);
	core_claim_free(claim);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GError *error = NULL;
	ClassifyRules *types;
	ChecklistPolicy *evidence;
	ChecksPolicy *checks;
	FuzzFile f;

	fuzz_real_types();
	if (!fuzz_file_open(&f, data, size))
		return 0;
	types = classify_rules_load(f.path, &error);
	FUZZ_ASSERT((types == NULL) == (error != NULL),
		    "classify_rules_load: result and error disagree");
	g_clear_error(&error);
	if (types != NULL)
		use_types(types);
	classify_rules_free(types);

	evidence = checklist_policy_load(f.path, &error);
	FUZZ_ASSERT((evidence == NULL) == (error != NULL),
		    "checklist_policy_load: result and error disagree");
	g_clear_error(&error);
	if (evidence != NULL)
		use_evidence(evidence);
	checklist_policy_free(evidence);

	checks = checks_policy_load(f.path, &error);
	FUZZ_ASSERT((checks == NULL) == (error != NULL),
		    "checks_policy_load: result and error disagree");
	g_clear_error(&error);
	if (checks != NULL)
		use_checks(checks);
	checks_policy_free(checks);
	fuzz_file_close(&f);
	return 0;
}
