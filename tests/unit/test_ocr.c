/* test_ocr.c - unit tests of ocr/: a Chinese invoice line drawn here with
 * pango (Noto Sans CJK SC at 300 dpi) must come back from Tesseract with
 * its number exact; so must a whole page photographed sideways, upside
 * down or tilted, with each word's box where it was drawn; a blank page
 * gives no text; missing language data and bad images are errors, not
 * crashes, and missing orientation data only a warning. */
#include <locale.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "core/core.h"
#include "ocr/ocr.h"

#define INVOICE_NUMBER "26452000000012345678"
#define INVOICE_TEXT   "增值税电子普通发票 发票号码 " INVOICE_NUMBER
#define DPI	       300

/* A red company seal as ink (multiplied, so black under it stays black):
 * a ring of radius 110 px and "发票专用章" across, centred at CX, CY. */
static void
stamp_seal(cairo_t *cr, double cx, double cy)
{
	PangoLayout *layout = pango_cairo_create_layout(cr);
	PangoFontDescription *font =
	    pango_font_description_from_string("Noto Sans CJK SC Bold 26");
	int w, h;

	cairo_save(cr);
	cairo_set_operator(cr, CAIRO_OPERATOR_MULTIPLY);
	cairo_set_source_rgb(cr, 0.9, 0.12, 0.12);
	cairo_set_line_width(cr, 9);
	cairo_new_path(cr);
	cairo_arc(cr, cx, cy, 110, 0, 2 * G_PI);
	cairo_stroke(cr);
	pango_layout_set_font_description(layout, font);
	pango_layout_set_text(layout, "发票专用章", -1);
	pango_layout_get_pixel_size(layout, &w, &h);
	cairo_move_to(cr, cx - w / 2.0, cy - h / 2.0);
	pango_cairo_show_layout(cr, layout);
	cairo_restore(cr);
	pango_font_description_free(font);
	g_object_unref(layout);
}

/* A white image. */
static IngestImage *
blank_image(int w, int h, int channels)
{
	IngestImage *image = g_new0(IngestImage, 1);

	image->width = w;
	image->height = h;
	image->channels = channels;
	image->stride = w * channels;
	image->dpi = DPI;
	image->pixels = g_malloc((gsize)image->stride * h);
	memset(image->pixels, 0xff, (gsize)image->stride * h);
	return image;
}

/* Cairo's RGB24 words into IMAGE's packed RGB bytes (same size). */
static void
copy_surface(IngestImage *image, cairo_surface_t *surface)
{
	const guint8 *data = cairo_image_surface_get_data(surface);
	int stride = cairo_image_surface_get_stride(surface);

	cairo_surface_flush(surface);
	for (int y = 0; y < image->height; y++) {
		const guint32 *row =
		    (const guint32 *)(data + (gsize)y * stride);
		guint8 *dst = image->pixels + (gsize)y * image->stride;

		for (int x = 0; x < image->width; x++, dst += 3) {
			dst[0] = row[x] >> 16 & 0xff;
			dst[1] = row[x] >> 8 & 0xff;
			dst[2] = row[x] & 0xff;
		}
	}
}

/* A layout of TEXT in 12 pt Noto Sans CJK SC at DPI, for CR. */
static PangoLayout *
text_layout(cairo_t *cr, const char *text)
{
	PangoLayout *layout = pango_cairo_create_layout(cr);
	PangoFontDescription *font =
	    pango_font_description_from_string("Noto Sans CJK SC 12");

	pango_cairo_context_set_resolution(pango_layout_get_context(layout),
					   DPI);
	pango_layout_context_changed(layout);
	pango_layout_set_font_description(layout, font);
	pango_layout_set_text(layout, text, -1);
	pango_font_description_free(font);
	return layout;
}

/* TEXT drawn black on white at DPI with a 100 px margin, a red seal over
 * its end when SEAL; RGB pixels. */
static IngestImage *
render_text(const char *text, gboolean seal)
{
	cairo_surface_t *surface =
	    cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
	cairo_t *cr = cairo_create(surface);
	PangoLayout *layout = text_layout(cr, text);
	IngestImage *image;
	int w, h;

	pango_layout_get_pixel_size(layout, &w, &h);
	image = blank_image(w + 200, h + 200, 3);
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, image->width,
					     image->height);
	cr = cairo_create(surface);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_move_to(cr, 100, 100);
	pango_cairo_update_layout(cr, layout);
	pango_cairo_show_layout(cr, layout);
	if (seal)
		stamp_seal(cr, image->width - 330, image->height / 2.0);
	copy_surface(image, surface);
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	g_object_unref(layout);
	return image;
}

/* A page of an acceptance record, drawn line by line so that where each
 * line went is known: A5 at DPI, the invoice number on the second line. */
static const char *const page_lines[] = {
    "增值税电子普通发票 成果验收单",
    "发票号码 " INVOICE_NUMBER,
    "开票日期 2026年01月15日",
    "购买方名称 广西桂鑫机械制造有限公司",
    "销售方名称 南宁智联科技有限公司",
    "项目名称 智能质检云平台建设项目",
    "价税合计 人民币陆万元整 60000.00",
    "验收结论 合格 验收日期 2026年1月10日",
    "服务券编号 GXFWQ-2026-000123",
    "备注 需求调研 方案设计 开发部署 人员培训",
};
#define PAGE_WIDTH  1748 /* A5 at 300 dpi */
#define PAGE_HEIGHT 2480
#define PAGE_LEFT   150
#define PAGE_TOP    200
#define LINE_STEP   110
#define NUMBER_LINE 1

/* Where line NUMBER_LINE was drawn: its top and bottom, in pixels. */
typedef struct {
	int top, bottom;
} Band;

/* The page drawn turned clockwise by TILT degrees about its centre (0:
 * level); *NUMBER (may be NULL) gets where the number line went on the
 * level page. */
static IngestImage *
render_page(double tilt, Band *number)
{
	IngestImage *image = blank_image(PAGE_WIDTH, PAGE_HEIGHT, 3);
	cairo_surface_t *surface = cairo_image_surface_create(
	    CAIRO_FORMAT_RGB24, PAGE_WIDTH, PAGE_HEIGHT);
	cairo_t *cr = cairo_create(surface);

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	/* y grows downwards, so a positive angle turns clockwise. */
	cairo_translate(cr, PAGE_WIDTH / 2.0, PAGE_HEIGHT / 2.0);
	cairo_rotate(cr, tilt * G_PI / 180);
	cairo_translate(cr, -PAGE_WIDTH / 2.0, -PAGE_HEIGHT / 2.0);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (guint i = 0; i < G_N_ELEMENTS(page_lines); i++) {
		PangoLayout *layout = text_layout(cr, page_lines[i]);
		int y = PAGE_TOP + (int)i * LINE_STEP, w, h;

		pango_layout_get_pixel_size(layout, &w, &h);
		if (i == NUMBER_LINE && number != NULL)
			*number = (Band){y, y + h};
		cairo_move_to(cr, PAGE_LEFT, y);
		pango_cairo_update_layout(cr, layout);
		pango_cairo_show_layout(cr, layout);
		g_object_unref(layout);
	}
	copy_surface(image, surface);
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	return image;
}

/* IMAGE (RGB) turned clockwise by DEGREES (90, 180 or 270), as a phone
 * held sideways or upside down takes it. */
static IngestImage *
turn_image(const IngestImage *image, int degrees)
{
	int w = image->width, h = image->height;
	IngestImage *out =
	    degrees == 180 ? blank_image(w, h, 3) : blank_image(h, w, 3);

	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			const guint8 *src =
			    image->pixels + (gsize)y * image->stride + x * 3;
			int tx = degrees == 90	  ? h - 1 - y
				 : degrees == 180 ? w - 1 - x
						  : y;
			int ty = degrees == 90	  ? x
				 : degrees == 180 ? h - 1 - y
						  : w - 1 - x;

			memcpy(out->pixels + (gsize)ty * out->stride + tx * 3,
			       src, 3);
		}
	}
	return out;
}

/* RGB IMAGE as a new one-channel image. */
static IngestImage *
to_grey(const IngestImage *rgb)
{
	IngestImage *grey = blank_image(rgb->width, rgb->height, 1);

	for (gsize i = 0; i < (gsize)rgb->width * rgb->height; i++)
		grey->pixels[i] = rgb->pixels[i * 3 + 1];
	return grey;
}

static char *
strip_spaces(const char *text)
{
	GString *out = g_string_new(NULL);

	for (const char *p = text; *p != '\0'; p++)
		if (!g_ascii_isspace(*p))
			g_string_append_c(out, *p);
	return g_string_free(out, FALSE);
}

static OcrEngine *
new_engine(void)
{
	GError *error = NULL;
	OcrEngine *engine = ocr_engine_new(NULL, NULL, &error);

	g_assert_no_error(error);
	g_assert_nonnull(engine);
	return engine;
}

/* Read IMAGE, check the invoice tokens, and return the seconds it took. */
static double
read_invoice(OcrEngine *engine, const IngestImage *image)
{
	GError *error = NULL;
	gint64 start = g_get_monotonic_time();
	OcrResult *result = ocr_page_read(engine, image, &error);
	double seconds = (g_get_monotonic_time() - start) / 1e6;
	char *flat;

	g_assert_no_error(error);
	g_assert_nonnull(result);
	flat = strip_spaces(result->text);
	g_test_message("OCR %dx%d x%d in %.2f s (conf %.2f): %s", image->width,
		       image->height, image->channels, seconds,
		       result->confidence, flat);
	g_assert_nonnull(strstr(flat, INVOICE_NUMBER));
	g_assert_nonnull(strstr(flat, "发票"));
	g_assert_cmpfloat(result->confidence, >, 0.5);
	g_assert_cmpfloat(result->confidence, <=, 1.0);
	g_free(flat);
	ocr_result_free(result);
	return seconds;
}

static void
test_chinese_invoice(void)
{
	OcrEngine *engine = new_engine();
	IngestImage *rgb = render_text(INVOICE_TEXT, FALSE);
	IngestImage *grey = to_grey(rgb);

	read_invoice(engine, rgb);
	/* The same engine reads a second page, one channel this time. */
	read_invoice(engine, grey);
	ingest_image_free(grey);
	ingest_image_free(rgb);
	ocr_engine_free(engine);
}

/* The seal covers the invoice number; the grey conversion must see
 * through red ink. */
static void
test_red_seal(void)
{
	OcrEngine *engine = new_engine();
	IngestImage *rgb = render_text(INVOICE_TEXT, TRUE);

	read_invoice(engine, rgb);
	ingest_image_free(rgb);
	ocr_engine_free(engine);
}

/* The word holding the invoice number (found by its last digits: it may
 * share a word with its label), or NULL. */
static const CoreWord *
number_word(const OcrResult *result)
{
	for (guint i = 0; i < result->words->len; i++) {
		const CoreWord *word =
		    &g_array_index(result->words, CoreWord, i);

		if (strstr(word->text, "12345678") != NULL)
			return word;
	}
	return NULL;
}

/* RESULT read the page render_page drew: the number exact, the words
 * that say what it is, and the number's box on the number's line. */
static void
check_page(const OcrResult *result, Band number)
{
	char *flat = strip_spaces(result->text);
	const CoreWord *word = number_word(result);

	g_assert_nonnull(strstr(flat, INVOICE_NUMBER));
	g_assert_nonnull(strstr(flat, "发票"));
	g_assert_nonnull(strstr(flat, "验收"));
	g_assert_cmpfloat(result->confidence, >, 0.7);
	g_assert_nonnull(word);
	/* Upright-page fractions: drawn on the second line, top half. */
	g_assert_cmpfloat(word->box.y + word->box.h, <, 0.5);
	g_assert_cmpfloat(word->box.y * PAGE_HEIGHT, >, number.top - 15);
	g_assert_cmpfloat((word->box.y + word->box.h) * PAGE_HEIGHT, <,
			  number.bottom + 15);
	g_assert_cmpfloat(word->box.x * PAGE_WIDTH, >, PAGE_LEFT);
	g_free(flat);
}

static OcrResult *
read_ok(OcrEngine *engine, const IngestImage *image)
{
	GError *error = NULL;
	gint64 start = g_get_monotonic_time();
	OcrResult *result = ocr_page_read(engine, image, &error);

	g_assert_no_error(error);
	g_assert_nonnull(result);
	g_test_message("OCR %dx%d in %.2f s: rotation %d, skew %.2f, "
		       "confidence %.2f, %u words",
		       image->width, image->height,
		       (g_get_monotonic_time() - start) / 1e6, result->rotation,
		       result->skew, result->confidence, result->words->len);
	return result;
}

/* A page photographed the right way up, sideways both ways and upside
 * down reads the same, and says how it was turned to read it. */
static void
test_orientation(void)
{
	OcrEngine *engine = new_engine();
	Band number;
	IngestImage *page = render_page(0, &number);
	static const int turns[] = {0, 90, 180, 270};

	for (guint i = 0; i < G_N_ELEMENTS(turns); i++) {
		IngestImage *photo =
		    turns[i] == 0 ? page : turn_image(page, turns[i]);
		OcrResult *result = read_ok(engine, photo);

		/* Turned clockwise by T, it is read turned by 360 - T. */
		g_assert_cmpint(result->rotation, ==, (360 - turns[i]) % 360);
		g_assert_cmpfloat(result->skew, ==, 0);
		check_page(result, number);
		ocr_result_free(result);
		if (photo != page)
			ingest_image_free(photo);
	}
	ingest_image_free(page);
	ocr_engine_free(engine);
}

/* A page photographed tilted 3 degrees clockwise is levelled by turning
 * it back about -3 degrees, and reads as if it had been level. */
static void
test_skew(void)
{
	OcrEngine *engine = new_engine();
	Band number;
	IngestImage *page = render_page(3, &number);
	OcrResult *result = read_ok(engine, page);

	g_assert_cmpfloat(fabs(result->skew - -3), <, 1);
	g_assert_cmpint(result->rotation, ==, 0);
	check_page(result, number);
	ocr_result_free(result);
	ingest_image_free(page);
	ocr_engine_free(engine);
}

/* Every word has a box inside the page and a confidence 0..1. */
static void
test_words(void)
{
	OcrEngine *engine = new_engine();
	IngestImage *page = render_page(0, NULL);
	OcrResult *result = read_ok(engine, page);
	double sum = 0;

	g_assert_cmpuint(result->words->len, >=, G_N_ELEMENTS(page_lines));
	for (guint i = 0; i < result->words->len; i++) {
		const CoreWord *word =
		    &g_array_index(result->words, CoreWord, i);

		g_assert_cmpstr(word->text, !=, "");
		g_assert_cmpfloat(word->box.x, >=, 0);
		g_assert_cmpfloat(word->box.y, >=, 0);
		g_assert_cmpfloat(word->box.w, >, 0);
		g_assert_cmpfloat(word->box.h, >, 0);
		g_assert_cmpfloat(word->box.x + word->box.w, <=, 1);
		g_assert_cmpfloat(word->box.y + word->box.h, <=, 1);
		g_assert_cmpfloat(word->confidence, >=, 0);
		g_assert_cmpfloat(word->confidence, <=, 1);
		sum += word->confidence;
	}
	/* The page's confidence is the words' mean. */
	g_assert_cmpfloat(fabs(sum / result->words->len - result->confidence),
			  <, 0.02);
	ocr_result_free(result);
	ingest_image_free(page);
	ocr_engine_free(engine);
}

/* Tesseract's default language data directory, as the Debian packages
 * install it, or $TESSDATA_PREFIX. */
static const char *
tessdata_dir(void)
{
	const char *dir = g_getenv("TESSDATA_PREFIX");

	return dir != NULL ? dir : "/usr/share/tesseract-ocr/5/tessdata";
}

/* Without osd.traineddata an engine still starts (saying once what is
 * missing) and reads upright pages; it just cannot turn pages. */
static void
test_no_osd(void)
{
	static const char *const langs[] = {"chi_sim", "eng"};
	char *chi_sim =
	    g_build_filename(tessdata_dir(), "chi_sim.traineddata", NULL);
	char *links[G_N_ELEMENTS(langs)];
	GError *error = NULL;
	char *dir;
	OcrEngine *engine;
	OcrResult *result;
	Band number;
	IngestImage *page;

	if (!g_file_test(chi_sim, G_FILE_TEST_EXISTS)) {
		g_test_skip("no chi_sim.traineddata in $TESSDATA_PREFIX or "
			    "the Debian tessdata folder to link to");
		g_free(chi_sim);
		return;
	}
	g_free(chi_sim);
	dir = g_dir_make_tmp("test_ocr_XXXXXX", NULL);
	g_assert_nonnull(dir);
	page = render_page(0, &number);
	for (guint i = 0; i < G_N_ELEMENTS(langs); i++) {
		char *file = g_strconcat(langs[i], ".traineddata", NULL);
		char *target = g_build_filename(tessdata_dir(), file, NULL);

		links[i] = g_build_filename(dir, file, NULL);
		g_assert_cmpint(symlink(target, links[i]), ==, 0);
		g_free(target);
		g_free(file);
	}
	g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
			      "*osd.traineddata*tesseract-ocr-osd*");
	engine = ocr_engine_new(NULL, dir, &error);
	g_test_assert_expected_messages();
	g_assert_no_error(error);
	g_assert_nonnull(engine);
	result = read_ok(engine, page);
	g_assert_cmpint(result->rotation, ==, 0);
	check_page(result, number);
	ocr_result_free(result);
	ocr_engine_free(engine);
	for (guint i = 0; i < G_N_ELEMENTS(langs); i++) {
		g_assert_cmpint(g_unlink(links[i]), ==, 0);
		g_free(links[i]);
	}
	g_assert_cmpint(g_rmdir(dir), ==, 0);
	g_free(dir);
	ingest_image_free(page);
}

static void
test_blank_page(void)
{
	OcrEngine *engine = new_engine();
	IngestImage *image = blank_image(800, 600, 3);
	GError *error = NULL;
	OcrResult *result = ocr_page_read(engine, image, &error);

	g_assert_no_error(error);
	g_assert_cmpstr(result->text, ==, "");
	g_assert_cmpfloat(result->confidence, ==, 0.0);
	g_assert_cmpuint(result->words->len, ==, 0);
	g_assert_cmpint(result->rotation, ==, 0);
	g_assert_cmpfloat(result->skew, ==, 0);
	ocr_result_free(result);
	ocr_result_free(NULL);
	ingest_image_free(image);
	/* A single pixel is a page too. */
	image = blank_image(1, 1, 3);
	result = ocr_page_read(engine, image, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(result->text, ==, "");
	ocr_result_free(result);
	ingest_image_free(image);
	ocr_engine_free(engine);
}

/* One short line on an otherwise empty A4 page at 300 dpi is writing,
 * not a blank page to skip. */
static void
test_sparse_page(void)
{
	OcrEngine *engine = new_engine();
	IngestImage *line = render_text("验收合格 2026", FALSE);
	IngestImage *page = blank_image(2480, 3508, 3);
	GError *error = NULL;
	OcrResult *result;

	for (int y = 0; y < line->height; y++)
		memcpy(page->pixels + (gsize)(y + 1600) * page->stride + 900,
		       line->pixels + (gsize)y * line->stride,
		       (gsize)line->width * 3);
	result = ocr_page_read(engine, page, &error);
	g_assert_no_error(error);
	g_assert_nonnull(strstr(result->text, "2026"));
	ocr_result_free(result);
	ingest_image_free(page);
	ingest_image_free(line);
	ocr_engine_free(engine);
}

static void
test_engine_key(void)
{
	OcrEngine *engine = new_engine();
	const char *key = ocr_engine_key(engine);
	char *settings = ocr_settings_key(NULL);
	char *eng = ocr_settings_key("eng");

	g_assert_true(g_str_has_prefix(key, "tesseract-"));
	g_assert_nonnull(strstr(key, "/chi_sim+eng/psm3/v5"));
	/* Known before any engine starts, for cache look-ups. */
	g_assert_cmpstr(settings, ==, key);
	g_assert_cmpstr(eng, !=, key);
	g_free(settings);
	g_free(eng);
	ocr_engine_free(engine);
	ocr_engine_free(NULL);
}

static void
test_missing_language(void)
{
	GError *error = NULL;

	g_assert_null(ocr_engine_new("xx_nodata", NULL, &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_OCR);
	g_assert_nonnull(strstr(error->message, "xx_nodata.traineddata"));
	g_assert_nonnull(strstr(error->message, "tesseract-ocr-xx-nodata"));
	g_clear_error(&error);

	/* A missing second language is only a warning to Tesseract. */
	g_assert_null(ocr_engine_new("eng+yy_nodata", NULL, &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_OCR);
	g_assert_nonnull(strstr(error->message, "'yy_nodata'"));
	g_clear_error(&error);

	g_assert_null(ocr_engine_new(NULL, "/nonexistent/tessdata", &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_OCR);
	g_assert_nonnull(strstr(error->message, "/nonexistent/tessdata"));
	g_clear_error(&error);
}

static void
test_bad_image(void)
{
	OcrEngine *engine = new_engine();
	IngestImage *image = blank_image(10, 10, 3);
	GError *error = NULL;

	image->channels = 4;
	g_assert_null(ocr_page_read(engine, image, &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_USAGE);
	g_clear_error(&error);
	image->channels = 3;
	image->stride = 10;
	g_assert_null(ocr_page_read(engine, image, &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_USAGE);
	g_clear_error(&error);
	ingest_image_free(image);
	ocr_engine_free(engine);
}

int
main(int argc, char **argv)
{
	int rc;

	/* UTF-8 test messages instead of "?" for every Chinese character. */
	setlocale(LC_ALL, "");
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ocr/chinese-invoice", test_chinese_invoice);
	g_test_add_func("/ocr/red-seal", test_red_seal);
	g_test_add_func("/ocr/orientation", test_orientation);
	g_test_add_func("/ocr/skew", test_skew);
	g_test_add_func("/ocr/words", test_words);
	g_test_add_func("/ocr/no-osd", test_no_osd);
	g_test_add_func("/ocr/blank-page", test_blank_page);
	g_test_add_func("/ocr/sparse-page", test_sparse_page);
	g_test_add_func("/ocr/engine-key", test_engine_key);
	g_test_add_func("/ocr/missing-language", test_missing_language);
	g_test_add_func("/ocr/bad-image", test_bad_image);
	rc = g_test_run();
	/* Drop pango's and cairo's font caches so LeakSanitizer reports
	 * only what is really lost. */
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	return rc;
}
