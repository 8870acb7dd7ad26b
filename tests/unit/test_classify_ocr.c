/* test_classify_ocr.c - classify/ on what OCR makes of photos and scans:
 * pages whose big title was lost are still told by their body (a contract
 * cover's party lines, an invoice's line items, an acceptance form's rows),
 * without pages that only share those words being taken for them; field
 * labels with OCR's brackets, colons and specks still find their values;
 * a bank receipt's two columns give payer and payee by place; and names
 * OCR misread are matched to the names the claim knows, on OCR'd documents
 * only (classify_documents_match_names). The texts are hand-written in the
 * shapes Tesseract gives (samples in tests/data/classify/types/, named
 * TYPE_untitled.txt). */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "classify/classify.h"
#include "core/core.h"

#ifndef EVIDCHECK_RULES_DIR
#define EVIDCHECK_RULES_DIR "rules"
#endif
#ifndef EVIDCHECK_TEST_DATA
#define EVIDCHECK_TEST_DATA "tests/data"
#endif

#define ENTERPRISE "广西桂柳精工机械有限公司"
#define PROVIDER   "南宁智联云科技有限公司"

static ClassifyRules *rules; /* the shipped 2026 rules, loaded once */

/* ---- helpers ------------------------------------------------------------ */

/* Classify TEXT (raw, as OCR hands it over) as one image page. */
static CorePage *
ocr_page(const char *text)
{
	CorePage *p = core_page_new("photo.jpg", 1);
	char *norm = core_text_normalize(text);

	core_page_set_text(p, norm, CORE_TEXT_OCR, 0.8);
	classify_page(rules, p, TRUE);
	g_free(norm);
	return p;
}

static void
expect_type(const char *what, const char *text, const char *want)
{
	CorePage *p = ocr_page(text);

	if (g_strcmp0(p->type, want) != 0)
		g_error("%s: got %s, want %s\n%s", what, p->type, want,
			classify_explain(rules, p->text, TRUE));
	core_page_free(p);
}

/* The fields of TYPE read from TEXT, as from a document of SOURCE. */
static CoreDocument *
document(const char *type, const char *text, CoreTextSource source)
{
	CoreDocument *d = core_document_new("t.jpg", type);
	char *norm = core_text_normalize(text);

	d->source = source;
	core_document_add_page(d, 1);
	classify_extract_fields(rules, d, norm);
	g_free(norm);
	return d;
}

static char *
sample(const char *name)
{
	char *path = g_build_filename(EVIDCHECK_TEST_DATA, "classify", "types",
				      name, NULL);
	char *text = NULL;
	GError *error = NULL;

	if (!g_file_get_contents(path, &text, NULL, &error))
		g_error("%s", error->message);
	g_free(path);
	return text;
}

#define assert_field(doc, name, want)                                          \
	g_assert_cmpstr(core_document_get_field((doc), (name)), ==, (want))

/* ---- pages whose title OCR lost --------------------------------------- */

/* Each sample's title line is OCR garbage; its body is what a reviewer
 * goes by. */
static void
test_untitled_samples(void)
{
	static const char *const cases[][2] = {
	    {"contract_untitled.txt", "contract"},
	    {"invoice_untitled.txt", "invoice"},
	    {"acceptance_form_untitled.txt", "acceptance_form"},
	    {"production_order_untitled.txt", "production_order"},
	    {"quality_trace_records_untitled.txt", "quality_trace_records"},
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *text = sample(cases[i][0]);

		expect_type(cases[i][0], text, cases[i][1]);
		g_free(text);
	}
}

/* Pages that share those body words stay what they are. */
static void
test_untitled_guards(void)
{
	/* A contract's signature page: the party lines ask for seals. As
	 * "other" it continues the contract. */
	expect_type("contract signature page",
		    "（以下无正文）\n甲方（盖章）：" ENTERPRISE "\n"
		    "乙方（盖章）：" PROVIDER "\n"
		    "签订日期：2025年9月1日\n",
		    "other");
	/* A titled trade agreement has the contract's party lines; its own
	 * title decides, untitled.* cues add nothing to a titled page. */
	expect_type("trade agreement with party lines",
		    "外贸综合服务协议书\n甲方（委托方）：" ENTERPRISE "\n"
		    "乙方（外综服企业）：" PROVIDER "\n"
		    "签订日期：2025年9月1日\n协议编号：WZ-2025-011\n"
		    "乙方提供通关、退税、结汇服务。\n",
		    "cooperation_agreement");
	/* A sales contract's product table, no order number, no customer
	 * line: its second page stays "other". */
	expect_type("sales contract page 2",
		    "产品名称 规格型号 数量 单位 单价 金额\n"
		    "减速机壳体 JS-200 100 件 320 32000\n"
		    "交货日期：2026年5月10日\n",
		    "other");
	/* An acceptance form with its title lost is not a contract, though
	 * it names the contract and both parties. */
	expect_type("untitled acceptance form is no contract",
		    "项目名称：智能质检云平台建设项目\n合同编号 HT-2025-018\n"
		    "委托方（甲方）：" ENTERPRISE "\n"
		    "服务方（乙方）：" PROVIDER "\n"
		    "服务内容：需求调研、开发部署及试运行\n验收结论：合格\n"
		    "验收日期：2026年4月20日\n",
		    "acceptance_form");
	/* A plan describing traceability has no trace sheet's rows. */
	expect_type(
	    "plan mentioning traceability",
	    "三、建设内容\n实现原材料批次号追溯，覆盖供应商、工序和设备。\n"
	    "售后问题可按批次查询。\n",
	    "other");
}

/* Titles OCR misreads by one glyph or bracket. */
static void
test_misread_titles(void)
{
	expect_type("两 read as 网",
		    "网化融合管理体系评定证书\n证书编号：AIITRE-00126\n"
		    "评定依据：GB/T 23001-2017\n有效期至：2029年3月20日\n",
		    "iim_cert");
	/* 〈 for （ in 抵（质）押物清单 */
	expect_type("bracket read as 〈",
		    "抵〈质) 押物清单\n借款人: " ENTERPRISE "\n"
		    "序号 名称 权证号 所有权人 数量 评估价值(万元) 存放地点\n"
		    "1 厂房 桂(2023)不动产权第280849号 " ENTERPRISE
		    " 1栋 1078 柳州\n",
		    "collateral_list");
	/* 关 for 著, 闭 for 著 (an upside-down photo in a shadow): the
	 * certificate is still named, and its number still read. */
	{
		static const char cert[] =
		    "中华人民共和国国家版权局\n计算机软件关作权登记证书\n"
		    "证书号: 软闭登字第15234876号\n"
		    "软件名称: 精工云MES生产执行系统V2.1\n"
		    "著作权人: 深圳市华拓软件股份有限公司\n"
		    "登记号: 2025SR0876543\n";
		CoreDocument *d;

		expect_type("著 read as 关", cert, "software_copyright_cert");
		d = document("software_copyright_cert", cert, CORE_TEXT_OCR);
		assert_field(d, "certificate_number", "15234876");
		core_document_free(d);
	}
	/* A Han character of a big title read as a Latin letter. */
	expect_type("能 read as E",
		    "报告编号: JNZD20258436\nE源审计报告\n"
		    "委托单位: 广西柳州精工机械制造有限公司\n"
		    "报告日期: 二〇二五年九月十九日\n",
		    "energy_audit_report");
	/* 登 for 警 in 断链预警处置记录 */
	expect_type(
	    "警 read as 登",
	    "断链预登处置记录\n预警时间 2026.02.21 16:13\n"
	    "序号 预警事项 影响范围 应急措施 调度结果 完成时间\n"
	    "1 一级供应商停产 铸件缺料4天 启用备选供应商 已到货 2026.02.23\n",
	    "alert_dispatch_records");
}

/* ---- pictures OCR made letters of -------------------------------------- */

/* An image page of WORDS read with CONFIDENCE each, its text the words
 * one after the other. */
static CorePage *
page_of_words(const char *const *words, double confidence)
{
	CorePage *p = core_page_new("photo.jpg", 1);
	GString *text = g_string_new(NULL);

	for (gsize i = 0; words[i] != NULL; i++) {
		CoreWord w = {g_strdup(words[i]),
			      {0.05 * i, 0.5, 0.04, 0.02},
			      confidence};

		g_array_append_val(p->words, w);
		g_string_append_printf(text, "%s ", words[i]);
	}
	core_page_set_text(p, text->str, CORE_TEXT_OCR, confidence);
	classify_page(rules, p, TRUE);
	g_string_free(text, TRUE);
	return p;
}

/* A meeting photo read as 40-odd letters of Latin noise at 0.26 is a
 * photo; the same letters read surely are an unknown document. */
static void
test_photo_noise(void)
{
	static const char *const noise[] = {
	    "Staite", "act",   "tie", "ease",  "eate", "Wc",	 "eiaie",
	    "Nes",    "nines", "Sak", "NIOIN", "ANLI", "Aravae", NULL};
	CorePage *p = page_of_words(noise, 0.26);

	g_assert_cmpstr(p->type, ==, "photo");
	core_page_free(p);
	p = page_of_words(noise, 0.9);
	g_assert_cmpstr(p->type, ==, "other");
	core_page_free(p);
}

/* ---- neighbours that share a title ------------------------------------- */

static void
test_shared_titles(void)
{
	/* 试验报告 heads a laboratory's report and an experiment's record;
	 * the body tells which. */
	expect_type("experiment under 试验报告",
		    "试验报告\n报告编号 SYBG20257661\n"
		    "实验名称 精工云MES生产执行系统性能试验\n"
		    "实验日期 二〇二六年四月六日\n实验人员 梁嘉怡、王思远\n"
		    "二、实验设备\n高低温试验箱、振动台。\n三、实验结果\n",
		    "experiment_report");
	expect_type("laboratory report under 试验报告",
		    "试验报告\n报告编号: GXZJ-2026-0412\n"
		    "委托单位: 广西柳州精工机械制造有限公司\n"
		    "样品名称: 减速机壳体  样品编号: YP-0412\n"
		    "检验依据: GB/T 10095.1-2022\n检验结论: 合格\n",
		    "test_report");
	/* A CNAS accreditation shown as the proof of ILAC mutual
	 * recognition is that proof, not a domestic qualification. */
	expect_type("mutual recognition proof",
		    "国际互认资质证明\n证书编号/No.: CNAS L18752\n"
		    "机构名称/Organization: 南宁数智云科技有限公司\n"
		    "互认协议/Arrangement: ILAC-MRA / APAC-MRA\n"
		    "认可标准: ISO/IEC 17025:2017\n"
		    "有效期至/Valid until: 2028-06-30\n",
		    "intl_accreditation_cert");
}

/* ---- records that share a table of dated figures ---------------------- */

static void
test_records(void)
{
	char *log = sample("equipment_run_data_log.txt");

	/* A facility's own log: devices, hours, utilisation, faults. Its
	 * title is also a 运行日志 of operation_records. */
	expect_type("equipment run log", log, "equipment_run_data");
	/* A quality data collection record is also a 采集记录. */
	expect_type(
	    "quality data records",
	    "质量数据采集记录\n采集期间：2026年3月3日 至 2026年3月10日\n"
	    "序号 采集时间 产品批次 检测工位 检测数量 不合格数 合格率\n"
	    "1 2026-03-03 10:54 PC2026405 外观检测 1439 4 99.7%\n"
	    "2 2026-03-04 13:13 PC2026041 尺寸检测 924 8 99.1%\n"
	    "3 2026-03-05 14:19 PC2026528 终检 820 8 99.0%\n"
	    "4 2026-03-06 16:49 PC2026209 外观检测 1373 14 99.0%\n"
	    "5 2026-03-07 09:56 PC2026692 尺寸检测 1470 14 99.0%\n"
	    "6 2026-03-08 11:14 PC2026300 终检 1408 2 99.9%\n"
	    "7 2026-03-09 09:05 PC2026745 外观检测 1124 3 99.7%\n"
	    "8 2026-03-10 09:45 PC2026264 尺寸检测 1412 10 99.3%\n",
	    "quality_data_records");
	/* A system's core data with pass rates stays operation_records. */
	expect_type("system records with pass rates",
		    "智能质检系统运行核心数据记录\n"
		    "日期 检测总数 合格数 不合格数 合格率\n"
		    "2026-03-01 1284 1266 18 98.6%\n"
		    "2026-03-02 1301 1284 17 98.7%\n"
		    "2026-03-03 1276 1258 18 98.6%\n",
		    "operation_records");
	g_free(log);
}

/* ---- fields: labels as OCR shows them --------------------------------- */

static void
test_party_labels(void)
{
	static const char *const text[] = {
	    "委托方〈甲方) : " ENTERPRISE "\n受托方〈乙方) :" PROVIDER "\n",
	    /* the opening bracket and 甲方 lost, a quote before the name */
	    "委托方 CAAT) : ”" ENTERPRISE "\n受托方【乙方】：" PROVIDER "\n",
	    /* a colon read as a semicolon */
	    "甲方（委托方）；" ENTERPRISE "\n乙方（受托方）；" PROVIDER "\n",
	    /* read column by column: labels first, names after */
	    "委托方 〈甲方) :\n\n受托方 〈乙方) :\n\n签订地点:\n签订日期:\n\n"
	    "精工云MES系统建设项目\n\n" ENTERPRISE "\n\n" PROVIDER "\n",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(text); i++) {
		CoreDocument *d = document("contract", text[i], CORE_TEXT_OCR);

		if (g_strcmp0(core_document_get_field(d, "party_a"),
			      ENTERPRISE) != 0 ||
		    g_strcmp0(core_document_get_field(d, "party_b"),
			      PROVIDER) != 0)
			g_error("case %zu: party_a %s, party_b %s", i,
				core_document_get_field(d, "party_a"),
				core_document_get_field(d, "party_b"));
		core_document_free(d);
	}
}

/* Labels standing alone for a seal: the names under them are not taken
 * for a column layout's values. */
static void
test_party_signature_lines(void)
{
	CoreDocument *d = document("contract",
				   "甲方（盖章）：\n乙方（盖章）：\n"
				   "法定代表人：\n" PROVIDER "\n",
				   CORE_TEXT_OCR);

	assert_field(d, "party_a", NULL);
	assert_field(d, "party_b", NULL);
	core_document_free(d);
}

/* A speck OCR read for one character stays in the name, so the label
 * still finds it (the name match repairs it, below). */
static void
test_name_with_speck(void)
{
	CoreDocument *d =
	    document("contract", "委托方 (甲方) : 广西桂柳精 [机械有限公司\n",
		     CORE_TEXT_OCR);

	assert_field(d, "party_a", "广西桂柳精 [机械有限公司");
	core_document_free(d);
}

static void
test_acceptance_labels(void)
{
	char *text = sample("acceptance_form_untitled.txt");
	CoreDocument *d = document("acceptance_form", text, CORE_TEXT_OCR);

	assert_field(d, "enterprise", ENTERPRISE);
	/* The provider's label is garbled: the next row's name. */
	assert_field(d, "provider", PROVIDER);
	assert_field(d, "trial_from", "2026-01-12");
	assert_field(d, "trial_to", "2026-04-16");
	assert_field(d, "accepted_on", "2026-04-20");
	core_document_free(d);
	g_free(text);
}

static void
test_authorization_labels(void)
{
	CoreDocument *semi =
	    document("authorization_letter",
		     "授权委托书\n授权方; "
		     "深圳市华拓软件股份有限公司\n被授权方; " PROVIDER "\n",
		     CORE_TEXT_OCR);
	/* The grantor's label lost: the copyright holder of the prose. */
	CoreDocument *prose = document(
	    "authorization_letter",
	    "授权委托书\nBOT: 深圳市华拓软件股份有限公司\n"
	    "深圳市华拓软件股份有限公司是“智能质检云平台V1.0” (登记号:\n"
	    "2024SR1234567) 计算机软件著作权的合法持有人。现授权" PROVIDER
	    "作为代理服务商。\n",
	    CORE_TEXT_OCR);

	assert_field(semi, "grantor", "深圳市华拓软件股份有限公司");
	assert_field(semi, "grantee", PROVIDER);
	assert_field(prose, "grantor", "深圳市华拓软件股份有限公司");
	core_document_free(semi);
	core_document_free(prose);
}

/* The thin 1 of a photographed date read as ] or [. */
static void
test_bracket_dates(void)
{
	char *a = classify_normalize_date("2025年9月]日");
	char *b = classify_normalize_date("2026年[月12日");
	CoreDocument *d =
	    document("contract", "签订日期: 2026年[月[2日\n", CORE_TEXT_OCR);

	g_assert_cmpstr(a, ==, "2025-09-01");
	g_assert_cmpstr(b, ==, "2026-01-12");
	assert_field(d, "signed_on", "2026-01-12");
	g_free(a);
	g_free(b);
	core_document_free(d);
}

/* ---- bank receipts: two columns, read by place ------------------------ */

static void
test_receipt_columns(void)
{
	/* ICBC: side labels 付款人/收款人 written vertically, read as specks;
	 * the payer's name has a speck for one character. */
	CoreDocument *speck = document(
	    "payment_proof",
	    "网上银行电子回单\n"
	    "人   户 名“| 广西桂柳精 [机械有限公司    收  户 名  " PROVIDER "\n"
	    "款 | 账号 |2102621371815695949   钦 | 账号 |45052993779697483\n"
	    "4> 额    人民币 (A'S) : 陆万元整\n",
	    CORE_TEXT_OCR);
	/* The photo lost the left half of the payer's name and its label:
	 * the 户名 after a name on its line is the payee's, and the first 户名
	 * of the page is not taken for the payer. */
	CoreDocument *cut = document(
	    "payment_proof",
	    "网上银行电子回单\n工机械有限公司     户 名 | " PROVIDER "\n"
	    "账 号 |45052993779697483\n¥60,000.00\n",
	    CORE_TEXT_OCR);
	/* The payee's 户名 garbled: the second name on the payer's line. */
	CoreDocument *garbled =
	    document("payment_proof",
		     "网上银行电子回单\nft   户 名“| " ENTERPRISE
		     "     &   PR | " PROVIDER "\n",
		     CORE_TEXT_OCR);
	/* "(大写)" read as "5)": a figure in a bracket is no amount, the ¥
	 * figure after the 大写 is. */
	CoreDocument *bracket = document("payment_proof",
					 "网上银行电子回单\n金 额    |人民币 "
					 "5)  : 陆万元整        ¥60,000.00\n",
					 CORE_TEXT_OCR);
	/* Labelled the other way round: the labels decide, not the order. */
	CoreDocument *reversed =
	    document("payment_proof",
		     "转账成功\n收款方：" PROVIDER "\n付款方：" ENTERPRISE "\n",
		     CORE_TEXT_OCR);

	assert_field(speck, "payer", "广西桂柳精 [机械有限公司");
	assert_field(speck, "payee", PROVIDER);
	/* The 金额 label garbled: the 大写 after 人民币. */
	assert_field(speck, "amount", "60000.00");
	assert_field(cut, "payer", NULL);
	assert_field(cut, "payee", PROVIDER);
	assert_field(garbled, "payer", ENTERPRISE);
	assert_field(garbled, "payee", PROVIDER);
	assert_field(bracket, "amount", "60000.00");
	assert_field(bracket, "amount_conflict", NULL);
	assert_field(reversed, "payer", ENTERPRISE);
	assert_field(reversed, "payee", PROVIDER);
	core_document_free(speck);
	core_document_free(cut);
	core_document_free(garbled);
	core_document_free(reversed);
	core_document_free(bracket);
}

/* ---- names matched to the claim's ------------------------------------- */

static CoreDocument *
named(const char *type, CoreTextSource source, const char *field,
      const char *value)
{
	CoreDocument *d = core_document_new("f.jpg", type);

	d->source = source;
	core_document_add_page(d, 1);
	core_document_set_field(d, field, value);
	return d;
}

static CoreClaim *
claim_of(const char *enterprise, const char *provider)
{
	CoreClaim *c = core_claim_new();

	c->enterprise.name = g_strdup(enterprise);
	c->provider.name = g_strdup(provider);
	return c;
}

static void
test_match_names(void)
{
	GPtrArray *docs = core_ptr_array_new(core_document_free);
	GPtrArray *text_layer = core_ptr_array_new(core_document_free);
	CoreClaim *claim = claim_of(ENTERPRISE, PROVIDER);
	CoreDocument *ocr, *pdf, *far, *exact, *person;

	/* one character of twelve misread, on a photo: corrected */
	ocr = named("contract", CORE_TEXT_OCR, "party_a",
		    "广西桂柳精 [机械有限公司");
	/* the same on a text layer: printed so, left alone */
	pdf = named("contract", CORE_TEXT_PDF, "party_a",
		    "广西桂柳精 [机械有限公司");
	/* three characters off: another name, or unreadable */
	far = named("invoice", CORE_TEXT_OCR, "seller_name",
		    "南宁智联网络技术有限公司");
	exact = named("payment_proof", CORE_TEXT_OCR, "payee", PROVIDER);
	/* a person's name is never matched, one character is another */
	person = named("payment_proof", CORE_TEXT_OCR, "payer", "王强");
	g_ptr_array_add(docs, ocr);
	g_ptr_array_add(docs, far);
	g_ptr_array_add(docs, exact);
	g_ptr_array_add(docs, person);
	classify_documents_match_names(rules, docs, NULL, claim);
	/* Alone: in one claim with the photo, its spelling would be a known
	 * name, and the photo's reading would match it exactly. */
	g_ptr_array_add(text_layer, pdf);
	classify_documents_match_names(rules, text_layer, NULL, claim);

	assert_field(ocr, "party_a", ENTERPRISE);
	g_assert_cmpuint(ocr->notes->len, ==, 1);
	/* what OCR read is kept */
	g_assert_nonnull(strstr(g_ptr_array_index(ocr->notes, 0),
				"广西桂柳精 [机械有限公司"));
	assert_field(pdf, "party_a", "广西桂柳精 [机械有限公司");
	g_assert_cmpuint(pdf->notes->len, ==, 0);
	assert_field(far, "seller_name", "南宁智联网络技术有限公司");
	assert_field(exact, "payee", PROVIDER);
	g_assert_cmpuint(exact->notes->len, ==, 0);
	assert_field(person, "payer", "王强");
	g_ptr_array_unref(docs);
	g_ptr_array_unref(text_layer);
	core_claim_free(claim);
}

/* Names printed on text layers are known too, without a claim.json; two
 * known names near the reading are a guess, and no guess is made. */
/* A seal ring is read by OCR too: one character off the provider's name,
 * it names the provider (noted on the document); a regulator's seal, near
 * no party, stays as read. */
static void
test_match_seal_names(void)
{
	GPtrArray *docs = core_ptr_array_new(core_document_free);
	GPtrArray *pages = core_ptr_array_new(core_page_free);
	CoreClaim *claim = claim_of(ENTERPRISE, PROVIDER);
	CoreDocument *doc =
	    named("midterm_report", CORE_TEXT_PDF, "date", "2026-01-10");
	CorePage *page = core_page_new("f.jpg", 1);
	static const CoreBox boxes[2] = {{0.1, 0.7, 0.2, 0.2},
					 {0.6, 0.7, 0.2, 0.2}};

	core_page_set_seals(page, boxes, 2);
	page->seal_orgs->pdata[0] = g_strdup("南宁智联去科技有限公司");
	page->seal_orgs->pdata[1] = g_strdup("广西壮族自治区市场监督管理局");
	g_ptr_array_add(docs, doc);
	g_ptr_array_add(pages, page);
	classify_documents_match_names(rules, docs, pages, claim);
	g_assert_cmpstr(page->seal_orgs->pdata[0], ==, PROVIDER);
	g_assert_cmpstr(page->seal_orgs->pdata[1], ==,
			"广西壮族自治区市场监督管理局");
	g_assert_cmpuint(doc->notes->len, ==, 1);
	g_assert_nonnull(
	    strstr(g_ptr_array_index(doc->notes, 0), "南宁智联去科技有限公司"));
	g_ptr_array_unref(docs);
	g_ptr_array_unref(pages);
	core_claim_free(claim);
}

static void
test_match_names_from_text_layers(void)
{
	GPtrArray *docs = core_ptr_array_new(core_document_free);
	CoreDocument *ocr, *tie;

	g_ptr_array_add(docs, named("invoice", CORE_TEXT_PDF, "buyer_name",
				    "南宁智联云科技有限公司"));
	g_ptr_array_add(docs, named("invoice", CORE_TEXT_PDF, "seller_name",
				    "南宁智联云科技有限分司"));
	g_ptr_array_add(docs, named("contract", CORE_TEXT_PDF, "party_a",
				    "深圳市华拓软件股份有限公司"));
	ocr = named("authorization_letter", CORE_TEXT_OCR, "grantor",
		    "深圳南华拓软件股份有限公司");
	/* one edit from each of the first two */
	tie = named("contract", CORE_TEXT_OCR, "party_b",
		    "南宁智联云科技有限么司");
	g_ptr_array_add(docs, ocr);
	g_ptr_array_add(docs, tie);
	classify_documents_match_names(rules, docs, NULL, NULL);

	assert_field(ocr, "grantor", "深圳市华拓软件股份有限公司");
	assert_field(tie, "party_b", "南宁智联云科技有限么司");
	g_assert_cmpuint(tie->notes->len, ==, 0);
	g_ptr_array_unref(docs);
}

/* ---- the rules file --------------------------------------------------- */

static ClassifyRules *
rules_from(const char *text, GError **error)
{
	char *path = NULL;
	int fd = g_file_open_tmp("classify-XXXXXX.ini", &path, error);
	ClassifyRules *r;

	g_assert_cmpint(fd, >=, 0);
	close(fd);
	g_file_set_contents(path, text, -1, NULL);
	r = classify_rules_load(path, error);
	g_unlink(path);
	g_free(path);
	return r;
}

/* untitled.* counts on a page without the type's title, not on one with
 * it; names = must name fields the type reads. */
static void
test_rules_untitled_and_names(void)
{
	GError *error = NULL;
	ClassifyRules *r =
	    rules_from("[rules]\nedition = t\nmin_score = 4\n"
		       "[type a]\nlabel = A\ntitle.t = 5 : ^标题$\n"
		       "untitled.u = 6 : 正文\n"
		       "[type b]\nlabel = B\ncue.x = 5.5 : 正文\n",
		       &error);
	CorePage *plain = core_page_new("f", 1),
		 *titled = core_page_new("f", 2);
	char *why;

	g_assert_no_error(error);
	core_page_set_text(plain, "正文", CORE_TEXT_PDF, 1);
	core_page_set_text(titled, "标题\n正文", CORE_TEXT_PDF, 1);
	classify_page(r, plain, FALSE);
	classify_page(r, titled, FALSE);
	/* Without the title untitled.u gives a 6, beating b's 5.5; with it,
	 * a has the title's 5 alone (11 had untitled.u counted) and loses. */
	g_assert_cmpstr(plain->type, ==, "a");
	g_assert_cmpstr(titled->type, ==, "b");
	why = classify_explain(r, "标题\n正文", FALSE);
	g_assert_null(strstr(why, "untitled.u"));
	g_free(why);
	core_page_free(plain);
	core_page_free(titled);
	classify_rules_free(r);

	g_assert_null(rules_from("[rules]\nedition = t\n[type a]\nlabel = A\n"
				 "names = who\n[fields a]\nwhom = text : x\n",
				 &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_RULES);
	g_assert_nonnull(strstr(error->message, "names"));
	g_clear_error(&error);
}

/* ---- main --------------------------------------------------------------- */

int
main(int argc, char **argv)
{
	char *path =
	    g_build_filename(EVIDCHECK_RULES_DIR, "2026", "types.ini", NULL);
	GError *error = NULL;
	int rc;

	g_test_init(&argc, &argv, NULL);
	rules = classify_rules_load(path, &error);
	g_assert_no_error(error);

	g_test_add_func("/classify/ocr/untitled", test_untitled_samples);
	g_test_add_func("/classify/ocr/untitled-guards", test_untitled_guards);
	g_test_add_func("/classify/ocr/misread-titles", test_misread_titles);
	g_test_add_func("/classify/ocr/photo-noise", test_photo_noise);
	g_test_add_func("/classify/ocr/shared-titles", test_shared_titles);
	g_test_add_func("/classify/ocr/records", test_records);
	g_test_add_func("/classify/ocr/party-labels", test_party_labels);
	g_test_add_func("/classify/ocr/party-signature-lines",
			test_party_signature_lines);
	g_test_add_func("/classify/ocr/name-with-speck", test_name_with_speck);
	g_test_add_func("/classify/ocr/acceptance-labels",
			test_acceptance_labels);
	g_test_add_func("/classify/ocr/authorization-labels",
			test_authorization_labels);
	g_test_add_func("/classify/ocr/bracket-dates", test_bracket_dates);
	g_test_add_func("/classify/ocr/receipt-columns", test_receipt_columns);
	g_test_add_func("/classify/ocr/match-names", test_match_names);
	g_test_add_func("/classify/ocr/match-seal-names",
			test_match_seal_names);
	g_test_add_func("/classify/ocr/match-names-text-layers",
			test_match_names_from_text_layers);
	g_test_add_func("/classify/ocr/rules", test_rules_untitled_and_names);
	rc = g_test_run();
	classify_rules_free(rules);
	g_free(path);
	return rc;
}
