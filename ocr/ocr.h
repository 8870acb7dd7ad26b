/* ocr.h - read the text of a page image with Tesseract (chi_sim+eng).
 * One OcrEngine per worker thread: an engine is not safe to share, but
 * several engines run at once. Only this module includes Tesseract. */
#ifndef EVIDCHECK_OCR_H
#define EVIDCHECK_OCR_H

#include <glib.h>

#include "ingest/ingest.h"

G_BEGIN_DECLS

#define OCR_DEFAULT_LANGS "chi_sim+eng"
/* A page Tesseract has not finished by then is reported as unreadable
 * rather than holding up the whole claim. */
#define OCR_PAGE_DEADLINE_SECONDS 180

typedef struct OcrEngine OcrEngine;

/* Start Tesseract with LANGS (NULL: OCR_DEFAULT_LANGS) from DATAPATH (NULL:
 * Tesseract's default, or $TESSDATA_PREFIX). Returns a new engine the
 * caller owns, or NULL with ERROR saying which language data is missing. */
OcrEngine *ocr_engine_new(const char *langs, const char *datapath,
			  GError **error);
void ocr_engine_free(OcrEngine *engine);

/* A string naming everything that changes OCR output (Tesseract version,
 * languages, page segmentation mode, preprocessing). Stored with cached
 * text so a change of engine or settings re-reads pages. Borrowed. */
const char *ocr_engine_key(const OcrEngine *engine);

/* The key an engine started with LANGS (NULL: OCR_DEFAULT_LANGS) would
 * have, without starting Tesseract - for cache look-ups before any page
 * needs OCR. Returns a new string the caller owns (g_free). */
char *ocr_settings_key(const char *langs);

/* The same key for engines started with LANGS (NULL: OCR_DEFAULT_LANGS),
 * known without starting one, so cached text is found without loading
 * Tesseract at all. ocr_engine_key returns this for its engine. Caller owns
 * the string. */
char *ocr_settings_key(const char *langs);

typedef struct {
	char *text;	   /* UTF-8 as Tesseract gives it, owned */
	double confidence; /* 0..1, mean word confidence; 0 when no words */
} OcrResult;

/* OCR IMAGE. Returns a new result the caller owns (text may be empty), or
 * NULL with ERROR set when Tesseract fails. */
OcrResult *ocr_page_read(OcrEngine *engine, const IngestImage *image,
			 GError **error);
void ocr_result_free(OcrResult *result);

G_END_DECLS

#endif
