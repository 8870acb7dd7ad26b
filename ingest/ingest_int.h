/* ingest_int.h - what the files of ingest/ share and nothing outside sees:
 * mapping a file, the error wording, and the per-format readers (pdf.c
 * holds every poppler call, image.c every Leptonica call). */
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

/* pdf.c: fill FILE->n_pages and ->layer_text from BYTES, or set ->error. */
void ingest_pdf_read(IngestFile *file, GBytes *bytes);
IngestImage *ingest_pdf_render(const IngestFile *file, GBytes *bytes, int page,
			       GError **error);

/* image.c: fill FILE->n_pages from the image headers, or set ->error. */
void ingest_image_read(IngestFile *file, GBytes *bytes);
IngestImage *ingest_image_render(const IngestFile *file, GBytes *bytes,
				 int page, GError **error);

#endif
