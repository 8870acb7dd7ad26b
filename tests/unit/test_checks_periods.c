/* test_checks_periods.c - checks/periods.c and checks/certs.c: the cycle,
 * the trial run, the month of operation records, the authorization letter
 * and certificate validity, run through the real rules/2026/checks.ini on
 * claims built in memory (documents with their fields, pages with their
 * text), so these tests do not depend on OCR or classify. */
#include <stdio.h>
#include <string.h>

#include "checks_fixture.h"
#include "classify/classify.h"

#define TYPES_2026 EVIDCHECK_RULES_DIR "/2026/types.ini"

static ClassifyRules *types; /* to read fields as a scan does */

static void
add_page(Fixture *fx, const char *file, int page, const char *text)
{
	CorePage *p = core_page_new(file, page);

	core_page_set_text(p, text, CORE_TEXT_PDF, 1.0);
	g_ptr_array_add(fx->pages, p);
}

/* A one-page document of TYPE whose fields types.ini reads from TEXT. */
static void
add_read(Fixture *fx, const char *file, const char *type, const char *text)
{
	CoreDocument *doc = core_document_new(file, type);
	char *norm = core_text_normalize(text);

	core_document_add_page(doc, 1);
	doc->source = CORE_TEXT_PDF;
	classify_extract_fields(types, doc, norm);
	g_free(norm);
	g_ptr_array_add(fx->documents, doc);
	add_page(fx, file, 1, text);
}

/* Exactly one finding of CODE, its message holding each of the strings
 * (NULL-terminated). */
static const CoreFinding *
assert_finding(const Fixture *fx, const char *code, ...)
{
	const CoreFinding *f;
	va_list ap;
	const char *want;

	g_assert_cmpuint(fx->result->findings->len, ==, 1);
	f = g_ptr_array_index(fx->result->findings, 0);
	g_assert_cmpstr(f->code, ==, code);
	/* Every finding says the same in English (--lang en). */
	g_assert_nonnull(f->message_en);
	g_assert_cmpstr(f->message_en, !=, "");
	va_start(ap, code);
	while ((want = va_arg(ap, const char *)) != NULL)
		if (strstr(f->message, want) == NULL) {
			fprintf(stderr, "message lacks \"%s\": %s\n", want,
				f->message);
			g_assert_not_reached();
		}
	va_end(ap);
	return f;
}

/* ---- cycle ----------------------------------------------------------- */

static const ChecksOutcome *
cycle(Fixture *fx, const char *kind, const char *signed_on,
      const char *accepted_on)
{
	fx->claim->project_kind = g_strdup(kind);
	fx->claim->contract_signed_on = g_strdup(signed_on);
	fx->claim->accepted_on = g_strdup(accepted_on);
	return run_rule(fx, "cycle");
}

static void
test_cycle_exact(void)
{
	Fixture fx;

	fx_init_bare(&fx, "4");
	assert_status(cycle(&fx, "single_line_mes", "2025-06-01", "2025-12-01"),
		      CHECKS_PASSED);
	g_assert_cmpuint(fx.result->findings->len, ==, 0);
	fx_clear(&fx);
}

static void
test_cycle_one_day_short(void)
{
	Fixture fx;

	fx_init_bare(&fx, "4");
	assert_status(cycle(&fx, "single_line_mes", "2025-06-01", "2025-11-30"),
		      CHECKS_FAILED);
	assert_finding(&fx, "CYCLE_TOO_SHORT", "2025年6月1日", "2025年11月30日",
		       "5个月29天", "单条产线MES项目不少于6个月", NULL);
	fx_clear(&fx);
}

static void
test_cycle_guide_example(void)
{
	const CoreFinding *f;
	Fixture fx;

	fx_init_bare(&fx, "4");
	assert_status(cycle(&fx, "single_line_mes", "2025-09-01", "2026-01-10"),
		      CHECKS_FAILED);
	f = assert_finding(
	    &fx, "CYCLE_TOO_SHORT",
	    "实施周期不足：合同签订于2025年9月1日，验收于2026年1月10日"
	    "，仅4个月9天；单条产线MES项目不少于6个月",
	    NULL);
	g_assert_cmpstr(f->message_en, ==,
			"Implementation cycle too short: contract signed on "
			"2025-09-01, accepted on 2026-01-10, only 4 months 9 "
			"days; a single_line_mes project needs at least 6 "
			"months");
	fx_clear(&fx);
}

static void
test_cycle_month_end(void)
{
	Fixture fx;

	fx_init_bare(&fx, "4");
	assert_status(cycle(&fx, "single_line_mes", "2025-08-31", "2026-02-28"),
		      CHECKS_PASSED);
	fx_clear(&fx);
	fx_init_bare(&fx, "4");
	assert_status(cycle(&fx, "single_line_mes", "2025-08-31", "2026-02-27"),
		      CHECKS_FAILED);
	fx_clear(&fx);
}

static void
test_cycle_multi_system(void)
{
	Fixture fx;

	fx_init_bare(&fx, "5");
	assert_status(cycle(&fx, "multi_system", "2025-01-10", "2026-01-09"),
		      CHECKS_FAILED);
	assert_finding(&fx, "CYCLE_TOO_SHORT", "多系统集成项目不少于12个月",
		       NULL);
	fx_clear(&fx);
	fx_init_bare(&fx, "5");
	assert_status(cycle(&fx, "multi_system", "2025-01-10", "2026-01-10"),
		      CHECKS_PASSED);
	fx_clear(&fx);
}

static void
test_cycle_kind(void)
{
	Fixture fx;
	const ChecksOutcome *o;

	fx_init_bare(&fx, "4");
	o = cycle(&fx, NULL, "2025-06-01", "2026-01-10");
	assert_status(o, CHECKS_NOT_CHECKED);
	g_assert_nonnull(strstr(o->note, "未声明项目类型（project_kind）"));
	fx_clear(&fx);
	fx_init_bare(&fx, "4");
	assert_status(cycle(&fx, "other", "2025-06-01", "2025-07-01"),
		      CHECKS_NOT_APPLICABLE);
	g_assert_cmpuint(fx.result->findings->len, ==, 0);
	fx_clear(&fx);
}

static void
test_cycle_dates(void)
{
	const CoreFinding *f;
	Fixture fx;
	const ChecksOutcome *o;

	/* The dates from the documents when claim.json has none; refs name
	 * them. */
	fx_init_bare(&fx, "4");
	fx.claim->project_kind = g_strdup("single_line_mes");
	add_doc(&fx, "合同.pdf", "contract", "signed_on=2025-09-01", NULL);
	add_doc(&fx, "验收单.jpg", "acceptance_form", "accepted_on=2026-01-10",
		NULL);
	o = run_rule(&fx, "cycle");
	assert_status(o, CHECKS_FAILED);
	g_assert_cmpuint(o->documents->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(o->documents, 0), ==, "合同.pdf#1");
	fx_clear(&fx);

	/* Accepted before it was signed: a date is wrong. */
	fx_init_bare(&fx, "4");
	assert_status(cycle(&fx, "single_line_mes", "2026-01-10", "2025-09-01"),
		      CHECKS_FAILED);
	f = assert_finding(&fx, "CYCLE_TOO_SHORT", "倒置", NULL);
	g_assert_nonnull(strstr(f->message_en, "dates reversed"));
	fx_clear(&fx);

	/* No acceptance date anywhere: not_checked, saying where it looked. */
	fx_init_bare(&fx, "4");
	o = cycle(&fx, "single_line_mes", "2025-06-01", NULL);
	assert_status(o, CHECKS_NOT_CHECKED);
	g_assert_nonnull(strstr(o->note, "acceptance_form.accepted_on"));
	fx_clear(&fx);

	/* Another direction: not applicable. */
	fx_init_bare(&fx, "14.1");
	assert_status(cycle(&fx, "single_line_mes", "2025-06-01", "2025-07-01"),
		      CHECKS_NOT_APPLICABLE);
	fx_clear(&fx);
}

/* ---- trial run ------------------------------------------------------- */

static void
test_trial(void)
{
	const CoreFinding *f;
	Fixture fx;
	const ChecksOutcome *o;

	fx_init_bare(&fx, "4");
	add_doc(&fx, "验收单.pdf", "acceptance_form", "trial_from=2025-10-02",
		"trial_to=2026-01-02", NULL);
	assert_status(run_rule(&fx, "trial_run"), CHECKS_PASSED);
	fx_clear(&fx);

	fx_init_bare(&fx, "4");
	add_doc(&fx, "验收单.pdf", "acceptance_form", "trial_from=2025-10-02",
		"trial_to=2026-01-01", NULL);
	assert_status(run_rule(&fx, "trial_run"), CHECKS_FAILED);
	assert_finding(&fx, "TRIAL_RUN_TOO_SHORT", "试运行时间不足",
		       "2025年10月2日", "2个月30天", "不少于3个月", NULL);
	fx_clear(&fx);

	/* Only "试运行期为两个月" written: the number decides. */
	fx_init_bare(&fx, "4");
	add_doc(&fx, "中期报告.pdf", "midterm_report", "trial_months=2", NULL);
	assert_status(run_rule(&fx, "trial_run"), CHECKS_FAILED);
	assert_finding(&fx, "TRIAL_RUN_TOO_SHORT", "2个月", NULL);
	fx_clear(&fx);

	fx_init_bare(&fx, "4");
	add_doc(&fx, "中期报告.pdf", "midterm_report", "trial_months=3", NULL);
	assert_status(run_rule(&fx, "trial_run"), CHECKS_PASSED);
	fx_clear(&fx);

	/* A trial end read as November (OCR: 01 → 11) after the acceptance
	 * on 10 January counts up to the acceptance only: 2 months 9 days
	 * from 1 November, not the 12 months the misreading would give. */
	fx_init_bare(&fx, "4");
	add_doc(&fx, "验收单.pdf", "acceptance_form", "accepted_on=2026-01-10",
		"trial_from=2025-11-01", "trial_to=2026-11-08", NULL);
	assert_status(run_rule(&fx, "trial_run"), CHECKS_FAILED);
	f = assert_finding(&fx, "TRIAL_RUN_TOO_SHORT", "2个月9天",
			   "晚于2026年1月10日", NULL);
	g_assert_nonnull(strstr(f->message_en, "2 months 9 days"));
	g_assert_nonnull(strstr(f->message_en, "after 2026-01-10"));
	fx_clear(&fx);

	fx_init_bare(&fx, "4");
	o = run_rule(&fx, "trial_run");
	assert_status(o, CHECKS_NOT_CHECKED);
	g_assert_nonnull(strstr(o->note, "trial_months"));
	fx_clear(&fx);
}

/* ---- operation records ----------------------------------------------- */

/* Daily rows from FROM for DAYS days, leaving out GAP days in the middle,
 * in the date style STYLE (0 ISO with a time, 1 slashes, 2 年月日, 3 ISO
 * glued to the row number and the figures). */
static char *
records_text(const char *from, int days, int gap, int style)
{
	GString *s = g_string_new("智能质检云平台系统运行核心数据记录\n");
	GDate d;
	int gap_from = (days - gap) / 2;

	g_assert_true(checks_date_parse(from, &d));
	g_string_append_printf(s, "打印日期：2026-03-01\n日期 产量 合格率\n");
	for (int i = 0; i < days; i++, g_date_add_days(&d, 1)) {
		unsigned y = g_date_get_year(&d), m = g_date_get_month(&d),
			 dd = g_date_get_day(&d);

		if (i >= gap_from && i < gap_from + gap)
			continue;
		if (style == 0)
			g_string_append_printf(
			    s, "%u-%02u-%02u 08:00 %d 98.%d%%\n", y, m, dd,
			    900 + i, i % 10);
		else if (style == 1)
			g_string_append_printf(s, "%u/%u/%u %d\n", y, m, dd,
					       900 + i);
		else if (style == 2)
			g_string_append_printf(s, "%u年%u月%u日 %d\n", y, m, dd,
					       900 + i);
		else /* a text layer gluing the cells: row, date, figures */
			g_string_append_printf(s, "%d%u-%02u-%02u%d98.%d%%\n",
					       i + 1, y, m, dd, 900 + i,
					       i % 10);
	}
	/* The report's own date, weeks after the rows. */
	g_string_append(s, "编制：张伟 2026年4月20日\n");
	return g_string_free(s, FALSE);
}

static const ChecksOutcome *
records(Fixture *fx, int days, int gap, int style)
{
	char *text = records_text("2025-11-23", days, gap, style);

	add_doc(fx, "运行记录.pdf", "operation_records", NULL);
	add_page(fx, "运行记录.pdf", 1, text);
	g_free(text);
	return run_rule(fx, "operation_records");
}

static void
test_records(void)
{
	const CoreFinding *f;
	Fixture fx;
	const ChecksOutcome *o;

	for (int style = 0; style < 4; style++) {
		fx_init_bare(&fx, "4");
		assert_status(records(&fx, 35, 0, style), CHECKS_PASSED);
		fx_clear(&fx);
	}
	/* 35 days with 6 missing in the middle: two runs of 14 and 15. */
	fx_init_bare(&fx, "4");
	assert_status(records(&fx, 35, 6, 3), CHECKS_FAILED);
	f = assert_finding(&fx, "RECORDS_TOO_SHORT", "中断6天", "允许不超过3天",
			   NULL);
	g_assert_nonnull(strstr(f->message_en, "a break of 6 days"));
	g_assert_nonnull(strstr(f->message_en, "at most 3 allowed"));
	fx_clear(&fx);
	/* A weekend's gap (2 days) does not break the month. */
	fx_init_bare(&fx, "4");
	assert_status(records(&fx, 35, 2, 1), CHECKS_PASSED);
	fx_clear(&fx);
	/* 20 days: too short, and the report's date weeks later does not
	 * make it longer. */
	fx_init_bare(&fx, "4");
	assert_status(records(&fx, 20, 0, 2), CHECKS_FAILED);
	assert_finding(&fx, "RECORDS_TOO_SHORT", "仅19天", NULL);
	fx_clear(&fx);
	/* No records: the checklist reports it missing. */
	fx_init_bare(&fx, "4");
	o = run_rule(&fx, "operation_records");
	assert_status(o, CHECKS_NOT_CHECKED);
	fx_clear(&fx);
}

static void
test_records_weekly(void)
{
	Fixture fx;
	GString *s = g_string_new("运行周报汇总\n");
	GDate d;

	/* Weekly rows written as ranges cover their days. */
	g_assert_true(checks_date_parse("2025-12-01", &d));
	for (int w = 0; w < 6; w++) {
		GDate e = d;

		g_date_add_days(&e, 6);
		g_string_append_printf(
		    s, "第%d周 %u-%02u-%02u 至 %u-%02u-%02u 产量 %d\n", w + 1,
		    g_date_get_year(&d), g_date_get_month(&d),
		    g_date_get_day(&d), g_date_get_year(&e),
		    g_date_get_month(&e), g_date_get_day(&e), 6000 + w);
		g_date_add_days(&d, 7);
	}
	fx_init_bare(&fx, "4");
	add_doc(&fx, "周报.pdf", "operation_records", NULL);
	add_page(&fx, "周报.pdf", 1, s->str);
	assert_status(run_rule(&fx, "operation_records"), CHECKS_PASSED);
	fx_clear(&fx);
	g_string_free(s, TRUE);
}

/* ---- authorization ---------------------------------------------------- */

static void
agency(Fixture *fx, const char *direction)
{
	fx_init_bare(fx, direction);
	fx->claim->delivery = g_strdup("agency");
	fx->claim->contract_signed_on = g_strdup("2025-06-01");
	fx->claim->accepted_on = g_strdup("2026-01-10");
}

static void
test_authorization(void)
{
	Fixture fx;
	const ChecksOutcome *o;

	agency(&fx, "6");
	add_doc(&fx, "授权书.pdf", "authorization_letter",
		"region=广西壮族自治区", "scope=销售、部署实施及技术支持",
		"period=2025年5月1日至2027年6月30日", "valid_from=2025-05-01",
		"valid_until=2027-06-30", NULL);
	o = run_rule(&fx, "authorization");
	assert_status(o, CHECKS_PASSED);
	g_assert_cmpstr(g_ptr_array_index(o->documents, 0), ==, "授权书.pdf#1");
	fx_clear(&fx);

	/* No region: named. */
	agency(&fx, "6");
	add_doc(&fx, "授权书.pdf", "authorization_letter",
		"scope=销售、部署实施及技术支持",
		"period=2025年5月1日至2027年6月30日", "valid_from=2025-05-01",
		"valid_until=2027-06-30", NULL);
	assert_status(run_rule(&fx, "authorization"), CHECKS_FAILED);
	assert_finding(&fx, "AUTHORIZATION_GAP", "未写明授权地域", NULL);
	fx_clear(&fx);

	/* Period ending before acceptance. */
	agency(&fx, "7");
	add_doc(&fx, "授权书.pdf", "authorization_letter",
		"region=广西壮族自治区", "scope=销售及实施",
		"period=2025年1月1日至2025年12月31日", "valid_from=2025-01-01",
		"valid_until=2025-12-31", NULL);
	assert_status(run_rule(&fx, "authorization"), CHECKS_FAILED);
	assert_finding(&fx, "AUTHORIZATION_GAP", "授权期限至2025年12月31日止",
		       "早于验收（2026年1月10日）", NULL);
	fx_clear(&fx);

	/* Another province only. */
	agency(&fx, "6");
	add_doc(&fx, "授权书.pdf", "authorization_letter", "region=广东省",
		"scope=销售", "period=长期有效", NULL);
	assert_status(run_rule(&fx, "authorization"), CHECKS_FAILED);
	assert_finding(&fx, "AUTHORIZATION_GAP", "“广东省”，未包含广西", NULL);
	fx_clear(&fx);

	/* Self-developed: not applicable; agency without a letter: the
	 * checklist's MISSING_EVIDENCE, here not_checked. */
	fx_init_bare(&fx, "6");
	fx.claim->delivery = g_strdup("self");
	assert_status(run_rule(&fx, "authorization"), CHECKS_NOT_APPLICABLE);
	fx_clear(&fx);
	agency(&fx, "6");
	assert_status(run_rule(&fx, "authorization"), CHECKS_NOT_CHECKED);
	fx_clear(&fx);
}

/* Letters as agents upload them, read by types.ini's fields. */
static void
test_authorization_letters(void)
{
	Fixture fx;
	const ChecksOutcome *o;

	/* Labelled lines, "自…起至…止". */
	agency(&fx, "6");
	add_read(&fx, "授权书.pdf", "authorization_letter",
		 "授权委托书\n授权方：深圳市华拓软件股份有限公司\n"
		 "被授权方：南宁智联科技有限公司\n授权区域：广西壮族自治区\n"
		 "授权期限：自2025年5月1日起至2027年6月30日止\n"
		 "授权范围：该软件产品在授权区域内的销售、部署实施及技术支持服"
		 "务\n特此授权。\n");
	o = run_rule(&fx, "authorization");
	assert_status(o, CHECKS_PASSED);
	fx_clear(&fx);

	/* In prose, ending before the acceptance. */
	agency(&fx, "6");
	add_read(
	    &fx, "授权书.pdf", "authorization_letter",
	    "授权书\n深圳市华拓软件股份有限公司是“智能质检云平台”计算机软件"
	    "著作权的合法持有人。现授权南宁智联科技有限公司在广西壮族自治区"
	    "范围内代理销售该软件，授权期限为2025年5月1日至2025年12月31日，"
	    "授权内容包括销售、实施及售后服务。\n");
	assert_status(run_rule(&fx, "authorization"), CHECKS_FAILED);
	assert_finding(&fx, "AUTHORIZATION_GAP", "至2025年12月31日止", NULL);
	fx_clear(&fx);

	/* No end: "长期有效" covers any project; no region line. */
	agency(&fx, "7");
	add_read(&fx, "授权书.pdf", "authorization_letter",
		 "授权书\n授权方：深圳市华拓软件股份有限公司\n"
		 "被授权方：南宁智联科技有限公司\n"
		 "授权范围：销售及实施服务\n本授权书长期有效。\n");
	assert_status(run_rule(&fx, "authorization"), CHECKS_FAILED);
	assert_finding(&fx, "AUTHORIZATION_GAP", "未写明授权地域", NULL);
	g_assert_null(strstr(
	    ((CoreFinding *)g_ptr_array_index(fx.result->findings, 0))->message,
	    "授权期限、"));
	fx_clear(&fx);
}

/* ---- certificates ------------------------------------------------------ */

static void
test_cert_expired(void)
{
	Fixture fx;
	const CoreFinding *f;

	fx_init_bare(&fx, "14.1");
	fx.claim->contract_signed_on = g_strdup("2025-06-01");
	fx.claim->accepted_on = g_strdup("2026-01-10");
	add_doc(&fx, "资质/CMA.pdf", "cma_cert", "number=202012345678",
		"valid_until=2025-03-31", NULL);
	assert_status(run_rule(&fx, "provider_certificates"), CHECKS_FAILED);
	f = assert_finding(&fx, "CERT_EXPIRED", "检验检测机构资质认定证书",
			   "202012345678", "有效期至2025年3月31日",
			   "合同签订（2025年6月1日）时已过期", NULL);
	g_assert_cmpstr(g_ptr_array_index(f->documents, 0), ==,
			"资质/CMA.pdf#1");
	fx_clear(&fx);

	/* Lapsed during the service: named at the acceptance. */
	fx_init_bare(&fx, "14.1");
	fx.claim->contract_signed_on = g_strdup("2025-06-01");
	fx.claim->accepted_on = g_strdup("2026-01-10");
	add_doc(&fx, "资质/CMA.pdf", "cma_cert", "valid_until=2025-10-31",
		NULL);
	assert_status(run_rule(&fx, "provider_certificates"), CHECKS_FAILED);
	assert_finding(&fx, "CERT_EXPIRED", "有效期至2025年10月31日",
		       "验收（2026年1月10日）时已过期", NULL);
	fx_clear(&fx);

	/* Not yet valid when the contract was signed, by its issue date. */
	fx_init_bare(&fx, "14.1");
	fx.claim->contract_signed_on = g_strdup("2025-06-01");
	fx.claim->accepted_on = g_strdup("2026-01-10");
	add_doc(&fx, "资质/CNAS.pdf", "cnas_cert", "valid_from=2025-09-01",
		"valid_until=2030-08-31", NULL);
	assert_status(run_rule(&fx, "provider_certificates"), CHECKS_FAILED);
	f = assert_finding(&fx, "CERT_EXPIRED", "自2025年9月1日起有效",
			   "合同签订（2025年6月1日）时尚未生效", "换证", NULL);
	/* A renewal prints its own issue date: a warning, not a refusal. */
	g_assert_cmpint(f->severity, ==, CORE_SEVERITY_WARNING);
	fx_clear(&fx);
}

static void
test_cert_valid(void)
{
	Fixture fx;
	const ChecksOutcome *o;

	fx_init_bare(&fx, "14.1");
	fx.claim->contract_signed_on = g_strdup("2025-06-01");
	fx.claim->accepted_on = g_strdup("2026-01-10");
	add_doc(&fx, "资质/CMA.pdf", "cma_cert", "valid_from=2024-01-15",
		"valid_until=2030-01-14", NULL);
	o = run_rule(&fx, "provider_certificates");
	assert_status(o, CHECKS_PASSED);
	g_assert_nonnull(strstr(o->note, "有效期至2030年1月14日"));
	fx_clear(&fx);

	/* One read, one not: not_checked, the note naming both. */
	fx_init_bare(&fx, "14.1");
	fx.claim->contract_signed_on = g_strdup("2025-06-01");
	fx.claim->accepted_on = g_strdup("2026-01-10");
	add_doc(&fx, "资质/CMA.pdf", "cma_cert", "valid_until=2030-01-14",
		NULL);
	add_doc(&fx, "资质/CNAS.pdf", "cnas_cert", NULL);
	o = run_rule(&fx, "provider_certificates");
	assert_status(o, CHECKS_NOT_CHECKED);
	g_assert_nonnull(strstr(o->note, "未读出有效期"));
	g_assert_nonnull(strstr(o->note, "2030年1月14日"));
	fx_clear(&fx);

	/* No certificate of those types: not applicable. */
	fx_init_bare(&fx, "14.1");
	o = run_rule(&fx, "outcome_certificates");
	assert_status(o, CHECKS_NOT_APPLICABLE);
	g_assert_nonnull(strstr(o->note, "本申报无"));
	fx_clear(&fx);

	/* Read from the certificates' text: a CMA valid throughout; a 两化融合
	 * certificate lapsed before the acceptance. */
	fx_init_bare(&fx, "14.1");
	fx.claim->contract_signed_on = g_strdup("2025-06-01");
	fx.claim->accepted_on = g_strdup("2026-01-10");
	add_read(&fx, "资质/CMA.pdf", "cma_cert",
		 "检验检测机构资质认定证书\n证书编号：241234567890\n"
		 "名称：广西壮族自治区产品质量检验研究院\n"
		 "发证日期：2024年1月15日\n有效期至：2030年1月14日\n");
	assert_status(run_rule(&fx, "provider_certificates"), CHECKS_PASSED);
	fx_clear(&fx);
	fx_init_bare(&fx, "9");
	fx.claim->accepted_on = g_strdup("2026-01-10");
	add_read(
	    &fx, "证书/两化融合.pdf", "iim_cert",
	    "两化融合管理体系评定证书\n证书编号：AIITRE-00125IIIMS0123401\n"
	    "发证日期：2022年12月31日\n有效期至：2025年12月30日\n");
	assert_status(run_rule(&fx, "outcome_certificates"), CHECKS_FAILED);
	assert_finding(&fx, "CERT_EXPIRED", "有效期至2025年12月30日",
		       "验收（2026年1月10日）时已过期", NULL);
	fx_clear(&fx);

	/* An outcome certificate is judged on acceptance only. */
	fx_init_bare(&fx, "11");
	fx.claim->contract_signed_on = g_strdup("2025-06-01");
	fx.claim->accepted_on = g_strdup("2026-01-10");
	add_doc(&fx, "证书/ISO9001.pdf", "management_system_cert",
		"valid_from=2025-12-20", "valid_until=2028-12-19", NULL);
	assert_status(run_rule(&fx, "outcome_certificates"), CHECKS_PASSED);
	fx_clear(&fx);
}

int
main(int argc, char **argv)
{
	GError *error = NULL;
	int rc;

	g_test_init(&argc, &argv, NULL);
	policy = checks_policy_load(CHECKS_2026, &error);
	g_assert_no_error(error);
	types = classify_rules_load(TYPES_2026, &error);
	g_assert_no_error(error);
	g_test_add_func("/checks/cycle/exact-6-months", test_cycle_exact);
	g_test_add_func("/checks/cycle/one-day-short",
			test_cycle_one_day_short);
	g_test_add_func("/checks/cycle/guide-example",
			test_cycle_guide_example);
	g_test_add_func("/checks/cycle/month-end", test_cycle_month_end);
	g_test_add_func("/checks/cycle/multi-system", test_cycle_multi_system);
	g_test_add_func("/checks/cycle/project-kind", test_cycle_kind);
	g_test_add_func("/checks/cycle/dates", test_cycle_dates);
	g_test_add_func("/checks/trial-run", test_trial);
	g_test_add_func("/checks/records/daily", test_records);
	g_test_add_func("/checks/records/weekly", test_records_weekly);
	g_test_add_func("/checks/authorization/fields", test_authorization);
	g_test_add_func("/checks/authorization/letters",
			test_authorization_letters);
	g_test_add_func("/checks/certificates/expired", test_cert_expired);
	g_test_add_func("/checks/certificates/valid", test_cert_valid);
	rc = g_test_run();
	checks_policy_free(policy);
	classify_rules_free(types);
	return rc;
}
