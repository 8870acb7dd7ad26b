/* test_ingest.c - unit tests of ingest/: kind sniffing, hashing, PDF text
 * layers and rendering, image headers and decoding (EXIF orientation,
 * TIFF frames), the errors for bad uploads, and the claim folder walk.
 * PDFs and PNGs are drawn here with cairo; the few other images come from
 * tests/data/ingest/ (recipe: make_images.c there). */
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
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

static gboolean
usable(const char *text)
{
	return ingest_text_is_usable(text);
}

static void
test_text_usable(void)
{
	g_assert_false(usable(NULL));
	g_assert_false(usable(""));
	g_assert_false(usable(" \n\t-- ,,。。 ／／ ...."));
	/* 19 Han characters: one short. */
	g_assert_false(usable("增值税电子普通发票发票号码开票日期购买"));
	g_assert_true(usable("增值税电子普通发票发票号码开票日期购买方"));
	g_assert_true(usable("Invoice No. 26452000000012345678"));
	/* Broken bytes are skipped, not fatal. */
	g_assert_true(usable("\xff\xfe"
			     "abcdefghij\x80klmnopqrstuvwxyz"));
	g_assert_false(usable("\xff\xfe\x80\xc3"));
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
	g_assert_true(usable(g_ptr_array_index(file->layer_text, 0)));
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
 * text size right. */
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
	g_assert_cmpint(image->dpi, ==, 342);
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
			  "PDF, JPEG, PNG, TIFF, WebP and BMP)");
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
	static const char *const expect[] = {
	    "b.png",	    "bad\\xFF.png",    "发票.png",
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
	g_assert_no_error(((IngestFile *)g_ptr_array_index(files, 3))->error);
	g_assert_cmpint(((IngestFile *)g_ptr_array_index(files, 3))->kind, ==,
			INGEST_KIND_PDF);
	g_assert_nonnull(((IngestFile *)g_ptr_array_index(files, 4))->error);
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

int
main(int argc, char **argv)
{
	int rc;

	/* UTF-8 test messages instead of "?" for every Chinese character. */
	setlocale(LC_ALL, "");
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ingest/sniff", test_sniff);
	g_test_add_func("/ingest/sha256", test_sha256);
	g_test_add_func("/ingest/text-usable", test_text_usable);
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
	g_test_add_func("/ingest/bad-files", test_bad_files);
	g_test_add_func("/ingest/walk", test_walk);
	g_test_add_func("/ingest/walk-errors", test_walk_errors);
	rc = g_test_run();
	/* Drop pango's and cairo's font caches so LeakSanitizer reports
	 * only what is really lost. */
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	return rc;
}
