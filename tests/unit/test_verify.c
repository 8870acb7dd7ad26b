/* test_verify.c - the second reading of text-layer key fields: values of
 * each kind normalised alike on both sides, the layer's words that hold
 * a value found, a reading judged against the layer (a misread is never
 * a disagreement), the rules' verify key, the cache, and a crop drawn
 * from a PDF and read as one line. */
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib/gstdio.h>

#include "classify/classify.h"
#include "ocr/ocr.h"
#include "scan/verify.h"
#include "store/store.h"

static void
assert_norm(const char *kind, const char *raw, const char *want)
{
	char *got = scan_verify_normalize(kind, raw);

	g_assert_cmpstr(got, ==, want);
	g_free(got);
}

static void
test_normalize(void)
{
	assert_norm("amount", "¥60,000.00", "60000.00");
	assert_norm("amount", "Y6O000.00", "60000.00");
	assert_norm("date", "2026年04月25日", "2026-04-25");
	assert_norm("date", "2026 年 4 月 25 日", "2026-04-25");
	/* The 日 lost at the crop's edge, a cell border read as ]. */
	assert_norm("date", "2025年6月1", "2025-06-01");
	assert_norm("date", "2026年01]月21日", "2026-01-21");
	assert_norm("digits", "2645 2O00 0000 3333 66l6",
		    "26452000000033336616");
	assert_norm("digits", "2645A", NULL);
	assert_norm("code", "ht-2025 -018", "HT-2025-018");
	assert_norm("capital", "陆万圆整", "60000.00");
	assert_norm("text", "南宁 智联科技有限公司", "南宁智联科技有限公司");
	assert_norm("amount", NULL, NULL);
	assert_norm(NULL, "1", NULL);
}

/* A line of words as a text layer gives them, left to right at Y. */
static void
add_word(GArray *words, const char *text, double x, double y, double w)
{
	CoreWord word = {g_strdup(text), {x, y, w, 0.012}, 1.0};

	g_array_append_val(words, word);
}

static GArray *
invoice_words(void)
{
	GArray *words = core_words_new();

	add_word(words, "开票日期：", 0.70, 0.10, 0.08);
	add_word(words, "2026", 0.79, 0.10, 0.03);
	add_word(words, "年", 0.82, 0.10, 0.01);
	add_word(words, "04", 0.83, 0.10, 0.02);
	add_word(words, "月", 0.85, 0.10, 0.01);
	add_word(words, "25", 0.86, 0.10, 0.02);
	add_word(words, "日", 0.88, 0.10, 0.01);
	add_word(words, "价税合计", 0.05, 0.60, 0.08);
	add_word(words, "（小写）", 0.60, 0.60, 0.06);
	add_word(words, "¥160000.00", 0.67, 0.60, 0.08);
	add_word(words, "¥60000.00", 0.67, 0.70, 0.08);
	return words;
}

static void
test_locate(void)
{
	GArray *words = invoice_words();
	CoreBox box;
	char *written = NULL;

	/* The whole date, 日 included, and only its words. */
	g_assert_true(
	    scan_verify_locate(words, "date", "2026-04-25", &box, &written));
	g_assert_cmpstr(written, ==, "2026 年 04 月 25 日");
	g_assert_cmpfloat_with_epsilon(box.x, 0.79, 1e-9);
	g_assert_cmpfloat_with_epsilon(box.x + box.w, 0.89, 1e-9);
	g_free(written);
	/* 160000.00 holds 60000.00 as text, not as a figure. */
	g_assert_true(
	    scan_verify_locate(words, "amount", "60000.00", &box, &written));
	g_assert_cmpstr(written, ==, "¥60000.00");
	g_assert_cmpfloat_with_epsilon(box.y, 0.70, 1e-9);
	g_free(written);
	g_assert_false(
	    scan_verify_locate(words, "amount", "96000.00", &box, &written));
	g_assert_null(written);
	g_assert_false(
	    scan_verify_locate(NULL, "amount", "1.00", &box, &written));
	g_array_unref(words);
}

static void
assert_compare(const char *kind, const char *value, const char *image,
	       double conf, ScanVerifyStatus want, const char *want_seen)
{
	char *seen = NULL;

	g_assert_cmpint(scan_verify_compare(kind, value, image, conf, &seen),
			==, want);
	g_assert_cmpstr(seen, ==, want_seen);
	g_free(seen);
}

static void
test_compare(void)
{
	assert_compare("amount", "60000.00", "¥60, 000. 00", 0.9,
		       SCAN_VERIFY_AGREE, "60000.00");
	assert_compare("amount", "96000.00", "¥60000.00", 0.99,
		       SCAN_VERIFY_DISAGREE, "60000.00");
	/* Unsure of a character: no evidence either way. */
	assert_compare("amount", "96000.00", "¥60000.00", 0.4,
		       SCAN_VERIFY_UNREAD, NULL);
	assert_compare("amount", "96000.00", "", 0.9, SCAN_VERIFY_UNREAD, NULL);
	assert_compare("amount", "96000.00", NULL, 0.9, SCAN_VERIFY_UNREAD,
		       NULL);
	assert_compare("date", "2026-04-25", "2026年04月25日", 0.9,
		       SCAN_VERIFY_AGREE, "2026-04-25");
	assert_compare("date", "2026-04-25", "2026年04月28日", 0.9,
		       SCAN_VERIFY_DISAGREE, "2026-04-28");
	/* A dropped digit is a misread, not another number. */
	assert_compare("digits", "26452000000033336666", "2645200000003336666",
		       0.95, SCAN_VERIFY_UNREAD, NULL);
	assert_compare("digits", "26452000000033336666", "26452000000033339999",
		       0.95, SCAN_VERIFY_DISAGREE, "26452000000033339999");
	/* OCR cannot prove a name wrong. */
	assert_compare("text", "南宁智联科技有限公司", "南宁智联科拔有限公司",
		       0.99, SCAN_VERIFY_UNREAD, NULL);
	assert_compare("text", "南宁智联科技有限公司", "南宁 智联科技有限公司",
		       0.99, SCAN_VERIFY_AGREE, "南宁智联科技有限公司");
}

static void
test_judge(void)
{
	char *seen = NULL;

	/* The first look misread 6 as 0; the second shows the layer's. */
	g_assert_cmpint(scan_verify_judge("date", "2026-05-13", "2020-05-13",
					  0.98, "2026-05-13", 0.97, &seen),
			==, SCAN_VERIFY_AGREE);
	g_assert_cmpstr(seen, ==, "2026-05-13");
	g_clear_pointer(&seen, g_free);
	/* Both looks show the same other figure: the layer was edited. */
	g_assert_cmpint(scan_verify_judge("amount", "96000.00", "¥60000.00",
					  0.99, "¥60000.00", 0.99, &seen),
			==, SCAN_VERIFY_DISAGREE);
	g_assert_cmpstr(seen, ==, "60000.00");
	g_clear_pointer(&seen, g_free);
	/* Two different misreadings prove nothing. */
	g_assert_cmpint(scan_verify_judge("amount", "96000.00", "¥60000.00",
					  0.99, "¥68000.00", 0.99, &seen),
			==, SCAN_VERIFY_UNREAD);
	g_assert_null(seen);
	/* One look only (it agreed, or the second was not taken). */
	g_assert_cmpint(scan_verify_judge("amount", "60000.00", "¥60000.00",
					  0.99, NULL, 0, NULL),
			==, SCAN_VERIFY_AGREE);
	g_assert_cmpint(scan_verify_judge("amount", "96000.00", "¥60000.00",
					  0.99, NULL, 0, NULL),
			==, SCAN_VERIFY_UNREAD);
	g_assert_cmpstr(scan_verify_status_name(SCAN_VERIFY_AGREE), ==,
			"agree");
	g_assert_cmpstr(scan_verify_status_name(SCAN_VERIFY_DISAGREE), ==,
			"disagree");
	g_assert_cmpstr(scan_verify_status_name(SCAN_VERIFY_UNREAD), ==,
			"unread");
}

static char *
rules_path(void)
{
	return g_build_filename(EVIDCHECK_RULES_DIR, "2026", "types.ini", NULL);
}

/* What the Latin reader reads first: figures, dates and codes written
 * without Han characters; never names or 大写 amounts. */
static void
test_latin(void)
{
	g_assert_true(scan_verify_latin("amount", "¥60,000.00"));
	g_assert_true(scan_verify_latin("amount", "￥60000.00"));
	g_assert_true(scan_verify_latin("digits", "26452000000033336666"));
	g_assert_true(scan_verify_latin("date", "2026-01-18"));
	g_assert_false(scan_verify_latin("date", "2026 年 01 月 15 日"));
	g_assert_false(scan_verify_latin("amount", "60000.00元"));
	g_assert_false(scan_verify_latin("capital", "ABC"));
	g_assert_false(scan_verify_latin("text", "Acme Ltd"));
	g_assert_false(scan_verify_latin("amount", NULL));
	g_assert_false(scan_verify_latin(NULL, "1"));
}

static void
test_rules_key(void)
{
	char *path = rules_path();
	GError *error = NULL;
	ClassifyRules *rules = classify_rules_load(path, &error);
	const char *const *names;

	g_assert_no_error(error);
	names = classify_type_verify_fields(rules, "invoice");
	g_assert_nonnull(names);
	g_assert_true(g_strv_contains(names, "total"));
	g_assert_true(g_strv_contains(names, "number"));
	g_assert_true(g_strv_contains(names, "date"));
	g_assert_nonnull(classify_type_verify_fields(rules, "payment_proof"));
	g_assert_nonnull(classify_type_verify_fields(rules, "contract"));
	g_assert_null(classify_type_verify_fields(rules, "photo"));
	g_assert_cmpstr(classify_field_kind(rules, "invoice", "total"), ==,
			"amount");
	g_assert_cmpstr(classify_field_kind(rules, "invoice", "date"), ==,
			"date");
	g_assert_null(classify_field_kind(rules, "invoice", "nonesuch"));
	classify_rules_free(rules);
	g_free(path);
}

/* A rules file whose [type X] verify names FIELDS. */
static ClassifyRules *
load_with_verify(const char *fields, GError **error)
{
	char *dir = g_dir_make_tmp("evidcheck-verify-XXXXXX", NULL);
	char *path = g_build_filename(dir, "types.ini", NULL);
	char *text =
	    g_strdup_printf("[rules]\nedition = 2026\n\n[type x]\nlabel = X\n"
			    "title.x = 8 : 发票\nverify = %s\n\n[fields x]\n"
			    "total = amount : 合计(?<v>[0-9.]+)\n",
			    fields);
	ClassifyRules *rules;

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	rules = classify_rules_load(path, error);
	g_unlink(path);
	g_rmdir(dir);
	g_free(text);
	g_free(path);
	g_free(dir);
	return rules;
}

static void
test_rules_key_errors(void)
{
	GError *error = NULL;
	ClassifyRules *rules = load_with_verify("total", &error);

	g_assert_no_error(error);
	classify_rules_free(rules);
	/* A field the type does not read, a repeat, nothing. */
	g_assert_null(load_with_verify("total, number", &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_RULES);
	g_assert_nonnull(strstr(error->message, "verify"));
	g_clear_error(&error);
	g_assert_null(load_with_verify("total, total", &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_RULES);
	g_clear_error(&error);
	g_assert_null(load_with_verify("", &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_RULES);
	g_clear_error(&error);
}

static void
test_store_roundtrip(void)
{
	char *dir = g_dir_make_tmp("evidcheck-verify-XXXXXX", NULL);
	char *path = g_build_filename(dir, "store.db", NULL);
	const char *sha = "ab";
	GError *error = NULL;
	Store *store = store_open(path, &error);
	StoreVerify two = {"¥60000.00", 0.99, "¥60000.00", 0.98};
	StoreVerify none = {NULL, 0, NULL, 0};
	StoreVerify got = {0};

	g_assert_no_error(error);
	g_assert_true(store_file_save(store, sha, 10, "pdf", 1, &error));
	g_assert_false(store_verify_lookup(store, sha, 1, "k", "total",
					   "¥96000.00", &got));
	g_assert_true(store_verify_save(store, sha, 1, "k", "total",
					"¥96000.00", &two, &error));
	g_assert_true(store_verify_save(store, sha, 1, "k", "date",
					"2026-01-20", &none, &error));
	g_assert_no_error(error);
	g_assert_true(store_verify_lookup(store, sha, 1, "k", "total",
					  "¥96000.00", &got));
	g_assert_cmpstr(got.image, ==, "¥60000.00");
	g_assert_cmpstr(got.image2, ==, "¥60000.00");
	g_assert_cmpfloat_with_epsilon(got.confidence2, 0.98, 1e-9);
	g_free(got.image);
	g_free(got.image2);
	/* Nothing legible is a reading too, kept as NULL. */
	g_assert_true(store_verify_lookup(store, sha, 1, "k", "date",
					  "2026-01-20", &got));
	g_assert_null(got.image);
	/* Another engine, another layer text: not cached. */
	g_assert_false(store_verify_lookup(store, sha, 1, "k2", "total",
					   "¥96000.00", &got));
	g_assert_false(store_verify_lookup(store, sha, 1, "k", "total",
					   "¥60000.00", &got));
	store_close(store);
	for (const char *const *ext =
		 (const char *const[]){"", "-wal", "-shm", NULL};
	     *ext != NULL; ext++) {
		char *f = g_strconcat(path, *ext, NULL);

		g_unlink(f);
		g_free(f);
	}
	g_rmdir(dir);
	g_free(path);
	g_free(dir);
}

/* An A4 PDF page with FIGURE at 100, 200 points. */
static char *
figure_pdf(const char *figure)
{
	char *dir = g_dir_make_tmp("evidcheck-verify-XXXXXX", NULL);
	char *path = g_build_filename(dir, "figure.pdf", NULL);
	cairo_surface_t *s = cairo_pdf_surface_create(path, 595, 842);
	cairo_t *cr = cairo_create(s);

	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 12);
	cairo_move_to(cr, 100, 200);
	cairo_show_text(cr, figure);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	g_free(dir);
	return path;
}

/* Only the region is drawn, at the resolution asked, and it reads. */
static void
test_region_reads(void)
{
	char *path = figure_pdf("60000.00");
	IngestFile *file = ingest_file_read(path, "figure.pdf");
	/* The figure's line: 100..160 pt across, 189..203 down. */
	CoreBox box = {100.0 / 595, 189.0 / 842, 60.0 / 595, 14.0 / 842};
	GError *error = NULL;
	GPtrArray *images =
	    ingest_page_render_regions(file, 1, &box, 1, 3.0, 300, &error);
	const IngestImage *image;
	OcrLineReader *reader;
	double conf = 0;
	char *text, *dir;

	g_assert_no_error(error);
	g_assert_cmpuint(images->len, ==, 1);
	image = g_ptr_array_index(images, 0);
	g_assert_cmpint(image->dpi, ==, 300);
	/* (60 + 6) x (14 + 6) pt at 300 dpi, give or take rounding. */
	g_assert_cmpint(ABS(image->width - 275), <=, 1);
	g_assert_cmpint(ABS(image->height - 83), <=, 1);
	/* Both readers read it: Chinese with English, and English alone,
	 * which reads what is written without Han characters first. */
	for (guint i = 0; i < 2; i++) {
		reader = ocr_line_reader_new(
		    NULL, i == 0 ? NULL : OCR_LINE_LANGS_LATIN, &error);
		g_assert_no_error(error);
		text = ocr_line_reader_read(reader, image, &conf, &error);
		g_assert_no_error(error);
		g_assert_cmpint(
		    scan_verify_compare("amount", "60000.00", text, conf, NULL),
		    ==, SCAN_VERIFY_AGREE);
		g_free(text);
		ocr_line_reader_free(reader);
	}
	g_ptr_array_unref(images);
	/* An empty box cannot be drawn; a page that is not there neither. */
	box.w = 0;
	box.x = 1.0;
	g_assert_null(
	    ingest_page_render_regions(file, 1, &box, 1, 0, 300, &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_USAGE);
	g_clear_error(&error);
	g_assert_null(
	    ingest_page_render_regions(file, 2, &box, 1, 3, 300, &error));
	g_assert_nonnull(error);
	g_clear_error(&error);
	ingest_file_free(file);
	dir = g_path_get_dirname(path);
	g_unlink(path);
	g_rmdir(dir);
	g_free(dir);
	g_free(path);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/verify/normalize", test_normalize);
	g_test_add_func("/verify/locate", test_locate);
	g_test_add_func("/verify/compare", test_compare);
	g_test_add_func("/verify/judge", test_judge);
	g_test_add_func("/verify/latin", test_latin);
	g_test_add_func("/verify/rules-key", test_rules_key);
	g_test_add_func("/verify/rules-key-errors", test_rules_key_errors);
	g_test_add_func("/verify/store", test_store_roundtrip);
	g_test_add_func("/verify/region-reads", test_region_reads);
	return g_test_run();
}
