/* ocr.c - the Tesseract border: start an engine with chi_sim+eng, feed it
 * an IngestImage's pixels, and copy its text out into our own strings.
 * Tesseract's chatter goes to /dev/null; what goes wrong comes back as a
 * GError a user can act on (usually: install the language data). */
#include <string.h>

#include <tesseract/capi.h>

#include "core/core.h"
#include "ocr/ocr.h"

/* Where the Debian packages put the language data, for messages only. */
#define DEFAULT_TESSDATA "/usr/share/tesseract-ocr/5/tessdata"
/* Bump when the pixels handed to Tesseract change (the grey conversion
 * below), so cached text is read again. */
#define PREPROCESS_VERSION "v1"

struct OcrEngine {
	TessBaseAPI *api;
	char *langs;
	char *key;
};

/* Directory a missing-data message should point at. */
static const char *
data_dir(TessBaseAPI *api, const char *datapath)
{
	const char *dir = datapath;

	if (dir == NULL)
		dir = g_getenv("TESSDATA_PREFIX");
	if (dir == NULL && api != NULL)
		dir = TessBaseAPIGetDatapath(api);
	return dir != NULL && *dir != '\0' ? dir : DEFAULT_TESSDATA;
}

/* TRUE when LANG is among the languages Tesseract really loaded: with
 * "chi_sim+eng" a missing "eng" is only a warning to Tesseract. */
static gboolean
lang_loaded(TessBaseAPI *api, const char *lang)
{
	char **loaded = TessBaseAPIGetLoadedLanguagesAsVector(api);
	gboolean found = FALSE;

	for (char **p = loaded; p != NULL && *p != NULL && !found; p++)
		found = strcmp(*p, lang) == 0;
	TessDeleteTextArray(loaded);
	return found;
}

/* Set ERROR (never NULL here) about the first language of LANGS that is
 * missing - not loaded when INIT_OK, else without a data file - worded
 * with the package to install; or in general terms when none is. */
static void
set_missing_error(TessBaseAPI *api, const char *langs, const char *datapath,
		  gboolean init_ok, GError **error)
{
	char **parts = g_strsplit(langs, "+", -1);
	const char *dir = data_dir(api, datapath);

	for (char **p = parts; *p != NULL; p++) {
		char *file = g_strconcat(*p, ".traineddata", NULL);
		char *path = g_build_filename(dir, file, NULL);
		gboolean missing = init_ok
				       ? !lang_loaded(api, *p)
				       : !g_file_test(path, G_FILE_TEST_EXISTS);
		char *pkg = g_strdelimit(g_ascii_strdown(*p, -1), "_", '-');

		if (missing && **p != '\0')
			g_set_error(error, CORE_ERROR, CORE_ERROR_OCR,
				    "Tesseract has no '%s' language data (%s "
				    "not found in %s); install the package "
				    "tesseract-ocr-%s or set TESSDATA_PREFIX",
				    *p, file, dir, pkg);
		g_free(pkg);
		g_free(path);
		g_free(file);
		if (missing)
			break;
	}
	if (*error == NULL)
		g_set_error(error, CORE_ERROR, CORE_ERROR_OCR,
			    "Tesseract failed to start with languages '%s' "
			    "from %s",
			    langs, dir);
	g_strfreev(parts);
}

static gboolean
all_loaded(TessBaseAPI *api, const char *langs)
{
	char **parts = g_strsplit(langs, "+", -1);
	gboolean ok = TRUE;

	for (char **p = parts; *p != NULL && ok; p++)
		ok = lang_loaded(api, *p);
	g_strfreev(parts);
	return ok;
}

char *
ocr_settings_key(const char *langs)
{
	if (langs == NULL || *langs == '\0')
		langs = OCR_DEFAULT_LANGS;
	return g_strdup_printf("tesseract-%s/%s/psm%d/%s", TessVersion(), langs,
			       (int)PSM_AUTO, PREPROCESS_VERSION);
}

OcrEngine *
ocr_engine_new(const char *langs, const char *datapath, GError **error)
{
	OcrEngine *engine = NULL;
	TessBaseAPI *api = TessBaseAPICreate();
	GError *local = NULL;

	if (langs == NULL || *langs == '\0')
		langs = OCR_DEFAULT_LANGS;
	/* Before Init, so its own complaints are silenced too. */
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	if (TessBaseAPIInit3(api, datapath, langs) != 0) {
		set_missing_error(api, langs, datapath, FALSE, &local);
		goto cleanup;
	}
	if (!all_loaded(api, langs)) {
		set_missing_error(api, langs, datapath, TRUE, &local);
		goto cleanup;
	}
	TessBaseAPISetPageSegMode(api, PSM_AUTO);
	/* Keeps column gaps in tables (invoice lines) visible to rules. */
	TessBaseAPISetVariable(api, "preserve_interword_spaces", "1");
	engine = g_new0(OcrEngine, 1);
	engine->api = g_steal_pointer(&api);
	engine->langs = g_strdup(langs);
	engine->key = ocr_settings_key(langs);
cleanup:
	if (local != NULL)
		g_propagate_error(error, local);
	if (api != NULL)
		TessBaseAPIDelete(api);
	return engine;
}

void
ocr_engine_free(OcrEngine *engine)
{
	if (engine == NULL)
		return;
	TessBaseAPIEnd(engine->api);
	TessBaseAPIDelete(engine->api);
	g_free(engine->langs);
	g_free(engine->key);
	g_free(engine);
}

const char *
ocr_engine_key(const OcrEngine *engine)
{
	return engine->key;
}

static gboolean
check_image(const IngestImage *image, GError **error)
{
	if (image == NULL || image->pixels == NULL || image->width <= 0 ||
	    image->height <= 0 ||
	    (image->channels != 1 && image->channels != 3) ||
	    image->stride < image->width * image->channels) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "OCR was given an invalid page image");
		return FALSE;
	}
	if ((gint64)image->width * image->height > INGEST_MAX_PIXELS) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_LIMIT,
			    "the page image is %dx%d pixels, over the OCR "
			    "limit of %d million",
			    image->width, image->height,
			    INGEST_MAX_PIXELS / 1000000);
		return FALSE;
	}
	return TRUE;
}

/* Red seal ink: red clearly above both green and blue. Seal red is about
 * (230, 40, 40); the brown-red of printed invoice forms stays below. */
#define SEAL_RED_MARGIN 80

/* One grey level for an RGB pixel. BT.601 luma, except that seal-red ink
 * takes its red channel, which is near white: a red seal then no longer
 * hides the black text under it, while black text under red ink (ink
 * multiplies) stays black. Measured on a synthetic invoice page with a
 * seal over three lines: 6/14 lines read exactly with plain luma (or with
 * RGB given to Tesseract), 11/14 with this - the same as without a seal. */
static guint8
grey_level(const guint8 *rgb)
{
	int r = rgb[0], g = rgb[1], b = rgb[2];

	if (r - MAX(g, b) > SEAL_RED_MARGIN)
		return (guint8)r;
	return (guint8)((299 * r + 587 * g + 114 * b + 500) / 1000);
}

/* Grey is also what Tesseract thresholds; handing it over is ~13 % faster
 * on an A4 page than letting Tesseract copy 32-bit pixels. NULL when out
 * of memory, which the caller treats as "use the colour pixels". */
static guint8 *
to_grey(const IngestImage *image)
{
	guint8 *grey = g_try_malloc((gsize)image->width * image->height);

	if (grey == NULL)
		return NULL;
	for (int y = 0; y < image->height; y++) {
		const guint8 *src = image->pixels + (gsize)y * image->stride;
		guint8 *dst = grey + (gsize)y * image->width;

		for (int x = 0; x < image->width; x++, src += 3)
			dst[x] = grey_level(src);
	}
	return grey;
}

/* Copy Tesseract's text into a g_malloc'd string; whitespace alone (what
 * a blank page gives) becomes "". */
static char *
take_text(char *tess_text)
{
	const char *p = tess_text != NULL ? tess_text : "";
	char *text;

	while (g_ascii_isspace(*p))
		p++;
	text = g_strdup(*p != '\0' ? tess_text : "");
	if (tess_text != NULL)
		TessDeleteText(tess_text);
	return text;
}

static void
set_pixels(TessBaseAPI *api, const IngestImage *image, const guint8 *grey)
{
	if (grey != NULL)
		TessBaseAPISetImage(api, grey, image->width, image->height, 1,
				    image->width);
	else
		TessBaseAPISetImage(api, image->pixels, image->width,
				    image->height, image->channels,
				    image->stride);
	/* Always set: without it Tesseract guesses and warns on stderr. */
	TessBaseAPISetSourceResolution(api, image->dpi > 0 ? image->dpi : 300);
}

OcrResult *
ocr_page_read(OcrEngine *engine, const IngestImage *image, GError **error)
{
	OcrResult *result = NULL;
	ETEXT_DESC *monitor = NULL;
	guint8 *grey = NULL;

	if (!check_image(image, error))
		return NULL;
	if (image->channels == 3)
		grey = to_grey(image);
	set_pixels(engine->api, image, grey);
	monitor = TessMonitorCreate();
	TessMonitorSetDeadlineMSecs(monitor, OCR_PAGE_DEADLINE_SECONDS * 1000);
	if (TessBaseAPIRecognize(engine->api, monitor) != 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_OCR,
			    "Tesseract could not read the page (%dx%d pixels; "
			    "gave up or failed within %d s)",
			    image->width, image->height,
			    OCR_PAGE_DEADLINE_SECONDS);
		goto cleanup;
	}
	result = g_new0(OcrResult, 1);
	result->text = take_text(TessBaseAPIGetUTF8Text(engine->api));
	result->confidence =
	    *result->text != '\0'
		? CLAMP(TessBaseAPIMeanTextConf(engine->api), 0, 100) / 100.0
		: 0.0;
cleanup:
	/* Drop the page's results but keep the loaded language models. */
	TessBaseAPIClear(engine->api);
	TessMonitorDelete(monitor);
	g_free(grey);
	return result;
}

void
ocr_result_free(OcrResult *result)
{
	if (result == NULL)
		return;
	g_free(result->text);
	g_free(result);
}
