/* pdf.c - every poppler call of evidcheck: open a PDF from its bytes, read
 * each page's text layer, and render a page to RGB pixels for OCR. Poppler
 * objects never leave this file, and each call opens its own document so
 * renders can run on several threads at once. */
#include <math.h>

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

/* Text of one page, or "" when there is too little to trust over OCR. */
static char *
page_layer_text(PopplerDocument *doc, int index)
{
	PopplerPage *page = poppler_document_get_page(doc, index);
	char *text = NULL;

	if (page != NULL)
		text = poppler_page_get_text(page);
	g_clear_object(&page);
	if (text == NULL || !ingest_text_is_usable(text)) {
		g_free(text);
		return g_strdup("");
	}
	return text;
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
				 "the PDF has %d pages, over the limit of %d",
				 n, INGEST_MAX_PAGES);
		goto cleanup;
	}
	file->layer_text = core_ptr_array_new(g_free);
	for (int i = 0; i < n; i++)
		g_ptr_array_add(file->layer_text, page_layer_text(doc, i));
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

/* INGEST_RENDER_DPI, lowered until the page fits INGEST_MAX_PIXELS and
 * cairo's side limit; 0 when the page size is absurd. */
static int
render_dpi(double w_pt, double h_pt)
{
	const double scale = INGEST_RENDER_DPI / 72.0;
	double px, side, f;
	int dpi, w, h;

	if (!isfinite(w_pt) || !isfinite(h_pt) || w_pt <= 0 || h_pt <= 0)
		return 0;
	px = (w_pt * scale) * (h_pt * scale);
	side = MAX(w_pt, h_pt) * scale;
	f = MIN(1.0, MIN(sqrt(INGEST_MAX_PIXELS / px), INGEST_MAX_SIDE / side));
	dpi = (int)floor(INGEST_RENDER_DPI * f);
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

/* Draw PAGE on a white canvas of W x H at DPI. White first: a PDF page is
 * transparent where nothing is painted, and OCR wants paper. */
static IngestImage *
draw_page(PopplerPage *page, int w, int h, int dpi, const char *rel_path,
	  GError **error)
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

IngestImage *
ingest_pdf_render(const IngestFile *file, GBytes *bytes, int page,
		  GError **error)
{
	PopplerDocument *doc = NULL;
	PopplerPage *pp = NULL;
	IngestImage *image = NULL;
	double w_pt = 0, h_pt = 0;
	int dpi, w, h;

	doc = open_pdf(bytes, file->path, error);
	if (doc == NULL)
		goto cleanup;
	if (page > poppler_document_get_n_pages(doc) ||
	    (pp = poppler_document_get_page(doc, page - 1)) == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "cannot read '%s': page %d cannot be opened",
			    file->path, page);
		goto cleanup;
	}
	/* The size poppler reports already has the page's /Rotate applied,
	 * as does poppler_page_render. */
	poppler_page_get_size(pp, &w_pt, &h_pt);
	dpi = render_dpi(w_pt, h_pt);
	if (dpi < 1) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "cannot read '%s': page %d has an impossible size "
			    "(%g x %g pt)",
			    file->path, page, w_pt, h_pt);
		goto cleanup;
	}
	page_pixels(w_pt, h_pt, dpi, &w, &h);
	image = draw_page(pp, w, h, dpi, file->path, error);
cleanup:
	g_clear_object(&pp);
	g_clear_object(&doc);
	return image;
}
