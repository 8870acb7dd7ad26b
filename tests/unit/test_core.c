/* test_core.c - the shared vocabulary: text normalisation (what every rule
 * matches against) and claim.json parsing. */
#include <string.h>

#include "core/core.h"

static void
check_norm(const char *in, const char *want)
{
	char *got = core_text_normalize(in);

	g_assert_cmpstr(got, ==, want);
	g_free(got);
}

static void
test_normalize_width(void)
{
	/* Full-width digits, colon and parentheses from OCR or Word. */
	check_norm("发票号码：２６４５２０００", "发票号码:26452000");
	check_norm("（小写）￥６０，０００．００", "(小写)¥60,000.00");
}

static void
test_normalize_punctuation(void)
{
	check_norm("2025-06-01—2026-01-10", "2025-06-01-2026-01-10");
	check_norm("桂工信企业〔2026〕92号", "桂工信企业[2026]92号");
	check_norm("【系统名称】“智能质检”", "[系统名称]\"智能质检\"");
	check_norm("张三・李四", "张三·李四");
}

static void
test_normalize_spaces(void)
{
	/* Tesseract spaces out CJK; the words must join again. */
	check_norm("发 票  号 码 : 123", "发票号码 : 123");
	check_norm("软件名称 智能 质检 平台 V1.0", "软件名称智能质检平台 V1.0");
	check_norm("a\t\tb  c", "a b c");
	/* Lines stay: titles are found by line. */
	check_norm("标题 \n  正文", "标题\n正文");
}

static void
test_normalize_invalid_utf8(void)
{
	char *got = core_text_normalize("ok\xff\xfe end");

	g_assert_true(g_utf8_validate(got, -1, NULL));
	g_assert_true(g_str_has_prefix(got, "ok"));
	g_free(got);
}

static void
test_claim_parse(void)
{
	const char *json =
	    "{\"claim_id\": \"GXFWQ-2026-000123\", \"direction\": 4,"
	    " \"scene\": 14.1, \"delivery\": \"self\","
	    " \"enterprise\": {\"name\": \"广西某某机械有限公司\"},"
	    " \"contract\": {\"signed_on\": \"2025-06-01\","
	    " \"amount\": 60000, \"voucher_amount\": \"30,000\"},"
	    " \"trainees\": 8, \"unknown_key\": [1]}";
	GError *error = NULL;
	CoreClaim *c =
	    core_claim_parse(json, strlen(json), "claim.json", &error);

	g_assert_no_error(error);
	g_assert_cmpstr(c->claim_id, ==, "GXFWQ-2026-000123");
	g_assert_cmpstr(c->direction, ==, "4");
	g_assert_cmpstr(c->scene, ==, "14.1");
	g_assert_cmpstr(c->enterprise.name, ==, "广西某某机械有限公司");
	g_assert_null(c->enterprise.credit_code);
	g_assert_null(c->provider.name);
	g_assert_cmpstr(c->contract_amount, ==, "60000.00");
	g_assert_cmpstr(c->voucher_amount, ==, "30000.00");
	g_assert_cmpint(c->trainees, ==, 8);
	core_claim_free(c);
}

static void
test_claim_errors(void)
{
	const char *bad[] = {"{\"direction\": [4]}",
			     "[1, 2]",
			     "{nope",
			     "{\"enterprise\": \"x\"}",
			     "{\"trainees\": -3}",
			     "{\"contract\": {\"amount\": \"六万\"}}"};
	const char *key[] = {"direction",  "object",   "JSON",
			     "enterprise", "trainees", "amount"};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		GError *error = NULL;
		CoreClaim *c = core_claim_parse(bad[i], strlen(bad[i]),
						"claim.json", &error);

		g_assert_null(c);
		g_assert_error(error, CORE_ERROR, CORE_ERROR_FORMAT);
		g_assert_nonnull(strstr(error->message, key[i]));
		g_assert_nonnull(strstr(error->message, "claim.json"));
		g_clear_error(&error);
	}
}

static void
test_document_fields(void)
{
	CoreDocument *d = core_document_new("发票/inv.pdf", "invoice");
	char *ref;

	core_document_add_page(d, 2);
	core_document_set_field(d, "total", "1.00");
	core_document_set_field(d, "number", "1");
	core_document_set_field(d, "total", "60000.00");
	g_assert_cmpstr(core_document_get_field(d, "total"), ==, "60000.00");
	/* Insertion order is the report's order; a replace keeps its place. */
	g_assert_cmpuint(d->field_order->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(d->field_order, 0), ==, "total");
	ref = core_document_ref(d);
	g_assert_cmpstr(ref, ==, "发票/inv.pdf#2");
	g_free(ref);
	core_document_free(d);
}

/* A seal in the top-left corner of a page photographed sideways: once the
 * page is turned upright, the box must still cover the same ink. */
static void
test_box_rotate(void)
{
	CoreBox b = {0.1, 0.2, 0.3, 0.1};
	CoreBox r = b;

	core_box_rotate(&r, 90);
	/* Turning clockwise takes the left edge to the top. */
	g_assert_cmpfloat_with_epsilon(r.x, 0.7, 1e-9);
	g_assert_cmpfloat_with_epsilon(r.y, 0.1, 1e-9);
	g_assert_cmpfloat_with_epsilon(r.w, 0.1, 1e-9);
	g_assert_cmpfloat_with_epsilon(r.h, 0.3, 1e-9);
	core_box_rotate(&r, 270);
	g_assert_cmpfloat_with_epsilon(r.x, b.x, 1e-9);
	g_assert_cmpfloat_with_epsilon(r.y, b.y, 1e-9);
	core_box_rotate(&r, 180);
	core_box_rotate(&r, 180);
	g_assert_cmpfloat_with_epsilon(r.x, b.x, 1e-9);
	g_assert_cmpfloat_with_epsilon(r.w, b.w, 1e-9);
	r = b;
	core_box_rotate(&r, 180);
	g_assert_cmpfloat_with_epsilon(r.x, 0.6, 1e-9);
	g_assert_cmpfloat_with_epsilon(r.y, 0.7, 1e-9);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/core/normalize/width", test_normalize_width);
	g_test_add_func("/core/normalize/spaces", test_normalize_spaces);
	g_test_add_func("/core/normalize/punctuation",
			test_normalize_punctuation);
	g_test_add_func("/core/normalize/invalid-utf8",
			test_normalize_invalid_utf8);
	g_test_add_func("/core/claim/parse", test_claim_parse);
	g_test_add_func("/core/claim/errors", test_claim_errors);
	g_test_add_func("/core/document/fields", test_document_fields);
	g_test_add_func("/core/box/rotate", test_box_rotate);
	return g_test_run();
}
