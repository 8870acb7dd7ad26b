/* test_classify.c - classify/: the 2026 rules load and recognise every
 * document type of CONTRACT.md §2 from realistic page texts (text layers
 * and noisy OCR, tests/data/classify/), fields come out normalised, and
 * pages group into documents the way a reviewer would group them. */
#include <stdlib.h>
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

static ClassifyRules *rules; /* the shipped 2026 rules, loaded once */

/* ---- helpers ---------------------------------------------------------- */

static char *
sample_text(const char *name)
{
	char *path =
	    g_build_filename(EVIDCHECK_TEST_DATA, "classify", name, NULL);
	char *raw = NULL, *text;
	GError *error = NULL;

	if (!g_file_get_contents(path, &raw, NULL, &error))
		g_error("%s", error->message);
	text = core_text_normalize(raw);
	g_free(raw);
	g_free(path);
	return text;
}

/* A page of FILE, as ingest/ocr hand it over: normalised text. */
static CorePage *
page_with_text(const char *file, int number, const char *text,
	       CoreTextSource source)
{
	CorePage *p = core_page_new(file, number);
	char *norm = core_text_normalize(text);

	core_page_set_text(p, norm, source,
			   source == CORE_TEXT_OCR ? 0.8 : 1.0);
	g_free(norm);
	return p;
}

/* Samples named *.ocr.txt are scans: OCR text of an image page. */
static CorePage *
sample_page(const char *name)
{
	gboolean ocr = strstr(name, ".ocr.") != NULL;
	char *text = sample_text(name);
	CorePage *p = core_page_new(name, 1);

	core_page_set_text(p, text, ocr ? CORE_TEXT_OCR : CORE_TEXT_PDF,
			   ocr ? 0.8 : 1.0);
	classify_page(rules, p, ocr);
	g_free(text);
	return p;
}

/* Classify one sample and extract its document's fields. */
static CoreDocument *
sample_document(const char *name)
{
	GPtrArray *pages = core_ptr_array_new(core_page_free);
	GPtrArray *docs;
	CoreDocument *doc;

	g_ptr_array_add(pages, sample_page(name));
	docs = classify_documents(rules, pages);
	g_assert_cmpuint(docs->len, ==, 1);
	doc = g_ptr_array_steal_index(docs, 0);
	g_ptr_array_unref(docs);
	g_ptr_array_unref(pages);
	return doc;
}

#define assert_field(doc, name, want)                                          \
	g_assert_cmpstr(core_document_get_field((doc), (name)), ==, (want))

/* An e-invoice whose layer was drawn seller block first (issuers differ):
 * in the layer's order the first 名称 is the seller's. Read in rows, as
 * the page shows it, the buyer's (left) comes first. */
static void
test_invoice_rows(void)
{
	static const struct {
		const char *text;
		double x, y;
	} drawn[] = {
	    {"电子发票（增值税专用发票）", 0.30, 0.04},
	    {"发票号码：", 0.65, 0.04},
	    {"26452945321894203773", 0.76, 0.04},
	    {"开票日期：", 0.65, 0.08},
	    {"2026年01月15日", 0.76, 0.08},
	    {"名称：", 0.55, 0.20},
	    {"南宁智联科技有限公司", 0.60, 0.20},
	    {"名称：", 0.05, 0.20},
	    {"广西桂鑫机械制造有限公司", 0.10, 0.20},
	    {"价税合计（大写）", 0.05, 0.60},
	    {"陆万圆整", 0.30, 0.60},
	    {"（小写）", 0.60, 0.60},
	    {"¥60000.00", 0.70, 0.60},
	};
	GPtrArray *pages = core_ptr_array_new(core_page_free);
	GString *layer = g_string_new(NULL);
	CorePage *p;
	GPtrArray *docs;
	CoreDocument *doc;

	for (guint i = 0; i < G_N_ELEMENTS(drawn); i++)
		g_string_append_printf(layer, "%s\n", drawn[i].text);
	p = page_with_text("发票.pdf", 1, layer->str, CORE_TEXT_PDF);
	for (guint i = 0; i < G_N_ELEMENTS(drawn); i++) {
		CoreWord w = {g_strdup(drawn[i].text),
			      {drawn[i].x, drawn[i].y, 0.04, 0.02},
			      1.0};

		g_array_append_val(p->words, w);
	}
	classify_page(rules, p, FALSE);
	g_assert_cmpstr(p->type, ==, "invoice");
	g_ptr_array_add(pages, p);
	docs = classify_documents(rules, pages);
	g_assert_cmpuint(docs->len, ==, 1);
	doc = g_ptr_array_index(docs, 0);
	assert_field(doc, "buyer_name", "广西桂鑫机械制造有限公司");
	assert_field(doc, "seller_name", "南宁智联科技有限公司");
	assert_field(doc, "total", "60000.00");
	assert_field(doc, "number", "26452945321894203773");
	g_ptr_array_unref(docs);
	g_ptr_array_unref(pages);
	g_string_free(layer, TRUE);
}

static char *
write_rules(const char *text)
{
	GError *error = NULL;
	char *path = NULL;
	int fd = g_file_open_tmp("classify-XXXXXX.ini", &path, &error);

	g_assert_no_error(error);
	close(fd);
	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
	return path;
}

/* Load rules from TEXT; NULL with *ERROR set when they are refused. */
static ClassifyRules *
rules_from(const char *text, GError **error)
{
	char *path = write_rules(text);
	ClassifyRules *r = classify_rules_load(path, error);

	g_unlink(path);
	g_free(path);
	return r;
}

/* ---- the rules file ------------------------------------------------- */

static const char *const contract_types[] = {"invoice",
					     "payment_proof",
					     "acceptance_form",
					     "software_copyright_cert",
					     "authorization_letter",
					     "diagnosis_report",
					     "implementation_plan",
					     "run_screenshot",
					     "midterm_report",
					     "software_test_report",
					     "function_acceptance_cert",
					     "data_security_statement",
					     "operation_records",
					     "operation_manual",
					     "survey_report",
					     "sign_in_sheet",
					     "meeting_minutes",
					     "photo",
					     "cma_cert",
					     "cnas_cert",
					     "qualification_cert",
					     "test_report",
					     "management_system_cert",
					     "contract",
					     "other"};

static void
test_rules_load(void)
{
	gsize i;

	g_assert_cmpstr(classify_rules_edition(rules), ==, "2026");
	for (i = 0; i < G_N_ELEMENTS(contract_types); i++) {
		const char *t = contract_types[i];

		if (!classify_rules_knows_type(rules, t))
			g_error("the 2026 rules cannot recognise '%s'", t);
		g_assert_cmpstr(classify_type_label(rules, t), !=, t);
	}
	g_assert_cmpstr(classify_type_label(rules, "invoice"), ==, "发票");
	g_assert_false(classify_rules_knows_type(rules, "patent_cert"));
	g_assert_cmpstr(classify_type_label(rules, "patent_cert"), ==,
			"patent_cert");
}

static void
test_rules_missing_file(void)
{
	GError *error = NULL;

	g_assert_null(classify_rules_load("/nonexistent/types.ini", &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_IO);
	g_assert_nonnull(strstr(error->message, "/nonexistent/types.ini"));
	g_error_free(error);
}

/* Each broken file must be refused with a message naming GROUP and KEY. */
static void
expect_refused(const char *text, const char *group, const char *key)
{
	GError *error = NULL;
	ClassifyRules *r = rules_from(text, &error);

	g_assert_null(r);
	g_assert_error(error, CORE_ERROR, CORE_ERROR_RULES);
	if (strstr(error->message, group) == NULL ||
	    (key != NULL && strstr(error->message, key) == NULL))
		g_error("message does not name %s %s: %s", group,
			key != NULL ? key : "", error->message);
	g_error_free(error);
}

static void
test_rules_errors(void)
{
	/* A regex that does not compile: group, key and PCRE2's reason. */
	expect_refused("[rules]\nedition = x\n[type invoice]\nlabel = 发票\n"
		       "cue.code = 3 : (发票号码|发票代码\n",
		       "[type invoice]", "cue.code");
	expect_refused("[rules]\nedition = x\n[type invoice]\nlabel = 发票\n"
		       "[fields invoice]\nnumber = digits : 号码(?<v>\\d{8\n",
		       "[fields invoice]", "number");
	expect_refused("[rules]\nedition = x\n[type a]\nlabel = A\n"
		       "cue.x = 2 : {{nosuch}}\n",
		       "[type a]", "cue.x");
	expect_refused("[rules]\nedition = x\n[type a]\nlabel = A\n"
		       "neg.x = 2 : foo\n",
		       "[type a]", "neg.x");
	expect_refused("[rules]\nedition = x\n[type a]\nlabel = A\n"
		       "cue.x = heavy : foo\n",
		       "[type a]", "cue.x");
	expect_refused("[rules]\nedition = x\n[type a]\nlabel = A\n"
		       "[fields a]\nwhen = datum : (?<v>x)\n",
		       "[fields a]", "when");
	expect_refused("[rules]\nedition = x\n[type a]\nlabel = A\n"
		       "[fields a]\nwhen = date checks=total : (?<v>x)\n",
		       "[fields a]", "when");
	expect_refused("[rules]\nedition = x\n[fields ghost]\nn = text : x\n",
		       "[fields ghost]", NULL);
	expect_refused("[rules]\nedition = x\n[typo a]\nlabel = A\n",
		       "[typo a]", NULL);
	expect_refused("[rules]\nedition = x\n[type a]\ncue.x = 2 : x\n",
		       "[type a]", NULL); /* no label */
	expect_refused("[rules]\nmin_score = 4\n", "[rules]", NULL);
}

/* ---- page types --------------------------------------------------- */

typedef struct {
	const char *file;
	const char *type;
} Expect;

static const Expect samples[] = {
    {"invoice_einvoice.txt", "invoice"},
    {"invoice_einvoice_raw.txt", "invoice"},
    {"invoice_vat.ocr.txt", "invoice"},
    {"receipt_icbc.txt", "payment_proof"},
    {"receipt_guilin.ocr.txt", "payment_proof"},
    {"softcopyright.txt", "software_copyright_cert"},
    {"softcopyright.ocr.txt", "software_copyright_cert"},
    {"acceptance_form.txt", "acceptance_form"},
    {"contract.txt", "contract"},
    {"test_report.txt", "test_report"},
    {"cma_cert.txt", "cma_cert"},
    {"photo.ocr.txt", "photo"},
    {"authorization_letter.txt", "authorization_letter"},
    {"software_test_report.txt", "software_test_report"},
    {"function_acceptance_cert.txt", "function_acceptance_cert"},
    {"run_screenshot.ocr.txt", "run_screenshot"},
    {"diagnosis_report.txt", "diagnosis_report"},
    {"implementation_plan.txt", "implementation_plan"},
    {"midterm_report.txt", "midterm_report"},
    {"data_security_statement.txt", "data_security_statement"},
    {"operation_records.txt", "operation_records"},
    {"operation_manual.txt", "operation_manual"},
    {"survey_report.txt", "survey_report"},
    {"sign_in_sheet.txt", "sign_in_sheet"},
    {"meeting_minutes.txt", "meeting_minutes"},
    {"cnas_cert.txt", "cnas_cert"},
    {"management_system_cert.txt", "management_system_cert"},
    {"qualification_cert.txt", "qualification_cert"},
    {"tess_invoice.ocr.txt", "invoice"},
    {"tess_receipt_icbc.ocr.txt", "payment_proof"},
    {"tess_acceptance_form.ocr.txt", "acceptance_form"},
};

static void
test_page_type(gconstpointer data)
{
	const Expect *e = data;
	CorePage *p = sample_page(e->file);

	if (g_strcmp0(p->type, e->type) != 0) {
		char *why = classify_explain(rules, p->text, FALSE);

		g_error("%s: got %s, want %s\n%s", e->file, p->type, e->type,
			why);
	}
	/* A clear page of a known type is not a coin toss. */
	g_assert_cmpfloat(p->type_confidence, >=, 0.6);
	g_assert_cmpfloat(p->type_confidence, <=, 1.0);
	core_page_free(p);
}

#define CONTRACT_PAGE_2                                                                      \
	"第三条 验收 乙方完成后，甲方组织验收并出具成果验收单。\n" \
	"第四条 违约责任 甲方逾期付款的，乙方有权要求……\n"          \
	"第五条 争议解决 双方协商解决。本合同一式四份。"

/* Pages that share words with other types, typed as a reviewer would: */
static void
test_confusions(void)
{
	static const char *const text[][2] = {
	    /* an acceptance form quoting the invoice and contract */
	    {"成果验收单\n合同编号：HT-2025-018\n发票号码：12345678 发票金额："
	     "60000.00元\n甲方：广西某某有限公司 乙方：南宁某某有限公司\n"
	     "验收意见：同意通过验收。\n验收日期：2026年3月20日",
	     "acceptance_form"},
	    /* a contract's second page: clauses on acceptance, no title;
	     * "other", so that it continues the contract (below) */
	    {CONTRACT_PAGE_2, "other"},
	    /* an invoice for software development */
	    {"电子发票（普通发票）\n发票号码：26452000000012345678\n"
	     "*信息技术服务*软件开发服务 软件测试服务\n价税合计（大写）叁万圆整"
	     "（小写）¥30000.00",
	     "invoice"},
	    /* a lab test report is not a software test report */
	    {"检验报告\n样品名称：液压缸\n检验依据：JB/T 10205\n"
	     "检验结论：合格\n测试报告编号见首页",
	     "test_report"},
	    /* a signed acceptance certificate is not the test report */
	    {"功能测试验收合格证明\n依据软件测试报告，约定功能均已实现。\n"
	     "测试结论：合格\n甲方（盖章） 乙方（盖章）",
	     "function_acceptance_cert"},
	    /* a transfer screenshot from a phone is a payment proof */
	    {"转账成功\n¥30,000.00\n收款人 南宁智联云科技有限公司\n"
	     "付款账户 桂林银行(0123)\n交易时间 2026-03-16 10:23",
	     "payment_proof"},
	};
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(text); i++) {
		CorePage *p =
		    page_with_text("x.pdf", 1, text[i][0], CORE_TEXT_PDF);

		classify_page(rules, p, FALSE);
		if (g_strcmp0(p->type, text[i][1]) != 0)
			g_error("case %zu: got %s, want %s\n%s", i, p->type,
				text[i][1],
				classify_explain(rules, p->text, FALSE));
		core_page_free(p);
	}
}

/* A statistics screen without a menu is still a screen, by its tiles
 * (today, this month, the last 7 days, a trend) and its address, though
 * with less confidence than one with a menu. */
static void
test_screenshot_without_menu(void)
{
	char *text = sample_text("run_screenshot_stats.ocr.txt");
	CorePage *p = core_page_new("运行/截图.png", 1);

	core_page_set_text(p, text, CORE_TEXT_OCR, 0.9);
	classify_page(rules, p, TRUE);
	g_assert_cmpstr(p->type, ==, "run_screenshot");
	core_page_free(p);
	g_free(text);
}

static void
test_photo_and_other(void)
{
	CorePage *img = page_with_text("p.jpg", 1, "会议室\n3F", CORE_TEXT_OCR);
	CorePage *pdf = page_with_text("p.pdf", 1, "会议室\n3F", CORE_TEXT_PDF);
	CorePage *empty = page_with_text("e.pdf", 1, "", CORE_TEXT_NONE);
	CorePage *prose = page_with_text(
	    "n.pdf", 1,
	    "关于项目人员变更的说明\n因工作安排，项目经理由张三变更为李四。",
	    CORE_TEXT_PDF);

	classify_page(rules, img, TRUE);
	g_assert_cmpstr(img->type, ==, "photo");
	g_assert_cmpfloat(img->type_confidence, ==, 0.6);
	/* The same five characters on a PDF page are not a photo. */
	classify_page(rules, pdf, FALSE);
	g_assert_cmpstr(pdf->type, ==, "other");
	classify_page(rules, empty, FALSE);
	g_assert_cmpstr(empty->type, ==, "other");
	g_assert_cmpfloat(empty->type_confidence, ==, 0);
	classify_page(rules, prose, FALSE);
	g_assert_cmpstr(prose->type, ==, "other");
	core_page_free(img);
	core_page_free(pdf);
	core_page_free(empty);
	core_page_free(prose);
}

/* score/(score+half) × (0.5 + 0.5 × margin): two types with one cue of
 * weight 6 each, half_score 3. */
static void
test_confidence_formula(void)
{
	GError *error = NULL;
	ClassifyRules *r =
	    rules_from("[rules]\nedition = t\nmin_score = 4\nhalf_score = 3\n"
		       "[type a]\nlabel = A\ncue.x = 6 : alpha\n"
		       "[type b]\nlabel = B\ncue.y = 6 : beta\n",
		       &error);
	CorePage *alone = page_with_text("f", 1, "alpha", CORE_TEXT_PDF);
	CorePage *tie = page_with_text("f", 2, "alpha beta", CORE_TEXT_PDF);
	CorePage *weak = page_with_text("f", 3, "gamma", CORE_TEXT_PDF);

	g_assert_no_error(error);
	classify_page(r, alone, FALSE);
	g_assert_cmpstr(alone->type, ==, "a");
	g_assert_cmpfloat_with_epsilon(alone->type_confidence, 0.67, 1e-9);
	/* A tie keeps the first type in file order at half the confidence. */
	classify_page(r, tie, FALSE);
	g_assert_cmpstr(tie->type, ==, "a");
	g_assert_cmpfloat_with_epsilon(tie->type_confidence, 0.33, 1e-9);
	classify_page(r, weak, FALSE);
	g_assert_cmpstr(weak->type, ==, "other");
	g_assert_cmpfloat(weak->type_confidence, ==, 1.0);
	core_page_free(alone);
	core_page_free(tie);
	core_page_free(weak);
	classify_rules_free(r);
}

/* title.* counts only near the top; cue.* anywhere; each.* per text. */
static void
test_cue_kinds(void)
{
	GError *error = NULL;
	ClassifyRules *r =
	    rules_from("[rules]\nedition = t\nmin_score = 4\ntitle_lines = 2\n"
		       "title_chars = 10\n"
		       "[type a]\nlabel = A\ntitle.t = 5 : 标题\n"
		       "[type b]\nlabel = B\neach.d = 1 max 3 : d\\d\n",
		       &error);
	CorePage *top = page_with_text("f", 1, "标题\n正文", CORE_TEXT_PDF);
	CorePage *low = page_with_text("f", 2, "第一行\n第二行\n第三行\n标题",
				       CORE_TEXT_PDF);
	CorePage *few = page_with_text("f", 3, "d1 d1 d1 d2 d3", CORE_TEXT_PDF);
	CorePage *many = page_with_text("f", 4, "d1 d2 d3 d4", CORE_TEXT_PDF);

	g_assert_no_error(error);
	classify_page(r, top, FALSE);
	g_assert_cmpstr(top->type, ==, "a");
	classify_page(r, low, FALSE);
	g_assert_cmpstr(low->type, ==, "other");
	classify_page(r, few, FALSE); /* d1 d2 d3: 3 */
	g_assert_cmpstr(few->type, ==, "other");
	g_assert_cmpfloat_with_epsilon(few->type_confidence, 0.25, 1e-9);
	classify_page(r, many, FALSE); /* capped at max 3 */
	g_assert_cmpstr(many->type, ==, "other");
	core_page_free(top);
	core_page_free(low);
	core_page_free(few);
	core_page_free(many);
	classify_rules_free(r);
}

static void
test_explain(void)
{
	char *text = sample_text("invoice_einvoice.txt");
	char *why = classify_explain(rules, text, FALSE);

	g_assert_nonnull(strstr(why, "invoice: title.kind+8"));
	g_assert_nonnull(strstr(why, "=> invoice ("));
	g_free(why);
	g_free(text);
}

/* classify_page from several threads at once gives what one thread gives. */
static gpointer
classify_all(gpointer data)
{
	GPtrArray *types = g_ptr_array_new_with_free_func(g_free);
	gsize i, round;

	(void)data;
	for (round = 0; round < 3; round++) {
		for (i = 0; i < G_N_ELEMENTS(samples); i++) {
			CorePage *p = sample_page(samples[i].file);

			if (round == 0)
				g_ptr_array_add(types, g_strdup(p->type));
			else
				g_assert_cmpstr(p->type, ==,
						g_ptr_array_index(types, i));
			core_page_free(p);
		}
	}
	return types;
}

static void
test_threads(void)
{
	GThread *t[4];
	gsize i, k;

	for (i = 0; i < G_N_ELEMENTS(t); i++)
		t[i] = g_thread_new("classify", classify_all, NULL);
	for (i = 0; i < G_N_ELEMENTS(t); i++) {
		GPtrArray *types = g_thread_join(t[i]);

		for (k = 0; k < G_N_ELEMENTS(samples); k++)
			g_assert_cmpstr(g_ptr_array_index(types, k), ==,
					samples[k].type);
		g_ptr_array_unref(types);
	}
}

/* A text layer of junk must cost bounded time and still give a verdict. */
static void
test_huge_page(void)
{
	GString *junk = g_string_new("发票号码");
	CorePage *p;
	int i;

	for (i = 0; i < 200000; i++)
		g_string_append(junk, "名称:广西某某a ");
	p = page_with_text("big.pdf", 1, junk->str, CORE_TEXT_PDF);
	classify_page(rules, p, FALSE);
	g_assert_nonnull(p->type);
	core_page_free(p);
	g_string_free(junk, TRUE);
}

/* ---- fields --------------------------------------------------------- */

static void
test_fields_einvoice(void)
{
	CoreDocument *d = sample_document("invoice_einvoice.txt");

	g_assert_cmpstr(d->type, ==, "invoice");
	assert_field(d, "number", "26452000000012345678");
	assert_field(d, "date", "2026-03-15");
	assert_field(d, "total", "60000.00");
	assert_field(d, "total_upper", "陆万圆整");
	assert_field(d, "total_conflict", NULL);
	/* Two columns, interleaved row by row: buyer left, seller right. */
	assert_field(d, "buyer_name", "广西桂柳精工机械有限公司");
	assert_field(d, "buyer_credit_code", "91450200MA5K12345B");
	assert_field(d, "seller_name", "南宁智联云科技有限公司");
	assert_field(d, "seller_credit_code", "91450100MA5N65432M");
	assert_field(d, "item", "软件开发服务");
	assert_field(d, "code", NULL); /* 全电 invoices have no code */
	g_assert_cmpint(d->source, ==, CORE_TEXT_PDF);
	core_document_free(d);
}

static void
test_fields_einvoice_labels_first(void)
{
	CoreDocument *d = sample_document("invoice_einvoice_raw.txt");

	assert_field(d, "number", "26452000000087654321");
	assert_field(d, "date", "2026-04-02");
	assert_field(d, "total", "30000.00");
	assert_field(d, "buyer_name", "广西桂柳精工机械有限公司");
	assert_field(d, "seller_name", "南宁智联云科技有限公司");
	assert_field(d, "buyer_credit_code", "91450200MA5K12345B");
	assert_field(d, "seller_credit_code", "91450100MA5N65432M");
	core_document_free(d);
}

static void
test_fields_vat_ocr(void)
{
	CoreDocument *d = sample_document("invoice_vat.ocr.txt");

	/* "No 0l234567", "2O26 年 03 月 l5 日", "9145O200…": OCR repaired. */
	assert_field(d, "number", "01234567");
	assert_field(d, "code", "4500201130");
	assert_field(d, "date", "2026-03-15");
	assert_field(d, "total", "60000.00"); /* printed "Y60000.00" */
	assert_field(d, "buyer_name", "广西桂柳精工机械有限公司");
	assert_field(d, "buyer_credit_code", "91450200MA5K12345B");
	assert_field(d, "seller_name", "南宁智联云科技有限公司");
	assert_field(d, "seller_credit_code", "91450100MA5N65432M");
	g_assert_cmpint(d->source, ==, CORE_TEXT_OCR);
	core_document_free(d);
}

static CoreDocument *
document_from_text(const char *type, const char *text)
{
	CoreDocument *d = core_document_new("t.pdf", type);
	char *norm = core_text_normalize(text);

	core_document_add_page(d, 1);
	classify_extract_fields(rules, d, norm);
	g_free(norm);
	return d;
}

static void
test_fields_total_check(void)
{
	CoreDocument *agree = document_from_text(
	    "invoice", "价税合计（大写）壹拾贰万叁仟肆佰伍拾陆元柒角捌分 "
		       "（小写）¥123,456.78");
	CoreDocument *differ = document_from_text(
	    "invoice", "价税合计（大写）陆仟圆整 （小写）¥60000.00");
	CoreDocument *upper_only =
	    document_from_text("invoice", "价税合计（大写）陆万圆整 （小写）¥");

	assert_field(agree, "total", "123456.78");
	assert_field(agree, "total_conflict", NULL);
	/* Disagreeing figures: no total a check could trust, and why. */
	assert_field(differ, "total", NULL);
	g_assert_nonnull(strstr(
	    core_document_get_field(differ, "total_conflict"), "60000.00"));
	g_assert_nonnull(strstr(
	    core_document_get_field(differ, "total_conflict"), "陆仟圆整"));
	assert_field(upper_only, "total", "60000.00");
	core_document_free(agree);
	core_document_free(differ);
	core_document_free(upper_only);
}

static void
test_fields_receipts(void)
{
	CoreDocument *icbc = sample_document("receipt_icbc.txt");
	CoreDocument *guilin = sample_document("receipt_guilin.ocr.txt");

	g_assert_cmpstr(icbc->type, ==, "payment_proof");
	assert_field(icbc, "payer", "广西桂柳精工机械有限公司");
	assert_field(icbc, "payee", "南宁智联云科技有限公司");
	assert_field(icbc, "amount", "60000.00");
	assert_field(icbc, "date", "2026-03-16");
	assert_field(icbc, "serial", "84592017");
	assert_field(icbc, "amount_conflict", NULL);

	g_assert_cmpstr(guilin->type, ==, "payment_proof");
	assert_field(guilin, "payer", "广西桂柳精工机械有限公司");
	assert_field(guilin, "payee", "南宁智联云科技有限公司");
	assert_field(guilin, "amount", "30000.00"); /* "羊30,0O0.00" */
	assert_field(guilin, "date", "2026-03-16");
	/* The transaction serial, not the receipt number. */
	assert_field(guilin, "serial", "20260316881234");
	core_document_free(icbc);
	core_document_free(guilin);
}

static void
test_fields_softcopyright(void)
{
	CoreDocument *clean = sample_document("softcopyright.txt");
	CoreDocument *ocr = sample_document("softcopyright.ocr.txt");

	assert_field(clean, "software_name", "智能质检云平台");
	assert_field(clean, "version", "V1.0");
	assert_field(clean, "holder", "南宁智联云科技有限公司");
	assert_field(clean, "registration_number", "2024SR1234567");
	assert_field(clean, "certificate_number", "12873456");
	assert_field(clean, "completed_on", "2024-05-10");
	assert_field(clean, "published_on", "2024-06-01");

	/* 登记证节, spaced letters, "l2873456", "2O24", "未发表". */
	g_assert_cmpstr(ocr->type, ==, "software_copyright_cert");
	assert_field(ocr, "software_name", "智能质检云平台");
	assert_field(ocr, "version", "V2.3.1");
	assert_field(ocr, "holder", "南宁智联云科技有限公司");
	assert_field(ocr, "registration_number", "2024SR1234507");
	assert_field(ocr, "certificate_number", "12873456");
	assert_field(ocr, "completed_on", "2024-05-10");
	assert_field(ocr, "published_on", NULL);
	core_document_free(clean);
	core_document_free(ocr);
}

static void
test_fields_other_documents(void)
{
	CoreDocument *form = sample_document("acceptance_form.txt");
	CoreDocument *contract = sample_document("contract.txt");
	CoreDocument *cma = sample_document("cma_cert.txt");
	CoreDocument *report = sample_document("test_report.txt");
	CoreDocument *letter = sample_document("authorization_letter.txt");

	assert_field(form, "accepted_on", "2026-03-20");
	assert_field(form, "conclusion", "合格");
	assert_field(form, "contract_number", "HT-2025-018");
	assert_field(form, "outcome", "合格");
	assert_field(form, "signature", "覃志强");
	assert_field(form, "signature_blank", NULL);

	assert_field(contract, "number", "HT-2025-018");
	assert_field(contract, "signed_on", "2025-06-01");
	assert_field(contract, "amount", "60000.00");
	assert_field(contract, "voucher_amount", "30000.00"); /* 叁万元整 */
	assert_field(contract, "party_a", "广西桂柳精工机械有限公司");
	assert_field(contract, "party_b", "南宁智联云科技有限公司");

	assert_field(cma, "number", "202020051234");
	assert_field(cma, "holder", "广西精测检测技术有限公司");
	assert_field(cma, "valid_until", "2026-11-30");

	assert_field(report, "number", "GXJC-2026-0456");
	assert_field(report, "issued_on", "2026-04-02");

	/* What AUTHORIZATION_GAP needs: region, period, scope. */
	assert_field(letter, "grantor", "南宁智联云科技有限公司");
	assert_field(letter, "grantee", "柳州云帆信息技术有限公司");
	assert_field(letter, "software_name", "智能质检云平台");
	assert_field(letter, "valid_from", "2025-05-01");
	assert_field(letter, "valid_until", "2027-04-30");
	assert_field(letter, "region", "广西壮族自治区");
	assert_field(letter, "scope", "产品销售、部署实施、培训及售后服务");
	core_document_free(form);
	core_document_free(contract);
	core_document_free(cma);
	core_document_free(report);
	core_document_free(letter);
}

/* Real Tesseract output (chi_sim+eng) of the fixture generator's scans:
 * "电子发要", "(KS)" for (大写), "回音" for 回单, "]" for 1. */
static void
test_fields_tesseract(void)
{
	CoreDocument *inv = sample_document("tess_invoice.ocr.txt");
	CoreDocument *rcpt = sample_document("tess_receipt_icbc.ocr.txt");
	CoreDocument *form = sample_document("tess_acceptance_form.ocr.txt");

	g_assert_cmpstr(inv->type, ==, "invoice");
	assert_field(inv, "number", "26452237214081510280");
	assert_field(inv, "total", "60000.00");
	assert_field(inv, "total_upper", "陆万圆整");
	assert_field(inv, "buyer_credit_code", "91450200MA5K12345X");
	assert_field(inv, "seller_name", "南宁智联科技有限公司");
	assert_field(inv, "seller_credit_code", "91450100MA5N65432Y");

	g_assert_cmpstr(rcpt->type, ==, "payment_proof");
	assert_field(rcpt, "payee", "南宁智联科技有限公司");
	assert_field(rcpt, "amount", "60000.00");
	assert_field(rcpt, "serial", "5043087663264576");
	/* The payer's name is unreadable: absent, never guessed. */
	assert_field(rcpt, "payer", NULL);

	g_assert_cmpstr(form->type, ==, "acceptance_form");
	assert_field(form, "accepted_on", "2026-01-10"); /* "2026年]月10日" */
	assert_field(form, "conclusion", "合格");
	assert_field(form, "period_from", "2025-06-01");
	assert_field(form, "period_to", "2026-01-10");
	assert_field(form, "trial_from", "2025-10-02");
	assert_field(form, "trial_to", "2026-01-08");
	core_document_free(inv);
	core_document_free(rcpt);
	core_document_free(form);
}

/* Rule options: nth=, last, version=, len=, and alternatives in order. */
static void
test_field_options(void)
{
	GError *error = NULL;
	ClassifyRules *r =
	    rules_from("[rules]\nedition = t\n"
		       "[type a]\nlabel = A\ncue.x = 9 : x\n"
		       "[fields a]\n"
		       "second = text nth=2 : 名:(?<v>\\S+)\n"
		       "final = date last : (?<v>\\d{4}-\\d\\d-\\d\\d)\n"
		       "name = text version=version : 软件:(?<v>[^\\n]+)\n"
		       "n = digits len=8 : 号(?<v>\\S+)\n"
		       "n.2 = digits : 码(?<v>\\S+)\n",
		       &error);
	CoreDocument *d = core_document_new("f", "a");

	g_assert_no_error(error);
	/* 2026-02-30 is no date, so the last valid one is 2026-03-01; 号 has
	 * 7 digits, so the second alternative gives n. */
	classify_extract_fields(r, d,
				"名:甲 名:乙 名:丙 2026-01-05 2026-03-01 "
				"2026-02-30\n软件:XX系统[简称:XX]V1.0\n"
				"号1234567 码O42");
	assert_field(d, "second", "乙");
	assert_field(d, "final", "2026-03-01");
	assert_field(d, "name", "XX系统");
	assert_field(d, "version", "V1.0");
	assert_field(d, "n", "042");
	core_document_free(d);
	classify_rules_free(r);
}

static void
test_version_split(void)
{
	static const char *const cases[][3] = {
	    {"智能质检云平台V1.0", "智能质检云平台", "V1.0"},
	    {"智能质检云平台 v2.3.1", "智能质检云平台", "V2.3.1"},
	    {"智能质检云平台1.0", "智能质检云平台", "V1.0"},
	    {"ERP系统V1.O", "ERP系统", "V1.0"},
	    {"MES系统V3", "MES系统", "V3"},
	    {"工业互联网平台2", "工业互联网平台2", NULL},
	    {"云平台PRO", "云平台PRO", NULL},
	    {"V1.0", "V1.0", NULL},
	};
	GError *error = NULL;
	ClassifyRules *r = rules_from(
	    "[rules]\nedition = t\n[type a]\nlabel = A\ncue.x = 9 : x\n"
	    "[fields a]\nname = text version=version : ^(?<v>.+)$\n",
	    &error);
	gsize i;

	g_assert_no_error(error);
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		CoreDocument *d = core_document_new("f", "a");

		classify_extract_fields(r, d, cases[i][0]);
		assert_field(d, "name", cases[i][1]);
		assert_field(d, "version", cases[i][2]);
		core_document_free(d);
	}
	classify_rules_free(r);
}

/* ---- value converters ---------------------------------------------- */

static void
test_capital(void)
{
	static const char *const good[][2] = {
	    {"陆万圆整", "60000.00"},
	    {"壹拾贰万叁仟肆佰伍拾陆元柒角捌分", "123456.78"},
	    {"壹佰万元整", "1000000.00"},
	    {"壹亿", "100000000.00"},
	    {"壹亿元整", "100000000.00"},
	    {"壹仟零伍元整", "1005.00"},
	    {"壹万零伍佰元整", "10500.00"},
	    {"壹拾元零伍分", "10.05"},
	    {"拾元整", "10.00"},
	    {"叁万圆整", "30000.00"},
	    {"伍角", "0.50"},
	    {"人民币 陆万元整", "60000.00"},
	    {"贰亿零叁拾万元整", "200300000.00"},
	};
	static const char *const bad[] = {
	    "",		  "整",	       "元整",	   "陆万万元",	   "壹贰元",
	    "伍拾伍拾元", "壹佰伍元",  "陆万整",   "陆元伍",	   "陆万圆整整",
	    "陆万圆正整", "陆万元abc", "六万元整", "壹仟壹万伍仟", "零零元",
	};
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(good); i++) {
		char *v = classify_amount_from_capital(good[i][0]);

		g_assert_cmpstr(v, ==, good[i][1]);
		g_free(v);
	}
	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *v = classify_amount_from_capital(bad[i]);

		if (v != NULL)
			g_error("'%s' read as %s", bad[i], v);
	}
	g_assert_null(classify_amount_from_capital(NULL));
}

static void
test_dates(void)
{
	static const char *const good[][2] = {
	    {"2026年1月5日", "2026-01-05"},
	    {"2026 年 01 月 05 日", "2026-01-05"},
	    {"2026-01-05", "2026-01-05"},
	    {"2026/1/5", "2026-01-05"},
	    {"2026.01.05", "2026-01-05"},
	    {"20260105", "2026-01-05"},
	    {"2O26年O1月l5日", "2026-01-15"},
	    {"二〇二六年三月十五日", "2026-03-15"},
	    {"二〇二五年十二月三十一日", "2025-12-31"},
	    {"2024-02-29", "2024-02-29"},
	    {"2026 年 3 月 15 日", "2026-03-15"},
	    {"2026年3月15号", "2026-03-15"},
	    {"二O二六年三月十五日", "2026-03-15"},
	    {"二o二六年三月十五日", "2026-03-15"},
	    {"二0二六年三月十五日", "2026-03-15"},
	    {"二 〇 二 六 年 三 月 十 五 日", "2026-03-15"},
	    {"2026/3/15", "2026-03-15"},
	    {"20260315", "2026-03-15"},
	    {"2O26.O3.l5", "2026-03-15"},
	    {"2026-O3-1S", "2026-03-15"},
	    {"2O26 年 |2 月 3l 日", "2026-12-31"},
	};
	static const char *const bad[] = {
	    "2026-02-30",
	    "2025-02-29",
	    "2026-13-01",
	    "2026-00-10",
	    "2026-04-31",
	    "1850-01-01",
	    "2026年1月",
	    "26-01-05",
	    "2026-01-05x",
	    "",
	    "二〇二六年十三月一日",
	    "2026-03-1X",
	    "二Q二六年三月十五日",
	    "13807715678",
	};
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(good); i++) {
		char *v = classify_normalize_date(good[i][0]);

		g_assert_cmpstr(v, ==, good[i][1]);
		g_free(v);
	}
	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *v = classify_normalize_date(bad[i]);

		if (v != NULL)
			g_error("'%s' read as %s", bad[i], v);
	}
}

static void
test_amounts(void)
{
	static const char *const good[][2] = {
	    {"60,000.00", "60000.00"},	     {"¥60000", "60000.00"},
	    {"￥ 60,000.00 元", "60000.00"}, {"Y6O000.00", "60000.00"},
	    {"羊3,000.5", "3000.50"},	     {"6万元", "60000.00"},
	    {"6.5万", "65000.00"},	     {"0.08", "0.08"},
	};
	static const char *const bad[] = {
	    "", "abc", "60.000,00", "1.234", "12345678901234", "¥", "-5"};
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(good); i++) {
		char *v = classify_normalize_amount(good[i][0]);

		g_assert_cmpstr(v, ==, good[i][1]);
		g_free(v);
	}
	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *v = classify_normalize_amount(bad[i]);

		if (v != NULL)
			g_error("'%s' read as %s", bad[i], v);
	}
}

static void
test_credit_code(void)
{
	/* The GB 32100 worked example, and this suite's two parties. */
	g_assert_true(classify_is_credit_code("91350100M000100Y43"));
	g_assert_true(classify_credit_code_checksum_ok("91350100M000100Y43"));
	g_assert_true(classify_credit_code_checksum_ok("91450200MA5K12345B"));
	g_assert_true(classify_credit_code_checksum_ok("91450100MA5N65432M"));
	/* Right shape, wrong check character: an OCR slip or a typo. */
	g_assert_true(classify_is_credit_code("91450200MA5K12345X"));
	g_assert_false(classify_credit_code_checksum_ok("91450200MA5K12345X"));
	/* Wrong shapes: length, letters I O S V Z, letters in 3-8. */
	g_assert_false(classify_is_credit_code("91450200MA5K12345"));
	g_assert_false(classify_is_credit_code("91450200MA5K12345BB"));
	g_assert_false(classify_is_credit_code("9145O200MA5K12345B"));
	g_assert_false(classify_is_credit_code("91450200MA5K1234IB"));
	g_assert_false(classify_is_credit_code("914502A0MA5K12345B"));
	g_assert_false(classify_is_credit_code("91450200ma5k12345b"));
	g_assert_false(classify_is_credit_code(NULL));
}

/* ---- fields the cross-document checks need ---------------------------- */

/* As document_from_text, with the text's source: credit codes are only
 * repaired in what OCR read. */
static CoreDocument *
document_from_source(const char *type, const char *text, CoreTextSource source)
{
	CoreDocument *d = core_document_new("t.pdf", type);
	char *norm = core_text_normalize(text);

	d->source = source;
	core_document_add_page(d, 1);
	classify_extract_fields(rules, d, norm);
	g_free(norm);
	return d;
}

/* Tesseract with spaces between every character, the number in groups of
 * four, O for 0 in the date and the 小写 figure, a phone number and a bank
 * account on the page, and one misread character in each credit code. */
static void
test_fields_invoice_noisy(void)
{
	CoreDocument *d = sample_document("tess_invoice_noisy.ocr.txt");

	g_assert_cmpstr(d->type, ==, "invoice");
	assert_field(d, "number", "26452000000012345678");
	assert_field(d, "date", "2026-03-15");
	/* 价税合计, not the 合计 row's 56603.77; the 大写 agrees. */
	assert_field(d, "total", "60000.00");
	assert_field(d, "total_conflict", NULL);
	assert_field(d, "buyer_name", "广西桂柳精工机械有限公司");
	assert_field(d, "seller_name", "南宁智联云科技有限公司");
	/* L for 1, and 8 for B: each the only variant passing both checks. */
	assert_field(d, "buyer_credit_code", "91450200MA5K128494");
	assert_field(d, "buyer_credit_code_corrected", "true");
	assert_field(d, "seller_credit_code", "91450103MA5L8B21XW");
	assert_field(d, "seller_credit_code_corrected", "true");
	g_assert_cmpuint(d->notes->len, ==, 2);
	g_assert_nonnull(
	    strstr(g_ptr_array_index(d->notes, 0), "91450200MA5KL28494"));
	core_document_free(d);
}

static void
test_fields_invoice_numbers(void)
{
	/* A text layer prints the code as issued: a failing check character
	 * is left for the checks, never "repaired". */
	CoreDocument *pdf = document_from_source(
	    "invoice",
	    "发票号码：26452000000012345678\n开票日期：20260315\n"
	    "名称：广西桂柳精工机械有限公司\n统一社会信用代码/纳税人识别号："
	    "91450200MA5KL28494\n",
	    CORE_TEXT_PDF);
	/* Labels first: the only 20-digit run is a bank account (no year
	 * and province shape), the 11-digit run a phone number. */
	CoreDocument *bank = document_from_source(
	    "invoice",
	    "发票号码：\n开票日期：\n2026年04月02日\n"
	    "开户行及账号：62220215020012345678\n电话：13807715678\n",
	    CORE_TEXT_PDF);
	/* A paper VAT invoice: code at the top, the number on the line under
	 * its label, a phone number after another label. */
	CoreDocument *paper = document_from_source(
	    "invoice",
	    "4500201130\n广西增值税普通发票\n发票号码\n0l234567\n"
	    "开票日期：2026年3月15日\n电话：0771-5678901\n",
	    CORE_TEXT_OCR);
	/* 发票号码 followed by a phone number: refused by its length. */
	CoreDocument *phone = document_from_source(
	    "invoice", "发票号码：13807715678\n", CORE_TEXT_OCR);
	/* An old number and a 12-digit figure after it are no 全电 number. */
	CoreDocument *joined = document_from_source(
	    "invoice", "发票号码：01234567 450020113012\n", CORE_TEXT_OCR);

	assert_field(pdf, "number", "26452000000012345678");
	assert_field(pdf, "date", "2026-03-15");
	assert_field(pdf, "buyer_credit_code", "91450200MA5KL28494");
	assert_field(pdf, "buyer_credit_code_corrected", NULL);
	g_assert_cmpuint(pdf->notes->len, ==, 0);

	assert_field(bank, "number", NULL);
	assert_field(bank, "date", "2026-04-02");

	assert_field(paper, "code", "4500201130");
	assert_field(paper, "number", "01234567");
	assert_field(paper, "date", "2026-03-15");

	assert_field(phone, "number", NULL);
	assert_field(joined, "number", "01234567");
	core_document_free(joined);
	core_document_free(pdf);
	core_document_free(bank);
	core_document_free(paper);
	core_document_free(phone);
}

/* Two amounts in figures on one invoice: 合计 (before tax) and 价税合计. */
static void
test_fields_invoice_two_totals(void)
{
	/* The e-invoice text layer in reading order, 大写 and 小写 on the
	 * line after the label. */
	CoreDocument *layout =
	    document_from_source("invoice",
				 "合 计 ¥28301.89 ¥1698.11\n价税合计（大写）\n"
				 "⊗叁万圆整 （小写）¥30000.00\n",
				 CORE_TEXT_PDF);
	/* OCR read 6 as 8 in the figures: the 大写 disagrees, so no total. */
	CoreDocument *misread = document_from_source(
	    "invoice",
	    "合计 ¥56603.77 ¥3396.23\n价税合计 (大写) 陆万圆整 (小写) "
	    "¥80000.00\n",
	    CORE_TEXT_OCR);
	/* 合计 only, and the 价税合计 row lost its figures: the 大写 alone. */
	CoreDocument *upper = document_from_source(
	    "invoice", "合计 ¥56603.77 ¥3396.23\n价税合计(大写) 陆万圆整\n",
	    CORE_TEXT_OCR);

	assert_field(layout, "total", "30000.00");
	assert_field(layout, "total_upper", "叁万圆整");
	assert_field(misread, "total", NULL);
	g_assert_nonnull(strstr(
	    core_document_get_field(misread, "total_conflict"), "80000.00"));
	assert_field(upper, "total", "60000.00");
	core_document_free(layout);
	core_document_free(misread);
	core_document_free(upper);
}

static void
test_fields_payment_noisy(void)
{
	CoreDocument *d = document_from_source(
	    "payment_proof",
	    "中国工商银行 网上银行电子回单\n"
	    "付款人 户名 : 广 西 桂 柳 精 工 机 械 有 限 公 司\n"
	    "收款人 户名 : 南 宁 智 联 云 科 技 有 限 公 司\n"
	    "金 额 : ¥ 6O,OOO.OO\n大写金额 : 人民币陆万元整\n"
	    "交易日期 : 20260316    交易流水号 : 8459 2017\n",
	    CORE_TEXT_OCR);

	assert_field(d, "payer", "广西桂柳精工机械有限公司");
	assert_field(d, "payee", "南宁智联云科技有限公司");
	assert_field(d, "amount", "60000.00");
	assert_field(d, "amount_conflict", NULL);
	assert_field(d, "date", "2026-03-16");
	assert_field(d, "serial", "84592017");
	core_document_free(d);
}

static void
test_fields_copyright_noisy(void)
{
	CoreDocument *d = document_from_source(
	    "software_copyright_cert",
	    "计算机软件著作权登记证书\n证书号：软著登字第 l2873456 号\n"
	    "软件名称：\n智能质检云平台V1.0\n"
	    "著作权人：南宁智联云科技有限公司\n"
	    "开发完成日期：二O二四年五月十日\n"
	    "首次发表日期：2O24 年 6 月 l 日\n"
	    "登记号：2O24SR1S34567\n",
	    CORE_TEXT_OCR);

	assert_field(d, "certificate_number", "12873456");
	/* The label on one line, the name on the next. */
	assert_field(d, "software_name", "智能质检云平台");
	assert_field(d, "version", "V1.0");
	assert_field(d, "holder", "南宁智联云科技有限公司");
	assert_field(d, "completed_on", "2024-05-10");
	assert_field(d, "published_on", "2024-06-01");
	/* S between digits is a 5; the SR stays letters. */
	assert_field(d, "registration_number", "2024SR1534567");
	core_document_free(d);
}

static void
test_fields_authorization_prose(void)
{
	CoreDocument *d = document_from_source(
	    "authorization_letter",
	    "授权书\n授权方（甲方）：\n南宁智联云科技有限公司\n"
	    "被授权方（乙方）：\n柳州云帆信息技术有限公司\n"
	    "授权产品：智能质检云平台 V2.0（登记号：2024SR1234567）\n"
	    "授权期限自2026年1月1日起至2027年12月31日止。\n"
	    "授权地域：广西壮族自治区\n授权范围：产品销售、部署实施\n",
	    CORE_TEXT_PDF);

	assert_field(d, "grantor", "南宁智联云科技有限公司");
	assert_field(d, "grantee", "柳州云帆信息技术有限公司");
	assert_field(d, "software_name", "智能质检云平台");
	assert_field(d, "version", "V2.0");
	assert_field(d, "valid_from", "2026-01-01");
	assert_field(d, "valid_until", "2027-12-31");
	assert_field(d, "region", "广西壮族自治区");
	assert_field(d, "scope", "产品销售、部署实施");
	core_document_free(d);
}

static void
test_fields_certificates(void)
{
	CoreDocument *cma = document_from_source(
	    "cma_cert",
	    "检验检测机构资质认定证书\n证书编号：2020 2005 1234\n"
	    "名称：广西精测检测技术有限公司\n"
	    "检验检测能力范围：见证书附表\n"
	    "有效期：2020年12月1日至2026年11月30日\n",
	    CORE_TEXT_OCR);
	CoreDocument *cnas = document_from_source(
	    "cnas_cert",
	    "实验室认可证书\n注册号：CNAS L1234\n"
	    "兹证明：广西精测检测技术有限公司\n"
	    "认可范围：软件产品测试\n有效期：2024-01-08 - 2030-01-07\n",
	    CORE_TEXT_PDF);
	CoreDocument *iso = document_from_source(
	    "management_system_cert",
	    "质量管理体系认证证书\n证书编号：00124Q31234R0M\n"
	    "获证组织：南宁智联云科技有限公司\n"
	    "认证范围：计算机软件的开发和技术服务\n"
	    "颁证日期：2024.03.01\n有效期至：2027.02.28\n"
	    "符合 GB/T 19001-2016/ISO 9001:2015\n",
	    CORE_TEXT_PDF);
	CoreDocument *qual =
	    document_from_source("qualification_cert",
				 "资质证书\n证书编号：D245012345\n"
				 "企业名称：南宁智联云科技有限公司\n"
				 "资质等级：电子与智能化工程专业承包二级\n"
				 "有效期：2023年5月8日至2028年5月7日\n",
				 CORE_TEXT_PDF);

	assert_field(cma, "number", "202020051234");
	assert_field(cma, "holder", "广西精测检测技术有限公司");
	assert_field(cma, "valid_from", "2020-12-01");
	assert_field(cma, "valid_until", "2026-11-30");
	assert_field(cma, "scope", "见证书附表");

	assert_field(cnas, "number", "L1234");
	assert_field(cnas, "holder", "广西精测检测技术有限公司");
	assert_field(cnas, "valid_from", "2024-01-08");
	assert_field(cnas, "valid_until", "2030-01-07");
	assert_field(cnas, "scope", "软件产品测试");

	assert_field(iso, "number", "00124Q31234R0M");
	assert_field(iso, "holder", "南宁智联云科技有限公司");
	assert_field(iso, "valid_from", "2024-03-01");
	assert_field(iso, "valid_until", "2027-02-28");
	assert_field(iso, "scope", "计算机软件的开发和技术服务");

	assert_field(qual, "number", "D245012345");
	assert_field(qual, "holder", "南宁智联云科技有限公司");
	assert_field(qual, "valid_from", "2023-05-08");
	assert_field(qual, "valid_until", "2028-05-07");
	assert_field(qual, "scope", "电子与智能化工程专业承包二级");
	core_document_free(cma);
	core_document_free(cnas);
	core_document_free(iso);
	core_document_free(qual);
}

/* The sample certificates: holders under a "兹证明" line, validity from
 * the issue date, a filing number in words. */
static void
test_fields_certificate_samples(void)
{
	CoreDocument *cnas = sample_document("cnas_cert.txt");
	CoreDocument *iso = sample_document("management_system_cert.txt");
	CoreDocument *qual = sample_document("qualification_cert.txt");

	assert_field(cnas, "number", "L12345");
	assert_field(cnas, "holder", "广西精测检测技术有限公司");
	assert_field(cnas, "valid_from", "2024-06-18");
	assert_field(cnas, "valid_until", "2030-06-17");
	assert_field(iso, "holder", "广西桂柳精工机械有限公司");
	assert_field(iso, "valid_from", "2026-02-10");
	assert_field(iso, "valid_until", "2029-02-09");
	assert_field(iso, "scope", "液压阀体的设计、生产和服务");
	assert_field(qual, "number", "桂节评备[2024]015号");
	assert_field(qual, "holder", "广西绿能节能评估咨询有限公司");
	assert_field(qual, "valid_from", NULL); /* not printed */
	assert_field(qual, "valid_until", "2027-12-31");
	assert_field(qual, "scope",
		     "固定资产投资项目节能评估、节能诊断、能源审计");
	core_document_free(cnas);
	core_document_free(iso);
	core_document_free(qual);
}

/* Conclusions, trial runs and signature lines of the three reports. */
static void
test_fields_reports(void)
{
	CoreDocument *form = document_from_source(
	    "acceptance_form",
	    "成果验收单\n试运行期间：2025年10月2日 至 2026年1月8日\n"
	    "验收结论：不合格，需整改后重新验收\n"
	    "企业负责人签字：覃志强日期：2026年1月10日\n"
	    "服务商代表签字：________ 日期：\n",
	    CORE_TEXT_OCR);
	CoreDocument *months = document_from_source(
	    "acceptance_form",
	    "成果验收单\n系统已试运行三个月，运行稳定。\n验收意见：同意通过验收"
	    "\n"
	    "项目负责人（签字）：    专家组长（签字）：李明\n",
	    CORE_TEXT_PDF);
	CoreDocument *mid = sample_document("midterm_report.txt");
	CoreDocument *mid2 = document_from_source(
	    "midterm_report",
	    "实施中期检查报告\n检查结论：通过\n试运行 2 个月\n"
	    "检查组签字：王强  张伟\n检查日期：2025年11月3日\n",
	    CORE_TEXT_PDF);
	/* OCR of the generator's report: a progress table with a 试运行 row
	 * (its planned date), the start in prose, the conclusion under its
	 * heading. */
	CoreDocument *mid3 = document_from_source(
	    "midterm_report",
	    "实施中期检查报告\n检查日期                     2025年9月20日\n"
	    "试运行     2026-01-08           未开始           0%\n"
	    "完成剩余设备接入，于2025年9月26日前组织人员培训，2025年10月\n"
	    "2日起进入为期不少于三个月的试运行。\n五、检查结论\n"
	    "经双方共同检查，阶段成果符合合同约定，同意进入下一\n阶段实施。\n",
	    CORE_TEXT_OCR);
	CoreDocument *test = sample_document("software_test_report.txt");
	CoreDocument *test2 = document_from_source(
	    "software_test_report",
	    "软件测试报告\n测试时间：2026/3/1 - 2026/3/8\n"
	    "测试结论：被测软件不满足 GB/T 25000.51-2016 的要求\n"
	    "报告日期：2026年3月10日\n批准人签字：\n2026年3月12日\n",
	    CORE_TEXT_PDF);

	assert_field(form, "trial_from", "2025-10-02");
	assert_field(form, "trial_to", "2026-01-08");
	assert_field(form, "outcome", "不合格"); /* not its 合格 */
	assert_field(form, "accepted_on", "2026-01-10");
	assert_field(form, "signature", "覃志强");
	assert_field(form, "signature_blank", "服务商代表签字");

	assert_field(months, "trial_months", "3");
	assert_field(months, "trial_from", NULL);
	assert_field(months, "outcome", "同意");
	assert_field(months, "signature", "李明");
	assert_field(months, "signature_blank", "项目负责人(签字)");

	assert_field(mid, "outcome", "同意");
	assert_field(mid, "contract_number", "HT-2025-018");
	/* Its lines are for seals (甲方（盖章）：), not signatures. */
	assert_field(mid, "signature", NULL);
	assert_field(mid, "signature_blank", NULL);
	assert_field(mid2, "outcome", "通过");
	assert_field(mid2, "trial_months", "2");
	/* Spaces between names are gone after normalising. */
	assert_field(mid2, "signature", "王强张伟");
	assert_field(mid2, "signature_blank", NULL);
	assert_field(mid2, "reported_on", "2025-11-03");

	assert_field(mid3, "reported_on", "2025-09-20");
	assert_field(mid3, "trial_from", "2025-10-02");
	assert_field(mid3, "trial_months", "3");
	assert_field(mid3, "outcome", "同意");
	assert_field(mid3, "conclusion",
		     "经双方共同检查,阶段成果符合合同约定,同意进入下一");
	core_document_free(mid3);

	assert_field(test, "outcome", "合格");
	assert_field(test, "issued_on", "2026-03-10");
	assert_field(test2, "outcome", "不满足");
	/* The labelled report date, not the last date on the page. */
	assert_field(test2, "issued_on", "2026-03-10");
	assert_field(test2, "tested_from", "2026-03-01");
	assert_field(test2, "tested_to", "2026-03-08");
	assert_field(test2, "signature_blank", "批准人签字");
	core_document_free(form);
	core_document_free(months);
	core_document_free(mid);
	core_document_free(mid2);
	core_document_free(test);
	core_document_free(test2);
}

static void
test_fields_operation_records(void)
{
	CoreDocument *sorted = sample_document("operation_records.txt");
	CoreDocument *log = document_from_source(
	    "operation_records",
	    "智能质检云平台运行日志导出\n时间 用户 操作 结果\n"
	    "2026/02/03 09:12:44 admin 批次质检 成功\n"
	    "2026/01/15 08:01:02 qc01 登录 成功\n"
	    "2026/03/01 17:40:10 qc02 导出报表 成功\n"
	    "2026/O1/l2 10:00:00 qc01 告警处理 成功\n"
	    "2026/02/30 11:11:11 qc01 登录 失败\n",
	    CORE_TEXT_OCR);

	assert_field(sorted, "date_earliest", "2026-01-01");
	assert_field(sorted, "date_latest", "2026-01-10");
	/* Rows out of order, one OCR'd date, one impossible date skipped. */
	assert_field(log, "date_earliest", "2026-01-12");
	assert_field(log, "date_latest", "2026-03-01");
	core_document_free(sorted);
	core_document_free(log);
}

static void
test_credit_code_repair(void)
{
	static const char *const fixed[][2] = {
	    {"91450200MA5KL28494", "91450200MA5K128494"}, /* L for 1 */
	    {"91450103MA5L8821XW", "91450103MA5L8B21XW"}, /* 8 for B */
	    {"92450107MA5Q0D6L1E", "92450107MA5Q0D611E"}, /* L for 1 */
	    {"91350100MD00100Y43", "91350100M000100Y43"}, /* D for 0 */
	};
	static const char *const left[] = {
	    "91450200MA5K128494", /* passes already */
	    "91450200MA5K12345X", /* no single variant passes both checks */
	    "91450200MA5K1284",	  /* no code */
	    NULL,
	};
	char *v;
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(fixed); i++) {
		g_assert_false(classify_credit_code_checksum_ok(fixed[i][0]));
		v = classify_credit_code_repair(fixed[i][0]);
		g_assert_cmpstr(v, ==, fixed[i][1]);
		g_assert_true(classify_credit_code_checksum_ok(v));
		g_free(v);
	}
	for (i = 0; i < G_N_ELEMENTS(left); i++)
		g_assert_null(classify_credit_code_repair(left[i]));
	/* Digits-only positions 3-8: a D or O there is a 0, without any
	 * guessing, so it is no correction. */
	{
		CoreDocument *d = document_from_source(
		    "invoice", "纳税人识别号：9145D2OOMA5K128494\n",
		    CORE_TEXT_OCR);
		assert_field(d, "buyer_credit_code", "91450200MA5K128494");
		assert_field(d, "buyer_credit_code_corrected", NULL);
		core_document_free(d);
	}
}

static void
test_invoice_number_ok(void)
{
	g_assert_true(classify_invoice_number_ok("26452000000012345678", NULL));
	g_assert_true(classify_invoice_number_ok("01234567", "4500201130"));
	g_assert_true(classify_invoice_number_ok("01234567", "045002300111"));
	/* A bank account: 20 digits, but no year and province. */
	g_assert_false(
	    classify_invoice_number_ok("62220215020012345678", NULL));
	g_assert_false(
	    classify_invoice_number_ok("26992000000012345678", NULL));
	/* A 全电 number has no code; an old one needs its code. */
	g_assert_false(
	    classify_invoice_number_ok("26452000000012345678", "4500201130"));
	g_assert_false(classify_invoice_number_ok("01234567", NULL));
	g_assert_false(classify_invoice_number_ok("01234567", "45002011"));
	g_assert_false(classify_invoice_number_ok("13807715678", NULL));
	g_assert_false(classify_invoice_number_ok("0123456X", "4500201130"));
	g_assert_false(classify_invoice_number_ok(NULL, NULL));
}

static void
test_normalize_name(void)
{
	static const char *const same[][2] = {
	    {"广西桂柳精工机械有限公司", "广 西 桂 柳 精 工 机 械 有 限 公 司"},
	    {"南宁智联云科技（广西）有限公司", "南宁智联云科技(广西)有限公司"},
	    {"南宁智联云科技【广西】有限公司", "南宁智联云科技(广西)有限公司"},
	    {"ＡＢＣ科技有限公司", "abc科技有限公司"},
	    {"“南宁智联云科技有限公司”。", "南宁智联云科技有限公司"},
	    {"阿卜杜·热合曼", "阿卜杜热合曼"},
	};
	static const char *const different[][2] = {
	    {"南宁智联云科技有限公司", "南宁智联云科技有限责任公司"},
	    {"南宁智联云科技有限公司", "南宁智联云科技有限公司柳州分公司"},
	    {"广西桂柳精工机械有限公司", "广西桂柳精工机械股份有限公司"},
	};
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(same); i++) {
		char *a = classify_normalize_name(same[i][0]);
		char *b = classify_normalize_name(same[i][1]);

		g_assert_nonnull(a);
		g_assert_cmpstr(a, ==, b);
		g_free(a);
		g_free(b);
	}
	for (i = 0; i < G_N_ELEMENTS(different); i++) {
		char *a = classify_normalize_name(different[i][0]);
		char *b = classify_normalize_name(different[i][1]);

		g_assert_cmpstr(a, !=, b);
		g_free(a);
		g_free(b);
	}
	g_assert_null(classify_normalize_name(NULL));
	g_assert_null(classify_normalize_name(" ，。 "));
	g_assert_null(classify_normalize_name("\xff\xfe"));
}

/* ---- grouping ------------------------------------------------------ */

static CorePage *
typed_page(const char *file, int number, const char *type, double conf,
	   CoreTextSource source, int stamped, const char *text)
{
	CorePage *p = page_with_text(file, number, text, source);

	p->type = g_strdup(type);
	p->type_confidence = conf;
	p->stamped = stamped;
	return p;
}

static void
test_group_continuation(void)
{
	GPtrArray *pages = core_ptr_array_new(core_page_free);
	GPtrArray *docs;
	CoreDocument *d;
	char *text = sample_text("invoice_einvoice.txt");

	/* [invoice, other] in one PDF: the other page is its second page. */
	g_ptr_array_add(pages, typed_page("inv.pdf", 1, "invoice", 0.85,
					  CORE_TEXT_PDF, 0, text));
	g_ptr_array_add(pages, typed_page("inv.pdf", 2, "other", 0.5,
					  CORE_TEXT_OCR, 1, "销货清单 续"));
	docs = classify_documents(rules, pages);
	g_assert_cmpuint(docs->len, ==, 1);
	d = g_ptr_array_index(docs, 0);
	g_assert_cmpstr(d->type, ==, "invoice");
	g_assert_cmpstr(d->file, ==, "inv.pdf");
	g_assert_cmpuint(d->pages->len, ==, 2);
	g_assert_cmpint(g_array_index(d->pages, int, 0), ==, 1);
	g_assert_cmpint(g_array_index(d->pages, int, 1), ==, 2);
	g_assert_cmpfloat(d->confidence, ==, 0.85);
	g_assert_cmpint(d->source, ==, CORE_TEXT_OCR); /* any page OCR'd */
	g_assert_cmpint(d->stamped, ==, 1);	       /* any page stamped */
	assert_field(d, "number", "26452000000012345678");
	g_ptr_array_unref(docs);
	g_ptr_array_unref(pages);
	g_free(text);
}

/* Classified for real: a contract's title page and its untitled second
 * page are one contract, with the first page's fields. */
static void
test_group_classified_pages(void)
{
	GPtrArray *pages = core_ptr_array_new(core_page_free);
	char *text = sample_text("contract.txt");
	GPtrArray *docs;
	CoreDocument *d;
	guint i;

	g_ptr_array_add(pages,
			page_with_text("合同/ht.pdf", 1, text, CORE_TEXT_PDF));
	g_ptr_array_add(pages, page_with_text("合同/ht.pdf", 2, CONTRACT_PAGE_2,
					      CORE_TEXT_PDF));
	for (i = 0; i < pages->len; i++)
		classify_page(rules, g_ptr_array_index(pages, i), FALSE);
	docs = classify_documents(rules, pages);
	g_assert_cmpuint(docs->len, ==, 1);
	d = g_ptr_array_index(docs, 0);
	g_assert_cmpstr(d->type, ==, "contract");
	g_assert_cmpuint(d->pages->len, ==, 2);
	assert_field(d, "number", "HT-2025-018");
	assert_field(d, "signed_on", "2025-06-01");
	g_ptr_array_unref(docs);
	g_ptr_array_unref(pages);
	g_free(text);
}

/* Types of the documents classify_documents makes from pages given as
 * "file:page:type" words, written back as "type[pages]" words. */
static char *
grouped(const char *spec)
{
	char **words = g_strsplit(spec, " ", -1);
	GPtrArray *pages = core_ptr_array_new(core_page_free);
	GPtrArray *docs;
	GString *out = g_string_new(NULL);
	guint i, k;

	for (i = 0; words[i] != NULL; i++) {
		char **f = g_strsplit(words[i], ":", 3);

		g_ptr_array_add(pages, typed_page(f[0], atoi(f[1]), f[2], 0.7,
						  CORE_TEXT_PDF, -1, ""));
		g_strfreev(f);
	}
	docs = classify_documents(rules, pages);
	for (i = 0; i < docs->len; i++) {
		const CoreDocument *d = g_ptr_array_index(docs, i);

		g_string_append_printf(out, "%s%s[", i > 0 ? " " : "", d->type);
		for (k = 0; k < d->pages->len; k++)
			g_string_append_printf(out, "%s%d", k > 0 ? "," : "",
					       g_array_index(d->pages, int, k));
		g_string_append_c(out, ']');
	}
	g_ptr_array_unref(docs);
	g_ptr_array_unref(pages);
	g_strfreev(words);
	return g_string_free(out, FALSE);
}

static void
test_group_rules(void)
{
	static const char *const cases[][2] = {
	    {"a.pdf:1:invoice a.pdf:2:payment_proof",
	     "invoice[1] payment_proof[2]"},
	    {"a.pdf:1:invoice a.pdf:2:other", "invoice[1,2]"},
	    /* Invoices, receipts, certificates: one per page. */
	    {"a.pdf:1:invoice a.pdf:2:invoice a.pdf:3:other",
	     "invoice[1] invoice[2,3]"},
	    /* A contract runs over pages, typed or not. */
	    {"c.pdf:1:contract c.pdf:2:contract c.pdf:3:other "
	     "c.pdf:4:contract",
	     "contract[1,2,3,4]"},
	    /* A photo never joins, nor is joined. */
	    {"a.pdf:1:acceptance_form a.pdf:2:photo a.pdf:3:other",
	     "acceptance_form[1] photo[2] other[3]"},
	    {"a.pdf:1:photo a.pdf:2:photo", "photo[1] photo[2]"},
	    /* Another file, or a gap in the pages, starts afresh. */
	    {"a.pdf:1:contract b.pdf:1:other", "contract[1] other[1]"},
	    {"a.pdf:1:contract a.pdf:3:other", "contract[1] other[3]"},
	    /* An other page first stays other; others run together. */
	    {"a.pdf:1:other a.pdf:2:other a.pdf:3:contract",
	     "other[1,2] contract[3]"},
	};
	GPtrArray *none = core_ptr_array_new(core_page_free);
	GPtrArray *docs = classify_documents(rules, none);
	gsize i;

	g_assert_cmpuint(docs->len, ==, 0);
	g_ptr_array_unref(docs);
	g_ptr_array_unref(none);
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = grouped(cases[i][0]);

		g_assert_cmpstr(got, ==, cases[i][1]);
		g_free(got);
	}
}

static void
collect_ref(CorePage *page, const char *type, gpointer data)
{
	g_ptr_array_add(
	    data, g_strdup_printf("%s#%d:%s", page->file, page->page, type));
}

/* Which pages get a seal search: every page of a document of a sealed
 * type, an untyped continuation page included (a contract's seals are on
 * its last page), and no page of an unsealed one. */
static void
test_pages_sealed(void)
{
	static const char *const spec[][2] = {
	    {"1", "contract"}, {"2", "other"},	 {"3", "photo"},
	    {"4", "other"},    {"5", "invoice"}, {"6", "invoice"},
	};
	GPtrArray *pages = core_ptr_array_new(core_page_free);
	GPtrArray *refs = core_ptr_array_new(g_free);
	char *got;

	g_assert_true(classify_type_is_sealed(rules, "contract"));
	g_assert_true(classify_type_is_sealed(rules, "invoice"));
	g_assert_false(classify_type_is_sealed(rules, "photo"));
	g_assert_false(classify_type_is_sealed(rules, "other"));
	/* Whose seal it is is checked on an acceptance form, not on an
	 * invoice (its seller is printed on it). */
	g_assert_true(classify_type_names_seals(rules, "acceptance_form"));
	g_assert_false(classify_type_names_seals(rules, "invoice"));
	for (gsize i = 0; i < G_N_ELEMENTS(spec); i++)
		g_ptr_array_add(pages, typed_page("a.pdf", atoi(spec[i][0]),
						  spec[i][1], 0.7,
						  CORE_TEXT_PDF, -1, ""));
	classify_pages_sealed(rules, pages, collect_ref, refs);
	g_ptr_array_add(refs, NULL);
	got = g_strjoinv(" ", (char **)refs->pdata);
	/* Page 4 is other after a photo: a document of its own, unsealed.
	 * Page 2 is the contract's, whose type it is given. */
	g_assert_cmpstr(got, ==,
			"a.pdf#1:contract a.pdf#2:contract a.pdf#5:invoice "
			"a.pdf#6:invoice");
	g_free(got);
	g_ptr_array_unref(refs);
	g_ptr_array_unref(pages);
}

/* ---- main -------------------------------------------------------------- */

int
main(int argc, char **argv)
{
	char *path =
	    g_build_filename(EVIDCHECK_RULES_DIR, "2026", "types.ini", NULL);
	GError *error = NULL;
	gsize i;
	int rc;

	g_test_init(&argc, &argv, NULL);
	rules = classify_rules_load(path, &error);
	g_assert_no_error(error);

	g_test_add_func("/classify/rules/load", test_rules_load);
	g_test_add_func("/classify/rules/missing-file",
			test_rules_missing_file);
	g_test_add_func("/classify/rules/errors", test_rules_errors);
	for (i = 0; i < G_N_ELEMENTS(samples); i++) {
		char *name =
		    g_strdup_printf("/classify/page/%s", samples[i].file);

		g_test_add_data_func(name, &samples[i], test_page_type);
		g_free(name);
	}
	g_test_add_func("/classify/page/confusions", test_confusions);
	g_test_add_func("/classify/page/photo-and-other", test_photo_and_other);
	g_test_add_func("/classify/page/screenshot-without-menu",
			test_screenshot_without_menu);
	g_test_add_func("/classify/page/confidence", test_confidence_formula);
	g_test_add_func("/classify/page/cue-kinds", test_cue_kinds);
	g_test_add_func("/classify/page/explain", test_explain);
	g_test_add_func("/classify/page/threads", test_threads);
	g_test_add_func("/classify/page/huge", test_huge_page);
	g_test_add_func("/classify/fields/einvoice", test_fields_einvoice);
	g_test_add_func("/classify/fields/einvoice-labels-first",
			test_fields_einvoice_labels_first);
	g_test_add_func("/classify/fields/vat-ocr", test_fields_vat_ocr);
	g_test_add_func("/classify/fields/total-check",
			test_fields_total_check);
	g_test_add_func("/classify/fields/receipts", test_fields_receipts);
	g_test_add_func("/classify/fields/softcopyright",
			test_fields_softcopyright);
	g_test_add_func("/classify/fields/other-documents",
			test_fields_other_documents);
	g_test_add_func("/classify/fields/tesseract", test_fields_tesseract);
	g_test_add_func("/classify/fields/options", test_field_options);
	g_test_add_func("/classify/fields/version-split", test_version_split);
	g_test_add_func("/classify/values/capital", test_capital);
	g_test_add_func("/classify/values/dates", test_dates);
	g_test_add_func("/classify/values/amounts", test_amounts);
	g_test_add_func("/classify/values/credit-code", test_credit_code);
	g_test_add_func("/classify/values/credit-code-repair",
			test_credit_code_repair);
	g_test_add_func("/classify/values/normalize-name", test_normalize_name);
	g_test_add_func("/classify/values/invoice-number",
			test_invoice_number_ok);
	g_test_add_func("/classify/fields/invoice-noisy",
			test_fields_invoice_noisy);
	g_test_add_func("/classify/fields/invoice-numbers",
			test_fields_invoice_numbers);
	g_test_add_func("/classify/fields/invoice-two-totals",
			test_fields_invoice_two_totals);
	g_test_add_func("/classify/fields/payment-noisy",
			test_fields_payment_noisy);
	g_test_add_func("/classify/fields/copyright-noisy",
			test_fields_copyright_noisy);
	g_test_add_func("/classify/fields/authorization-prose",
			test_fields_authorization_prose);
	g_test_add_func("/classify/fields/certificates",
			test_fields_certificates);
	g_test_add_func("/classify/fields/certificate-samples",
			test_fields_certificate_samples);
	g_test_add_func("/classify/fields/reports", test_fields_reports);
	g_test_add_func("/classify/fields/operation-records",
			test_fields_operation_records);
	g_test_add_func("/classify/group/continuation",
			test_group_continuation);
	g_test_add_func("/classify/group/rules", test_group_rules);
	g_test_add_func("/classify/fields/invoice-rows", test_invoice_rows);
	g_test_add_func("/classify/group/pages-sealed", test_pages_sealed);
	g_test_add_func("/classify/group/classified-pages",
			test_group_classified_pages);
	rc = g_test_run();
	classify_rules_free(rules);
	g_free(path);
	return rc;
}
