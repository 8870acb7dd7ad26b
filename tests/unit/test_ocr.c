/* test_ocr.c - unit tests of ocr/: a Chinese invoice line drawn here with
 * pango (Noto Sans CJK SC at 300 dpi) must come back from Tesseract with
 * its number exact; a blank page gives no text; missing language data and
 * bad images are errors, not crashes. */
#include <locale.h>
#include <string.h>

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
	ocr_result_free(result);
	ocr_result_free(NULL);
	ingest_image_free(image);
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
	g_assert_nonnull(strstr(key, "/chi_sim+eng/psm3/v1"));
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
	g_test_add_func("/ocr/blank-page", test_blank_page);
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
