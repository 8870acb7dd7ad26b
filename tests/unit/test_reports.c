/* test_reports.c - what the reports tell a reviewer about pages the
 * classifier could not name: the text summary says so and what the page
 * came closest to; the JSON report carries the guess on the page. */
#include <string.h>

#include "reports/reports.h"

static ScanContext *ctx;
static ChecklistPolicy *policy;

/* A one-page document as the scan would have made it: PAGE classified by
 * the real rules, grouped by classify_documents. */
static ScanResult *
result_of_page(CorePage *page)
{
	ScanResult *r = g_new0(ScanResult, 1);

	r->folder = g_strdup("claim");
	r->claim_id = g_strdup("GXFWQ-TEST");
	r->policy = g_strdup("2026");
	r->claim = core_claim_new();
	r->files = g_ptr_array_new();
	r->pages = core_ptr_array_new(core_page_free);
	r->findings = core_ptr_array_new(core_finding_free);
	g_ptr_array_add(r->pages, page);
	r->documents = classify_documents(scan_context_rules(ctx), r->pages);
	r->checklist = checklist_evaluate(policy, scan_context_rules(ctx),
					  r->claim, r->documents);
	return r;
}

static CorePage *
classified(const char *text)
{
	CorePage *p = core_page_new("材料/扫描件.pdf", 1);
	char *norm = core_text_normalize(text);

	core_page_set_text(p, norm, CORE_TEXT_OCR, 0.8);
	classify_page(scan_context_rules(ctx), p, FALSE);
	g_free(norm);
	return p;
}

/* A bank receipt whose title and most labels were lost to a bad scan:
 * too little to call it a receipt, enough to say it nearly was one. */
static void
test_unrecognised_page_named(void)
{
	CorePage *p = classified("付款人：广西某某有限公司\n"
				 "金额：1000.00\n");
	ScanResult *r;
	char *text, *json;

	g_assert_cmpstr(p->type, ==, "other");
	g_assert_cmpstr(p->type_guess, ==, "payment_proof");
	r = result_of_page(p);
	text = reports_text(r, ctx, FALSE, NULL);
	g_assert_nonnull(strstr(text, "材料/扫描件.pdf#1"));
	g_assert_nonnull(strstr(text, "未能识别类型，最接近支付凭证"));
	json = reports_json(r, ctx);
	g_assert_nonnull(strstr(json, "\"type_guess\" : \"payment_proof\""));
	g_free(text);
	g_free(json);
	scan_result_free(r);
}

/* Nothing scored: the page is other, without a guess to mislead. */
static void
test_nothing_scored(void)
{
	CorePage *p = classified("今天天气很好，我们去公园散步。\n");
	ScanResult *r;
	char *text;

	g_assert_cmpstr(p->type, ==, "other");
	g_assert_null(p->type_guess);
	r = result_of_page(p);
	text = reports_text(r, ctx, FALSE, NULL);
	g_assert_nonnull(strstr(text, "未能识别类型）"));
	g_assert_null(strstr(text, "最接近"));
	g_free(text);
	scan_result_free(r);
}

/* A finding reads in the reviewer's language: Chinese by default,
 * English with --lang en; the JSON carries both, "message" unchanged. */
static void
test_message_languages(void)
{
	ScanResult *r = result_of_page(classified("今天天气很好。\n"));
	CoreFinding *f = core_finding_new(
	    "CYCLE_TOO_SHORT", CORE_SEVERITY_ERROR, "实施周期不足：仅4个月9天");
	char *zh, *en, *json;

	core_finding_set_english(f, "Implementation cycle too short: only %s",
				 "4 months 9 days");
	g_ptr_array_add(r->findings, f);
	zh = reports_text(r, ctx, FALSE, NULL);
	en = reports_text(r, ctx, FALSE, "en");
	json = reports_json(r, ctx);
	g_assert_nonnull(strstr(zh, "实施周期不足：仅4个月9天"));
	g_assert_null(strstr(zh, "Implementation cycle"));
	g_assert_nonnull(
	    strstr(en, "Implementation cycle too short: only 4 months 9 days"));
	g_assert_nonnull(strstr(json, "\"message\" : \"实施周期不足"));
	g_assert_nonnull(
	    strstr(json, "\"message_en\" : \"Implementation cycle too short"));
	g_free(zh);
	g_free(en);
	g_free(json);
	scan_result_free(r);
}

/* A recognised page carries no guess. */
static void
test_recognised_has_no_guess(void)
{
	CorePage *p =
	    classified("电子发票（增值税专用发票）\n"
		       "发票号码：26452000000012345678\n"
		       "开票日期：2026年03月10日\n"
		       "购买方信息 名称：广西某某有限公司\n"
		       "价税合计（大写）陆万圆整 （小写）¥60000.00\n");

	g_assert_cmpstr(p->type, ==, "invoice");
	g_assert_null(p->type_guess);
	core_page_free(p);
}

int
main(int argc, char **argv)
{
	ScanOptions o = {EVIDCHECK_RULES_DIR, NULL, 1, NULL, NULL, 0};
	GError *error = NULL;
	int rc;

	g_test_init(&argc, &argv, NULL);
	char *path =
	    g_build_filename(EVIDCHECK_RULES_DIR, "2026", "evidence.ini", NULL);

	ctx = scan_context_new(&o, &error);
	g_assert_no_error(error);
	policy = checklist_policy_load(path, &error);
	g_assert_no_error(error);
	g_free(path);
	g_test_add_func("/reports/unrecognised/named",
			test_unrecognised_page_named);
	g_test_add_func("/reports/unrecognised/nothing-scored",
			test_nothing_scored);
	g_test_add_func("/reports/message-languages", test_message_languages);
	g_test_add_func("/reports/recognised/no-guess",
			test_recognised_has_no_guess);
	rc = g_test_run();
	checklist_policy_free(policy);
	scan_context_free(ctx);
	return rc;
}
