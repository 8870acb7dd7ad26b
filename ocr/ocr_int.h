/* ocr_int.h - private to ocr/: the Leptonica work on a page image before
 * Tesseract sees it (image.c), shared with the Tesseract border (ocr.c).
 * Pix never leave this module. */
#ifndef EVIDCHECK_OCR_INT_H
#define EVIDCHECK_OCR_INT_H

#include <allheaders.h>
#include <tesseract/capi.h>

#include "ocr/ocr.h"

/* How far an RGB pixel's red exceeds both its green and blue: seal ink
 * is 120-200, paper, black print and shadows stay near 0 or below. */
static inline int
ocr_red_excess(const guint8 *rgb)
{
	return (int)rgb[0] - MAX((int)rgb[1], (int)rgb[2]);
}

/* IMAGE (already checked) as a new 8-bit grey Pix at its dpi, with red
 * seal ink lifted out so the text under a seal reads. NULL when out of
 * memory. Caller owns (pixDestroy). */
PIX *ocr_image_grey(const IngestImage *image);

/* Measure how far the text lines of GREY are tilted. When they are tilted
 * enough to matter and Leptonica is confident, replace *GREY by a levelled
 * copy of the same size and return the degrees it was turned clockwise;
 * else leave it and return 0. */
double ocr_image_level(PIX **grey);

/* TRUE when the paper of GREY is lit unevenly - a phone's shadow across
 * the page - so that one global threshold would keep only the lit part,
 * and a local (adaptive) one should be used. */
gboolean ocr_image_unevenly_lit(PIX *grey);

/* Replace *GREY by a copy with its paper made evenly bright, so that
 * thresholding keeps the text in a shadow as well as in the light.
 * FALSE, with *GREY unchanged, when out of memory. */
gboolean ocr_image_flatten(PIX **grey);

/* Replace *GREY by itself turned clockwise by DEGREES (90, 180 or 270; 0
 * leaves it). FALSE, with *GREY unchanged, when out of memory. */
gboolean ocr_image_turn(PIX **grey, int degrees);

/* GREY at no more than MAX_DPI given that it is at DPI: a new smaller
 * copy, or a new reference to GREY itself. Caller owns (pixDestroy).
 * NULL when out of memory. */
PIX *ocr_image_at_most(PIX *grey, int dpi, int max_dpi);

/* TRUE when IMAGE can be read: pixels, a known layout, within
 * INGEST_MAX_PIXELS; else FALSE with ERROR set. */
gboolean ocr_image_check(const IngestImage *image, GError **error);

/* Read LINE, an 8-bit grey Pix at DPI holding one line of dark text on
 * white, with ENGINE as a single text line (PSM 7), leaving ENGINE as it
 * was for pages. Returns Tesseract's text (a new string, caller owns,
 * possibly "") and, in *CONFIDENCE, how sure Tesseract is (0..1) of its
 * least sure character, or NULL when
 * Tesseract failed. */
char *ocr_engine_read_line(OcrEngine *engine, PIX *line, int dpi,
			   double *confidence);

/* The confidence 0..1 of the least sure character API just recognised: a
 * name or a figure with one doubtful character is a doubtful one. */
double ocr_least_symbol_confidence(TessBaseAPI *api);

#endif
