/* test_sealtext.c - the organisation on a seal's ring (ocr/sealtext.c):
 * the cleaning of what Tesseract reads into a name, and the pages where no
 * name may come out - a red logo, a seal cut by the page edge, a grey
 * page - besides a drawn seal, upright and turned. How often real-looking
 * seals are read is measured by tests/accuracy (accuracy/seals). */
#include <locale.h>
#include <math.h>
#include <string.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "core/core.h"
#include "ingest/ingest.h"
#include "ocr/ocr.h"

#define DPI	   300
#define PAGE_W	   1240 /* 105 x 148 mm at DPI: an A6 card is enough */
#define PAGE_H	   1748
#define SEAL_R	   236 /* a 40 mm seal */
#define ORG	   "南宁智联科技有限公司"
#define SEAL_INK_R 0.84
#define SEAL_INK_G 0.10
#define SEAL_INK_B 0.12

/* ---- cleaning ------------------------------------------------------------ */

static void
test_clean(void)
{
	static const struct {
		const char *raw, *name;
	} cases[] = {
	    {"南宁智联科技有限公司", "南宁智联科技有限公司"},
	    {" 南 宁 智联 科技有限公司\n", "南宁智联科技有限公司"},
	    {"广西桂鑫机械制造有限公司合同专用章", "广西桂鑫机械制造有限公司"},
	    {"中华人民共和国国家版权局", "中华人民共和国国家版权局"},
	    {"广西壮族自治区产品质量检验研究院",
	     "广西壮族自治区产品质量检验研究院"},
	    {"中国工商银行股份有限公司柳州分行",
	     "中国工商银行股份有限公司柳州分行"},
	    {"南宁市第一人民医院", "南宁市第一人民医院"},
	    {"广西大学", "广西大学"},
	    {"桂林某某(集团)有限公司", "桂林某某（集团）有限公司"},
	    {"“南宁智联科技有限公司。", "南宁智联科技有限公司"},
	    /* Not a name: no organisation's ending, too short, Latin. */
	    {"广西桂鑫机械制造有限", NULL},
	    {"公司", NULL},
	    {"有限公司", NULL},
	    {"J” FES BUBBA fii)", NULL},
	    {"SHENZHEN ABC 公司", NULL},
	    {"", NULL},
	    {"合同专用章", NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *name = ocr_seal_name_clean(cases[i].raw);

		g_assert_cmpstr(name, ==, cases[i].name);
		g_free(name);
	}
	g_assert_null(ocr_seal_name_clean(NULL));
}

/* ---- drawn pages -----------------------------------------------------------
 */

static cairo_t *
page_new(cairo_surface_t **surface)
{
	cairo_t *cr;

	*surface =
	    cairo_image_surface_create(CAIRO_FORMAT_RGB24, PAGE_W, PAGE_H);
	cr = cairo_create(*surface);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	/* Black rules under and around the seal, thin as print's strokes. */
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int y = 200; y < PAGE_H - 200; y += 90)
		cairo_rectangle(cr, 100, y, PAGE_W - 200, 3);
	cairo_fill(cr);
	return cr;
}

/* A round seal at CX, CY: ring, ORG along the top arc (letters upright
 * from the centre, as on a real seal) and a star, in multiplied red. */
static void
draw_seal(cairo_t *cr, double cx, double cy, double turn)
{
	PangoLayout *layout = pango_cairo_create_layout(cr);
	PangoFontDescription *font =
	    pango_font_description_from_string("Noto Serif CJK SC Bold");
	const char *p = ORG;
	glong n = g_utf8_strlen(ORG, -1);
	double span = n * 0.34;

	pango_font_description_set_absolute_size(font,
						 0.28 * SEAL_R * PANGO_SCALE);
	pango_layout_set_font_description(layout, font);
	cairo_save(cr);
	cairo_set_operator(cr, CAIRO_OPERATOR_MULTIPLY);
	cairo_set_source_rgb(cr, SEAL_INK_R, SEAL_INK_G, SEAL_INK_B);
	cairo_translate(cr, cx, cy);
	cairo_rotate(cr, turn);
	cairo_set_line_width(cr, SEAL_R * 0.065);
	cairo_arc(cr, 0, 0, SEAL_R * 0.965, 0, 2 * G_PI);
	cairo_stroke(cr);
	for (glong i = 0; i < n; i++, p = g_utf8_next_char(p)) {
		double phi = ((i + 0.5) / n - 0.5) * span;
		int w, h;

		pango_layout_set_text(layout, p,
				      (int)(g_utf8_next_char(p) - p));
		pango_layout_get_pixel_size(layout, &w, &h);
		cairo_save(cr);
		cairo_translate(cr, 0.72 * SEAL_R * sin(phi),
				-0.72 * SEAL_R * cos(phi));
		cairo_rotate(cr, phi);
		cairo_scale(cr, 0.78, 1);
		cairo_move_to(cr, -w / 2.0, -h / 2.0);
		pango_cairo_show_layout(cr, layout);
		cairo_restore(cr);
	}
	cairo_arc(cr, 0, 0, SEAL_R * 0.25, 0, 2 * G_PI);
	cairo_fill(cr);
	cairo_restore(cr);
	pango_font_description_free(font);
	g_object_unref(layout);
}

/* ORG on an oval 发票专用章 (40 x 28 mm) at CX, CY, turned by TURN: each
 * letter upright on the ellipse's normal, as such seals are cut, the
 * seller's tax number across the middle and the seal's kind below. */
static void
draw_oval_seal(cairo_t *cr, double cx, double cy, double turn)
{
	PangoLayout *layout = pango_cairo_create_layout(cr);
	PangoFontDescription *font =
	    pango_font_description_from_string("Noto Serif CJK SC Bold");
	const char *p = ORG;
	glong n = g_utf8_strlen(ORG, -1);
	double rx = SEAL_R, ry = SEAL_R * 0.7, span = 0.8 * G_PI;
	double lx = rx - 51, ly = ry - 47; /* 4.3 and 4.0 mm in */
	int w, h;

	pango_font_description_set_absolute_size(font, 40 * PANGO_SCALE);
	pango_layout_set_font_description(layout, font);
	cairo_save(cr);
	cairo_set_operator(cr, CAIRO_OPERATOR_MULTIPLY);
	cairo_set_source_rgb(cr, SEAL_INK_R, SEAL_INK_G, SEAL_INK_B);
	cairo_translate(cr, cx, cy);
	cairo_rotate(cr, turn);
	cairo_save(cr);
	cairo_scale(cr, 1, ry / rx);
	cairo_arc(cr, 0, 0, rx - 6, 0, 2 * G_PI);
	cairo_restore(cr);
	cairo_set_line_width(cr, 10);
	cairo_stroke(cr);
	for (glong i = 0; i < n; i++, p = g_utf8_next_char(p)) {
		double t = ((i + 0.5) / n - 0.5) * span;

		pango_layout_set_text(layout, p,
				      (int)(g_utf8_next_char(p) - p));
		pango_layout_get_pixel_size(layout, &w, &h);
		cairo_save(cr);
		cairo_translate(cr, lx * sin(t), -ly * cos(t));
		cairo_rotate(cr, atan2(sin(t) / lx, cos(t) / ly));
		cairo_scale(cr, 0.72, 1);
		cairo_move_to(cr, -w / 2.0, -h / 2.0);
		pango_cairo_show_layout(cr, layout);
		cairo_restore(cr);
	}
	pango_layout_set_text(layout, "91450100MA5N65432Y", -1);
	pango_layout_get_pixel_size(layout, &w, &h);
	cairo_save(cr);
	cairo_scale(cr, 0.6, 1);
	cairo_move_to(cr, -w / 2.0, 18 - h / 2.0);
	pango_cairo_show_layout(cr, layout);
	cairo_restore(cr);
	pango_layout_set_text(layout, "发票专用章", -1);
	pango_layout_get_pixel_size(layout, &w, &h);
	cairo_move_to(cr, -w / 2.0, 97 - h / 2.0);
	pango_cairo_show_layout(cr, layout);
	cairo_restore(cr);
	pango_font_description_free(font);
	g_object_unref(layout);
}

/* The page drawn on SURFACE as an RGB IngestImage, turned clockwise by
 * TURN degrees (0 or 90) as a photo taken sideways would be. */
static IngestImage *
page_image(cairo_surface_t *surface, int turn)
{
	const guint8 *data;
	int stride = cairo_image_surface_get_stride(surface);
	IngestImage *image = g_new0(IngestImage, 1);

	cairo_surface_flush(surface);
	data = cairo_image_surface_get_data(surface);
	image->width = turn == 90 ? PAGE_H : PAGE_W;
	image->height = turn == 90 ? PAGE_W : PAGE_H;
	image->channels = 3;
	image->stride = image->width * 3;
	image->dpi = DPI;
	image->pixels = g_malloc((gsize)image->stride * image->height);
	for (int y = 0; y < PAGE_H; y++) {
		const guint32 *row =
		    (const guint32 *)(data + (gsize)y * stride);

		for (int x = 0; x < PAGE_W; x++) {
			/* Turned 90 clockwise: page (x, y) goes to
			 * (PAGE_H - 1 - y, x). */
			int tx = turn == 90 ? PAGE_H - 1 - y : x;
			int ty = turn == 90 ? x : y;
			guint8 *dst = image->pixels +
				      (gsize)ty * image->stride + (gsize)tx * 3;

			dst[0] = row[x] >> 16 & 0xff;
			dst[1] = row[x] >> 8 & 0xff;
			dst[2] = row[x] & 0xff;
		}
	}
	return image;
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

/* What each seal the detector finds on IMAGE reads as; the image must
 * be turned ROTATION clockwise to be upright. Never a wrong name. */
static int
read_seals(OcrEngine *engine, const IngestImage *image, int rotation,
	   int *exact)
{
	GArray *boxes = core_boxes_new();
	int found = ingest_image_find_seals(image, boxes);

	*exact = 0;
	for (guint i = 0; i < boxes->len; i++) {
		GError *error = NULL;
		char *name = ocr_seal_read(engine, image,
					   &g_array_index(boxes, CoreBox, i),
					   rotation, &error);

		g_assert_no_error(error);
		g_test_message("seal %u: %s", i, name != NULL ? name : "-");
		if (name != NULL)
			g_assert_cmpstr(name, ==, ORG);
		*exact += name != NULL;
		g_free(name);
	}
	g_array_unref(boxes);
	return found;
}

static void
test_drawn_seal(void)
{
	OcrEngine *engine = new_engine();
	cairo_surface_t *surface;
	cairo_t *cr = page_new(&surface);
	IngestImage *image;
	int exact = 0;

	draw_seal(cr, PAGE_W / 2.0, PAGE_H / 2.0, 0.1);
	image = page_image(surface, 0);
	g_assert_cmpint(read_seals(engine, image, 0, &exact), ==, 1);
	g_assert_cmpint(exact, ==, 1);
	ingest_image_free(image);

	/* Photographed sideways: the ring is read from the page's top. */
	image = page_image(surface, 90);
	g_assert_cmpint(read_seals(engine, image, 270, &exact), ==, 1);
	g_assert_cmpint(exact, ==, 1);
	ingest_image_free(image);

	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	ocr_engine_free(engine);
}

/* The oval seal's ring is fitted as an ellipse, turned as stamped, and
 * its letters unwrapped along it. */
static void
test_oval_seal(void)
{
	OcrEngine *engine = new_engine();
	cairo_surface_t *surface;
	cairo_t *cr = page_new(&surface);
	IngestImage *image;
	int exact = 0;

	draw_oval_seal(cr, PAGE_W / 2.0, PAGE_H / 2.0, -0.05);
	image = page_image(surface, 0);
	g_assert_cmpint(read_seals(engine, image, 0, &exact), ==, 1);
	g_assert_cmpint(exact, ==, 1);
	ingest_image_free(image);

	/* Sideways, the oval stands tall and its top is the page's: read
	 * or not (its first letter came out wrong, gated away), never
	 * another name. */
	image = page_image(surface, 90);
	g_assert_cmpint(read_seals(engine, image, 270, &exact), ==, 1);
	ingest_image_free(image);
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	ocr_engine_free(engine);
}

/* A solid red disc with a white mark, like a bank's logo; and a seal
 * half off the page: neither gives a name. */
static void
test_no_name(void)
{
	OcrEngine *engine = new_engine();
	cairo_surface_t *surface;
	cairo_t *cr = page_new(&surface);
	IngestImage *image;
	CoreBox logo = {0.3, 0.1, 0.3, 0.3 * PAGE_W / PAGE_H};
	CoreBox edge;
	GError *error = NULL;
	char *name;
	int exact = -1;

	cairo_set_source_rgb(cr, SEAL_INK_R, SEAL_INK_G, SEAL_INK_B);
	cairo_arc(cr, (logo.x + logo.w / 2) * PAGE_W,
		  (logo.y + logo.h / 2) * PAGE_H, logo.w * PAGE_W / 2, 0,
		  2 * G_PI);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, (logo.x + logo.w * 0.4) * PAGE_W,
			(logo.y + logo.h * 0.2) * PAGE_H, logo.w * 0.2 * PAGE_W,
			logo.h * 0.6 * PAGE_H);
	cairo_fill(cr);
	draw_seal(cr, PAGE_W - SEAL_R * 0.4, PAGE_H * 0.7, 0);
	image = page_image(surface, 0);

	name = ocr_seal_read(engine, image, &logo, 0, &error);
	g_assert_no_error(error);
	g_assert_null(name);
	edge = (CoreBox){(PAGE_W - SEAL_R * 1.4) / PAGE_W,
			 (PAGE_H * 0.7 - SEAL_R) / PAGE_H,
			 SEAL_R * 1.4 / PAGE_W, 2.0 * SEAL_R / PAGE_H};
	name = ocr_seal_read(engine, image, &edge, 0, &error);
	g_assert_no_error(error);
	g_assert_null(name);
	/* Whatever the detector makes of them. */
	read_seals(engine, image, 0, &exact);
	g_assert_cmpint(exact, ==, 0);

	ingest_image_free(image);
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
	ocr_engine_free(engine);
}

/* A grey page has no red; a broken image is an error. */
static void
test_bad_input(void)
{
	OcrEngine *engine = new_engine();
	IngestImage grey = {PAGE_W, PAGE_H, 1, PAGE_W, DPI, NULL};
	IngestImage broken = {PAGE_W, PAGE_H, 3, PAGE_W * 3, DPI, NULL};
	CoreBox box = {0.3, 0.3, 0.3, 0.2};
	GError *error = NULL;

	grey.pixels = g_malloc0((gsize)PAGE_W * PAGE_H);
	g_assert_null(ocr_seal_read(engine, &grey, &box, 0, &error));
	g_assert_no_error(error);
	g_assert_null(ocr_seal_read(engine, &broken, &box, 0, &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_USAGE);
	g_clear_error(&error);
	g_free(grey.pixels);
	ocr_engine_free(engine);
}

int
main(int argc, char **argv)
{
	int rc;

	setlocale(LC_ALL, "");
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/sealtext/clean", test_clean);
	g_test_add_func("/sealtext/drawn-seal", test_drawn_seal);
	g_test_add_func("/sealtext/oval-seal", test_oval_seal);
	g_test_add_func("/sealtext/no-name", test_no_name);
	g_test_add_func("/sealtext/bad-input", test_bad_input);
	rc = g_test_run();
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	return rc;
}
