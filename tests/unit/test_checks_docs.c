/* test_checks_docs.c - checks/names.c, money.c, seals.c and scope.c: the
 * product name, the parties, amounts and caps, seals and whose they are,
 * trainees and excluded services, run through the real
 * rules/2026/checks.ini on claims built in memory (documents with their
 * fields, pages with their seals), so these tests depend on neither OCR
 * nor classify. Near misses (what must pass) sit beside each failure. */
#include <string.h>

#include "checks_fixture.h"

#define ENT	  "广西桂鑫机械制造有限公司"
#define PROV	  "南宁智联科技有限公司"
#define ENT_CODE  "91450200MA5K12345X"
#define PROV_CODE "91450100MA5N65432Y"

/* A direction-4 claim with both parties, the product and the contract
 * declared. */
static void
fx_init(Fixture *fx, const char *direction)
{
	CoreClaim *c;

	fx_init_bare(fx, direction);
	c = fx->claim;
	c->product_name = g_strdup("智能质检云平台");
	c->enterprise.name = g_strdup(ENT);
	c->enterprise.credit_code = g_strdup(ENT_CODE);
	c->provider.name = g_strdup(PROV);
	c->provider.credit_code = g_strdup(PROV_CODE);
	c->contract_amount = g_strdup("60000.00");
	c->voucher_amount = g_strdup("30000.00");
}

/* Page 1 of FILE with one seal per organisation in ORGS (NULL-terminated;
 * "" for a ring that could not be read). */
static CorePage *
add_sealed_page(Fixture *fx, const char *file, const char *const *orgs)
{
	CorePage *p = core_page_new(file, 1);
	CoreBox boxes[4] = {{0.1, 0.6, 0.2, 0.14},
			    {0.5, 0.6, 0.2, 0.14},
			    {0.3, 0.7, 0.2, 0.14},
			    {0.6, 0.7, 0.2, 0.14}};
	guint n = 0;

	while (orgs != NULL && orgs[n] != NULL && n < 4)
		n++;
	core_page_set_seals(p, boxes, n);
	for (guint i = 0; i < n; i++)
		if (*orgs[i] != '\0')
			p->seal_orgs->pdata[i] = g_strdup(orgs[i]);
	g_ptr_array_add(fx->pages, p);
	return p;
}

/* TRUE for CJK ideographs and CJK or fullwidth punctuation. */
static gboolean
is_cjk(gunichar c)
{
	return (c >= 0x3000 && c <= 0x303f) || (c >= 0x3400 && c <= 0x4dbf) ||
	       (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) ||
	       (c >= 0xff00 && c <= 0xffef);
}

/* Every finding has an English message (--lang en) with no Chinese
 * outside the quoted names and values it repeats. */
static void
assert_english(const Fixture *fx)
{
	for (guint i = 0; i < fx->result->findings->len; i++) {
		const CoreFinding *f =
		    g_ptr_array_index(fx->result->findings, i);
		gboolean quoted = FALSE;

		if (f->message_en == NULL || *f->message_en == '\0')
			fprintf(stderr, "no English: %s\n", f->message);
		g_assert_nonnull(f->message_en);
		g_assert_cmpstr(f->message_en, !=, "");
		g_assert_true(g_utf8_validate(f->message_en, -1, NULL));
		for (const char *p = f->message_en; *p != '\0';
		     p = g_utf8_next_char(p)) {
			gunichar c = g_utf8_get_char(p);

			if (c == '"')
				quoted = !quoted;
			else if (!quoted && is_cjk(c)) {
				fprintf(stderr, "Chinese in English: %s\n",
					f->message_en);
				g_assert_not_reached();
			}
		}
		g_assert_false(quoted); /* quotes come in pairs */
	}
}

/* The fixture's run_rule, then the English of what it raised. */
static const ChecksOutcome *
run_rule_en(Fixture *fx, const char *rule)
{
	const ChecksOutcome *o = run_rule(fx, rule);

	assert_english(fx);
	return o;
}
#define run_rule run_rule_en

static guint
n_findings(Fixture *fx, CoreSeverity severity)
{
	guint n = 0;

	for (guint i = 0; i < fx->result->findings->len; i++)
		n += ((CoreFinding *)g_ptr_array_index(fx->result->findings, i))
			 ->severity == severity;
	return n;
}

static const CoreFinding *
finding(Fixture *fx, guint i)
{
	g_assert_cmpuint(fx->result->findings->len, >, i);
	return g_ptr_array_index(fx->result->findings, i);
}

/* ---- product name ----------------------------------------------------- */

static void
test_name_near_misses(void)
{
	static const char *const same[] = {
	    "智能质检云平台",	     "智能质检云平台V1.0",
	    "智能质检云平台 v2.3.1", "智能质检云平台1.0版",
	    "智能质检云平台版本1.0", "智能质检云平台（V2.0）",
	    "智能质检　云平台",	     "智能质检云平台(简称:质检云)V1.0",
	    "ＡＢ智能质检云平台",
	};

	for (guint i = 0; i < G_N_ELEMENTS(same); i++) {
		Fixture fx;
		const ChecksOutcome *o;

		fx_init(&fx, "4");
		if (strstr(same[i], "ＡＢ") != NULL) {
			g_free(fx.claim->product_name);
			fx.claim->product_name = g_strdup("ab智能质检云平台");
		}
		add_doc(&fx, "cert.jpg", "software_copyright_cert", NULL);
		core_document_set_field(g_ptr_array_index(fx.documents, 0),
					"software_name", same[i]);
		o = run_rule(&fx, "product_name");
		assert_status(o, CHECKS_PASSED);
		fx_clear(&fx);
	}
}

static void
test_name_word_added(void)
{
	Fixture fx;
	const ChecksOutcome *o;
	const CoreFinding *f;

	fx_init(&fx, "4");
	add_doc(&fx, "cert.pdf", "software_copyright_cert",
		"software_name=智能质检云平台管理系统", NULL);
	o = run_rule(&fx, "product_name");
	assert_status(o, CHECKS_FAILED);
	f = finding(&fx, 0);
	g_assert_cmpstr(f->code, ==, "NAME_MISMATCH");
	g_assert_cmpint(f->severity, ==, CORE_SEVERITY_ERROR);
	g_assert_nonnull(strstr(f->message, "智能质检云平台管理系统"));
	g_assert_nonnull(strstr(f->message, "「智能质检云平台」"));
	g_assert_nonnull(strstr(f->message, "计算机软件著作权登记证书"));
	g_assert_cmpstr(g_ptr_array_index(f->documents, 0), ==, "cert.pdf#1");
	fx_clear(&fx);

	/* a bare trailing digit is part of the name */
	fx_init(&fx, "4");
	add_doc(&fx, "cert.pdf", "software_copyright_cert",
		"software_name=智能质检云平台2", NULL);
	assert_status(run_rule(&fx, "product_name"), CHECKS_FAILED);
	fx_clear(&fx);
}

static void
test_name_ocr_noise(void)
{
	Fixture fx;
	CoreDocument *cert;

	fx_init(&fx, "4");
	cert = add_doc(&fx, "cert.jpg", "software_copyright_cert",
		       "software_name=智能质栓云平台", NULL);
	cert->source = CORE_TEXT_OCR;
	assert_status(run_rule(&fx, "product_name"), CHECKS_FAILED);
	g_assert_cmpuint(n_findings(&fx, CORE_SEVERITY_ERROR), ==, 0);
	g_assert_cmpuint(n_findings(&fx, CORE_SEVERITY_WARNING), ==, 1);
	g_assert_nonnull(strstr(finding(&fx, 0)->message, "OCR"));
	/* the same reading on a text layer is a different name */
	cert->source = CORE_TEXT_PDF;
	run_rule(&fx, "product_name");
	g_assert_cmpuint(n_findings(&fx, CORE_SEVERITY_ERROR), ==, 1);
	fx_clear(&fx);
}

static void
test_name_not_checked(void)
{
	Fixture fx;
	const ChecksOutcome *o;

	fx_init(&fx, "4");
	g_clear_pointer(&fx.claim->product_name, g_free);
	add_doc(&fx, "cert.pdf", "software_copyright_cert",
		"software_name=智能质检云平台", NULL);
	o = run_rule(&fx, "product_name");
	assert_status(o, CHECKS_NOT_CHECKED);
	g_assert_nonnull(strstr(o->note, "未声明产品名称（product_name）"));
	fx_clear(&fx);

	fx_init(&fx, "4");
	o = run_rule(&fx, "product_name");
	assert_status(o, CHECKS_NOT_CHECKED);
	g_assert_nonnull(strstr(o->note, "未找到"));
	fx_clear(&fx);
}

/* ---- parties ------------------------------------------------------------ */

static void
add_invoice(Fixture *fx, const char *file, const char *number,
	    const char *total, const char *buyer, const char *seller)
{
	CoreDocument *d = add_doc(fx, file, "invoice", NULL);

	core_document_set_field(d, "number", number);
	core_document_set_field(d, "total", total);
	core_document_set_field(d, "buyer_name", buyer);
	core_document_set_field(d, "seller_name", seller);
}

static void
test_parties_pass(void)
{
	Fixture fx;

	fx_init(&fx, "4");
	add_invoice(&fx, "inv.pdf", "26452000000000000001", "60000.00",
		    "广西桂鑫机械制造 有限公司", PROV);
	core_document_set_field(g_ptr_array_index(fx.documents, 0),
				"buyer_credit_code", ENT_CODE);
	add_doc(&fx, "c.pdf", "contract", "party_a=" ENT, "party_b=" PROV,
		NULL);
	add_doc(&fx, "r.pdf", "payment_proof", "payer=" ENT, "payee=" PROV,
		NULL);
	assert_status(run_rule(&fx, "parties"), CHECKS_PASSED);
	fx_clear(&fx);
}

static void
test_parties_swapped(void)
{
	Fixture fx;
	const CoreFinding *f;

	fx_init(&fx, "4");
	add_invoice(&fx, "inv.pdf", "26452000000000000001", "60000.00", PROV,
		    ENT);
	assert_status(run_rule(&fx, "parties"), CHECKS_FAILED);
	/* both fields swapped on one invoice: one finding naming both */
	g_assert_cmpuint(fx.result->findings->len, ==, 1);
	f = finding(&fx, 0);
	g_assert_cmpstr(f->code, ==, "PARTY_MISMATCH");
	g_assert_nonnull(strstr(f->message, "颠倒"));
	g_assert_nonnull(strstr(f->message, ENT));
	g_assert_nonnull(strstr(f->message, PROV));
	fx_clear(&fx);
}

static void
test_parties_other_buyer(void)
{
	Fixture fx;
	const CoreFinding *f;
	CoreDocument *photo;

	fx_init(&fx, "4");
	add_invoice(&fx, "inv.pdf", "26452000000000000001", "60000.00",
		    "广西柳州精工机械制造有限公司", PROV);
	assert_status(run_rule(&fx, "parties"), CHECKS_FAILED);
	f = finding(&fx, 0);
	g_assert_cmpint(f->severity, ==, CORE_SEVERITY_ERROR);
	g_assert_nonnull(strstr(f->message, "发票购买方"));
	g_assert_nonnull(strstr(f->message, "广西柳州精工机械制造有限公司"));
	g_assert_nonnull(strstr(f->message, ENT));
	fx_clear(&fx);

	/* one character off on a photo: OCR may have misread it */
	fx_init(&fx, "4");
	add_invoice(&fx, "inv.jpg", "26452000000000000001", "60000.00",
		    "广西桂鑫机诫制造有限公司", PROV);
	photo = g_ptr_array_index(fx.documents, 0);
	photo->source = CORE_TEXT_OCR;
	run_rule(&fx, "parties");
	g_assert_cmpuint(n_findings(&fx, CORE_SEVERITY_ERROR), ==, 0);
	g_assert_cmpuint(n_findings(&fx, CORE_SEVERITY_WARNING), ==, 1);
	fx_clear(&fx);

	/* credit codes exactly */
	fx_init(&fx, "4");
	add_invoice(&fx, "inv.pdf", "26452000000000000001", "60000.00", ENT,
		    PROV);
	core_document_set_field(g_ptr_array_index(fx.documents, 0),
				"seller_credit_code", "91450100MA5N65433Y");
	assert_status(run_rule(&fx, "parties"), CHECKS_FAILED);
	g_assert_nonnull(strstr(finding(&fx, 0)->message, "统一社会信用代码"));
	fx_clear(&fx);
}

/* ---- amounts ------------------------------------------------------------ */

static void
test_amount_split(void)
{
	Fixture fx;

	fx_init(&fx, "4");
	add_invoice(&fx, "a.pdf", "26452000000000000001", "36000.00", ENT,
		    PROV);
	add_invoice(&fx, "b.pdf", "26452000000000000002", "24000.00", ENT,
		    PROV);
	assert_status(run_rule(&fx, "invoice_amount"), CHECKS_PASSED);
	fx_clear(&fx);
}

static void
test_amount_same_invoice_twice(void)
{
	Fixture fx;
	const ChecksOutcome *o;

	fx_init(&fx, "4");
	add_invoice(&fx, "inv.pdf", "26452000000000000001", "60000.00", ENT,
		    PROV);
	add_invoice(&fx, "inv.jpg", "26452000000000000001", "60000.00", ENT,
		    PROV);
	o = run_rule(&fx, "invoice_amount");
	assert_status(o, CHECKS_PASSED);
	g_assert_nonnull(strstr(o->note, "计一次"));
	fx_clear(&fx);
}

static void
test_amount_off(void)
{
	Fixture fx;
	const CoreFinding *f;

	fx_init(&fx, "4");
	add_invoice(&fx, "a.pdf", "26452000000000000001", "36000.00", ENT,
		    PROV);
	add_invoice(&fx, "b.pdf", "26452000000000000002", "23000.00", ENT,
		    PROV);
	assert_status(run_rule(&fx, "invoice_amount"), CHECKS_FAILED);
	f = finding(&fx, 0);
	g_assert_cmpstr(f->code, ==, "AMOUNT_MISMATCH");
	g_assert_cmpint(f->severity, ==, CORE_SEVERITY_ERROR);
	g_assert_nonnull(strstr(f->message, "59,000.00元"));
	g_assert_nonnull(strstr(f->message, "36,000.00元"));
	g_assert_nonnull(strstr(f->message, "23,000.00元"));
	g_assert_nonnull(strstr(f->message, "60,000.00元"));
	g_assert_cmpuint(f->documents->len, ==, 2);
	fx_clear(&fx);
}

static void
test_amount_payment_warning(void)
{
	Fixture fx;

	/* the enterprise paid the contract less the voucher: fine */
	fx_init(&fx, "4");
	add_invoice(&fx, "a.pdf", "26452000000000000001", "60000.00", ENT,
		    PROV);
	add_doc(&fx, "r.pdf", "payment_proof", "amount=30000.00", NULL);
	assert_status(run_rule(&fx, "invoice_amount"), CHECKS_PASSED);
	fx_clear(&fx);

	fx_init(&fx, "4");
	add_invoice(&fx, "a.pdf", "26452000000000000001", "60000.00", ENT,
		    PROV);
	add_doc(&fx, "r.pdf", "payment_proof", "amount=50000.00", NULL);
	run_rule(&fx, "invoice_amount");
	g_assert_cmpuint(n_findings(&fx, CORE_SEVERITY_ERROR), ==, 0);
	g_assert_cmpuint(n_findings(&fx, CORE_SEVERITY_WARNING), ==, 1);
	g_assert_cmpstr(finding(&fx, 0)->code, ==, "AMOUNT_MISMATCH");
	fx_clear(&fx);
}

static void
test_amount_not_checked(void)
{
	Fixture fx;

	fx_init(&fx, "4");
	g_clear_pointer(&fx.claim->contract_amount, g_free);
	add_invoice(&fx, "a.pdf", "26452000000000000001", "60000.00", ENT,
		    PROV);
	assert_status(run_rule(&fx, "invoice_amount"), CHECKS_NOT_CHECKED);
	fx_clear(&fx);

	fx_init(&fx, "4");
	assert_status(run_rule(&fx, "invoice_amount"), CHECKS_NOT_CHECKED);
	fx_clear(&fx);
}

/* ---- caps --------------------------------------------------------------- */

static ChecksStatus
cap_status(const char *direction, const char *rule, const char *amount,
	   const char *voucher)
{
	Fixture fx;
	ChecksStatus s;

	fx_init(&fx, direction);
	g_free(fx.claim->contract_amount);
	g_free(fx.claim->voucher_amount);
	fx.claim->contract_amount = g_strdup(amount);
	fx.claim->voucher_amount = g_strdup(voucher);
	s = run_rule(&fx, rule)->status;
	if (s == CHECKS_FAILED)
		g_assert_cmpstr(finding(&fx, 0)->code, ==, "SUBSIDY_OVER_CAP");
	fx_clear(&fx);
	return s;
}

static void
test_caps(void)
{
	/* diagnosis: 80 % and 10,000 yuan */
	g_assert_cmpint(
	    cap_status("1", "subsidy_cap_diagnosis", "12500.00", "10000.00"),
	    ==, CHECKS_PASSED);
	g_assert_cmpint(
	    cap_status("1", "subsidy_cap_diagnosis", "12500.00", "10000.01"),
	    ==, CHECKS_FAILED);
	g_assert_cmpint(
	    cap_status("2", "subsidy_cap_diagnosis", "10000.00", "8000.00"), ==,
	    CHECKS_PASSED);
	g_assert_cmpint(
	    cap_status("2", "subsidy_cap_diagnosis", "10000.00", "8000.01"), ==,
	    CHECKS_FAILED);
	g_assert_cmpint(
	    cap_status("1", "subsidy_cap_diagnosis", "99999.99", "10000.01"),
	    ==, CHECKS_FAILED);
	/* others: 50 % and 30,000 yuan */
	g_assert_cmpint(cap_status("4", "subsidy_cap", "60000.00", "30000.00"),
			==, CHECKS_PASSED);
	g_assert_cmpint(cap_status("4", "subsidy_cap", "60000.00", "30000.01"),
			==, CHECKS_FAILED);
	g_assert_cmpint(
	    cap_status("14.1", "subsidy_cap", "50000.00", "25000.01"), ==,
	    CHECKS_FAILED);
	g_assert_cmpint(cap_status("4", "subsidy_cap", "100000.00", "30000.01"),
			==, CHECKS_FAILED);
	g_assert_cmpint(
	    cap_status("4", "subsidy_cap_diagnosis", "100.00", "100.00"), ==,
	    CHECKS_NOT_APPLICABLE);
}

/* ---- seals -------------------------------------------------------------- */

static void
test_stamped(void)
{
	Fixture fx;
	CoreDocument *form;
	const ChecksOutcome *o;

	fx_init(&fx, "4");
	form = add_doc(&fx, "acc.pdf", "acceptance_form", NULL);
	form->stamped = 1;
	assert_status(run_rule(&fx, "stamped"), CHECKS_PASSED);
	form->stamped = 0;
	o = run_rule(&fx, "stamped");
	assert_status(o, CHECKS_FAILED);
	g_assert_cmpstr(finding(&fx, 0)->code, ==, "NOT_STAMPED");
	g_assert_nonnull(strstr(finding(&fx, 0)->message, "成果验收单"));
	g_assert_nonnull(strstr(finding(&fx, 0)->message, "acc.pdf#1"));
	form->stamped = -1;
	o = run_rule(&fx, "stamped");
	assert_status(o, CHECKS_NOT_CHECKED);
	g_assert_nonnull(strstr(o->note, "acc.pdf#1"));
	fx_clear(&fx);

	/* a mid-term report needs its seals in 3-8 only */
	fx_init(&fx, "4");
	add_doc(&fx, "mid.pdf", "midterm_report", NULL)->stamped = 0;
	assert_status(run_rule(&fx, "stamped"), CHECKS_FAILED);
	g_free(fx.claim->direction);
	fx.claim->direction = g_strdup("12");
	assert_status(run_rule(&fx, "stamped"), CHECKS_NOT_CHECKED);
	fx_clear(&fx);
}

static void
test_seal_owner(void)
{
	static const char *const provider_only[] = {PROV, NULL};
	static const char *const enterprise_misread[] = {
	    "广西桂鑫机械制造有限分司", NULL};
	static const char *const both[] = {ENT, PROV, NULL};
	static const char *const unread[] = {"", NULL};
	Fixture fx;
	const CoreFinding *f;

	fx_init(&fx, "4");
	add_doc(&fx, "acc.pdf", "acceptance_form", NULL)->stamped = 1;
	add_sealed_page(&fx, "acc.pdf", provider_only);
	assert_status(run_rule(&fx, "acceptance_seal"), CHECKS_FAILED);
	f = finding(&fx, 0);
	g_assert_cmpstr(f->code, ==, "PARTY_MISMATCH");
	g_assert_cmpint(f->severity, ==, CORE_SEVERITY_ERROR);
	g_assert_nonnull(strstr(f->message, PROV));
	g_assert_nonnull(strstr(f->message, ENT));
	fx_clear(&fx);

	/* near misses: the enterprise's seal one character misread, and
	 * both parties' seals on the form */
	fx_init(&fx, "4");
	add_doc(&fx, "acc.pdf", "acceptance_form", NULL)->stamped = 1;
	add_sealed_page(&fx, "acc.pdf", enterprise_misread);
	assert_status(run_rule(&fx, "acceptance_seal"), CHECKS_PASSED);
	fx_clear(&fx);
	fx_init(&fx, "4");
	add_doc(&fx, "acc.pdf", "acceptance_form", NULL)->stamped = 1;
	add_sealed_page(&fx, "acc.pdf", both);
	assert_status(run_rule(&fx, "acceptance_seal"), CHECKS_PASSED);
	fx_clear(&fx);

	/* a ring not read: not_checked, never passed */
	fx_init(&fx, "4");
	add_doc(&fx, "acc.pdf", "acceptance_form", NULL)->stamped = 1;
	add_sealed_page(&fx, "acc.pdf", unread);
	assert_status(run_rule(&fx, "acceptance_seal"), CHECKS_NOT_CHECKED);
	fx_clear(&fx);

	/* the mid-term report with the provider's seal alone */
	fx_init(&fx, "4");
	add_doc(&fx, "mid.pdf", "midterm_report", NULL)->stamped = 1;
	add_sealed_page(&fx, "mid.pdf", provider_only);
	assert_status(run_rule(&fx, "midterm_seals"), CHECKS_FAILED);
	f = finding(&fx, 0);
	g_assert_cmpstr(f->code, ==, "NOT_STAMPED");
	g_assert_cmpint(f->severity, ==, CORE_SEVERITY_WARNING);
	g_assert_nonnull(strstr(f->message, ENT));
	fx_clear(&fx);
	fx_init(&fx, "4");
	add_doc(&fx, "mid.pdf", "midterm_report", NULL)->stamped = 1;
	add_sealed_page(&fx, "mid.pdf", both);
	assert_status(run_rule(&fx, "midterm_seals"), CHECKS_PASSED);
	fx_clear(&fx);
}

/* ---- scope -------------------------------------------------------------- */

static void
test_trainees(void)
{
	Fixture fx;
	const ChecksOutcome *o;

	fx_init(&fx, "2");
	fx.claim->trainees = 10;
	assert_status(run_rule(&fx, "trainees"), CHECKS_PASSED);
	fx.claim->trainees = 11;
	o = run_rule(&fx, "trainees");
	assert_status(o, CHECKS_FAILED);
	g_assert_cmpstr(finding(&fx, 0)->code, ==, "OVER_LIMIT");
	g_assert_nonnull(strstr(finding(&fx, 0)->message, "11"));
	fx_clear(&fx);

	/* from the sign-in sheet when claim.json is silent */
	fx_init(&fx, "2");
	add_doc(&fx, "s.pdf", "sign_in_sheet", "trainees=11", NULL);
	assert_status(run_rule(&fx, "trainees"), CHECKS_FAILED);
	g_assert_nonnull(strstr(finding(&fx, 0)->message, "签到表"));
	fx_clear(&fx);

	fx_init(&fx, "2");
	assert_status(run_rule(&fx, "trainees"), CHECKS_NOT_CHECKED);
	fx_clear(&fx);
}

/* An invoice in FILE whose page 1 lists ITEMS ("*类别*名称" lines). */
static void
add_invoice_items(Fixture *fx, const char *file, const char *items)
{
	CorePage *p = core_page_new(file, 1);
	char *text = g_strdup_printf(
	    "电子发票（增值税专用发票）\n项目名称 单位 数量 金额\n%s\n"
	    "价税合计（大写）陆万圆整",
	    items);

	add_doc(fx, file, "invoice", NULL);
	core_page_set_text(p, text, CORE_TEXT_PDF, 1.0);
	g_ptr_array_add(fx->pages, p);
	g_free(text);
}

static void
test_excluded(void)
{
	Fixture fx;
	const CoreFinding *f;

	fx_init(&fx, "4");
	add_invoice_items(&fx, "inv.pdf",
			  "*经纪代理服务*专利代理服务 项 1 6000");
	assert_status(run_rule(&fx, "excluded_service"), CHECKS_FAILED);
	f = finding(&fx, 0);
	g_assert_cmpstr(f->code, ==, "EXCLUDED_SERVICE");
	g_assert_nonnull(strstr(f->message, "专利代理"));
	fx_clear(&fx);

	/* the second item line counts as much as the first */
	fx_init(&fx, "4");
	add_invoice_items(&fx, "inv.pdf",
			  "*信息技术服务*软件开发服务 项 1 50000\n"
			  "*经纪代理服务*专利代理服务 项 1 10000");
	assert_status(run_rule(&fx, "excluded_service"), CHECKS_FAILED);
	g_assert_cmpuint(fx.result->findings->len, ==, 1);
	fx_clear(&fx);

	/* system O&M in 3-8; equipment maintenance stays in scope */
	fx_init(&fx, "4");
	add_invoice_items(&fx, "inv.pdf",
			  "*信息技术服务*信息系统运行维护服务 项 1 60000");
	assert_status(run_rule(&fx, "excluded_service"), CHECKS_FAILED);
	fx_clear(&fx);
	fx_init(&fx, "5");
	g_free(fx.claim->product_name);
	fx.claim->product_name = g_strdup("设备智能运维平台");
	add_invoice_items(&fx, "inv.pdf", "*现代服务*设备运维服务 项 1 60000");
	assert_status(run_rule(&fx, "excluded_service"), CHECKS_PASSED);
	fx_clear(&fx);

	/* the contract's cover line, value on the next line (a text layer) */
	fx_init(&fx, "4");
	add_doc(&fx, "c.pdf", "contract", NULL);
	{
		CorePage *p = core_page_new("c.pdf", 1);

		core_page_set_text(
		    p,
		    "技术服务合同\n项目名称：\n"
		    "ERP系统运维服务项目\n委托方（甲方）："
		    "广西某公司\n第五条 乙方提供一年免费运维服务",
		    CORE_TEXT_PDF, 1.0);
		g_ptr_array_add(fx.pages, p);
	}
	assert_status(run_rule(&fx, "excluded_service"), CHECKS_FAILED);
	g_assert_cmpuint(fx.result->findings->len, ==, 1);
	g_assert_nonnull(
	    strstr(finding(&fx, 0)->message, "ERP系统运维服务项目"));
	fx_clear(&fx);

	/* 9 and 11: consulting alone is a warning, a certificate clears it */
	fx_init(&fx, "11");
	add_doc(&fx, "inv.pdf", "invoice", "item=管理咨询服务", NULL);
	run_rule(&fx, "excluded_service");
	g_assert_cmpuint(n_findings(&fx, CORE_SEVERITY_ERROR), ==, 0);
	g_assert_cmpuint(n_findings(&fx, CORE_SEVERITY_WARNING), ==, 1);
	add_doc(&fx, "iso.pdf", "management_system_cert", NULL);
	assert_status(run_rule(&fx, "excluded_service"), CHECKS_PASSED);
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
	g_test_add_func("/checks/names/near_misses", test_name_near_misses);
	g_test_add_func("/checks/names/word_added", test_name_word_added);
	g_test_add_func("/checks/names/ocr_noise", test_name_ocr_noise);
	g_test_add_func("/checks/names/not_checked", test_name_not_checked);
	g_test_add_func("/checks/parties/pass", test_parties_pass);
	g_test_add_func("/checks/parties/swapped", test_parties_swapped);
	g_test_add_func("/checks/parties/other_buyer",
			test_parties_other_buyer);
	g_test_add_func("/checks/amounts/split", test_amount_split);
	g_test_add_func("/checks/amounts/same_invoice_twice",
			test_amount_same_invoice_twice);
	g_test_add_func("/checks/amounts/off", test_amount_off);
	g_test_add_func("/checks/amounts/payment_warning",
			test_amount_payment_warning);
	g_test_add_func("/checks/amounts/not_checked", test_amount_not_checked);
	g_test_add_func("/checks/caps", test_caps);
	g_test_add_func("/checks/seals/stamped", test_stamped);
	g_test_add_func("/checks/seals/owner", test_seal_owner);
	g_test_add_func("/checks/scope/trainees", test_trainees);
	g_test_add_func("/checks/scope/excluded", test_excluded);
	rc = g_test_run();
	checks_policy_free(policy);
	return rc;
}
