/* ocr.h - read the text and words of a page image with Tesseract
 * (chi_sim+eng), setting a tilted, sideways or upside-down photo straight
 * first. One OcrEngine per worker thread: an engine is not safe to share,
 * but several engines run at once. Only this module includes Tesseract. */
#ifndef EVIDCHECK_OCR_H
#define EVIDCHECK_OCR_H

#include <glib.h>

#include "core/core.h"
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

/* An engine for ocr_seal_read only: Chinese single lines, without the page
 * languages and orientation data a page needs (it starts in about half
 * the time). ocr_page_read refuses it. Returns a new engine the caller
 * owns, or NULL with ERROR when chi_sim cannot be loaded. */
OcrEngine *ocr_engine_new_rings(const char *datapath, GError **error);

/* A string naming everything that changes OCR output (Tesseract version,
 * languages, page segmentation mode, preprocessing). Stored with cached
 * text so a change of engine or settings re-reads pages. Borrowed. */
const char *ocr_engine_key(const OcrEngine *engine);

/* The key an engine started with LANGS (NULL: OCR_DEFAULT_LANGS) would
 * have, known without starting Tesseract, so cached text is found before
 * any page needs OCR. ocr_engine_key returns this for its engine. Returns
 * a new string the caller owns (g_free). */
char *ocr_settings_key(const char *langs);

typedef struct {
	/* UTF-8, owned: Tesseract's text lines regrouped into rows (lines
	 * side by side at one height joined left to right), rows top to
	 * bottom, as a PDF text layer reads. */
	char *text;
	double confidence; /* 0..1, mean word confidence; 0 when no words */
	/* CoreWord (a core_words_new() array), owned: each word read, with
	 * its confidence 0..1 and its box as fractions of the page as read,
	 * i.e. the image after ROTATION and SKEW. Empty when no words. */
	GArray *words;
	/* 0, 90, 180 or 270: degrees the image was turned clockwise before
	 * reading, to make a photo taken sideways or upside down upright
	 * (CorePage.rotation). Always 0 without Tesseract's osd data. */
	int rotation;
	/* Degrees (-10..10) the image was turned clockwise, about its centre
	 * and keeping its size, to level its lines: a page photographed
	 * tilted 3 degrees clockwise gives about -3. 0 when it was level
	 * enough (within 1.75 degrees) to read as it was. */
	double skew;
} OcrResult;

/* OCR IMAGE: level a tilted page and turn a sideways or upside-down one
 * upright (see OcrResult), then read it. Returns a new result the caller
 * owns (text may be empty), or NULL with ERROR set when Tesseract fails. */
OcrResult *ocr_page_read(OcrEngine *engine, const IngestImage *image,
			 GError **error);
void ocr_result_free(OcrResult *result);

/* ---- seal ring text ----------------------------------------------------
 * A company seal (公章, 合同专用章, the oval 发票专用章 ...) names its
 * organisation clockwise along its top arc. The red ink of the seal in BOX
 * is kept alone, the ring fitted, its lettered band unwrapped into a
 * straight line and read by Tesseract as one line. */

/* The organisation named on the seal in BOX (fractions of IMAGE as given,
 * as ingest_image_find_seals gives it) of IMAGE, read with ENGINE.
 * ROTATION (0, 90, 180 or 270) is how far IMAGE must be turned clockwise
 * to be upright (OcrResult.rotation): the ring's top is the page's top,
 * so the image itself need not be turned. Returns a new string the caller
 * owns (g_free), or NULL when no organisation name can be read - grey
 * pixels, a seal cut off by the page edge, a red logo, illegible ink - or
 * with ERROR set when IMAGE is unusable. Never guesses: what Tesseract
 * reads must pass ocr_seal_name_clean and be read with confidence.
 * 60-120 ms per seal, about 250 ms for an oval (its ellipse is fitted
 * turned); ENGINE starts a chi_sim-only Tesseract for it the first time
 * (docs/accuracy.md, "Seal ring text"). */
char *ocr_seal_read(OcrEngine *engine, const IngestImage *image,
		    const CoreBox *box, int rotation, GError **error);

/* RAW, as read from a seal's ring, as an organisation name: spaces and
 * punctuation dropped (brackets become （）), the marks of a special seal
 * (合同专用章, 财务专用章 ...) cut off the end. Returns a new string the
 * caller owns, or NULL unless the rest is mostly Chinese, at least four
 * characters, and ends the way an organisation's name does (有限公司,
 * 局, 中心, 研究院, 银行, 分行, 委员会, 大学 ...). */
char *ocr_seal_name_clean(const char *raw);

/* ---- one line of print -----------------------------------------------
 * A field's value cut from a page image, read as a second reading of what
 * a PDF's text layer says (docs/design.md, "Reading pages"). A reader of
 * its own rather than ocr_engine_read_line (Chinese only, made for seal
 * rings): on printed figures that one reads the serif 6 as 0 with 0.98
 * confidence (2026 as 2020 on 25 of 72 generated fields), where Chinese
 * with English reads them right; and a text-layer claim needs no page
 * engine (OSD, page languages), which takes three times as long to
 * start. */

/* Languages of the line reader: the page engine's, so that 年月日 and ¥
 * read as the page would. */
#define OCR_LINE_LANGS OCR_DEFAULT_LANGS

/* Languages of a reader for lines written in Latin letters, digits and
 * ¥ alone (amounts, invoice numbers, 2026-01-18): English reads them
 * three times as fast as Chinese with English (6 against 17 ms a field)
 * and starts in 50 ms instead of 120, and it read all 115 such generated
 * fields right, at 150 to 300 dpi; it cannot read 年月日. */
#define OCR_LINE_LANGS_LATIN "eng"

typedef struct OcrLineReader OcrLineReader;

/* Start a line reader on Tesseract's LANGS data (NULL: OCR_LINE_LANGS)
 * from DATAPATH (NULL: Tesseract's default, or $TESSDATA_PREFIX); about
 * 0.12 s for OCR_LINE_LANGS, 0.05 s for OCR_LINE_LANGS_LATIN. Not safe
 * to share between threads; one per worker, kept for later lines.
 * Returns a new reader the caller owns, or NULL with ERROR saying which
 * language data is missing. */
OcrLineReader *ocr_line_reader_new(const char *datapath, const char *langs,
				   GError **error);
void ocr_line_reader_free(OcrLineReader *reader);

/* Read IMAGE, a crop holding one line of dark print on paper (red seal
 * ink over it is lifted out first), as a single text line. Returns the
 * text read, trimmed (a new string the caller owns, possibly ""), and in
 * *CONFIDENCE (may be NULL) how sure Tesseract is of its least sure
 * character (0..1); NULL with ERROR set when IMAGE is unusable or
 * Tesseract fails. 15-40 ms for a field's line at 300 dpi. */
char *ocr_line_reader_read(OcrLineReader *reader, const IngestImage *image,
			   double *confidence, GError **error);

G_END_DECLS

#endif
