/* test_qr.c - the invoice's QR code as a second reading: its payload
 * parsed (classify/qr.c), decoded from invoices the fixture generator
 * draws as a text PDF, a scan and a sideways phone photo (ingest/qr.c),
 * and checked against the fields read from the print. */
#include <string.h>

#include <glib/gstdio.h>

#include "classify/classify.h"
#include "ingest/ingest.h"

#ifndef EVIDCHECK_RULES_DIR
#define EVIDCHECK_RULES_DIR "rules"
#endif

static ClassifyRules *rules; /* the shipped 2026 rules, loaded once */

#define NUMBER	"26452000000012345678"
#define PAYLOAD "01,32,," NUMBER ",56603.77,20260310,,A1B2"

/* ---- parsing ----------------------------------------------------------- */

static void
test_parse_qdian(void)
{
	ClassifyInvoiceQr qr;

	g_assert_true(classify_invoice_qr_parse(PAYLOAD, &qr));
	g_assert_cmpstr(qr.type, ==, "32");
	g_assert_cmpstr(qr.code, ==, "");
	g_assert_cmpstr(qr.number, ==, NUMBER);
	g_assert_cmpstr(qr.amount, ==, "56603.77");
	g_assert_cmpstr(qr.date, ==, "2026-03-10");
	g_assert_cmpstr(qr.check_code, ==, "");
}

static void
test_parse_code_number(void)
{
	ClassifyInvoiceQr qr;

	g_assert_true(classify_invoice_qr_parse(
	    "01,04,4500201130,12345678,1000.00,20250105,"
	    "12345678901234567890,ABCD",
	    &qr));
	g_assert_cmpstr(qr.type, ==, "04");
	g_assert_cmpstr(qr.code, ==, "4500201130");
	g_assert_cmpstr(qr.number, ==, "12345678");
	g_assert_cmpstr(qr.amount, ==, "1000.00");
	g_assert_cmpstr(qr.date, ==, "2025-01-05");
	g_assert_cmpstr(qr.check_code, ==, "12345678901234567890");
	/* A 12-digit code, the tax bureau's trailing comma, one decimal. */
	g_assert_true(classify_invoice_qr_parse(
	    "01,10,011001605111,80100798,64.9,20161018,"
	    "85342965681116380258,",
	    &qr));
	g_assert_cmpstr(qr.code, ==, "011001605111");
	g_assert_cmpstr(qr.amount, ==, "64.90");
}

/* The shapes met in the wild: no check code (专票), no tail, spaces,
 * full-width commas, whole yuan, a red-letter (negative) amount. */
static void
test_parse_variants(void)
{
	ClassifyInvoiceQr qr;

	g_assert_true(classify_invoice_qr_parse(
	    "01,01,1200154130,03630024,94339.62,20160621,,9335,", &qr));
	g_assert_cmpstr(qr.check_code, ==, "");
	g_assert_cmpstr(qr.amount, ==, "94339.62");
	g_assert_true(
	    classify_invoice_qr_parse("01,32,," NUMBER ",100,20260101", &qr));
	g_assert_cmpstr(qr.amount, ==, "100.00");
	g_assert_true(classify_invoice_qr_parse(
	    " 01 , 31 ,, " NUMBER " , 100.5 , 20260101 ,\n", &qr));
	g_assert_cmpstr(qr.number, ==, NUMBER);
	g_assert_cmpstr(qr.amount, ==, "100.50");
	g_assert_true(classify_invoice_qr_parse(
	    "01，32，，" NUMBER "，56603.77，20260310，，A1B2", &qr));
	g_assert_cmpstr(qr.date, ==, "2026-03-10");
	g_assert_true(classify_invoice_qr_parse(
	    "01,32,," NUMBER ",-100.00,20260101,,X", &qr));
	g_assert_cmpstr(qr.amount, ==, "-100.00");
	/* A strange check code is dropped, the rest kept. */
	g_assert_true(classify_invoice_qr_parse(
	    "01,32,," NUMBER ",1.00,20260101,校验码?,X", &qr));
	g_assert_cmpstr(qr.check_code, ==, "");
}

static void
test_parse_malformed(void)
{
	static const char *const bad[] = {
	    "",
	    "01",
	    "https://inv-veri.chinatax.gov.cn/?fpdm=4500201130",
	    "01,32,," NUMBER ",56603.77",		     /* no date */
	    "01,32,,2645200000001234567,1.00,20260310",	     /* 19 digits */
	    "01,04,,12345678,1.00,20260310",		     /* no code */
	    "01,04,45002011301,12345678,1.00,20260310",	     /* 11 digits */
	    "01,32,4500201130," NUMBER "x,1.00,20260310",    /* letter */
	    "01,32,," NUMBER ",1.00,20260230",		     /* Feb 30 */
	    "01,32,," NUMBER ",1.00,18991231",		     /* year */
	    "01,32,," NUMBER ",1.00,2026-03-10",	     /* dashes */
	    "01,32,," NUMBER ",1.234,20260310",		     /* 3 decimals */
	    "01,32,," NUMBER ",12a.00,20260310",	     /* not money */
	    "01,32,," NUMBER ",,20260310",		     /* no amount */
	    "01,32,," NUMBER ",.5,20260310",		     /* no yuan */
	    "01,32,," NUMBER ",1,000.00,20260310",	     /* grouped */
	    "01,3,," NUMBER ",1.00,20260310",		     /* type */
	    "v1,32,," NUMBER ",1.00,20260310",		     /* version */
	    "01,32,," NUMBER ",1.00,20260310,,A,,,,,,,,,,,", /* fields */
	};
	ClassifyInvoiceQr qr;

	g_assert_false(classify_invoice_qr_parse(NULL, &qr));
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_test_message("payload %s", bad[i]);
		memset(&qr, 'x', sizeof qr);
		g_assert_false(classify_invoice_qr_parse(bad[i], &qr));
		/* Nothing half-read is left behind. */
		g_assert_cmpstr(qr.number, ==, "");
		g_assert_cmpstr(qr.amount, ==, "");
	}
}

static void
test_parse_hostile(void)
{
	ClassifyInvoiceQr qr;
	GString *s = g_string_new(PAYLOAD);
	char bytes[] = "01,32,," NUMBER ",1.00,20260310,,A1B2";

	/* Very long: a valid start with megabytes after it. */
	for (int i = 0; i < 100000; i++)
		g_string_append(s, "9,");
	g_assert_false(classify_invoice_qr_parse(s->str, &qr));
	g_string_truncate(s, 0);
	for (int i = 0; i < 100000; i++)
		g_string_append_c(s, ',');
	g_assert_false(classify_invoice_qr_parse(s->str, &qr));
	g_string_free(s, TRUE);
	/* Not UTF-8: a binary QR code. */
	bytes[8] = (char)0xff;
	g_assert_false(classify_invoice_qr_parse(bytes, &qr));
	g_assert_false(classify_invoice_qr_parse("\xe5\x8f", &qr));
	/* Digits that are not ASCII (full-width) are not digits here. */
	g_assert_false(classify_invoice_qr_parse(
	    "01,32,,２６４５２０００００００１２３４５６７８,1.00,20260310",
	    &qr));
}

/* ---- decoding ---------------------------------------------------------- */

/* Draw an invoice with the fixture generator into DIR as NAME. */
static char *
draw_invoice(const char *dir, const char *name, const char *format,
	     const char *const *extra)
{
	char *path = g_build_filename(dir, name, NULL);
	GPtrArray *argv = g_ptr_array_new();
	GError *error = NULL;
	int status = -1;

	g_ptr_array_add(argv, (char *)EVIDCHECK_FIXTURES);
	g_ptr_array_add(argv, (char *)"doc");
	g_ptr_array_add(argv, (char *)"invoice");
	g_ptr_array_add(argv, (char *)format);
	g_ptr_array_add(argv, path);
	g_ptr_array_add(argv, (char *)"invoice_number=" NUMBER);
	g_ptr_array_add(argv, (char *)"invoice_date=2026-03-10");
	g_ptr_array_add(argv, (char *)"total=60000.00");
	for (; extra != NULL && *extra != NULL; extra++)
		g_ptr_array_add(argv, (char *)*extra);
	g_ptr_array_add(argv, NULL);
	g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL,
				   G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
				   NULL, &status, &error));
	g_assert_no_error(error);
	g_assert_cmpint(status, ==, 0);
	g_ptr_array_unref(argv);
	return path;
}

static GPtrArray *
codes_at(const char *path, int dpi)
{
	IngestFile *file = ingest_file_read(path, "invoice");
	GPtrArray *codes = g_ptr_array_new_with_free_func(g_free);
	GError *error = NULL;
	IngestImage *image;

	g_assert_null(file->error);
	image = ingest_page_render_at(file, 1, dpi, &error);
	g_assert_no_error(error);
	g_assert_cmpint(ingest_image_find_codes(image, codes), ==,
			(int)codes->len);
	ingest_image_free(image);
	ingest_file_free(file);
	return codes;
}

/* The generated invoice's code holds what its print says: number, amount
 * before tax (60000.00 at 6 %), date. */
static void
assert_invoice_code(GPtrArray *codes)
{
	ClassifyInvoiceQr qr;

	g_assert_cmpuint(codes->len, ==, 1);
	g_assert_true(
	    classify_invoice_qr_parse(g_ptr_array_index(codes, 0), &qr));
	g_assert_cmpstr(qr.number, ==, NUMBER);
	g_assert_cmpstr(qr.amount, ==, "56603.77");
	g_assert_cmpstr(qr.date, ==, "2026-03-10");
}

static void
test_decode_invoices(void)
{
	static const char *const phone[] = {"look=phone", "rotate=90",
					    "skew=-2", NULL};
	char *dir = g_dir_make_tmp("test_qr_XXXXXX", NULL);
	char *pdf = draw_invoice(dir, "inv.pdf", "pdf", NULL);
	char *scan = draw_invoice(dir, "scan.pdf", "scan_pdf", NULL);
	char *photo = draw_invoice(dir, "photo.jpg", "jpg", phone);
	GPtrArray *codes;

	/* The OCR render, and the invoice's seal render. */
	codes = codes_at(pdf, INGEST_RENDER_DPI);
	assert_invoice_code(codes);
	g_ptr_array_unref(codes);
	codes = codes_at(pdf, 150);
	assert_invoice_code(codes);
	g_ptr_array_unref(codes);
	/* The plain seal render is too coarse: why invoices get more. */
	codes = codes_at(pdf, INGEST_SEAL_DPI);
	g_assert_cmpuint(codes->len, ==, 0);
	g_ptr_array_unref(codes);
	codes = codes_at(scan, INGEST_RENDER_DPI);
	assert_invoice_code(codes);
	g_ptr_array_unref(codes);
	codes = codes_at(photo, INGEST_RENDER_DPI);
	assert_invoice_code(codes);
	g_ptr_array_unref(codes);
	g_unlink(pdf);
	g_unlink(scan);
	g_unlink(photo);
	g_rmdir(dir);
	g_free(pdf);
	g_free(scan);
	g_free(photo);
	g_free(dir);
}

/* Grey images decode like RGB ones; blank and tiny ones give nothing. */
static void
test_decode_grey_and_blank(void)
{
	char *dir = g_dir_make_tmp("test_qr_XXXXXX", NULL);
	char *pdf = draw_invoice(dir, "inv.pdf", "pdf", NULL);
	IngestFile *file = ingest_file_read(pdf, "inv.pdf");
	IngestImage *rgb = ingest_page_render_at(file, 1, 200, NULL);
	IngestImage grey = {rgb->width, rgb->height, 1,
			    rgb->width, rgb->dpi,    NULL};
	GPtrArray *codes = g_ptr_array_new_with_free_func(g_free);
	guint8 dot = 255;
	IngestImage tiny = {1, 1, 1, 1, 300, &dot};

	grey.pixels = g_malloc((gsize)rgb->width * rgb->height);
	for (int y = 0; y < rgb->height; y++)
		for (int x = 0; x < rgb->width; x++)
			grey.pixels[y * rgb->width + x] =
			    rgb->pixels[y * rgb->stride + x * 3 + 1];
	ingest_image_find_codes(&grey, codes);
	assert_invoice_code(codes);
	g_ptr_array_set_size(codes, 0);
	memset(grey.pixels, 255, (gsize)rgb->width * rgb->height);
	g_assert_cmpint(ingest_image_find_codes(&grey, codes), ==, 0);
	g_assert_cmpint(ingest_image_find_codes(&tiny, codes), ==, 0);
	g_assert_cmpuint(codes->len, ==, 0);
	g_free(grey.pixels);
	g_ptr_array_unref(codes);
	ingest_image_free(rgb);
	ingest_file_free(file);
	g_unlink(pdf);
	g_rmdir(dir);
	g_free(pdf);
	g_free(dir);
}

/* ---- cross-check ------------------------------------------------------- */

#define INVOICE_TEXT                                                           \
	"电子发票（普通发票）\n"                                     \
	"发票号码：%s\n"                                                  \
	"开票日期：%s\n"                                                  \
	"购买方信息 名称：广西桂鑫机械制造有限公司\n"      \
	"销售方信息 名称：南宁智联科技有限公司\n"            \
	"纳税人识别号：91450100MA5N65432Y\n"                            \
	"合 计 ¥56603.77 ¥3396.23\n"                                       \
	"税率 6%% 税额 3396.23\n"                                          \
	"价税合计（大写）陆万圆整（小写）¥60000.00\n"         \
	"开票人：张三\n"

/* An OCR'd invoice page reading NUMBER and DATE, carrying CODES. */
static GPtrArray *
invoice_pages(const char *number, const char *date, const char *const *codes)
{
	GPtrArray *pages = core_ptr_array_new(core_page_free);
	CorePage *p = core_page_new("发票.jpg", 1);
	char *text = g_strdup_printf(INVOICE_TEXT, number, date);
	char *norm = core_text_normalize(text);

	core_page_set_text(p, norm, CORE_TEXT_OCR, 0.8);
	for (; codes != NULL && *codes != NULL; codes++)
		g_ptr_array_add(p->codes, g_strdup(*codes));
	classify_page(rules, p, TRUE);
	g_assert_cmpstr(p->type, ==, "invoice");
	g_ptr_array_add(pages, p);
	g_free(text);
	g_free(norm);
	return pages;
}

static CoreDocument *
only_document(GPtrArray *docs)
{
	g_assert_cmpuint(docs->len, ==, 1);
	return g_ptr_array_index(docs, 0);
}

static void
test_check_misread(void)
{
	static const char *const codes[] = {"https://example.org/x", PAYLOAD,
					    NULL};
	GPtrArray *pages =
	    invoice_pages("26452000000012345679", "2026年03月10日", codes);
	GPtrArray *docs = classify_documents(rules, pages);
	CoreDocument *doc = only_document(docs);

	g_assert_cmpstr(core_document_get_field(doc, "number"), ==, NUMBER);
	g_assert_cmpstr(core_document_get_field(doc, "qr_number"), ==, NUMBER);
	g_assert_cmpstr(core_document_get_field(doc, "qr_amount"), ==,
			"56603.77");
	g_assert_cmpstr(core_document_get_field(doc, "qr_date"), ==,
			"2026-03-10");
	g_assert_null(core_document_get_field(doc, "qr_code"));
	/* 价税合计 is not what the QR code holds: left alone. */
	g_assert_cmpstr(core_document_get_field(doc, "total"), ==, "60000.00");
	g_assert_cmpuint(doc->notes->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(doc->notes, 0), ==,
			"发票号码按二维码更正：识别为 26452000000012345679，"
			"二维码为 " NUMBER);
	/* Checking again (after a late seal search) changes nothing. */
	classify_documents_update_codes(rules, docs, pages);
	g_assert_cmpuint(doc->notes->len, ==, 1);
	g_ptr_array_unref(docs);
	g_ptr_array_unref(pages);
}

static void
test_check_agrees(void)
{
	static const char *const codes[] = {PAYLOAD, NULL};
	GPtrArray *pages = invoice_pages(NUMBER, "2026年03月10日", codes);
	GPtrArray *docs = classify_documents(rules, pages);
	CoreDocument *doc = only_document(docs);

	g_assert_cmpstr(core_document_get_field(doc, "number"), ==, NUMBER);
	g_assert_cmpstr(core_document_get_field(doc, "date"), ==, "2026-03-10");
	g_assert_cmpstr(core_document_get_field(doc, "qr_number"), ==, NUMBER);
	g_assert_cmpuint(doc->notes->len, ==, 0);
	g_ptr_array_unref(docs);
	g_ptr_array_unref(pages);
}

/* A date OCR could not read at all is taken from the code, with a note;
 * a page without a code, or with no invoice payload, is left as read. */
static void
test_check_missing_and_none(void)
{
	static const char *const codes[] = {PAYLOAD, NULL};
	static const char *const junk[] = {"01,32,,123,1.00,20260310", NULL};
	GPtrArray *pages = invoice_pages(NUMBER, "见附件", codes);
	GPtrArray *docs = classify_documents(rules, pages);
	CoreDocument *doc = only_document(docs);

	g_assert_cmpstr(core_document_get_field(doc, "date"), ==, "2026-03-10");
	g_assert_cmpuint(doc->notes->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(doc->notes, 0), ==,
			"开票日期未识别，取自二维码：2026-03-10");
	g_ptr_array_unref(docs);
	g_ptr_array_unref(pages);

	pages = invoice_pages("26452000000012345679", "2026年03月10日", junk);
	docs = classify_documents(rules, pages);
	doc = only_document(docs);
	g_assert_cmpstr(core_document_get_field(doc, "number"), ==,
			"26452000000012345679");
	g_assert_null(core_document_get_field(doc, "qr_number"));
	g_assert_cmpuint(doc->notes->len, ==, 0);
	g_ptr_array_unref(docs);
	g_ptr_array_unref(pages);
}

/* The 合计 row's amount before tax is what the code holds: a misread one
 * is corrected with a note naming both; a right one is left alone. */
static void
test_check_net(void)
{
	static const char *const codes[] = {PAYLOAD, NULL};
	GPtrArray *pages = invoice_pages(NUMBER, "2026年03月10日", codes);
	CorePage *p = g_ptr_array_index(pages, 0);
	GPtrArray *docs = classify_documents(rules, pages);
	CoreDocument *doc = only_document(docs);
	GString *misread = g_string_new(p->text);
	const char *note;

	g_assert_cmpstr(core_document_get_field(doc, "net"), ==, "56603.77");
	g_assert_cmpstr(core_document_get_field(doc, "total"), ==, "60000.00");
	g_assert_cmpuint(doc->notes->len, ==, 0);
	g_ptr_array_unref(docs);

	g_string_replace(misread, "56603.77", "56608.77", 1);
	core_page_set_text(p, misread->str, CORE_TEXT_OCR, 0.8);
	docs = classify_documents(rules, pages);
	doc = only_document(docs);
	g_assert_cmpstr(core_document_get_field(doc, "net"), ==, "56603.77");
	g_assert_cmpuint(doc->notes->len, ==, 1);
	note = g_ptr_array_index(doc->notes, 0);
	g_assert_nonnull(strstr(note, "56608.77"));
	g_assert_nonnull(strstr(note, "56603.77"));
	g_string_free(misread, TRUE);
	g_ptr_array_unref(docs);
	g_ptr_array_unref(pages);
}

/* The code and number of an old invoice are both checked. */
static void
test_check_code_number(void)
{
	static const char *const codes[] = {
	    "01,04,4500201130,12345678,1000.00,20250105,"
	    "12345678901234567890,ABCD",
	    NULL};
	GPtrArray *pages = invoice_pages("12345670", "2025年01月05日", codes);
	GPtrArray *docs = classify_documents(rules, pages);
	CoreDocument *doc = only_document(docs);

	g_assert_cmpstr(core_document_get_field(doc, "number"), ==, "12345678");
	g_assert_cmpstr(core_document_get_field(doc, "code"), ==, "4500201130");
	g_assert_cmpstr(core_document_get_field(doc, "qr_code"), ==,
			"4500201130");
	g_assert_cmpstr(core_document_get_field(doc, "qr_check_code"), ==,
			"12345678901234567890");
	g_ptr_array_unref(docs);
	g_ptr_array_unref(pages);
}

static void
test_rules_flag(void)
{
	g_assert_true(classify_type_has_codes(rules, "invoice"));
	g_assert_false(classify_type_has_codes(rules, "contract"));
	g_assert_false(classify_type_has_codes(rules, "no_such_type"));
	g_assert_false(classify_type_has_codes(rules, NULL));
}

int
main(int argc, char **argv)
{
	char *path =
	    g_build_filename(EVIDCHECK_RULES_DIR, "2026", "types.ini", NULL);
	GError *error = NULL;
	int status;

	g_test_init(&argc, &argv, NULL);
	rules = classify_rules_load(path, &error);
	g_assert_no_error(error);
	g_test_add_func("/qr/parse/qdian", test_parse_qdian);
	g_test_add_func("/qr/parse/code-number", test_parse_code_number);
	g_test_add_func("/qr/parse/variants", test_parse_variants);
	g_test_add_func("/qr/parse/malformed", test_parse_malformed);
	g_test_add_func("/qr/parse/hostile", test_parse_hostile);
	g_test_add_func("/qr/decode/invoices", test_decode_invoices);
	g_test_add_func("/qr/decode/grey-and-blank",
			test_decode_grey_and_blank);
	g_test_add_func("/qr/check/misread", test_check_misread);
	g_test_add_func("/qr/check/agrees", test_check_agrees);
	g_test_add_func("/qr/check/missing-and-none",
			test_check_missing_and_none);
	g_test_add_func("/qr/check/net", test_check_net);
	g_test_add_func("/qr/check/code-number", test_check_code_number);
	g_test_add_func("/qr/rules/flag", test_rules_flag);
	status = g_test_run();
	classify_rules_free(rules);
	g_free(path);
	return status;
}
