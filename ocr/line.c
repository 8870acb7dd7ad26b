/* line.c - one line of print read on its own: a crop of a page is turned
 * grey (seal ink lifted, as for pages) and read by a Tesseract of its own
 * in single-line mode. */
#include <tesseract/capi.h>

#include "ocr/ocr.h"
#include "ocr/ocr_int.h"

struct OcrLineReader {
	TessBaseAPI *api;
};

static gboolean
langs_loaded(TessBaseAPI *api, const char *langs)
{
	char **want = g_strsplit(langs, "+", -1);
	char **got = TessBaseAPIGetLoadedLanguagesAsVector(api);
	gboolean ok = TRUE;

	for (char **w = want; ok && *w != NULL; w++) {
		ok = FALSE;
		for (char **g = got; !ok && g != NULL && *g != NULL; g++)
			ok = g_strcmp0(*w, *g) == 0;
	}
	TessDeleteTextArray(got);
	g_strfreev(want);
	return ok;
}

OcrLineReader *
ocr_line_reader_new(const char *datapath, const char *langs, GError **error)
{
	TessBaseAPI *api = TessBaseAPICreate();
	OcrLineReader *reader = NULL;

	if (langs == NULL)
		langs = OCR_LINE_LANGS;
	/* Before Init, so its own complaints are silenced too. */
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	if (TessBaseAPIInit3(api, datapath, langs) != 0 ||
	    !langs_loaded(api, langs)) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_OCR,
			    "cannot start Tesseract for single lines: the "
			    "language data %s is missing from %s; install "
			    "tesseract-ocr-chi-sim and tesseract-ocr-eng",
			    langs,
			    datapath != NULL ? datapath
					     : "Tesseract's data folder");
		TessBaseAPIEnd(api);
		TessBaseAPIDelete(api);
		return NULL;
	}
	TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
	reader = g_new0(OcrLineReader, 1);
	reader->api = api;
	return reader;
}

void
ocr_line_reader_free(OcrLineReader *reader)
{
	if (reader == NULL)
		return;
	TessBaseAPIEnd(reader->api);
	TessBaseAPIDelete(reader->api);
	g_free(reader);
}

static char *
recognize(TessBaseAPI *api, PIX *grey, int dpi, double *confidence)
{
	char *raw, *text = NULL;

	TessBaseAPISetImage2(api, grey);
	/* Always set: without it Tesseract guesses and warns on stderr. */
	TessBaseAPISetSourceResolution(api, dpi);
	if (TessBaseAPIRecognize(api, NULL) == 0) {
		raw = TessBaseAPIGetUTF8Text(api);
		text = g_strstrip(g_strdup(raw != NULL ? raw : ""));
		TessDeleteText(raw);
		*confidence =
		    *text != '\0' ? ocr_least_symbol_confidence(api) : 0.0;
	}
	TessBaseAPIClear(api);
	return text;
}

char *
ocr_line_reader_read(OcrLineReader *reader, const IngestImage *image,
		     double *confidence, GError **error)
{
	PIX *grey = NULL;
	char *text = NULL;
	double conf = 0;

	if (!ocr_image_check(image, error))
		goto cleanup;
	grey = ocr_image_grey(image);
	if (grey == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_LIMIT,
			    "not enough memory to read a line of %dx%d pixels",
			    image->width, image->height);
		goto cleanup;
	}
	text = recognize(reader->api, grey, image->dpi > 0 ? image->dpi : 300,
			 &conf);
	if (text == NULL)
		g_set_error(error, CORE_ERROR, CORE_ERROR_OCR,
			    "Tesseract could not read a line of %dx%d pixels",
			    image->width, image->height);
cleanup:
	if (confidence != NULL)
		*confidence = text != NULL ? conf : 0;
	pixDestroy(&grey);
	return text;
}
