/* ingest_int.h - what the files of ingest/ share and nothing outside sees:
 * mapping a file, the error wording, and the per-format readers (pdf.c
 * holds every poppler call, heif.c every libheif call, image.c and seal.c
 * the Leptonica ones), and layer.c's judge of text layers and words. */
#ifndef EVIDCHECK_INGEST_INT_H
#define EVIDCHECK_INGEST_INT_H

#include "core/core.h"
#include "ingest/ingest.h"

/* Cairo cannot make an image surface wider or taller than this. */
#define INGEST_MAX_SIDE 32767

/* A new IngestFile with the paths copied and nothing read yet. */
IngestFile *ingest_file_new(const char *abs_path, const char *rel_path);

/* Set FILE->error to "cannot read 'REL': <reason>" unless already set. */
void ingest_file_fail(IngestFile *file, CoreErrorCode code, const char *fmt,
		      ...) G_GNUC_PRINTF(3, 4);

/* Map ABS_PATH read-only after checking it is a regular file of at most
 * INGEST_MAX_FILE_BYTES. Returns new bytes the caller owns (empty for an
 * empty file) or NULL with ERROR naming REL_PATH. */
GBytes *ingest_map(const char *abs_path, const char *rel_path, GError **error);

/* A new zeroed image, or NULL with ERROR when memory runs out. */
IngestImage *ingest_image_new(int width, int height, int channels, int dpi,
			      GError **error);

/* pdf.c: fill FILE->n_pages and the ->layer_* arrays from BYTES, or set
 * ->error. Render PAGE at DPI (lowered to fit the limits). */
void ingest_pdf_read(IngestFile *file, GBytes *bytes);
IngestImage *ingest_pdf_render(const IngestFile *file, GBytes *bytes, int page,
			       int dpi, GError **error);
gboolean ingest_pdf_render_pages(const IngestFile *file, GBytes *bytes,
				 int first, int last, int dpi,
				 IngestPageFunc each, gpointer data,
				 GError **error);
GPtrArray *ingest_pdf_render_regions(const IngestFile *file, GBytes *bytes,
				     int page, const CoreBox *boxes, guint n,
				     double margin, int dpi, GError **error);

/* image.c: fill FILE->n_pages from the image headers, or set ->error.
 * Decode PAGE, scaled down to DPI when that is below its own. */
void ingest_image_read(IngestFile *file, GBytes *bytes);
IngestImage *ingest_image_render(const IngestFile *file, GBytes *bytes,
				 int page, int dpi, GError **error);

/* image.c: Leptonica prints every failure to stderr; we report through
 * GError. Call before using Leptonica; cheap after the first time. */
void ingest_quiet_leptonica(void);

/* heif.c: the size of the primary image of the HEIF file DATA (LEN bytes),
 * read without decoding it, turned as it will be shown. FALSE with ERROR
 * naming REL_PATH when it cannot be read or is over INGEST_MAX_PIXELS. */
gboolean ingest_heif_size(const guint8 *data, gsize len, const char *rel_path,
			  int *width, int *height, GError **error);
/* Decode the primary image, upright (irot/imir applied), as a new 32-bpp
 * Leptonica pix the caller destroys; NULL with ERROR. */
struct Pix *ingest_heif_decode(const guint8 *data, gsize len,
			       const char *rel_path, GError **error);

/* layer.c: a character's box on a PDF page, in points from the top-left
 * corner of the upright page. */
typedef struct {
	double x1, y1, x2, y2;
} IngestRect;

/* The words of TEXT (a page's text layer) whose I-th character has the box
 * RECTS[I] (N_RECTS of them), on a page of PAGE_W x PAGE_H points: split at
 * whitespace, at gaps wider than half a character, at line changes, between
 * Chinese and other scripts and after Chinese punctuation; a run of Chinese
 * characters on one line stays one word. Returns a new core_words_new()
 * array, boxes as fractions of the page, confidence 1. */
GArray *ingest_layer_words(const char *text, const IngestRect *rects,
			   gsize n_rects, double page_w, double page_h);

#endif
