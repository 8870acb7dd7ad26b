/* pdf.c - every poppler call of evidcheck: open a PDF from its bytes, read
 * each page's text layer with its character boxes and the share of the page
 * under images (layer.c judges them), and render a page to RGB pixels for
 * OCR or for a low-resolution look at the seals. Poppler objects never leave
 * this file; each call opens its own document, so renders run in parallel. */
#include <math.h>
#include <string.h>

#include <cairo.h>
#include <poppler.h>

#include "ingest/ingest_int.h"

/* Open BYTES as a PDF; NULL with ERROR in our words naming REL_PATH. */
static PopplerDocument *
open_pdf(GBytes *bytes, const char *rel_path, GError **error)
{
	PopplerDocument *doc;
	GError *local = NULL;

	doc = poppler_document_new_from_bytes(bytes, NULL, &local);
	if (doc != NULL)
		return doc;
	if (g_error_matches(local, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
		g_set_error(error, CORE_ERROR, CORE_ERROR_UNSUPPORTED,
			    "cannot read '%s': the PDF is password-protected; "
			    "upload a copy without a password",
			    rel_path);
	else
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "cannot read '%s': damaged PDF (%s)", rel_path,
			    local != NULL ? local->message : "unknown error");
	g_clear_error(&local);
	return NULL;
}

/* Grid on which the union of a page's images is measured: overlapping
 * images count once, and cost stays bounded whatever they are. */
#define COVER_GRID 64

/* The share of PAGE (W x H points) covered by its images, 0..1. Image
 * rectangles come from the file: each is clipped to the page, and a page
 * with more than INGEST_MAX_PAGE_IMAGES images counts as covered. */
static double
image_cover(PopplerPage *page, double w, double h)
{
	GList *maps = poppler_page_get_image_mapping(page);
	guint8 grid[COVER_GRID][COVER_GRID];
	guint n = g_list_length(maps);
	int covered = 0;

	if (n > INGEST_MAX_PAGE_IMAGES) {
		poppler_page_free_image_mapping(maps);
		return 1.0;
	}
	memset(grid, 0, sizeof(grid));
	for (GList *l = maps; l != NULL; l = l->next) {
		const PopplerImageMapping *m = l->data;
		double x1 = MIN(m->area.x1, m->area.x2) / w;
		double x2 = MAX(m->area.x1, m->area.x2) / w;
		double y1 = MIN(m->area.y1, m->area.y2) / h;
		double y2 = MAX(m->area.y1, m->area.y2) / h;
		int c1, c2, r1, r2;

		if (!isfinite(x1) || !isfinite(x2) || !isfinite(y1) ||
		    !isfinite(y2))
			continue;
		/* A cell counts when the image covers its centre. */
		c1 = (int)ceil(CLAMP(x1, 0, 1) * COVER_GRID - 0.5);
		c2 = (int)floor(CLAMP(x2, 0, 1) * COVER_GRID - 0.5);
		r1 = (int)ceil(CLAMP(y1, 0, 1) * COVER_GRID - 0.5);
		r2 = (int)floor(CLAMP(y2, 0, 1) * COVER_GRID - 0.5);
		for (int r = MAX(r1, 0); r <= MIN(r2, COVER_GRID - 1); r++)
			for (int c = MAX(c1, 0); c <= MIN(c2, COVER_GRID - 1);
			     c++)
				grid[r][c] = 1;
	}
	poppler_page_free_image_mapping(maps);
	for (int r = 0; r < COVER_GRID; r++)
		for (int c = 0; c < COVER_GRID; c++)
			covered += grid[r][c];
	return (double)covered / (COVER_GRID * COVER_GRID);
}

/* The words of TEXT on PAGE from poppler's per-character boxes, copied
 * into our own rectangles at this border. */
static GArray *
page_words(PopplerPage *page, const char *text, double w, double h)
{
	PopplerRectangle *rects = NULL;
	IngestRect *own = NULL;
	guint n = 0;
	GArray *words;

	if (!poppler_page_get_text_layout(page, &rects, &n) || rects == NULL)
		return core_words_new();
	own = g_new(IngestRect, MAX(n, 1));
	for (guint i = 0; i < n; i++) {
		own[i].x1 = rects[i].x1;
		own[i].y1 = rects[i].y1;
		own[i].x2 = rects[i].x2;
		own[i].y2 = rects[i].y2;
	}
	words = ingest_layer_words(text, own, n, w, h);
	g_free(own);
	g_free(rects);
	return words;
}

/* Read page INDEX into FILE's layer arrays: the text, its score and
 * verdict, its words. An untrusted layer leaves "" and no words, so the
 * page is OCR'd. */
static void
read_page_layer(IngestFile *file, PopplerDocument *doc, int index)
{
	PopplerPage *page = poppler_document_get_page(doc, index);
	IngestLayerVerdict verdict = INGEST_LAYER_NONE;
	GArray *words = NULL;
	char *text = NULL;
	double score = 0, cover = 0, w = 0, h = 0;

	if (page != NULL)
		text = poppler_page_get_text(page);
	if (text != NULL) {
		poppler_page_get_size(page, &w, &h);
		/* The cover matters only when there is text to judge, and
		 * not when the layer scores the same whatever the cover (a
		 * full page of text); measuring it draws the page. */
		score = ingest_layer_score(text, 0, &verdict);
		if (verdict == INGEST_LAYER_TRUSTED && w > 0 && h > 0 &&
		    ingest_layer_score(text, 1.0, NULL) != score) {
			cover = image_cover(page, w, h);
			score = ingest_layer_score(text, cover, &verdict);
		}
	}
	if (verdict == INGEST_LAYER_TRUSTED) {
		words = page_words(page, text, w, h);
	} else {
		g_free(text);
		text = g_strdup("");
		words = core_words_new();
	}
	g_ptr_array_add(file->layer_text, text);
	g_array_append_val(file->layer_score, score);
	g_array_append_val(file->layer_verdict, verdict);
	g_ptr_array_add(file->layer_words, words);
	g_clear_object(&page);
}

static void
words_free(gpointer words)
{
	if (words != NULL)
		g_array_unref(words);
}

/* Every page's size, checked before any page is read or drawn: a page
 * claiming a MediaBox of kilometres would be drawn at a few dpi, its
 * text unreadable, and is a trap rather than a document. A page that
 * cannot be opened or has no size is left to fail alone when it is
 * drawn, so the file's other pages are still read. */
static gboolean
pages_fit(IngestFile *file, PopplerDocument *doc, int n)
{
	for (int i = 0; i < n; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		double w = 0, h = 0;

		if (page != NULL)
			poppler_page_get_size(page, &w, &h);
		g_clear_object(&page);
		if (isfinite(w) && isfinite(h) &&
		    MAX(w, h) > INGEST_MAX_PAGE_POINTS) {
			ingest_file_fail(file, CORE_ERROR_LIMIT,
					 "page %d of the PDF is %.0f x %.0f "
					 "mm, over the limit of %.0f mm a "
					 "side; print it to PDF on standard "
					 "paper",
					 i + 1, w / 72 * 25.4, h / 72 * 25.4,
					 INGEST_MAX_PAGE_POINTS / 72.0 * 25.4);
			return FALSE;
		}
	}
	return TRUE;
}

void
ingest_pdf_read(IngestFile *file, GBytes *bytes)
{
	PopplerDocument *doc = NULL;
	int n;

	doc = open_pdf(bytes, file->path, &file->error);
	if (doc == NULL)
		goto cleanup;
	n = poppler_document_get_n_pages(doc);
	if (n < 1) {
		ingest_file_fail(file, CORE_ERROR_FORMAT,
				 "the PDF has no pages");
		goto cleanup;
	}
	if (n > INGEST_MAX_PAGES) {
		ingest_file_fail(file, CORE_ERROR_LIMIT,
				 "the PDF has %d pages, over the limit of "
				 "%d; split it into smaller files",
				 n, INGEST_MAX_PAGES);
		goto cleanup;
	}
	if (!pages_fit(file, doc, n))
		goto cleanup;
	file->layer_text = core_ptr_array_new(g_free);
	file->layer_score = g_array_sized_new(FALSE, FALSE, sizeof(double), n);
	file->layer_verdict =
	    g_array_sized_new(FALSE, FALSE, sizeof(IngestLayerVerdict), n);
	file->layer_words = core_ptr_array_new(words_free);
	for (int i = 0; i < n; i++)
		read_page_layer(file, doc, i);
	file->n_pages = n;
cleanup:
	g_clear_object(&doc);
}

static void
page_pixels(double w_pt, double h_pt, int dpi, int *w, int *h)
{
	*w = MAX(1, (int)lround(w_pt * dpi / 72.0));
	*h = MAX(1, (int)lround(h_pt * dpi / 72.0));
}

/* WANT, lowered until the page fits INGEST_MAX_PIXELS and cairo's side
 * limit; 0 when the page size is absurd. */
static int
render_dpi(double w_pt, double h_pt, int want)
{
	const double scale = want / 72.0;
	double px, side, f;
	int dpi, w, h;

	if (!isfinite(w_pt) || !isfinite(h_pt) || w_pt <= 0 || h_pt <= 0)
		return 0;
	px = (w_pt * scale) * (h_pt * scale);
	side = MAX(w_pt, h_pt) * scale;
	f = MIN(1.0, MIN(sqrt(INGEST_MAX_PIXELS / px), INGEST_MAX_SIDE / side));
	dpi = (int)floor(want * f);
	/* Rounding of the sides can still tip it over by a row or two. */
	for (; dpi > 0; dpi--) {
		page_pixels(w_pt, h_pt, dpi, &w, &h);
		if ((gint64)w * h <= INGEST_MAX_PIXELS &&
		    MAX(w, h) <= INGEST_MAX_SIDE)
			break;
	}
	return dpi;
}

/* Cairo's RGB24 is one native-endian 0x00RRGGBB word per pixel; the rest
 * of evidcheck wants packed RGB bytes, colour kept for seal detection. */
static IngestImage *
surface_to_image(cairo_surface_t *surface, int dpi, GError **error)
{
	int w = cairo_image_surface_get_width(surface);
	int h = cairo_image_surface_get_height(surface);
	int src_stride = cairo_image_surface_get_stride(surface);
	const guint8 *src = cairo_image_surface_get_data(surface);
	IngestImage *image = ingest_image_new(w, h, 3, dpi, error);

	if (image == NULL)
		return NULL;
	for (int y = 0; y < h; y++) {
		const guint32 *row =
		    (const guint32 *)(src + (gsize)y * src_stride);
		guint8 *dst = image->pixels + (gsize)y * image->stride;

		for (int x = 0; x < w; x++, dst += 3) {
			dst[0] = (row[x] >> 16) & 0xff;
			dst[1] = (row[x] >> 8) & 0xff;
			dst[2] = row[x] & 0xff;
		}
	}
	return image;
}

/* Page PAGE (from 1) of DOC, FILE's, or NULL with ERROR set. */
static PopplerPage *
open_page(PopplerDocument *doc, const IngestFile *file, int page,
	  GError **error)
{
	PopplerPage *pp = NULL;

	if (page <= poppler_document_get_n_pages(doc))
		pp = poppler_document_get_page(doc, page - 1);
	if (pp == NULL)
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "cannot read '%s': page %d cannot be opened",
			    file->path, page);
	return pp;
}

/* Draw PAGE on a white canvas of W x H at DPI, the canvas's top-left
 * corner at (OX, OY) points of the page. White first: a PDF page is
 * transparent where nothing is painted, and OCR wants paper. */
static IngestImage *
draw_page(PopplerPage *page, int w, int h, int dpi, double ox, double oy,
	  const char *rel_path, GError **error)
{
	cairo_surface_t *surface;
	cairo_t *cr = NULL;
	cairo_status_t status;
	IngestImage *image = NULL;

	surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
		goto fail;
	cr = cairo_create(surface);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, dpi / 72.0, dpi / 72.0);
	cairo_translate(cr, -ox, -oy);
	poppler_page_render(page, cr);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		goto fail;
	cairo_surface_flush(surface);
	image = surface_to_image(surface, dpi, error);
	goto cleanup;
fail:
	status = cr != NULL ? cairo_status(cr) : cairo_surface_status(surface);
	g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
		    "cannot read '%s': rendering a %dx%d page failed (%s)",
		    rel_path, w, h, cairo_status_to_string(status));
cleanup:
	if (cr != NULL)
		cairo_destroy(cr);
	cairo_surface_destroy(surface);
	return image;
}

static IngestImage *
render_one(const IngestFile *file, PopplerDocument *doc, int page, int want,
	   GError **error)
{
	PopplerPage *pp = NULL;
	IngestImage *image = NULL;
	double w_pt = 0, h_pt = 0;
	int dpi, w, h;

	pp = open_page(doc, file, page, error);
	if (pp == NULL)
		goto cleanup;
	/* The size poppler reports already has the page's /Rotate applied,
	 * as does poppler_page_render. */
	poppler_page_get_size(pp, &w_pt, &h_pt);
	dpi = render_dpi(w_pt, h_pt, want);
	if (dpi < 1) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "cannot read '%s': page %d has an impossible size "
			    "(%g x %g pt)",
			    file->path, page, w_pt, h_pt);
		goto cleanup;
	}
	page_pixels(w_pt, h_pt, dpi, &w, &h);
	image = draw_page(pp, w, h, dpi, 0, 0, file->path, error);
cleanup:
	g_clear_object(&pp);
	return image;
}

IngestImage *
ingest_pdf_render(const IngestFile *file, GBytes *bytes, int page, int want,
		  GError **error)
{
	PopplerDocument *doc = open_pdf(bytes, file->path, error);
	IngestImage *image = NULL;

	if (doc != NULL)
		image = render_one(file, doc, page, want, error);
	g_clear_object(&doc);
	return image;
}

/* Parsing a PDF costs as much as drawing a page at low resolution, so a
 * run of pages shares one parse. */
gboolean
ingest_pdf_render_pages(const IngestFile *file, GBytes *bytes, int first,
			int last, int want, IngestPageFunc each, gpointer data,
			GError **error)
{
	PopplerDocument *doc = open_pdf(bytes, file->path, error);

	if (doc == NULL)
		return FALSE;
	for (int page = first; page <= last; page++) {
		GError *local = NULL;
		IngestImage *image = render_one(file, doc, page, want, &local);

		each(page, image, local, data);
		ingest_image_free(image);
		g_clear_error(&local);
	}
	g_object_unref(doc);
	return TRUE;
}

/* BOX (fractions of the W_PT x H_PT page) widened by MARGIN points and
 * clipped to the page, at DPI. Cairo draws only what falls on the canvas,
 * so a line of a page costs its share of the pixels, not the page's. */
static IngestImage *
draw_region(const IngestFile *file, PopplerPage *pp, double w_pt, double h_pt,
	    const CoreBox *box, double margin, int dpi, GError **error)
{
	double x0 = CLAMP(box->x * w_pt - margin, 0, w_pt);
	double y0 = CLAMP(box->y * h_pt - margin, 0, h_pt);
	double x1 = CLAMP((box->x + box->w) * w_pt + margin, 0, w_pt);
	double y1 = CLAMP((box->y + box->h) * h_pt + margin, 0, h_pt);
	double pw = (x1 - x0) * dpi / 72.0, ph = (y1 - y0) * dpi / 72.0;

	if (!isfinite(pw) || !isfinite(ph) || pw < 1 || ph < 1 ||
	    pw * ph > INGEST_MAX_PIXELS || MAX(pw, ph) > INGEST_MAX_SIDE) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "cannot read '%s': the region [%g, %g, %g, %g] of "
			    "a page is empty or too large to draw",
			    file->path, box->x, box->y, box->w, box->h);
		return NULL;
	}
	return draw_page(pp, (int)ceil(pw), (int)ceil(ph), dpi, x0, y0,
			 file->path, error);
}

GPtrArray *
ingest_pdf_render_regions(const IngestFile *file, GBytes *bytes, int page,
			  const CoreBox *boxes, guint n, double margin, int dpi,
			  GError **error)
{
	PopplerDocument *doc = open_pdf(bytes, file->path, error);
	PopplerPage *pp = NULL;
	GPtrArray *images = NULL;
	double w_pt = 0, h_pt = 0;

	if (doc == NULL)
		goto cleanup;
	pp = open_page(doc, file, page, error);
	if (pp == NULL)
		goto cleanup;
	/* The same frame as the layer's word boxes: /Rotate applied. */
	poppler_page_get_size(pp, &w_pt, &h_pt);
	images = core_ptr_array_new(ingest_image_free);
	for (guint i = 0; i < n; i++) {
		IngestImage *image = draw_region(file, pp, w_pt, h_pt,
						 &boxes[i], margin, dpi, error);

		if (image == NULL) {
			g_clear_pointer(&images, g_ptr_array_unref);
			break;
		}
		g_ptr_array_add(images, image);
	}
cleanup:
	g_clear_object(&pp);
	g_clear_object(&doc);
	return images;
}
