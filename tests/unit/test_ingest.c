/* test_ingest.c - unit tests of ingest/: kind sniffing, hashing, PDF text
 * layers (judged per page, words with boxes) and rendering at a resolution,
 * image headers and decoding (EXIF orientation, TIFF frames, HEIC), seals,
 * the errors for bad uploads, the limits checked before decoding (page
 * size, flate bombs, decoded size), and the claim folder walk (symbolic
 * links, hostile names). PDFs and PNGs are drawn here with cairo or
 * written by hand; other images come from tests/data/ingest/ (recipes in
 * its README). */
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "core/core.h"
#include "ingest/ingest.h"

#define A4_W	       595.28
#define A4_H	       841.89
#define INVOICE_TITLE  "增值税电子普通发票"
#define INVOICE_NUMBER "26452000000012345678"

/* ---- helpers --------------------------------------------------------- */

static char *
make_tmp(void)
{
	GError *error = NULL;
	char *dir = g_dir_make_tmp("evidcheck-ingest-XXXXXX", &error);

	g_assert_no_error(error);
	return dir;
}

static void
remove_tree(const char *path)
{
	GDir *dir;
	const char *name;
	struct stat st;

	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode) && (dir = g_dir_open(path, 0, NULL)) != NULL) {
		while ((name = g_dir_read_name(dir)) != NULL) {
			char *child = g_build_filename(path, name, NULL);

			remove_tree(child);
			g_free(child);
		}
		g_dir_close(dir);
		g_rmdir(path);
		return;
	}
	g_unlink(path);
}

static char *
path_in(const char *dir, const char *name)
{
	return g_build_filename(dir, name, NULL);
}

static void
write_bytes(const char *path, const void *data, gsize len)
{
	GError *error = NULL;

	g_file_set_contents(path, data, (gssize)len, &error);
	g_assert_no_error(error);
}

static GBytes *
read_bytes(const char *path)
{
	GError *error = NULL;
	char *data = NULL;
	gsize len = 0;

	g_file_get_contents(path, &data, &len, &error);
	g_assert_no_error(error);
	return g_bytes_new_take(data, len);
}

static void
copy_test_data(const char *name, const char *dest)
{
	char *src = g_build_filename(EVIDCHECK_TEST_DATA, "ingest", name, NULL);
	GBytes *bytes = read_bytes(src);

	write_bytes(dest, g_bytes_get_data(bytes, NULL),
		    g_bytes_get_size(bytes));
	g_bytes_unref(bytes);
	g_free(src);
}

static void
draw_text(cairo_t *cr, const char *text, double x, double y)
{
	PangoLayout *layout = pango_cairo_create_layout(cr);
	PangoFontDescription *font =
	    pango_font_description_from_string("Noto Sans CJK SC 14");

	pango_layout_set_font_description(layout, font);
	pango_layout_set_text(layout, text, -1);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, layout);
	pango_font_description_free(font);
	g_object_unref(layout);
}

/* TEXT in FONT and colour (R, G, B) with its top-left corner at (X, Y). As
 * an outline (OUTLINE) it shows but stays out of the text layer, as seals
 * do. */
static void
draw_text_as(cairo_t *cr, const char *font, double r, double g, double b,
	     const char *text, double x, double y, gboolean outline)
{
	PangoLayout *layout = pango_cairo_create_layout(cr);
	PangoFontDescription *desc = pango_font_description_from_string(font);

	pango_layout_set_font_description(layout, desc);
	pango_layout_set_text(layout, text, -1);
	cairo_set_source_rgb(cr, r, g, b);
	cairo_move_to(cr, x, y);
	if (outline) {
		pango_cairo_layout_path(cr, layout);
		cairo_fill(cr);
	} else {
		pango_cairo_show_layout(cr, layout);
	}
	pango_font_description_free(desc);
	g_object_unref(layout);
}

/* An A4 PDF of N_PAGES pages with a Chinese invoice text layer. */
static void
write_text_pdf(const char *path, int n_pages)
{
	cairo_surface_t *s = cairo_pdf_surface_create(path, A4_W, A4_H);
	cairo_t *cr = cairo_create(s);

	for (int i = 1; i <= n_pages; i++) {
		char *text = g_strdup_printf(
		    INVOICE_TITLE "\n发票号码：" INVOICE_NUMBER
				  "\n购买方名称：广西某某机械有限公司 第%d页",
		    i);

		draw_text(cr, text, 72, 72);
		cairo_show_page(cr);
		g_free(text);
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	g_assert_cmpint(cairo_surface_status(s), ==, CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
}

/* An image surface: white, a red block at the left, a black one right. */
static cairo_surface_t *
make_picture(int w, int h)
{
	cairo_surface_t *img =
	    cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(img);

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 1, 0, 0);
	cairo_rectangle(cr, 0, 0, w / 2.0, h);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_rectangle(cr, w * 3 / 4.0, 0, w / 4.0, h);
	cairo_fill(cr);
	cairo_destroy(cr);
	return img;
}

/* A scan-like PDF: one page of W_PT x H_PT holding only a picture. */
static void
write_image_pdf(const char *path, double w_pt, double h_pt)
{
	cairo_surface_t *s = cairo_pdf_surface_create(path, w_pt, h_pt);
	cairo_surface_t *img = make_picture(100, 100);
	cairo_t *cr = cairo_create(s);

	/* The picture fills the top-left quarter of the page. */
	cairo_scale(cr, w_pt / 200.0, h_pt / 200.0);
	cairo_set_source_surface(cr, img, 0, 0);
	cairo_paint(cr);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_destroy(img);
	cairo_surface_finish(s);
	cairo_surface_destroy(s);
}

static void
write_png(const char *path, int w, int h)
{
	cairo_surface_t *img = make_picture(w, h);

	g_assert_cmpint(cairo_surface_write_to_png(img, path), ==,
			CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(img);
}

static const guint8 *
pixel(const IngestImage *image, int x, int y)
{
	return image->pixels + (gsize)y * image->stride +
	       (gsize)x * image->channels;
}

static void
assert_rgb(const IngestImage *image, int x, int y, int r, int g, int b)
{
	const guint8 *p = pixel(image, x, y);

	g_assert_cmpint(image->channels, ==, 3);
	g_assert_cmpint(ABS(p[0] - r), <=, 8);
	g_assert_cmpint(ABS(p[1] - g), <=, 8);
	g_assert_cmpint(ABS(p[2] - b), <=, 8);
}

static int
grey_at(const IngestImage *image, int x, int y)
{
	const guint8 *p = pixel(image, x, y);

	if (image->channels == 1)
		return p[0];
	return (p[0] + p[1] + p[2]) / 3;
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

/* Read NAME in DIR, asserting it failed with CODE and a message that names
 * it and contains WORDS. */
static void
assert_read_fails(const char *dir, const char *name, CoreErrorCode code,
		  const char *words)
{
	char *abs = path_in(dir, name);
	IngestFile *file = ingest_file_read(abs, name);

	g_assert_nonnull(file->error);
	g_test_message("%s", file->error->message);
	g_assert_error(file->error, CORE_ERROR, (gint)code);
	g_assert_nonnull(strstr(file->error->message, name));
	g_assert_nonnull(strstr(file->error->message, words));
	g_assert_cmpint(file->n_pages, ==, 0);
	ingest_file_free(file);
	g_free(abs);
}

/* ---- kinds, hashing, text -------------------------------------------- */

static IngestKind
sniff(const char *bytes, gsize len)
{
	return ingest_kind_sniff((const guint8 *)bytes, len);
}

static void
test_sniff(void)
{
	static const struct {
		const char *bytes;
		gsize len;
		IngestKind kind;
	} cases[] = {
	    {"%PDF-1.7\n", 9, INGEST_KIND_PDF},
	    {"\xef\xbb\xbfjunk %PDF-1.4", 16, INGEST_KIND_PDF},
	    {"\xff\xd8\xff\xe0", 4, INGEST_KIND_JPEG},
	    {"\x89PNG\r\n\x1a\n", 8, INGEST_KIND_PNG},
	    {"II*\0", 4, INGEST_KIND_TIFF},
	    {"MM\0*", 4, INGEST_KIND_TIFF},
	    {"RIFF\0\0\0\0WEBPVP8 ", 16, INGEST_KIND_WEBP},
	    {"RIFF\0\0\0\0WAVEfmt ", 16, INGEST_KIND_UNKNOWN},
	    {"BM678901234567890123456789", 26, INGEST_KIND_BMP},
	    {"BM", 2, INGEST_KIND_UNKNOWN},
	    {"PK\x03\x04", 4, INGEST_KIND_UNKNOWN},
	    {"", 0, INGEST_KIND_UNKNOWN},
	};
	GString *late = g_string_new(NULL);

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
		g_assert_cmpint(sniff(cases[i].bytes, cases[i].len), ==,
				cases[i].kind);
	g_assert_cmpint(ingest_kind_sniff(NULL, 0), ==, INGEST_KIND_UNKNOWN);
	/* "%PDF-" counts only within the first 1024 bytes. */
	for (int i = 0; i < 1100; i++)
		g_string_append_c(late, 'x');
	g_string_append(late, "%PDF-1.4");
	g_assert_cmpint(sniff(late->str, late->len), ==, INGEST_KIND_UNKNOWN);
	g_string_free(late, TRUE);
	g_assert_cmpstr(ingest_kind_name(INGEST_KIND_WEBP), ==, "webp");
	g_assert_cmpstr(ingest_kind_name(INGEST_KIND_UNKNOWN), ==, "unknown");
}

static void
test_sha256(void)
{
	char *dir = make_tmp();
	char *abs = path_in(dir, "abc.bin");
	IngestFile *file;

	write_bytes(abs, "abc", 3);
	file = ingest_file_read(abs, "abc.bin");
	g_assert_cmpstr(file->sha256, ==,
			"ba7816bf8f01cfea414140de5dae2223"
			"b00361a396177a9cb410ff61f20015ad");
	g_assert_cmpint(file->size, ==, 3);
	/* Three bytes of text are not evidence, but they were hashed. */
	g_assert_error(file->error, CORE_ERROR, CORE_ERROR_UNSUPPORTED);
	ingest_file_free(file);
	remove_tree(dir);
	g_free(abs);
	g_free(dir);
}

/* The verdict on TEXT on a page without images; the score goes to
 * *SCORE when that is not NULL. */
static IngestLayerVerdict
judge(const char *text, double *score)
{
	IngestLayerVerdict verdict = INGEST_LAYER_TRUSTED;
	double s = ingest_layer_score(text, 0.0, &verdict);

	g_assert_cmpfloat(s, >=, 0.0);
	g_assert_cmpfloat(s, <=, 1.0);
	g_assert_true((s >= INGEST_LAYER_MIN_SCORE) ==
		      (verdict == INGEST_LAYER_TRUSTED));
	if (score != NULL)
		*score = s;
	return verdict;
}

/* What a scanner's hidden OCR layer holds when it read GBK bytes as
 * Latin-1: "ÐÂ½®..." for the Chinese CHINESE. Caller frees. */
static char *
mojibake(const char *chinese)
{
	char *gbk =
	    g_convert(chinese, -1, "GB18030", "UTF-8", NULL, NULL, NULL);
	char *out;

	g_assert_nonnull(gbk);
	out = g_convert(gbk, -1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
	g_assert_nonnull(out);
	g_free(gbk);
	return out;
}

#define CLEAN_LAYER                                                            \
	"成果验收单\n项目名称：智能质检云平台建设项目\n"  \
	"需求企业（甲方）：广西桂鑫机械制造有限公司\n"    \
	"合同金额：¥60,000.00 元（陆万元整）\n验收日期：2026-01-10\n"

static void
test_layer_score(void)
{
	char *junk = mojibake(CLEAN_LAYER CLEAN_LAYER);
	GString *s = g_string_new(NULL);
	double clean, bad;

	g_assert_cmpint(judge(NULL, NULL), ==, INGEST_LAYER_NONE);
	g_assert_cmpint(judge("", NULL), ==, INGEST_LAYER_NONE);
	g_assert_cmpint(judge(" \n\t-- ,,。。 ／／ ....", NULL), ==,
			INGEST_LAYER_NONE);
	/* 19 Han characters: one short; 20 are enough. */
	g_assert_cmpint(judge("增值税电子普通发票发票号码开票日期购买", NULL),
			==, INGEST_LAYER_NONE);
	g_assert_cmpint(judge("增值税电子普通发票发票号码开票日期购买方", NULL),
			==, INGEST_LAYER_TRUSTED);
	/* A stamped page number over a scan is not the page's text. */
	g_assert_cmpint(judge("第 3 页 共 12 页", NULL), ==, INGEST_LAYER_NONE);

	g_assert_cmpint(judge(CLEAN_LAYER, &clean), ==, INGEST_LAYER_TRUSTED);
	g_assert_cmpfloat(clean, >, 0.95);
	/* Tables of figures and dates are real text, not junk. */
	g_assert_cmpint(judge("日期 产量 合格率\n2025-11-01 1280 99.2%\n"
			      "2025-11-02 1315 99.4%\n2025-11-03 1296 98.9%\n",
			      NULL),
			==, INGEST_LAYER_TRUSTED);
	/* Names with a middle dot, °C and × are Chinese text too. */
	g_assert_cmpint(judge("操作员：阿卜杜·热合曼 温度 25°C 尺寸 "
			      "300×200 毫米 检验合格 同意验收",
			      NULL),
			==, INGEST_LAYER_TRUSTED);

	/* Junk layers: mojibake, replacement characters, private-use glyphs,
	 * runs of one letter, Latin garbage where Chinese is expected. */
	g_test_message("mojibake: %s", junk);
	g_assert_cmpint(judge(junk, &bad), ==, INGEST_LAYER_GARBLED);
	g_assert_cmpfloat(bad, <, 0.2);
	for (int i = 0; i < 90; i++)
		g_string_append(s, i % 3 ? "\xef\xbf\xbd" : "验");
	g_assert_cmpint(judge(s->str, NULL), ==, INGEST_LAYER_GARBLED);
	g_string_truncate(s, 0);
	for (int i = 0; i < 60; i++)
		g_string_append(s, i % 2 ? "\xee\x80\x81" : "收");
	g_assert_cmpint(judge(s->str, NULL), ==, INGEST_LAYER_GARBLED);
	g_assert_cmpint(judge("IIIIIIIIIIII llllllllll 验收 IIIIIIIIIIIII "
			      "iiiiiiiiiii 合格 IIIIIIII",
			      NULL),
			==, INGEST_LAYER_GARBLED);
	g_assert_cmpint(judge("~ i_ ~I JJ:iit-:ff:t !.&. E;@iJ rm3t J ~~~iiA "
			      "fffiJJ l1I| !i;: Hl ltl iI",
			      NULL),
			==, INGEST_LAYER_GARBLED);
	/* Broken bytes are counted against the layer, never fatal. */
	g_assert_cmpint(judge("\xff\xfe\x80\xc3", NULL), ==, INGEST_LAYER_NONE);
	g_assert_cmpint(judge("\xff\xfe\xff\xfe\x80\x80\x80\x80\x80\x80"
			      "abcdefghij\x80klmnopqrst",
			      NULL),
			==, INGEST_LAYER_GARBLED);

	/* Images: a clean page under a full-page image keeps its layer when
	 * the layer is a page of text, not when it is one line. */
	g_assert_cmpfloat(
	    ingest_layer_score(CLEAN_LAYER CLEAN_LAYER, 1.0, NULL), >=,
	    INGEST_LAYER_MIN_SCORE);
	g_assert_cmpfloat(ingest_layer_score("广西制造业企业培优育强服务券"
					     "成果验收单 GXFWQ-2026-000123",
					     1.0, NULL),
			  <, INGEST_LAYER_MIN_SCORE);
	g_assert_cmpstr(ingest_layer_verdict_name(INGEST_LAYER_SCANNED), ==,
			"scanned");
	g_string_free(s, TRUE);
	g_free(junk);
}

/* ---- PDF ------------------------------------------------------------- */

static void
test_text_pdf(void)
{
	char *dir = make_tmp();
	char *abs = path_in(dir, "发票.pdf");
	IngestFile *file;
	IngestImage *image;
	GError *error = NULL;
	char *flat;

	write_text_pdf(abs, 2);
	file = ingest_file_read(abs, "发票/发票.pdf");
	g_assert_no_error(file->error);
	g_assert_cmpint(file->kind, ==, INGEST_KIND_PDF);
	g_assert_cmpint(file->n_pages, ==, 2);
	g_assert_cmpuint(file->layer_text->len, ==, 2);
	g_assert_cmpuint(strlen(file->sha256), ==, 64);
	flat = strip_spaces(g_ptr_array_index(file->layer_text, 1));
	g_assert_nonnull(strstr(flat, INVOICE_TITLE));
	g_assert_nonnull(strstr(flat, INVOICE_NUMBER));
	g_assert_nonnull(strstr(flat, "第2页"));
	g_assert_cmpint(
	    g_array_index(file->layer_verdict, IngestLayerVerdict, 0), ==,
	    INGEST_LAYER_TRUSTED);
	g_assert_cmpfloat(g_array_index(file->layer_score, double, 0), >=,
			  INGEST_LAYER_MIN_SCORE);
	g_free(flat);

	image = ingest_page_render(file, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpint(image->width, ==, 2480);
	g_assert_cmpint(image->height, ==, 3508);
	g_assert_cmpint(image->dpi, ==, INGEST_RENDER_DPI);
	ingest_image_free(image);

	g_assert_null(ingest_page_render(file, 3, &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_USAGE);
	g_clear_error(&error);
	ingest_file_free(file);
	remove_tree(dir);
	g_free(abs);
	g_free(dir);
}

static void
test_image_pdf(void)
{
	char *dir = make_tmp();
	char *abs = path_in(dir, "scan.pdf");
	IngestFile *file;
	IngestImage *image;
	GError *error = NULL;

	write_image_pdf(abs, A4_W, A4_H);
	file = ingest_file_read(abs, "scan.pdf");
	g_assert_no_error(file->error);
	g_assert_cmpint(file->n_pages, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(file->layer_text, 0), ==, "");

	image = ingest_page_render(file, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpint(image->width, ==, 2480);
	g_assert_cmpint(image->height, ==, 3508);
	g_assert_cmpint(image->channels, ==, 3);
	g_assert_cmpint(image->stride, >=, image->width * 3);
	/* The picture covers the top-left quarter: red, white, black; the
	 * rest of the page is the white we paint first. */
	assert_rgb(image, 300, 800, 255, 0, 0);
	assert_rgb(image, 700, 800, 255, 255, 255);
	assert_rgb(image, 1100, 800, 0, 0, 0);
	assert_rgb(image, 2000, 3000, 255, 255, 255);
	ingest_image_free(image);
	ingest_file_free(file);
	remove_tree(dir);
	g_free(abs);
	g_free(dir);
}

/* A page far wider than cairo can draw is rendered at a lower dpi. */
static void
test_pdf_render_limits(void)
{
	char *dir = make_tmp();
	char *abs = path_in(dir, "banner.pdf");
	IngestFile *file;
	IngestImage *image;
	GError *error = NULL;

	write_image_pdf(abs, 14400, 72);
	file = ingest_file_read(abs, "banner.pdf");
	g_assert_no_error(file->error);
	image = ingest_page_render(file, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpint(image->dpi, <, INGEST_RENDER_DPI);
	g_assert_cmpint(image->width, <=, 32767);
	g_assert_cmpint(image->width, >, 30000);
	g_assert_cmpint((gint64)image->width * image->height, <=,
			INGEST_MAX_PIXELS);
	ingest_image_free(image);
	ingest_file_free(file);
	remove_tree(dir);
	g_free(abs);
	g_free(dir);
}

typedef struct {
	const IngestFile *file;
	IngestImage *image;
} RenderJob;

static gpointer
render_thread(gpointer data)
{
	RenderJob *job = data;
	GError *error = NULL;

	job->image = ingest_page_render(job->file, 2, &error);
	g_assert_no_error(error);
	return NULL;
}

static void
test_render_threads(void)
{
	char *dir = make_tmp();
	char *abs = path_in(dir, "t.pdf");
	RenderJob jobs[4];
	GThread *threads[G_N_ELEMENTS(jobs)];
	IngestFile *file;
	gsize len;

	write_text_pdf(abs, 3);
	file = ingest_file_read(abs, "t.pdf");
	g_assert_no_error(file->error);
	for (gsize i = 0; i < G_N_ELEMENTS(jobs); i++) {
		jobs[i].file = file;
		jobs[i].image = NULL;
		threads[i] = g_thread_new("render", render_thread, &jobs[i]);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(jobs); i++)
		g_thread_join(threads[i]);
	len = (gsize)jobs[0].image->stride * jobs[0].image->height;
	for (gsize i = 1; i < G_N_ELEMENTS(jobs); i++)
		g_assert_cmpmem(jobs[i].image->pixels, len,
				jobs[0].image->pixels, len);
	for (gsize i = 0; i < G_N_ELEMENTS(jobs); i++)
		ingest_image_free(jobs[i].image);
	ingest_file_free(file);
	remove_tree(dir);
	g_free(abs);
	g_free(dir);
}

static void
test_bad_pdfs(void)
{
	char *dir = make_tmp();
	char *good = path_in(dir, "good.pdf");
	char *cut = path_in(dir, "cut.pdf");
	char *junk = path_in(dir, "junk.pdf");
	GBytes *bytes;
	guint8 noise[4096];
	GRand *rand = g_rand_new_with_seed(7);

	write_text_pdf(good, 1);
	bytes = read_bytes(good);
	write_bytes(cut, g_bytes_get_data(bytes, NULL), 300);
	assert_read_fails(dir, "cut.pdf", CORE_ERROR_FORMAT, "damaged PDF");

	memcpy(noise, "%PDF-", 5);
	for (gsize i = 5; i < sizeof(noise); i++)
		noise[i] = (guint8)g_rand_int(rand);
	write_bytes(junk, noise, sizeof(noise));
	assert_read_fails(dir, "junk.pdf", CORE_ERROR_FORMAT, "damaged PDF");
	g_rand_free(rand);
	g_bytes_unref(bytes);
	remove_tree(dir);
	g_free(good);
	g_free(cut);
	g_free(junk);
	g_free(dir);
}

/* A PDF whose Standard security handler needs a password: an /Encrypt
 * dictionary whose /U does not match the empty password. Hand-made, as
 * cairo cannot encrypt and qpdf is not a build dependency. */
static void
write_encrypted_pdf(const char *path)
{
	static const char *const objs[] = {
	    "<< /Type /Catalog /Pages 2 0 R >>",
	    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
	    "<< /Filter /Standard /V 1 /R 2 /P -4"
	    " /O <0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef>"
	    " /U <fedcba9876543210fedcba9876543210"
	    "fedcba9876543210fedcba9876543210> >>",
	};
	GString *pdf = g_string_new("%PDF-1.4\n");
	gsize offsets[G_N_ELEMENTS(objs)];
	gsize xref;

	for (gsize i = 0; i < G_N_ELEMENTS(objs); i++) {
		offsets[i] = pdf->len;
		g_string_append_printf(pdf, "%zu 0 obj\n%s\nendobj\n", i + 1,
				       objs[i]);
	}
	xref = pdf->len;
	g_string_append_printf(pdf, "xref\n0 %zu\n0000000000 65535 f \n",
			       G_N_ELEMENTS(objs) + 1);
	for (gsize i = 0; i < G_N_ELEMENTS(objs); i++)
		g_string_append_printf(pdf, "%010zu 00000 n \n", offsets[i]);
	g_string_append_printf(
	    pdf,
	    "trailer\n<< /Size %zu /Root 1 0 R /Encrypt 4 0 R"
	    " /ID [<00112233445566778899aabbccddeeff>"
	    " <00112233445566778899aabbccddeeff>] >>\n"
	    "startxref\n%zu\n%%%%EOF\n",
	    G_N_ELEMENTS(objs) + 1, xref);
	write_bytes(path, pdf->str, pdf->len);
	g_string_free(pdf, TRUE);
}

static void
test_encrypted_pdf(void)
{
	char *dir = make_tmp();
	char *abs = path_in(dir, "locked.pdf");

	write_encrypted_pdf(abs);
	assert_read_fails(dir, "locked.pdf", CORE_ERROR_UNSUPPORTED,
			  "password-protected");
	remove_tree(dir);
	g_free(abs);
	g_free(dir);
}

/* ---- text layers and words ------------------------------------------- */

/* What a scanner puts in a PDF: a grey page with darker lines of "text". */
static cairo_surface_t *
make_scan_picture(void)
{
	cairo_surface_t *img =
	    cairo_image_surface_create(CAIRO_FORMAT_RGB24, 120, 170);
	cairo_t *cr = cairo_create(img);

	cairo_set_source_rgb(cr, 0.93, 0.92, 0.90);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	for (int y = 20; y < 150; y += 8) {
		cairo_rectangle(cr, 14, y, 92 - (y % 24), 3);
		cairo_fill(cr);
	}
	cairo_destroy(cr);
	return img;
}

static void
paint_scan(cairo_t *cr, cairo_surface_t *scan)
{
	cairo_save(cr);
	cairo_scale(cr, A4_W / 120.0, A4_H / 170.0);
	cairo_set_source_surface(cr, scan, 0, 0);
	cairo_paint(cr);
	cairo_restore(cr);
}

/* Three A4 pages: a scan with a scanner's mojibake OCR layer over it, a
 * scan with one typed header line, and a clean Chinese text page. */
static void
write_layer_pdf(const char *path)
{
	cairo_surface_t *s = cairo_pdf_surface_create(path, A4_W, A4_H);
	cairo_surface_t *scan = make_scan_picture();
	cairo_t *cr = cairo_create(s);
	char *junk = mojibake(CLEAN_LAYER);
	char **lines = g_strsplit(junk, "\n", -1);
	const char *font = "Noto Sans CJK SC 11";

	paint_scan(cr, scan);
	for (int i = 0; lines[i] != NULL; i++)
		draw_text_as(cr, font, 0, 0, 0, lines[i], 60, 60 + i * 30,
			     FALSE);
	cairo_show_page(cr);

	paint_scan(cr, scan);
	draw_text_as(cr, font, 0, 0, 0,
		     "广西制造业企业培优育强服务券 成果验收单 "
		     "服务券编号：GXFWQ-2026-000123",
		     60, 30, FALSE);
	cairo_show_page(cr);

	draw_text_as(cr, font, 0, 0, 0, CLEAN_LAYER CLEAN_LAYER, 60, 60, FALSE);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	g_assert_cmpint(cairo_surface_status(s), ==, CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
	cairo_surface_destroy(scan);
	g_strfreev(lines);
	g_free(junk);
}

static void
test_layer_pages(void)
{
	static const IngestLayerVerdict want[] = {
	    INGEST_LAYER_GARBLED, INGEST_LAYER_SCANNED, INGEST_LAYER_TRUSTED};
	char *dir = make_tmp();
	char *abs = path_in(dir, "layers.pdf");
	IngestFile *file;
	double score[3];

	write_layer_pdf(abs);
	file = ingest_file_read(abs, "layers.pdf");
	g_assert_no_error(file->error);
	g_assert_cmpint(file->n_pages, ==, 3);
	g_assert_cmpuint(file->layer_score->len, ==, 3);
	g_assert_cmpuint(file->layer_verdict->len, ==, 3);
	g_assert_cmpuint(file->layer_words->len, ==, 3);
	for (int i = 0; i < 3; i++) {
		IngestLayerVerdict got =
		    g_array_index(file->layer_verdict, IngestLayerVerdict, i);
		const char *text = g_ptr_array_index(file->layer_text, i);
		GArray *words = g_ptr_array_index(file->layer_words, i);

		score[i] = g_array_index(file->layer_score, double, i);
		g_test_message("page %d: %s %.3f", i + 1,
			       ingest_layer_verdict_name(got), score[i]);
		g_assert_cmpint(got, ==, want[i]);
		/* Rejected pages are OCR'd: no text, no words from the
		 * layer. */
		g_assert_cmpint(*text != '\0', ==, got == INGEST_LAYER_TRUSTED);
		g_assert_nonnull(words);
		g_assert_cmpint(words->len > 0, ==,
				got == INGEST_LAYER_TRUSTED);
	}
	g_assert_cmpfloat(score[0], <, score[1]);
	g_assert_cmpfloat(score[1], <, INGEST_LAYER_MIN_SCORE);
	g_assert_cmpfloat(score[2], >=, INGEST_LAYER_MIN_SCORE);
	g_assert_nonnull(strstr(g_ptr_array_index(file->layer_text, 2),
				"广西桂鑫机械制造有限公司"));
	ingest_file_free(file);
	remove_tree(dir);
	g_free(abs);
	g_free(dir);
}

static const CoreWord *
find_word(GArray *words, const char *text)
{
	for (guint i = 0; i < words->len; i++) {
		const CoreWord *w = &g_array_index(words, CoreWord, i);

		if (strcmp(w->text, text) == 0)
			return w;
	}
	return NULL;
}

/* write_text_pdf draws three lines from (72, 72) pt: the title, then
 * "发票号码：" and the number. Pango sets "14" at 96 dpi: 18.7 pt glyphs on
 * 27 pt lines. */
static void
test_layer_words(void)
{
	char *dir = make_tmp();
	char *abs = path_in(dir, "inv.pdf");
	const CoreWord *title, *label, *number;
	IngestFile *file;
	GArray *words;

	write_text_pdf(abs, 1);
	file = ingest_file_read(abs, "inv.pdf");
	g_assert_no_error(file->error);
	words = g_ptr_array_index(file->layer_words, 0);
	for (guint i = 0; i < words->len; i++) {
		const CoreWord *w = &g_array_index(words, CoreWord, i);

		g_test_message("%s %.3f %.3f %.3f %.3f", w->text, w->box.x,
			       w->box.y, w->box.w, w->box.h);
		g_assert_cmpfloat(w->confidence, ==, 1.0);
	}
	/* A run of Chinese on one line is one word; a colon ends it. */
	title = find_word(words, INVOICE_TITLE);
	label = find_word(words, "发票号码：");
	number = find_word(words, INVOICE_NUMBER);
	g_assert_nonnull(title);
	g_assert_nonnull(label);
	g_assert_nonnull(number);
	g_assert_nonnull(find_word(words, "购买方名称："));
	/* Where they were drawn: the left margin at 72 pt, the first line
	 * from y = 72 pt, nine characters of 18.7 pt. */
	g_assert_cmpfloat(ABS(title->box.x - 72 / A4_W), <, 0.005);
	g_assert_cmpfloat(ABS(label->box.x - 72 / A4_W), <, 0.005);
	g_assert_cmpfloat(ABS(title->box.y - 72 / A4_H), <, 0.005);
	g_assert_cmpfloat(title->box.h, >, 15 / A4_H);
	g_assert_cmpfloat(title->box.h, <, 30 / A4_H);
	g_assert_cmpfloat(ABS(title->box.w - 9 * 18.7 / A4_W), <, 0.02);
	/* The number: right of its label on the next line, 20 digits of
	 * about half an em each. */
	g_assert_cmpfloat(ABS(number->box.y - label->box.y), <, 0.005);
	g_assert_cmpfloat(number->box.y, >=,
			  title->box.y + title->box.h - 0.002);
	g_assert_cmpfloat(number->box.x, >=,
			  label->box.x + label->box.w - 0.002);
	g_assert_cmpfloat(number->box.w, >, 20 * 8 / A4_W);
	g_assert_cmpfloat(number->box.w, <, 20 * 12 / A4_W);
	ingest_file_free(file);
	remove_tree(dir);
	g_free(abs);
	g_free(dir);
}

/* ---- rendering at a resolution ---------------------------------------- */

static void
test_render_at(void)
{
	char *dir = make_tmp();
	char *pdf = path_in(dir, "t.pdf");
	char *png = path_in(dir, "p.png");
	char *jpg =
	    g_build_filename(EVIDCHECK_TEST_DATA, "ingest", "tiny.jpg", NULL);
	static const struct {
		int dpi, w, h, got_dpi;
	} jpeg_cases[] = {
	    {100, 12, 8, 100}, /* decoded at 1/2 */
	    {50, 6, 4, 50},    /* decoded at 1/4 */
	    {150, 18, 12, 150},
	    {600, 24, 16, 200}, /* never scaled up */
	};
	IngestFile *file;
	IngestImage *image;
	GError *error = NULL;

	write_text_pdf(pdf, 1);
	file = ingest_file_read(pdf, "t.pdf");
	/* A4 at 60 dpi. */
	image = ingest_page_render_at(file, 1, 60, &error);
	g_assert_no_error(error);
	g_assert_cmpint(image->dpi, ==, 60);
	g_assert_cmpint(image->width, ==, 496);
	g_assert_cmpint(image->height, ==, 702);
	ingest_image_free(image);
	g_assert_null(ingest_page_render_at(file, 1, 0, &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_USAGE);
	g_clear_error(&error);
	ingest_file_free(file);

	file = ingest_file_read(jpg, "tiny.jpg");
	for (gsize i = 0; i < G_N_ELEMENTS(jpeg_cases); i++) {
		image =
		    ingest_page_render_at(file, 1, jpeg_cases[i].dpi, &error);
		g_assert_no_error(error);
		g_assert_cmpint(image->width, ==, jpeg_cases[i].w);
		g_assert_cmpint(image->height, ==, jpeg_cases[i].h);
		g_assert_cmpint(image->dpi, ==, jpeg_cases[i].got_dpi);
		/* Still black on the left, white on the right. */
		g_assert_cmpint(grey_at(image, 0, image->height / 2), <, 80);
		g_assert_cmpint(
		    grey_at(image, image->width - 1, image->height / 2), >,
		    180);
		ingest_image_free(image);
	}
	ingest_file_free(file);

	/* A PNG says no resolution: 300 dpi, halved at 150. */
	write_png(png, 120, 80);
	file = ingest_file_read(png, "p.png");
	image = ingest_page_render_at(file, 1, 150, &error);
	g_assert_no_error(error);
	g_assert_cmpint(image->width, ==, 60);
	g_assert_cmpint(image->height, ==, 40);
	g_assert_cmpint(image->dpi, ==, 150);
	assert_rgb(image, 10, 20, 255, 0, 0);
	assert_rgb(image, 55, 20, 0, 0, 0);
	ingest_image_free(image);
	ingest_file_free(file);
	remove_tree(dir);
	g_free(pdf);
	g_free(png);
	g_free(jpg);
	g_free(dir);
}

/* ---- images ---------------------------------------------------------- */

static void
test_png(void)
{
	char *dir = make_tmp();
	char *abs = path_in(dir, "photo.png");
	IngestFile *file;
	IngestImage *image;
	GError *error = NULL;

	write_png(abs, 120, 80);
	file = ingest_file_read(abs, "photo.png");
	g_assert_no_error(file->error);
	g_assert_cmpint(file->kind, ==, INGEST_KIND_PNG);
	g_assert_cmpint(file->n_pages, ==, 1);
	g_assert_null(file->layer_text);
	image = ingest_page_render(file, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpint(image->width, ==, 120);
	g_assert_cmpint(image->height, ==, 80);
	/* No resolution stored: the document default. */
	g_assert_cmpint(image->dpi, ==, 300);
	assert_rgb(image, 10, 40, 255, 0, 0);
	assert_rgb(image, 70, 40, 255, 255, 255);
	assert_rgb(image, 110, 40, 0, 0, 0);
	ingest_image_free(image);
	g_assert_null(ingest_page_render(file, 2, &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_USAGE);
	g_clear_error(&error);
	ingest_file_free(file);
	remove_tree(dir);
	g_free(abs);
	g_free(dir);
}

/* Render NAME (already in DIR) and check size and the black left third. */
static void
check_tiny(const char *dir, const char *name, IngestKind kind)
{
	char *abs = path_in(dir, name);
	IngestFile *file = ingest_file_read(abs, name);
	IngestImage *image;
	GError *error = NULL;

	g_assert_no_error(file->error);
	g_assert_cmpint(file->kind, ==, kind);
	g_assert_cmpint(file->n_pages, ==, 1);
	image = ingest_page_render(file, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpint(image->width, ==, 24);
	g_assert_cmpint(image->height, ==, 16);
	g_assert_cmpint(grey_at(image, 2, 8), <, 60);
	g_assert_cmpint(grey_at(image, 20, 8), >, 200);
	ingest_image_free(image);
	ingest_file_free(file);
	g_free(abs);
}

/* Kind comes from the bytes: a JPEG named .pdf is a JPEG. */
static void
test_images_by_bytes(void)
{
	char *dir = make_tmp();
	char *jpg = path_in(dir, "scan.pdf");
	char *webp = path_in(dir, "a.webp");
	char *bmp = path_in(dir, "a.bmp");

	copy_test_data("tiny.jpg", jpg);
	copy_test_data("tiny.webp", webp);
	copy_test_data("tiny.bmp", bmp);
	check_tiny(dir, "scan.pdf", INGEST_KIND_JPEG);
	check_tiny(dir, "a.webp", INGEST_KIND_WEBP);
	check_tiny(dir, "a.bmp", INGEST_KIND_BMP);
	remove_tree(dir);
	g_free(jpg);
	g_free(webp);
	g_free(bmp);
	g_free(dir);
}

static void
test_jpeg_dpi(void)
{
	char *src =
	    g_build_filename(EVIDCHECK_TEST_DATA, "ingest", "tiny.jpg", NULL);
	IngestFile *file = ingest_file_read(src, "tiny.jpg");
	IngestImage *image;
	GError *error = NULL;

	image = ingest_page_render(file, 1, &error);
	g_assert_no_error(error);
	/* tiny.jpg says 200 dpi in its JFIF header. */
	g_assert_cmpint(image->dpi, ==, 200);
	ingest_image_free(image);
	ingest_file_free(file);
	g_free(src);
}

/* A phone photo of an A4 page, 3000x4000 pixels with no (or a 72 dpi)
 * resolution: read as an A4 page, about 342 dpi, so Tesseract judges the
 * text size right - and as that is finer than OCR needs, it is scaled to
 * INGEST_RENDER_DPI, still the size of an A4 page. */
static void
test_photo_dpi_guess(void)
{
	char *dir = make_tmp();
	char *abs = path_in(dir, "photo.png");
	IngestFile *file;
	IngestImage *image;
	GError *error = NULL;

	write_png(abs, 3000, 4000);
	file = ingest_file_read(abs, "photo.png");
	image = ingest_page_render(file, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpint(image->dpi, ==, INGEST_RENDER_DPI);
	/* 4000 px at 342 dpi, 3509 at 300: an A4 page's 11.7 inches. */
	g_assert_cmpint(ABS(image->height - 4000 * 300 / 342), <=, 2);
	g_assert_cmpint(ABS(image->width - 3000 * 300 / 342), <=, 2);
	ingest_image_free(image);
	ingest_file_free(file);
	remove_tree(dir);
	g_free(abs);
	g_free(dir);
}

/* tiny.jpg with an EXIF APP1 segment saying "rotate 90 degrees clockwise
 * to view" (orientation 6), as phones write portrait photos. */
static void
test_jpeg_exif_orientation(void)
{
	static const guint8 app1[] =
	    {
		0xff, 0xe1, 0x00, 0x22, 'E',  'x',  'i',
		'f',  0,    0,	  'I',	'I',  0x2a, 0x00,
		0x08, 0x00, 0x00, 0x00, 0x01, 0x00, /* one entry */
		0x12, 0x01, 0x03, 0x00,		    /* 0x0112 SHORT */
		0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, /* no next IFD */
	    };
	char *src =
	    g_build_filename(EVIDCHECK_TEST_DATA, "ingest", "tiny.jpg", NULL);
	char *dir = make_tmp();
	char *abs = path_in(dir, "portrait.jpg");
	GBytes *jpeg = read_bytes(src);
	const guint8 *data = g_bytes_get_data(jpeg, NULL);
	GByteArray *out = g_byte_array_new();
	IngestFile *file;
	IngestImage *image;
	GError *error = NULL;

	g_byte_array_append(out, data, 2);
	g_byte_array_append(out, app1, sizeof(app1));
	g_byte_array_append(out, data + 2, g_bytes_get_size(jpeg) - 2);
	write_bytes(abs, out->data, out->len);
	file = ingest_file_read(abs, "portrait.jpg");
	g_assert_no_error(file->error);
	image = ingest_page_render(file, 1, &error);
	g_assert_no_error(error);
	/* Turned clockwise: 16 wide, 24 tall, the black third on top. */
	g_assert_cmpint(image->width, ==, 16);
	g_assert_cmpint(image->height, ==, 24);
	g_assert_cmpint(image->dpi, ==, 200);
	g_assert_cmpint(grey_at(image, 8, 2), <, 60);
	g_assert_cmpint(grey_at(image, 8, 20), >, 200);
	ingest_image_free(image);
	ingest_file_free(file);
	g_byte_array_unref(out);
	g_bytes_unref(jpeg);
	remove_tree(dir);
	g_free(abs);
	g_free(dir);
	g_free(src);
}

static void
test_tiff_frames(void)
{
	char *src =
	    g_build_filename(EVIDCHECK_TEST_DATA, "ingest", "tiny2.tif", NULL);
	IngestFile *file = ingest_file_read(src, "tiny2.tif");
	IngestImage *image;
	GError *error = NULL;

	g_assert_no_error(file->error);
	g_assert_cmpint(file->kind, ==, INGEST_KIND_TIFF);
	g_assert_cmpint(file->n_pages, ==, 2);
	image = ingest_page_render(file, 2, &error);
	g_assert_no_error(error);
	g_assert_cmpint(image->width, ==, 30);
	g_assert_cmpint(image->height, ==, 12);
	g_assert_cmpint(grey_at(image, 2, 6), <, 60);
	g_assert_cmpint(grey_at(image, 25, 6), >, 200);
	ingest_image_free(image);
	g_assert_null(ingest_page_render(file, 3, &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_USAGE);
	g_clear_error(&error);
	ingest_file_free(file);
	g_free(src);
}

/* A PNG header claiming 20000 x 20000 pixels is refused before decoding. */
static void
test_image_over_limit(void)
{
	static const guint8 png[] = {
	    0x89, 'P',	'N',  'G',  '\r', '\n', 0x1a, '\n', 0x00, 0x00, 0x00,
	    0x0d, 'I',	'H',  'D',  'R',  0x00, 0x00, 0x4e, 0x20, 0x00, 0x00,
	    0x4e, 0x20, /* w, h */
	    0x08, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00, 0x00, 'I',  'E',  'N',  'D',	0xae, 0x42, 0x60, 0x82,
	};
	char *dir = make_tmp();
	char *abs = path_in(dir, "huge.png");

	write_bytes(abs, png, sizeof(png));
	assert_read_fails(dir, "huge.png", CORE_ERROR_LIMIT, "20000x20000");
	remove_tree(dir);
	g_free(abs);
	g_free(dir);
}

static void
test_bad_files(void)
{
	char *dir = make_tmp();
	char *empty = path_in(dir, "empty.pdf");
	char *txt = path_in(dir, "说明.txt");
	char *zip = path_in(dir, "invoice.ofd");
	char *jpeg = path_in(dir, "broken.jpg");
	IngestFile *file;

	write_bytes(empty, "", 0);
	assert_read_fails(dir, "empty.pdf", CORE_ERROR_FORMAT, "empty");
	write_bytes(txt, "这是说明文字\n", strlen("这是说明文字\n"));
	assert_read_fails(dir, "说明.txt", CORE_ERROR_UNSUPPORTED,
			  "unsupported format: a text file (evidcheck reads "
			  "PDF, JPEG, PNG, TIFF, WebP, BMP and HEIC)");
	write_bytes(zip, "PK\x03\x04\x14\0\0\0", 8);
	assert_read_fails(dir, "invoice.ofd", CORE_ERROR_UNSUPPORTED, "OFD");
	write_bytes(jpeg, "\xff\xd8\xff\xe0\0\x10JFIF", 10);
	assert_read_fails(dir, "broken.jpg", CORE_ERROR_FORMAT, "damaged JPEG");

	/* A missing file and a folder are errors too, never a crash. */
	assert_read_fails(dir, "gone.png", CORE_ERROR_IO, "No such file");
	file = ingest_file_read(dir, "folder");
	g_assert_error(file->error, CORE_ERROR, CORE_ERROR_IO);
	g_assert_nonnull(strstr(file->error->message, "not a regular file"));
	ingest_file_free(file);
	ingest_file_free(NULL);
	ingest_image_free(NULL);
	remove_tree(dir);
	g_free(empty);
	g_free(txt);
	g_free(zip);
	g_free(jpeg);
	g_free(dir);
}

/* ---- seals ------------------------------------------------------------ */

#define MM_X(mm, page_mm) ((mm) / (page_mm))

/* The seals on page PAGE of the file NAME (in DIR, or the test data when
 * DIR is NULL) looked at DPI. */
static GArray *
seals_of(const char *dir, const char *name, int page, int dpi)
{
	char *abs = dir != NULL ? path_in(dir, name)
				: g_build_filename(EVIDCHECK_TEST_DATA,
						   "ingest", name, NULL);
	IngestFile *file = ingest_file_read(abs, name);
	GArray *boxes = core_boxes_new();
	IngestImage *image;
	GError *error = NULL;
	int n;

	g_assert_no_error(file->error);
	image = ingest_page_render_at(file, page, dpi, &error);
	g_assert_no_error(error);
	n = ingest_image_find_seals(image, boxes);
	g_assert_cmpint(n, ==, (int)boxes->len);
	for (guint i = 0; i < boxes->len; i++) {
		const CoreBox *b = &g_array_index(boxes, CoreBox, i);

		g_test_message("%s#%d at %d dpi: seal %.3f %.3f %.3f %.3f",
			       name, page, image->dpi, b->x, b->y, b->w, b->h);
		g_assert_cmpfloat(b->x, >=, 0);
		g_assert_cmpfloat(b->y, >=, 0);
		g_assert_cmpfloat(b->x + b->w, <=, 1.0);
		g_assert_cmpfloat(b->y + b->h, <=, 1.0);
	}
	ingest_image_free(image);
	ingest_file_free(file);
	g_free(abs);
	return boxes;
}

/* Box I of BOXES is a seal of W_MM x H_MM centred at (CX_MM, CY_MM) on a
 * page of PAGE_W x PAGE_H mm, within TOL_MM (hand-stamped: the generator
 * moves seals by up to 1.5 mm). CY_MM < 0: not checked. */
static void
assert_seal(GArray *boxes, guint i, double cx_mm, double cy_mm, double w_mm,
	    double h_mm, double page_w, double page_h, double tol_mm)
{
	const CoreBox *b = &g_array_index(boxes, CoreBox, i);

	g_assert_cmpfloat(ABS(b->x + b->w / 2 - cx_mm / page_w), <,
			  tol_mm / page_w);
	if (cy_mm >= 0)
		g_assert_cmpfloat(ABS(b->y + b->h / 2 - cy_mm / page_h), <,
				  tol_mm / page_h);
	g_assert_cmpfloat(ABS(b->w - w_mm / page_w), <, 4 / page_w);
	g_assert_cmpfloat(ABS(b->h - h_mm / page_h), <, 4 / page_h);
}

/* seal_acceptance.jpg: the generator's scanned acceptance form (72 dpi,
 * see README). Its one 40 mm company seal is stamped at 153 mm from the
 * left (x1 - 82 + 45 mm, with 20 mm margins) on the signature block, at
 * about 207 mm from the top where the form's rows end. */
static void
test_seals_acceptance_form(void)
{
	GArray *boxes;

	boxes = seals_of(NULL, "seal_acceptance.jpg", 1, INGEST_SEAL_DPI);
	g_assert_cmpuint(boxes->len, ==, 1);
	assert_seal(boxes, 0, 153, 207, 40, 40, 210, 297, 5);
	g_array_unref(boxes);
	/* The same at the scan's own 72 dpi. */
	boxes = seals_of(NULL, "seal_acceptance.jpg", 1, INGEST_RENDER_DPI);
	g_assert_cmpuint(boxes->len, ==, 1);
	assert_seal(boxes, 0, 153, 207, 40, 40, 210, 297, 5);
	g_array_unref(boxes);

	boxes = seals_of(NULL, "noseal_acceptance.jpg", 1, INGEST_SEAL_DPI);
	g_assert_cmpuint(boxes->len, ==, 0);
	g_array_unref(boxes);
}

/* seal_framed_cert.jpg: a certificate inside a red double frame (the
 * generator's credit rating certificate, layout 2), its 40 mm seal over
 * the issuer's name at the lower right, about (150, 231) mm. The frame
 * runs round the whole page: its box held the seal, and was too big to be
 * one, so the seal went unseen until long red lines were taken out. */
static void
test_seals_framed(void)
{
	GArray *boxes =
	    seals_of(NULL, "seal_framed_cert.jpg", 1, INGEST_SEAL_DPI);

	g_assert_cmpuint(boxes->len, ==, 1);
	assert_seal(boxes, 0, 150, 231, 40, 40, 210, 297, 6);
	g_array_unref(boxes);
}

/* seal_midterm_p2.jpg: page 2 of the mid-term report, signed by both
 * parties: two 40 mm seals side by side, 28 mm into each half of the
 * 160 mm text width (25 mm margins): at 53 and 137 mm. */
static void
test_seals_two(void)
{
	GArray *boxes = seals_of(NULL, "seal_midterm_p2.jpg", 1, 60);
	const CoreBox *a, *b;

	g_assert_cmpuint(boxes->len, ==, 2);
	a = &g_array_index(boxes, CoreBox, 0);
	b = &g_array_index(boxes, CoreBox, 1);
	/* Top to bottom; these two are level, so either may come first. */
	g_assert_cmpfloat(a->y, <=, b->y);
	g_assert_cmpfloat(ABS(a->y - b->y), <, 5 / 297.0);
	assert_seal(boxes, a->x < b->x ? 0 : 1, 53, -1, 40, 40, 210, 297, 5);
	assert_seal(boxes, a->x < b->x ? 1 : 0, 137, -1, 40, 40, 210, 297, 5);
	g_array_unref(boxes);
}

#define INV_W_MM 241.0
#define INV_H_MM 140.0
#define MM(v)	 ((v)*72.0 / 25.4)

/* The brown-red print of a VAT e-invoice, (156, 74, 42): title, frame,
 * table rules and labels, with the values in black. */
static void
draw_invoice_form(cairo_t *cr)
{
	static const char *const heads[] = {"项目名称",	   "规格型号", "单 位",
					    "数 量",	   "单 价",    "金 额",
					    "税率/征收率", "税 额"};
	const char *ink = "Noto Serif CJK SC 9.5";

	draw_text_as(cr, "Noto Serif CJK SC Bold 18", 0.61, 0.29, 0.16,
		     "电子发票（增值税专用发票）", MM(70), MM(8), FALSE);
	cairo_set_source_rgb(cr, 0.61, 0.29, 0.16);
	cairo_set_line_width(cr, 1.2);
	cairo_move_to(cr, MM(80), MM(19));
	cairo_line_to(cr, MM(160), MM(19));
	cairo_move_to(cr, MM(80), MM(20));
	cairo_line_to(cr, MM(160), MM(20));
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.8);
	cairo_rectangle(cr, MM(10), MM(28), MM(221), MM(98));
	for (int i = 1; i < 5; i++) {
		cairo_move_to(cr, MM(10), MM(28 + i * 19.6));
		cairo_line_to(cr, MM(231), MM(28 + i * 19.6));
	}
	cairo_move_to(cr, MM(120), MM(28));
	cairo_line_to(cr, MM(120), MM(47.6));
	cairo_stroke(cr);
	draw_text_as(cr, ink, 0.61, 0.29, 0.16, "购买方信息  名称：", MM(12),
		     MM(32), FALSE);
	draw_text_as(cr, ink, 0.61, 0.29, 0.16, "销售方信息  名称：", MM(122),
		     MM(32), FALSE);
	for (gsize i = 0; i < G_N_ELEMENTS(heads); i++)
		draw_text_as(cr, ink, 0.61, 0.29, 0.16, heads[i],
			     MM(14 + i * 27), MM(50), FALSE);
	draw_text_as(cr, ink, 0.61, 0.29, 0.16,
		     "价税合计（大写）        （小写）", MM(12), MM(108),
		     FALSE);
	draw_text_as(cr, "Noto Serif CJK SC 10.5", 0, 0, 0,
		     "广西桂鑫机械制造有限公司", MM(45), MM(32), FALSE);
	draw_text_as(cr, "Noto Serif CJK SC 10.5", 0, 0, 0,
		     "南宁智联科技有限公司", MM(155), MM(32), FALSE);
	draw_text_as(cr, "Noto Serif CJK SC 10.5", 0, 0, 0,
		     "*信息技术服务*软件开发服务   项   1   56603.77   "
		     "56603.77   6%   3396.23",
		     MM(14), MM(58), FALSE);
	draw_text_as(cr, "Noto Serif CJK SC 10.5", 0, 0, 0,
		     "陆万元整                ¥60000.00", MM(50), MM(108),
		     FALSE);
}

/* The oval 发票专用章, 40 x 28 mm, centred at (CX, CY) mm: a red ring
 * and lettering as outlines, ink multiplied over the print below. */
static void
draw_invoice_seal(cairo_t *cr, double cx, double cy)
{
	cairo_save(cr);
	cairo_new_path(cr);
	cairo_translate(cr, MM(cx), MM(cy));
	cairo_set_operator(cr, CAIRO_OPERATOR_MULTIPLY);
	cairo_save(cr);
	cairo_scale(cr, 1.0, 28.0 / 40.0);
	cairo_arc(cr, 0, 0, MM(20) - 1.2, 0, 2 * G_PI);
	cairo_restore(cr);
	cairo_set_source_rgba(cr, 0.84, 0.10, 0.12, 0.86);
	cairo_set_line_width(cr, 2.4);
	cairo_stroke(cr);
	/* Pango sizes are at 96 dpi: "6.5" is 8.7 pt. */
	draw_text_as(cr, "Noto Serif CJK SC Bold 6.5", 0.84, 0.10, 0.12,
		     "南宁智联科技有限公司", -MM(15), -MM(10), TRUE);
	draw_text_as(cr, "Noto Sans CJK SC Bold 6", 0.84, 0.10, 0.12,
		     "91450100MA5N65432Y", -MM(14), -MM(3), TRUE);
	draw_text_as(cr, "Noto Serif CJK SC Bold 7", 0.84, 0.10, 0.12,
		     "发票专用章", -MM(8), MM(4), TRUE);
	cairo_restore(cr);
}

/* Red that is not a seal: a bank's 14 mm logo (a ring round 工) with its
 * red name, a red table header band with white text, and a red rule. */
static void
draw_red_things(cairo_t *cr)
{
	double cx = MM(20), cy = MM(16), r = MM(7);

	cairo_set_source_rgb(cr, 0.78, 0, 0.04);
	cairo_set_line_width(cr, r * 0.22);
	cairo_arc(cr, cx, cy, r * 0.89, 0, 2 * G_PI);
	cairo_stroke(cr);
	cairo_set_line_width(cr, r * 0.2);
	cairo_rectangle(cr, cx - r * 0.42, cy - r * 0.42, r * 0.84, r * 0.84);
	cairo_stroke(cr);
	cairo_rectangle(cr, cx - r * 0.42, cy - r * 0.10, r * 0.84, r * 0.2);
	cairo_rectangle(cr, cx - r * 0.1, cy - r * 0.9, r * 0.2, r * 0.5);
	cairo_rectangle(cr, cx - r * 0.1, cy + r * 0.4, r * 0.2, r * 0.5);
	cairo_fill(cr);
	draw_text_as(cr, "Noto Serif CJK SC Bold 17", 0.78, 0, 0.04,
		     "中国工商银行", MM(30), MM(10.5), FALSE);
	cairo_rectangle(cr, MM(10), MM(40), MM(221), MM(9));
	cairo_fill(cr);
	draw_text_as(cr, "Noto Sans CJK SC Bold 11", 1, 1, 1,
		     "序号    项目    金额    备注", MM(20), MM(41), FALSE);
	cairo_set_source_rgb(cr, 0.78, 0, 0.04);
	cairo_rectangle(cr, MM(10), MM(120), MM(221), MM(0.8));
	cairo_fill(cr);
}

/* invoice.pdf, 241 x 140 mm like the tax bureau's: page 1 the bare form,
 * page 2 the same with the seller's seal at (198, 110) mm, page 3 red
 * things that are not seals. */
static void
write_invoice_pdf(const char *path)
{
	cairo_surface_t *s =
	    cairo_pdf_surface_create(path, MM(INV_W_MM), MM(INV_H_MM));
	cairo_t *cr = cairo_create(s);

	draw_invoice_form(cr);
	cairo_show_page(cr);
	draw_invoice_form(cr);
	draw_invoice_seal(cr, 198, 110);
	cairo_show_page(cr);
	draw_red_things(cr);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	g_assert_cmpint(cairo_surface_status(s), ==, CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
}

static void
test_seals_invoice(void)
{
	static const int dpis[] = {INGEST_SEAL_DPI, 150, INGEST_RENDER_DPI};
	char *dir = make_tmp();
	char *abs = path_in(dir, "invoice.pdf");

	write_invoice_pdf(abs);
	for (gsize i = 0; i < G_N_ELEMENTS(dpis); i++) {
		GArray *boxes = seals_of(dir, "invoice.pdf", 1, dpis[i]);

		/* The brown-red form is not a seal. */
		g_assert_cmpuint(boxes->len, ==, 0);
		g_array_unref(boxes);
		boxes = seals_of(dir, "invoice.pdf", 2, dpis[i]);
		g_assert_cmpuint(boxes->len, ==, 1);
		assert_seal(boxes, 0, 198, 110, 40, 28, INV_W_MM, INV_H_MM, 2);
		g_array_unref(boxes);
		boxes = seals_of(dir, "invoice.pdf", 3, dpis[i]);
		g_assert_cmpuint(boxes->len, ==, 0);
		g_array_unref(boxes);
	}
	remove_tree(dir);
	g_free(abs);
	g_free(dir);
}

/* ---- HEIC ------------------------------------------------------------- */

static void
assert_rgb_near(const IngestImage *image, int x, int y, int r, int g, int b)
{
	const guint8 *p = pixel(image, x, y);

	/* HEVC is lossy: near, not equal. */
	g_assert_cmpint(image->channels, ==, 3);
	g_assert_cmpint(ABS(p[0] - r), <=, 32);
	g_assert_cmpint(ABS(p[1] - g), <=, 32);
	g_assert_cmpint(ABS(p[2] - b), <=, 32);
}

/* tiny.heic: 64 x 48, red left half, white, black right quarter, as
 * heif-enc writes it; tiny_rot.heic: the same with an irot property that
 * turns it a quarter clockwise, as an iPhone stores a portrait photo. */
static void
test_heic(void)
{
	char *dir = make_tmp();
	char *plain = path_in(dir, "IMG_0001.HEIC");
	char *turned = path_in(dir, "IMG_0002.HEIC");
	IngestFile *file;
	IngestImage *image;
	GError *error = NULL;

	g_assert_cmpint(sniff("\0\0\0\x18"
			      "ftypheic",
			      12),
			==, INGEST_KIND_HEIC);
	g_assert_cmpint(sniff("\0\0\0\x18"
			      "ftypmif1",
			      12),
			==, INGEST_KIND_HEIC);
	g_assert_cmpint(sniff("\0\0\0\x18"
			      "ftypisom",
			      12),
			==, INGEST_KIND_UNKNOWN);
	g_assert_cmpstr(ingest_kind_name(INGEST_KIND_HEIC), ==, "heic");

	copy_test_data("tiny.heic", plain);
	file = ingest_file_read(plain, "IMG_0001.HEIC");
	g_assert_no_error(file->error);
	g_assert_cmpint(file->kind, ==, INGEST_KIND_HEIC);
	g_assert_cmpint(file->n_pages, ==, 1);
	g_assert_null(file->layer_text);
	image = ingest_page_render(file, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpint(image->width, ==, 64);
	g_assert_cmpint(image->height, ==, 48);
	/* HEIF has no resolution: a small picture is taken at 300 dpi. */
	g_assert_cmpint(image->dpi, ==, 300);
	assert_rgb_near(image, 8, 24, 255, 0, 0);
	assert_rgb_near(image, 40, 24, 255, 255, 255);
	assert_rgb_near(image, 60, 24, 0, 0, 0);
	ingest_image_free(image);
	image = ingest_page_render_at(file, 1, 150, &error);
	g_assert_no_error(error);
	g_assert_cmpint(image->width, ==, 32);
	g_assert_cmpint(image->height, ==, 24);
	ingest_image_free(image);
	ingest_file_free(file);

	copy_test_data("tiny_rot.heic", turned);
	file = ingest_file_read(turned, "IMG_0002.HEIC");
	g_assert_no_error(file->error);
	image = ingest_page_render(file, 1, &error);
	g_assert_no_error(error);
	/* Upright: the red half on top, the black quarter at the bottom. */
	g_assert_cmpint(image->width, ==, 48);
	g_assert_cmpint(image->height, ==, 64);
	assert_rgb_near(image, 24, 8, 255, 0, 0);
	assert_rgb_near(image, 24, 40, 255, 255, 255);
	assert_rgb_near(image, 24, 60, 0, 0, 0);
	ingest_image_free(image);
	ingest_file_free(file);
	remove_tree(dir);
	g_free(plain);
	g_free(turned);
	g_free(dir);
}

/* A HEIC whose image boxes (ispe) claim 20000 x 20000 pixels is refused
 * before decoding; a cut one is damaged. */
static void
test_heic_bad(void)
{
	char *src =
	    g_build_filename(EVIDCHECK_TEST_DATA, "ingest", "tiny.heic", NULL);
	char *dir = make_tmp();
	char *huge = path_in(dir, "huge.heic");
	char *cut = path_in(dir, "cut.heic");
	GBytes *bytes = read_bytes(src);
	gsize len = g_bytes_get_size(bytes);
	guint8 *data = g_memdup2(g_bytes_get_data(bytes, NULL), len);
	int patched = 0;

	/* ispe: size, "ispe", version and flags, width, height (32 bits). */
	for (gsize i = 0; i + 16 <= len; i++) {
		if (memcmp(data + i, "ispe", 4) != 0)
			continue;
		memcpy(data + i + 8, "\0\0\x4e\x20\0\0\x4e\x20", 8);
		patched++;
	}
	g_assert_cmpint(patched, >, 0);
	write_bytes(huge, data, len);
	assert_read_fails(dir, "huge.heic", CORE_ERROR_LIMIT, "20000x20000");
	write_bytes(cut, g_bytes_get_data(bytes, NULL), 200);
	assert_read_fails(dir, "cut.heic", CORE_ERROR_FORMAT, "damaged HEIC");
	g_bytes_unref(bytes);
	g_free(data);
	remove_tree(dir);
	g_free(huge);
	g_free(cut);
	g_free(src);
	g_free(dir);
}

/* ---- the folder walk -------------------------------------------------- */

static void
make_claim_tree(const char *root)
{
	static const char *const dirs[] = {"发票", "验收", "验收/照片",
					   "__MACOSX", ".git"};
	char *p;

	for (gsize i = 0; i < G_N_ELEMENTS(dirs); i++) {
		p = path_in(root, dirs[i]);
		g_assert_cmpint(g_mkdir(p, 0755), ==, 0);
		g_free(p);
	}
	p = path_in(root, "发票/inv.pdf");
	write_text_pdf(p, 1);
	g_free(p);
	p = path_in(root, "验收/照片/现场.png");
	write_png(p, 40, 30);
	g_free(p);
	p = path_in(root, "b.png");
	write_png(p, 40, 30);
	g_free(p);
	p = path_in(root, "claim.json");
	write_bytes(p, "{}", 2);
	g_free(p);
	p = path_in(root, "验收/claim.json");
	write_bytes(p, "{}", 2);
	g_free(p);
}

static void
make_litter(const char *root)
{
	static const char *const names[] = {
	    "发票/.~lock.pdf", "__MACOSX/x.png",   ".git/HEAD",
	    "Thumbs.db",       "验收/desktop.ini", ".DS_Store"};
	char *p;

	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		p = path_in(root, names[i]);
		write_bytes(p, "x", 1);
		g_free(p);
	}
	p = path_in(root, "link.png");
	g_assert_cmpint(symlink("b.png", p), ==, 0);
	g_free(p);
	p = path_in(root, "linkdir");
	g_assert_cmpint(symlink("发票", p), ==, 0);
	g_free(p);
	p = path_in(root, "fifo");
	g_assert_cmpint(mkfifo(p, 0644), ==, 0);
	g_free(p);
}

/* Names that are not UTF-8: "发票.png" in GBK (what unzip leaves from a
 * Chinese Windows zip) and a byte no encoding explains. */
static void
make_foreign_names(const char *root)
{
	char *p = path_in(root, "\xb7\xa2\xc6\xb1.png");

	write_png(p, 10, 10);
	g_free(p);
	p = path_in(root, "bad\xff.png");
	write_png(p, 10, 10);
	g_free(p);
}

static void
test_walk(void)
{
	/* link.png leads to b.png, inside: read under its own name. */
	static const char *const expect[] = {
	    "b.png",	    "bad\\xFF.png",    "link.png",	     "发票.png",
	    "发票/inv.pdf", "验收/claim.json", "验收/照片/现场.png",
	};
	char *root = make_tmp();
	char *claim_json = NULL;
	char *want_json = path_in(root, "claim.json");
	GError *error = NULL;
	GPtrArray *files;

	make_claim_tree(root);
	make_litter(root);
	make_foreign_names(root);
	files = ingest_claim_scan(root, &claim_json, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(claim_json, ==, want_json);
	g_assert_cmpuint(files->len, ==, G_N_ELEMENTS(expect));
	for (guint i = 0; i < files->len; i++) {
		IngestFile *f = g_ptr_array_index(files, i);

		g_assert_cmpstr(f->path, ==, expect[i]);
		g_assert_true(g_utf8_validate(f->path, -1, NULL));
	}
	/* Found files are read; a claim.json below the top is an upload. */
	g_assert_no_error(((IngestFile *)g_ptr_array_index(files, 4))->error);
	g_assert_cmpint(((IngestFile *)g_ptr_array_index(files, 4))->kind, ==,
			INGEST_KIND_PDF);
	g_assert_nonnull(((IngestFile *)g_ptr_array_index(files, 5))->error);
	g_assert_cmpstr(((IngestFile *)g_ptr_array_index(files, 2))->sha256, ==,
			((IngestFile *)g_ptr_array_index(files, 0))->sha256);
	g_ptr_array_unref(files);

	/* Without a place for claim.json the walk still leaves it out. */
	files = ingest_claim_scan(root, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(files->len, ==, G_N_ELEMENTS(expect));
	g_ptr_array_unref(files);
	remove_tree(root);
	g_free(claim_json);
	g_free(want_json);
	g_free(root);
}

/* The walk alone reads nothing; loading then reads each file as the
 * one-step scan does, in any order, from any thread, once. */
static gpointer
load_in_thread(gpointer file)
{
	ingest_file_load(file);
	return NULL;
}

static void
test_walk_then_load(void)
{
	char *root = make_tmp();
	GPtrArray *listed, *scanned;
	GError *error = NULL;
	GThread *threads[8];

	make_claim_tree(root);
	listed = ingest_claim_list(root, NULL, &error);
	g_assert_no_error(error);
	scanned = ingest_claim_scan(root, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(listed->len, ==, scanned->len);
	g_assert_cmpuint(listed->len, <=, G_N_ELEMENTS(threads));
	for (guint i = 0; i < listed->len; i++) {
		IngestFile *f = g_ptr_array_index(listed, i);

		g_assert_false(f->loaded);
		g_assert_cmpstr(f->sha256, ==, "");
		g_assert_cmpint(f->n_pages, ==, 0);
		g_assert_null(f->error);
	}
	for (guint i = listed->len; i-- > 0;)
		threads[i] = g_thread_new("load", load_in_thread,
					  g_ptr_array_index(listed, i));
	for (guint i = 0; i < listed->len; i++)
		g_thread_join(threads[i]);
	for (guint i = 0; i < listed->len; i++) {
		IngestFile *a = g_ptr_array_index(listed, i);
		IngestFile *b = g_ptr_array_index(scanned, i);
		char sha[65];

		g_assert_cmpstr(a->path, ==, b->path);
		g_assert_cmpstr(a->sha256, ==, b->sha256);
		g_assert_cmpint(a->kind, ==, b->kind);
		g_assert_cmpint(a->n_pages, ==, b->n_pages);
		g_assert_cmpint(a->error == NULL, ==, b->error == NULL);
		g_strlcpy(sha, a->sha256, sizeof(sha));
		ingest_file_load(a);
		g_assert_cmpstr(a->sha256, ==, sha);
	}
	g_ptr_array_unref(listed);
	g_ptr_array_unref(scanned);
	remove_tree(root);
	g_free(root);
}

static void
test_walk_errors(void)
{
	char *root = make_tmp();
	char *gone = path_in(root, "nope");
	char *claim_json = (char *)"unset";
	GError *error = NULL;
	GPtrArray *files;
	GString *deep;

	g_assert_null(ingest_claim_scan(gone, &claim_json, &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_IO);
	g_assert_nonnull(strstr(error->message, "nope"));
	g_assert_null(claim_json);
	g_clear_error(&error);

	files = ingest_claim_scan(root, &claim_json, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(files->len, ==, 0);
	g_assert_null(claim_json);
	g_ptr_array_unref(files);

	/* Folders nested past the limit show up as one unreadable entry. */
	deep = g_string_new(root);
	for (int i = 0; i < 40; i++)
		g_string_append(deep, "/d");
	g_assert_cmpint(g_mkdir_with_parents(deep->str, 0755), ==, 0);
	g_string_append(deep, "/x.png");
	write_png(deep->str, 10, 10);
	files = ingest_claim_scan(root, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(files->len, ==, 1);
	g_assert_nonnull(strstr(((IngestFile *)files->pdata[0])->error->message,
				"nested too deep"));
	g_ptr_array_unref(files);
	g_string_free(deep, TRUE);
	remove_tree(root);
	g_free(gone);
	g_free(root);
}

/* ---- limits checked before decoding ---------------------------------- */

/* zlib of REPEAT copies of LEN bytes at DATA, LAYERS times over. */
static GByteArray *
deflated(const guint8 *data, gsize len, gsize repeat, int layers)
{
	GByteArray *out = g_byte_array_new();
	GConverter *z = G_CONVERTER(
	    g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9));
	guint8 buf[64 * 1024];

	for (gsize i = 0; i <= repeat; i++) {
		const guint8 *in = i < repeat ? data : (const guint8 *)"";
		gsize left = i < repeat ? len : 0;
		GConverterResult res;

		do {
			gsize r = 0, w = 0;

			res = g_converter_convert(
			    z, in, left, buf, sizeof(buf),
			    i < repeat ? G_CONVERTER_NO_FLAGS
				       : G_CONVERTER_INPUT_AT_END,
			    &r, &w, NULL);
			g_assert_cmpint(res, !=, G_CONVERTER_ERROR);
			g_byte_array_append(out, buf, (guint)w);
			in += r;
			left -= r;
		} while (left > 0 ||
			 (i == repeat && res != G_CONVERTER_FINISHED));
	}
	g_object_unref(z);
	if (layers > 1) {
		GByteArray *again =
		    deflated(out->data, out->len, 1, layers - 1);

		g_byte_array_unref(out);
		return again;
	}
	return out;
}

/* A one-page PDF of W x H points, written by hand; CONTENT (or none) is
 * its content stream under FILTER. */
static void
write_raw_pdf(const char *path, double w, double h, const GByteArray *content,
	      const char *filter)
{
	GByteArray *out = g_byte_array_new();
	gsize offsets[4];
	char *s;

#define RAW(str) g_byte_array_append(out, (const guint8 *)(str), strlen(str))
	RAW("%PDF-1.4\n");
	offsets[0] = out->len;
	RAW("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	offsets[1] = out->len;
	RAW("2 0 obj\n<< /Type /Pages /Count 1 /Kids [3 0 R] >>\nendobj\n");
	offsets[2] = out->len;
	s = g_strdup_printf("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox "
			    "[0 0 %.0f %.0f]%s >>\nendobj\n",
			    w, h, content != NULL ? " /Contents 4 0 R" : "");
	RAW(s);
	g_free(s);
	offsets[3] = out->len;
	if (content != NULL) {
		s = g_strdup_printf("4 0 obj\n<< /Length %u /Filter %s >>\n"
				    "stream\n",
				    content->len, filter);
		RAW(s);
		g_free(s);
		g_byte_array_append(out, content->data, content->len);
		RAW("\nendstream\nendobj\n");
	}
	s = g_strdup_printf("xref\n0 %d\n0000000000 65535 f \n",
			    content != NULL ? 5 : 4);
	RAW(s);
	g_free(s);
	for (int i = 0; i < (content != NULL ? 4 : 3); i++) {
		s = g_strdup_printf("%010" G_GSIZE_FORMAT " 00000 n \n",
				    offsets[i]);
		RAW(s);
		g_free(s);
	}
	s = g_strdup_printf("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n"
			    "%u\n%%%%EOF\n",
			    content != NULL ? 5 : 4, out->len);
	RAW(s);
	g_free(s);
#undef RAW
	write_bytes(path, out->data, out->len);
	g_byte_array_unref(out);
}

/* A page larger than INGEST_MAX_PAGE_POINTS a side is refused when the
 * file is read, before any page is read or drawn; 14400 pt is allowed
 * (render-limits draws one). */
static void
test_pdf_page_size_limit(void)
{
	char *dir = make_tmp();
	char *abs = path_in(dir, "banner.pdf");
	IngestFile *file;

	write_raw_pdf(abs, 1000, INGEST_MAX_PAGE_POINTS + 1, NULL, NULL);
	assert_read_fails(dir, "banner.pdf", CORE_ERROR_LIMIT,
			  "page 1 of the PDF is 353 x 5080 mm, over the limit "
			  "of 5080 mm a side");
	write_raw_pdf(abs, 2e6, 2e6, NULL, NULL);
	assert_read_fails(dir, "banner.pdf", CORE_ERROR_LIMIT,
			  "705556 x 705556 mm");
	write_raw_pdf(abs, INGEST_MAX_PAGE_POINTS, 500, NULL, NULL);
	file = ingest_file_read(abs, "banner.pdf");
	g_assert_no_error(file->error);
	g_assert_cmpint(file->n_pages, ==, 1);
	ingest_file_free(file);
	remove_tree(dir);
	g_free(abs);
	g_free(dir);
}

/* A content stream that inflates past INGEST_MAX_PDF_STREAM_BYTES is
 * refused before poppler parses it, also when it is deflated twice (a
 * chain of two FlateDecode filters); a modest one is read. */
static void
test_pdf_flate_bomb(void)
{
	const gsize mib = 1024 * 1024;
	guint8 *spaces = g_malloc(mib);
	char *dir = make_tmp();
	char *abs = path_in(dir, "bomb.pdf");
	gsize over = INGEST_MAX_PDF_STREAM_BYTES / mib + 8;
	GByteArray *bomb;
	IngestFile *file;

	memset(spaces, ' ', mib);
	bomb = deflated(spaces, mib, over, 1);
	write_raw_pdf(abs, A4_W, A4_H, bomb, "/FlateDecode");
	g_byte_array_unref(bomb);
	assert_read_fails(dir, "bomb.pdf", CORE_ERROR_LIMIT,
			  "unpacks to more than 384 MB, over the limit of "
			  "384 MB");
	bomb = deflated(spaces, mib, over, 2);
	g_assert_cmpuint(bomb->len, <, 64 * 1024);
	write_raw_pdf(abs, A4_W, A4_H, bomb, "[/FlateDecode /FlateDecode]");
	g_byte_array_unref(bomb);
	assert_read_fails(dir, "bomb.pdf", CORE_ERROR_LIMIT,
			  "unpacks to more than 384 MB");

	/* 16 MB of spaces in two layers: within the limit, read. */
	bomb = deflated(spaces, mib, 16, 2);
	write_raw_pdf(abs, A4_W, A4_H, bomb, "[/FlateDecode /FlateDecode]");
	g_byte_array_unref(bomb);
	file = ingest_file_read(abs, "bomb.pdf");
	g_assert_no_error(file->error);
	g_assert_cmpint(file->n_pages, ==, 1);
	ingest_file_free(file);
	remove_tree(dir);
	g_free(spaces);
	g_free(abs);
	g_free(dir);
}

/* Under the pixel limit but over INGEST_MAX_DECODED_BYTES: 10000 x 10000
 * pixels of 16-bit RGBA are 763 MB decoded, refused from the header. */
static void
test_image_decoded_limit(void)
{
	static const guint8 png[] = {
	    0x89, 'P',	'N',  'G',  '\r', '\n', 0x1a, '\n', 0x00, 0x00,
	    0x00, 0x0d, 'I',  'H',  'D',  'R',	0x00, 0x00, 0x27, 0x10,
	    0x00, 0x00, 0x27, 0x10, /* w, h */
	    0x10, 0x06,		    /* 16 bits, RGBA */
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	    0x00, 'I',	'E',  'N',  'D',  0xae, 0x42, 0x60, 0x82,
	};
	char *dir = make_tmp();
	char *abs = path_in(dir, "deep.png");

	write_bytes(abs, png, sizeof(png));
	assert_read_fails(dir, "deep.png", CORE_ERROR_LIMIT,
			  "image 1 would take 762 MB decoded (10000x10000 "
			  "pixels, 4 samples of 16 bits), over the limit of "
			  "512 MB");
	remove_tree(dir);
	g_free(abs);
	g_free(dir);
}

/* ---- links and names in the walk ------------------------------------- */

static const IngestFile *
listed(GPtrArray *files, const char *path)
{
	for (guint i = 0; i < files->len; i++) {
		const IngestFile *f = g_ptr_array_index(files, i);

		if (strcmp(f->path, path) == 0)
			return f;
	}
	return NULL;
}

static void
assert_not_followed(GPtrArray *files, const char *path, const char *why)
{
	const IngestFile *f = listed(files, path);

	g_assert_nonnull(f);
	g_assert_nonnull(f->error);
	g_test_message("%s", f->error->message);
	g_assert_nonnull(strstr(f->error->message, path));
	g_assert_nonnull(strstr(f->error->message, why));
	g_assert_cmpint(f->n_pages, ==, 0);
	g_assert_cmpstr(f->sha256, ==, "");
}

/* A link to a file inside the claim is read under its own name; one that
 * leads outside, nowhere or in a circle is listed, not followed, with the
 * reason; a link to a folder inside is not followed (its files are
 * walked where they are), one to a folder outside is listed. */
static void
test_walk_links(void)
{
	char *top = make_tmp();
	char *root = path_in(top, "claim");
	char *outside = path_in(top, "secret.png");
	char *p;
	GPtrArray *files;
	GError *error = NULL;
	char *claim_json = NULL;
	const IngestFile *f, *real;
	static const struct {
		const char *name, *target;
	} links[] = {
	    {"in.png", "sub/a.png"},
	    {"in2.png", "in.png"}, /* a link to a link to a file */
	    {"sub/up.png", "../sub/a.png"},
	    {"out.png", "../secret.png"},
	    {"abs_out.pdf", "/etc/passwd"},
	    {"dangling.pdf", "nope.pdf"},
	    {"loop.pdf", "loop.pdf"},
	    {"loop_a.pdf", "loop_b.pdf"},
	    {"loop_b.pdf", "loop_a.pdf"},
	    {"dir_in", "sub"},
	    {"dir_top", "."},
	    {"dir_out", ".."},
	};

	g_assert_cmpint(g_mkdir_with_parents(root, 0755), ==, 0);
	p = path_in(root, "sub");
	g_assert_cmpint(g_mkdir(p, 0755), ==, 0);
	g_free(p);
	p = path_in(root, "sub/a.png");
	write_png(p, 20, 10);
	g_free(p);
	write_png(outside, 30, 10);
	for (gsize i = 0; i < G_N_ELEMENTS(links); i++) {
		p = path_in(root, links[i].name);
		g_assert_cmpint(symlink(links[i].target, p), ==, 0);
		g_free(p);
	}
	/* claim.json leading outside is not read as the claim's. */
	p = path_in(root, "claim.json");
	g_assert_cmpint(symlink("../secret.png", p), ==, 0);
	g_free(p);

	files = ingest_claim_scan(root, &claim_json, &error);
	g_assert_no_error(error);
	g_assert_null(claim_json);
	real = listed(files, "sub/a.png");
	g_assert_nonnull(real);
	g_assert_no_error(real->error);
	for (gsize i = 0; i < 3; i++) {
		f = listed(files, links[i].name);
		g_assert_nonnull(f);
		g_assert_no_error(f->error);
		g_assert_cmpint(f->kind, ==, INGEST_KIND_PNG);
		g_assert_cmpstr(f->sha256, ==, real->sha256);
		g_assert_cmpstr(f->abs_path, ==, real->abs_path);
	}
	assert_not_followed(files, "out.png", "outside the claim folder");
	assert_not_followed(files, "abs_out.pdf", "outside the claim folder");
	assert_not_followed(files, "dir_out", "outside the claim folder");
	assert_not_followed(files, "claim.json", "outside the claim folder");
	assert_not_followed(files, "dangling.pdf", "does not exist");
	assert_not_followed(files, "loop.pdf", "loops back on itself");
	assert_not_followed(files, "loop_a.pdf", "loops back on itself");
	assert_not_followed(files, "loop_b.pdf", "loops back on itself");
	g_assert_null(listed(files, "dir_in"));
	g_assert_null(listed(files, "dir_in/a.png"));
	g_assert_null(listed(files, "dir_top"));
	/* in, in2, sub/up, sub/a, and the eight not followed. */
	g_assert_cmpuint(files->len, ==, 12);
	g_ptr_array_unref(files);

	/* claim.json linked from inside is the claim's, read at its target. */
	p = path_in(root, "claim.json");
	g_unlink(p);
	g_free(p);
	p = path_in(root, "sub/claim.json");
	write_bytes(p, "{}", 2);
	g_free(p);
	p = path_in(root, "claim.json");
	g_assert_cmpint(symlink("sub/claim.json", p), ==, 0);
	g_free(p);
	files = ingest_claim_list(root, &claim_json, &error);
	g_assert_no_error(error);
	g_assert_nonnull(claim_json);
	g_assert_true(g_str_has_suffix(claim_json, "/sub/claim.json"));
	g_assert_null(listed(files, "claim.json"));
	g_ptr_array_unref(files);
	g_free(claim_json);
	remove_tree(top);
	g_free(outside);
	g_free(root);
	g_free(top);
}

/* Control characters and direction marks in names are escaped like bytes
 * that are not UTF-8: the report's names stay printable, a name cannot
 * recolour a terminal or break a line, and the JSON of a report stays
 * valid (tests/hostile/ checks the whole report). */
static void
test_walk_control_names(void)
{
	static const struct {
		const char *name, *shown;
	} names[] = {
	    {"a\x01\x1b[31m\x7f\nb.png", "a\\x01\\x1B[31m\\x7F\\x0Ab.png"},
	    {"tab\there.png", "tab\\x09here.png"},
	    {"发票\xe2\x80\xae"
	     "gnp.png",
	     "发票\\u{202E}gnp.png"},
	    {"c1\xc2\x85.png", "c1\\x85.png"},
	    {"\xb7\xa2\xc6\xb1\x1b.png", "发票\\x1B.png"}, /* GBK */
	};
	char *root = make_tmp();
	GPtrArray *files;
	GError *error = NULL;

	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		char *p = path_in(root, names[i].name);

		write_png(p, 10, 10);
		g_free(p);
	}
	files = ingest_claim_scan(root, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(files->len, ==, G_N_ELEMENTS(names));
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		const IngestFile *f = listed(files, names[i].shown);

		g_assert_nonnull(f);
		/* Read by its real name all the same. */
		g_assert_no_error(f->error);
		g_assert_true(g_utf8_validate(f->path, -1, NULL));
		for (const char *c = f->path; *c != '\0';
		     c = g_utf8_next_char(c))
			g_assert_false(g_unichar_iscntrl(g_utf8_get_char(c)));
	}
	g_ptr_array_unref(files);
	remove_tree(root);
	g_free(root);
}

int
main(int argc, char **argv)
{
	int rc;

	/* UTF-8 test messages instead of "?" for every Chinese character. */
	setlocale(LC_ALL, "");
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ingest/sniff", test_sniff);
	g_test_add_func("/ingest/sha256", test_sha256);
	g_test_add_func("/ingest/layer/score", test_layer_score);
	g_test_add_func("/ingest/layer/pages", test_layer_pages);
	g_test_add_func("/ingest/layer/words", test_layer_words);
	g_test_add_func("/ingest/render-at", test_render_at);
	g_test_add_func("/ingest/pdf/text", test_text_pdf);
	g_test_add_func("/ingest/pdf/image-only", test_image_pdf);
	g_test_add_func("/ingest/pdf/render-limits", test_pdf_render_limits);
	g_test_add_func("/ingest/pdf/render-threads", test_render_threads);
	g_test_add_func("/ingest/pdf/damaged", test_bad_pdfs);
	g_test_add_func("/ingest/pdf/encrypted", test_encrypted_pdf);
	g_test_add_func("/ingest/image/png", test_png);
	g_test_add_func("/ingest/image/by-bytes", test_images_by_bytes);
	g_test_add_func("/ingest/image/jpeg-dpi", test_jpeg_dpi);
	g_test_add_func("/ingest/image/photo-dpi-guess", test_photo_dpi_guess);
	g_test_add_func("/ingest/image/exif-orientation",
			test_jpeg_exif_orientation);
	g_test_add_func("/ingest/image/tiff-frames", test_tiff_frames);
	g_test_add_func("/ingest/image/over-limit", test_image_over_limit);
	g_test_add_func("/ingest/image/heic", test_heic);
	g_test_add_func("/ingest/image/heic-bad", test_heic_bad);
	g_test_add_func("/ingest/seals/acceptance-form",
			test_seals_acceptance_form);
	g_test_add_func("/ingest/seals/two", test_seals_two);
	g_test_add_func("/ingest/seals/framed", test_seals_framed);
	g_test_add_func("/ingest/seals/invoice", test_seals_invoice);
	g_test_add_func("/ingest/bad-files", test_bad_files);
	g_test_add_func("/ingest/walk", test_walk);
	g_test_add_func("/ingest/walk-then-load", test_walk_then_load);
	g_test_add_func("/ingest/walk-errors", test_walk_errors);
	g_test_add_func("/ingest/walk-links", test_walk_links);
	g_test_add_func("/ingest/walk-control-names", test_walk_control_names);
	g_test_add_func("/ingest/limits/pdf-page-size",
			test_pdf_page_size_limit);
	g_test_add_func("/ingest/limits/pdf-flate-bomb", test_pdf_flate_bomb);
	g_test_add_func("/ingest/limits/image-decoded",
			test_image_decoded_limit);
	rc = g_test_run();
	/* Drop pango's and cairo's font caches so LeakSanitizer reports
	 * only what is really lost. */
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	return rc;
}
