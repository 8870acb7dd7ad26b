/* ocr.c - the Tesseract border: start an engine with chi_sim+eng (and
 * osd, to tell which way up a page is), feed it a page's pixels, turn a
 * sideways or upside-down page, and copy text and words out into our own
 * types. Tesseract's chatter goes to /dev/null; what goes wrong comes back
 * as a GError a user can act on (usually: install the language data). */
#include <string.h>

#include <tesseract/capi.h>

#include "core/core.h"
#include "ocr/ocr_int.h"

/* Where the Debian packages put the language data, for messages only. */
#define DEFAULT_TESSDATA "/usr/share/tesseract-ocr/5/tessdata"
/* Bump when the pixels handed to Tesseract change (image.c: grey
 * conversion, levelling, turning) or what a page gives does (v4: seal
 * ring text, sealtext.c; v5: text in rows, Latin misreads read again,
 * shadows flattened), so cached pages are read again. */
#define PREPROCESS_VERSION "v5"

struct OcrEngine {
	TessBaseAPI *api;
	TessBaseAPI *osd;  /* orientation only; NULL without osd data */
	TessBaseAPI *line; /* seal rings: started on first use, or NULL */
	gboolean cjk;	   /* LANGS read Chinese or Japanese */
	char *langs;
	char *datapath;
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

/* Tesseract's orientation detector, from the osd data next to the
 * language data; NULL (said once per process) when there is none, and
 * pages are then read the way up they come. */
static TessBaseAPI *
osd_new(const char *datapath)
{
	static gsize warned = 0;
	TessBaseAPI *osd = TessBaseAPICreate();

	TessBaseAPISetVariable(osd, "debug_file", "/dev/null");
	if (TessBaseAPIInit3(osd, datapath, "osd") == 0) {
		TessBaseAPISetPageSegMode(osd, PSM_OSD_ONLY);
		return osd;
	}
	if (g_once_init_enter(&warned)) {
		g_warning("Tesseract has no orientation data (osd.traineddata "
			  "not found in %s): pages photographed sideways or "
			  "upside down are read as they are; install the "
			  "package tesseract-ocr-osd",
			  data_dir(osd, datapath));
		g_once_init_leave(&warned, 1);
	}
	TessBaseAPIDelete(osd);
	return NULL;
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
	engine->osd = osd_new(datapath);
	engine->cjk =
	    strstr(langs, "chi_") != NULL || strstr(langs, "jpn") != NULL;
	engine->langs = g_strdup(langs);
	engine->datapath = g_strdup(datapath);
	engine->key = ocr_settings_key(langs);
cleanup:
	if (local != NULL)
		g_propagate_error(error, local);
	if (api != NULL)
		TessBaseAPIDelete(api);
	return engine;
}

static TessBaseAPI *line_api(OcrEngine *engine);

OcrEngine *
ocr_engine_new_rings(const char *datapath, GError **error)
{
	OcrEngine *engine = g_new0(OcrEngine, 1);

	engine->langs = g_strdup("chi_sim");
	engine->datapath = g_strdup(datapath);
	engine->key = ocr_settings_key(engine->langs);
	engine->cjk = TRUE;
	if (line_api(engine) == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_OCR,
			    "Tesseract could not start with chi_sim from %s; "
			    "install tesseract-ocr-chi-sim",
			    datapath != NULL ? datapath : "its default folder");
		ocr_engine_free(engine);
		return NULL;
	}
	return engine;
}

void
ocr_engine_free(OcrEngine *engine)
{
	if (engine == NULL)
		return;
	if (engine->api != NULL) {
		TessBaseAPIEnd(engine->api);
		TessBaseAPIDelete(engine->api);
	}
	if (engine->osd != NULL) {
		TessBaseAPIEnd(engine->osd);
		TessBaseAPIDelete(engine->osd);
	}
	if (engine->line != NULL) {
		TessBaseAPIEnd(engine->line);
		TessBaseAPIDelete(engine->line);
	}
	g_free(engine->langs);
	g_free(engine->datapath);
	g_free(engine->key);
	g_free(engine);
}

const char *
ocr_engine_key(const OcrEngine *engine)
{
	return engine->key;
}

gboolean
ocr_image_check(const IngestImage *image, GError **error)
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

/* One page being read: the grey image (replaced as it is levelled and
 * turned), how it was turned, and the time left. */
typedef struct {
	OcrEngine *engine;
	PIX *grey;
	int dpi;
	double skew;
	int rotation; /* of GREY as it is now */
	ETEXT_DESC *monitor;
	gint64 deadline; /* g_get_monotonic_time() */
} Page;

static void
set_image(TessBaseAPI *api, PIX *pix, int dpi)
{
	TessBaseAPISetImage2(api, pix);
	/* Always set: without it Tesseract guesses and warns on stderr. */
	TessBaseAPISetSourceResolution(api, dpi);
}

static gboolean
is_text_block(TessPolyBlockType type)
{
	switch (type) {
	case PT_FLOWING_TEXT:
	case PT_HEADING_TEXT:
	case PT_PULLOUT_TEXT:
	case PT_VERTICAL_TEXT:
	case PT_CAPTION_TEXT:
	case PT_TABLE:
		return TRUE;
	default:
		return FALSE;
	}
}

/* TRUE when most of the text Tesseract's layout analysis finds on the
 * page set in API runs top to bottom. Our documents are written across,
 * so that is a page photographed sideways - which Tesseract would read as
 * vertical Chinese, right only for one of the two sideways turns. The
 * layout is kept for Recognize, so asking costs nothing: measured 0.92 s
 * to read an upright A4 page with or without it. */
static gboolean
layout_is_sideways(TessBaseAPI *api)
{
	TessPageIterator *it = TessBaseAPIAnalyseLayout(api);
	gint64 across = 0, down = 0;

	if (it == NULL)
		return FALSE;
	do {
		TessOrientation orientation;
		TessWritingDirection direction;
		TessTextlineOrder order;
		float deskew;
		int left, top, right, bottom;

		if (!is_text_block(TessPageIteratorBlockType(it)) ||
		    !TessPageIteratorBoundingBox(it, RIL_BLOCK, &left, &top,
						 &right, &bottom))
			continue;
		TessPageIteratorOrientation(it, &orientation, &direction,
					    &order, &deskew);
		if (direction == WRITING_DIRECTION_TOP_TO_BOTTOM ||
		    orientation == ORIENTATION_PAGE_RIGHT ||
		    orientation == ORIENTATION_PAGE_LEFT)
			down += (gint64)(right - left) * (bottom - top);
		else
			across += (gint64)(right - left) * (bottom - top);
	} while (TessPageIteratorNext(it, RIL_BLOCK));
	TessPageIteratorDelete(it);
	return down > across;
}

/* OSD is given the page at no more than this: as sure as at 300 dpi and
 * faster; at 100 dpi it is often unsure. */
#define OSD_MAX_DPI 200

/* Ask OSD how far PAGE's grey image must be turned clockwise to be
 * upright: *DEGREES 0, 90, 180 or 270. FALSE when it cannot tell (too
 * little text). 0.3-0.6 s on an A4 page. Its confidence is only logged:
 * on generated pages it was right at 0.1 (100 dpi photos) and wrong at
 * 7.3 and 8.4 (a table of figures turned 90 and 180), so every answer is
 * checked by reading the page instead (read_page). */
static gboolean
detect_turn(Page *page, int *degrees)
{
	TessBaseAPI *osd = page->engine->osd;
	PIX *small = ocr_image_at_most(page->grey, page->dpi, OSD_MAX_DPI);
	int orient = 0;
	float orient_conf = 0, script_conf = 0;
	const char *script = NULL;
	BOOL ok;

	if (small == NULL)
		return FALSE;
	set_image(osd, small, MIN(page->dpi, OSD_MAX_DPI));
	/* ORIENT is how far the image is turned clockwise from upright. */
	ok = TessBaseAPIDetectOrientationScript(osd, &orient, &orient_conf,
						&script, &script_conf);
	TessBaseAPIClear(osd);
	pixDestroy(&small);
	if (!ok || orient % 90 != 0)
		return FALSE;
	/* Relative to the image as given, whatever PAGE is turned to now. */
	*degrees = (page->rotation + 360 - orient) % 360;
	g_debug("ocr: osd turns the page %d degrees (confidence %.1f)",
		*degrees, orient_conf);
	return TRUE;
}

/* Turn PAGE's grey image so that it is DEGREES from the image as given,
 * and hand it to Tesseract. */
static gboolean
turn_to(Page *page, int degrees)
{
	if (!ocr_image_turn(&page->grey,
			    (degrees - page->rotation + 360) % 360))
		return FALSE;
	page->rotation = degrees;
	set_image(page->engine->api, page->grey, page->dpi);
	return TRUE;
}

/* Each word of the page just recognised, its box as fractions of the
 * WIDTH x HEIGHT image Tesseract read. */
static GArray *
take_words(TessBaseAPI *api, int width, int height)
{
	GArray *words = core_words_new();
	TessResultIterator *it = TessBaseAPIGetIterator(api);
	/* The same object seen as a page iterator: not separately owned. */
	TessPageIterator *pit;

	if (it == NULL)
		return words;
	pit = TessResultIteratorGetPageIterator(it);
	do {
		char *text = TessResultIteratorGetUTF8Text(it, RIL_WORD);
		int left, top, right, bottom;
		CoreWord word;

		if (text == NULL || *g_strstrip(text) == '\0' ||
		    !TessPageIteratorBoundingBox(pit, RIL_WORD, &left, &top,
						 &right, &bottom)) {
			TessDeleteText(text);
			continue;
		}
		word.text = g_strdup(text);
		TessDeleteText(text);
		word.box.x = CLAMP((double)left / width, 0, 1);
		word.box.y = CLAMP((double)top / height, 0, 1);
		word.box.w =
		    CLAMP((double)(right - left) / width, 0, 1 - word.box.x);
		word.box.h =
		    CLAMP((double)(bottom - top) / height, 0, 1 - word.box.y);
		word.confidence =
		    CLAMP(TessResultIteratorConfidence(it, RIL_WORD), 0, 100) /
		    100.0;
		g_array_append_val(words, word);
	} while (TessPageIteratorNext(pit, RIL_WORD));
	TessResultIteratorDelete(it);
	return words;
}

/* ---- text in rows ----------------------------------------------------
 * Tesseract's layout analysis often puts a form's label column and its
 * value column in separate blocks, and its text then gives all the labels
 * before all the values. PDF text layers, the field rules and the truth of
 * docs/accuracy.md go row by row, so the page's text is rebuilt from its
 * text lines: lines side by side at the same height are one row. */

/* The kinds of letter in a text. */
typedef struct {
	int letters; /* letters and digits of any script */
	int han;
	int latin; /* ASCII letters */
} Script;

/* A word of a Line: where its text is in the line's text, its box, and
 * whether it may be Chinese misread as Latin (see WEAK_CONFIDENCE). */
typedef struct {
	int start, end; /* bytes of Line.text */
	int left, top, right, bottom;
	double confidence; /* 0..1 */
	int latin;	   /* ASCII letters */
	gboolean weak;
} Word;

/* One text line as Tesseract read it, with its box on the page read. */
typedef struct {
	char *text; /* stripped, never empty */
	int left, top, right, bottom;
	gboolean para; /* begins a paragraph: a blank line before it */
	GArray *words; /* Word, left to right, found in TEXT */
} Line;

static void
line_clear(gpointer data)
{
	g_free(((Line *)data)->text);
	g_array_unref(((Line *)data)->words);
}

/* Start a line at the text line where the iterator IT (PIT) stands;
 * FALSE when Tesseract has no text or box for it. */
static gboolean
line_start(TessResultIterator *it, TessPageIterator *pit, Line *line)
{
	char *text = TessResultIteratorGetUTF8Text(it, RIL_TEXTLINE);
	gboolean ok = text != NULL && *g_strstrip(text) != '\0' &&
		      TessPageIteratorBoundingBox(
			  pit, RIL_TEXTLINE, &line->left, &line->top,
			  &line->right, &line->bottom) &&
		      line->bottom > line->top;

	if (ok) {
		line->text = g_strdup(text);
		line->para = TessPageIteratorIsAtBeginningOf(pit, RIL_PARA);
		line->words = g_array_new(FALSE, FALSE, sizeof(Word));
	}
	TessDeleteText(text);
	return ok;
}

static Script script_count(const char *text);

/* A word without Chinese or digits, read with under WEAK_CONFIDENCE: on
 * a Chinese page, often Chinese misread as Latin letters (项目名称 ->
 * "AAR:", (甲方) -> "CAAT)", a big bold title 技术服务合同 -> "DOAK IF]").
 * Codes and English words read right are read with 0.85-0.96. */
#define WEAK_CONFIDENCE 0.7

/* Add the word where IT (PIT) stands to LINE, found in its text after
 * the words before it. */
static void
line_add_word(Line *line, TessResultIterator *it, TessPageIterator *pit)
{
	char *text = TessResultIteratorGetUTF8Text(it, RIL_WORD);
	int from =
	    line->words->len > 0
		? g_array_index(line->words, Word, line->words->len - 1).end
		: 0;
	const char *at = NULL;
	Word word = {0, 0, 0, 0, 0, 0, 0, 0, FALSE};
	Script s;

	if (text != NULL && *g_strstrip(text) != '\0')
		at = strstr(line->text + from, text);
	if (at != NULL &&
	    TessPageIteratorBoundingBox(pit, RIL_WORD, &word.left, &word.top,
					&word.right, &word.bottom)) {
		s = script_count(text);
		word.start = (int)(at - line->text);
		word.end = word.start + (int)strlen(text);
		word.confidence =
		    CLAMP(TessResultIteratorConfidence(it, RIL_WORD), 0, 100) /
		    100.0;
		word.latin = s.latin;
		word.weak = s.han == 0 && s.letters == s.latin &&
			    word.confidence < WEAK_CONFIDENCE;
		g_array_append_val(line->words, word);
	}
	TessDeleteText(text);
}

/* Every non-empty text line of the page just recognised by API, in
 * Tesseract's order, with its words. */
static GArray *
take_lines(TessBaseAPI *api)
{
	GArray *lines = g_array_new(FALSE, FALSE, sizeof(Line));
	TessResultIterator *it = TessBaseAPIGetIterator(api);
	TessPageIterator *pit;	  /* IT seen as a page iterator, not owned */
	gboolean in_line = FALSE; /* the last of LINES is the current line */

	g_array_set_clear_func(lines, line_clear);
	if (it == NULL)
		return lines;
	pit = TessResultIteratorGetPageIterator(it);
	do {
		if (TessPageIteratorIsAtBeginningOf(pit, RIL_TEXTLINE)) {
			Line line = {NULL, 0, 0, 0, 0, FALSE, NULL};

			in_line = line_start(it, pit, &line);
			if (in_line)
				g_array_append_val(lines, line);
		}
		if (in_line)
			line_add_word(
			    &g_array_index(lines, Line, lines->len - 1), it,
			    pit);
	} while (TessPageIteratorNext(pit, RIL_WORD));
	TessResultIteratorDelete(it);
	return lines;
}

static int
line_height(const Line *line)
{
	return line->bottom - line->top;
}

/* Twice the line's vertical centre, in whole pixels. */
static int
line_middle2(const Line *line)
{
	return line->top + line->bottom;
}

/* Lines whose vertical centres are within ROW_SLACK of the smaller
 * line's height are on one row: the label and value cells of a form
 * (same size, same baseline) are within a few pixels; the lines above and
 * below, a line pitch (1.2-2 heights) away. After levelling a page is
 * within 1.75 degrees of level, which moves a value 400 px right of its
 * label by 12 px, under half a 200 dpi line (30 px). */
#define ROW_SLACK 0.5
/* Side by side, they may touch by this share of the smaller height
 * (boxes of italic or bracketed text overlap a little). */
#define ROW_TOUCH 0.25

static gboolean
side_by_side(const Line *a, const Line *b)
{
	int touch = (int)(ROW_TOUCH * MIN(line_height(a), line_height(b)));

	return a->right <= b->left + touch || b->right <= a->left + touch;
}

static gboolean
same_row(const Line *a, const Line *b)
{
	int h = MIN(line_height(a), line_height(b));

	return abs(line_middle2(a) - line_middle2(b)) <= 2 * ROW_SLACK * h &&
	       side_by_side(a, b);
}

/* One row of the page: indexes into the page's lines, left to right. */
typedef struct {
	GArray *members; /* guint */
} Row;

static void
row_clear(gpointer data)
{
	g_array_unref(((Row *)data)->members);
}

/* How well LINE fits ROW: the distance of its centre from the nearest
 * member's side by side with it (the nearest, so that a slight tilt
 * left does not split a long row), or -1 when it does not fit: it
 * overlaps a member horizontally, or is off the row's height. */
static int
row_fit(const GArray *lines, const Row *row, const Line *line)
{
	const Line *nearest = NULL;
	int nearest_gap = G_MAXINT;

	for (guint i = 0; i < row->members->len; i++) {
		const Line *m = &g_array_index(
		    lines, Line, g_array_index(row->members, guint, i));
		int gap = MAX(m->left - line->right, line->left - m->right);

		if (!side_by_side(m, line))
			return -1;
		if (gap < nearest_gap) {
			nearest_gap = gap;
			nearest = m;
		}
	}
	if (nearest == NULL || !same_row(nearest, line))
		return -1;
	return abs(line_middle2(nearest) - line_middle2(line));
}

/* Line indexes by their centre, top down; Tesseract's order on a tie. */
static gint
by_middle(gconstpointer a, gconstpointer b, gpointer lines)
{
	guint ia = *(const guint *)a, ib = *(const guint *)b;
	int ma = line_middle2(&g_array_index((GArray *)lines, Line, ia));
	int mb = line_middle2(&g_array_index((GArray *)lines, Line, ib));

	if (ma != mb)
		return ma < mb ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

/* Put line I into ROW, keeping the row left to right. */
static void
row_add(Row *row, const GArray *lines, guint i)
{
	int left = g_array_index(lines, Line, i).left;
	guint at = 0;

	while (
	    at < row->members->len &&
	    g_array_index(lines, Line, g_array_index(row->members, guint, at))
		    .left <= left)
		at++;
	g_array_insert_val(row->members, at, i);
}

/* LINES grouped into rows (Row), top to bottom. Each line, taken top
 * down by its centre, joins the row it fits best or starts a new one, so
 * rows come out in the order of their first lines. */
static GArray *
lines_to_rows(GArray *lines)
{
	GArray *order =
	    g_array_sized_new(FALSE, FALSE, sizeof(guint), lines->len);
	GArray *rows = g_array_new(FALSE, FALSE, sizeof(Row));

	g_array_set_clear_func(rows, row_clear);
	for (guint i = 0; i < lines->len; i++)
		g_array_append_val(order, i);
	g_array_sort_with_data(order, by_middle, lines);
	for (guint k = 0; k < order->len; k++) {
		guint i = g_array_index(order, guint, k);
		const Line *line = &g_array_index(lines, Line, i);
		Row *best = NULL;
		int best_fit = G_MAXINT;

		for (guint r = 0; r < rows->len; r++) {
			Row *row = &g_array_index(rows, Row, r);
			int fit = row_fit(lines, row, line);

			if (fit >= 0 && fit < best_fit) {
				best = row;
				best_fit = fit;
			}
		}
		if (best == NULL) {
			Row row = {g_array_new(FALSE, FALSE, sizeof(guint))};

			g_array_append_val(rows, row);
			best = &g_array_index(rows, Row, rows->len - 1);
		}
		row_add(best, lines, i);
	}
	g_array_unref(order);
	return rows;
}

/* Spaces for a gap of GAP pixels between lines HEIGHT high, about as
 * preserve_interword_spaces counts them within a line (a space is about
 * half a Chinese character): a table's column gaps stay visible. */
#define ROW_MAX_SPACES 40

static int
gap_spaces(int gap, int height)
{
	return CLAMP(gap / MAX(height / 2, 1), 1, ROW_MAX_SPACES);
}

/* The text of ROWS of LINES: a row a line, its lines left to right; a
 * blank line before a row that begins one of Tesseract's paragraphs, as
 * Tesseract's own text has. */
static char *
rows_text(const GArray *lines, const GArray *rows)
{
	GString *text = g_string_new(NULL);

	for (guint r = 0; r < rows->len; r++) {
		const GArray *members = g_array_index(rows, Row, r).members;
		const Line *prev = NULL;

		for (guint j = 0; j < members->len; j++) {
			const Line *line = &g_array_index(
			    lines, Line, g_array_index(members, guint, j));

			if (line->para && r > 0 && j == 0)
				g_string_append_c(text, '\n');
			if (prev != NULL)
				g_string_append_printf(
				    text, "%*s",
				    gap_spaces(line->left - prev->right,
					       MIN(line_height(line),
						   line_height(prev))),
				    "");
			g_string_append(text, line->text);
			prev = line;
		}
		g_string_append_c(text, '\n');
	}
	return g_string_free(text, FALSE);
}

static Script
script_count(const char *text)
{
	Script s = {0, 0, 0};

	for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_isalnum(c))
			s.letters++;
		if (g_unichar_get_script(c) == G_UNICODE_SCRIPT_HAN)
			s.han++;
		if (c < 0x80 && g_ascii_isalpha((char)c))
			s.latin++;
	}
	return s;
}

/* Read LINE, an 8-bit grey Pix of one line, with API (PSM 7). Returns
 * Tesseract's text (new, possibly ""), or NULL when it failed, and leaves
 * API cleared; what else is wanted of the reading is asked by TAKE. */
static char *
line_recognize(TessBaseAPI *api, PIX *line, int dpi,
	       double (*take)(TessBaseAPI *api), double *confidence)
{
	char *text = NULL;

	TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
	TessBaseAPISetVariable(api, "thresholding_method", "0");
	set_image(api, line, dpi);
	if (TessBaseAPIRecognize(api, NULL) == 0) {
		text = take_text(TessBaseAPIGetUTF8Text(api));
		*confidence = *text != '\0' ? take(api) : 0.0;
	}
	TessBaseAPIClear(api);
	return text;
}

static double
mean_confidence(TessBaseAPI *api)
{
	return CLAMP(TessBaseAPIMeanTextConf(api), 0, 100) / 100.0;
}

/* A big bold title on a 200 dpi scan rendered at 300 dpi (characters
 * 80-100 px high) is read by chi_sim+eng as Latin garbage: 技术服务合同 ->
 * "DOAK IF]", 成果验收单 -> "WR a BO"; normal lines lose a label the
 * same way (项目名称 -> "AAR:"). The same words cut out, brought to
 * about REREAD_HEIGHT px and read by chi_sim alone read right, mostly at
 * confidence 0.8-0.95, where a signature or seal lettering reads at
 * 0.0-0.5. So on a page mostly Chinese each run of weak words is read
 * again that way, and the new reading kept when it has more Chinese and
 * is at least as sure as the old one and REREAD_MIN_CONFIDENCE (0.75
 * was measured too: it kept less, and 0.4 read 9 of the 48 variants of
 * docs/accuracy.md better, by up to 5 points, and none worse). At most
 * REREAD_MAX_SPANS a page (10-30 ms each). */
#define REREAD_HEIGHT	      40
#define REREAD_MIN_LATIN      2
#define REREAD_MIN_CONFIDENCE 0.4
#define REREAD_MAX_SPANS      12

/* The box BOX (left, top, right, bottom) of PAGE, with a margin, scaled
 * so that its height is REREAD_HEIGHT, read by API. Returns the new text
 * (owned, stripped) and its confidence, or NULL. */
static char *
reread_box(Page *page, TessBaseAPI *api, const int *box, double *confidence)
{
	int h = box[3] - box[1], pad = h / 4;
	int x = MAX(box[0] - pad, 0), y = MAX(box[1] - pad, 0);
	BOX *clip = boxCreate(x, y, box[2] + pad - x, box[3] + pad - y);
	PIX *crop =
	    clip != NULL ? pixClipRectangle(page->grey, clip, NULL) : NULL;
	float scale = (float)REREAD_HEIGHT / (float)MAX(h, 1);
	PIX *scaled = crop != NULL ? pixScale(crop, scale, scale) : NULL;
	char *text = NULL;

	if (scaled != NULL)
		text = line_recognize(api, scaled,
				      MAX((int)(page->dpi * scale), 70),
				      mean_confidence, confidence);
	if (text != NULL)
		g_strstrip(text);
	pixDestroy(&scaled);
	pixDestroy(&crop);
	boxDestroy(&clip);
	return text;
}

/* Read again words FIRST..LAST of LINE with the chi_sim line engine
 * (started the first time a page needs it), and put the new reading in
 * LINE's text when it is better. */
static void
reread_span(Page *page, Line *line, guint first, guint last)
{
	TessBaseAPI *api = line_api(page->engine);
	const Word *a = &g_array_index(line->words, Word, first);
	const Word *b = &g_array_index(line->words, Word, last);
	/* The line's height: a word's box is only as tall as its letters. */
	int box[4] = {a->left, line->top, b->right, line->bottom};
	double confidence = 0, old_confidence = 0;
	char *old = g_strndup(line->text + a->start, b->end - a->start);
	/* Without chi_sim data the page engine is all there is. */
	char *text = api != page->engine->api
			 ? reread_box(page, api, box, &confidence)
			 : NULL;

	for (guint i = first; i <= last; i++)
		old_confidence +=
		    g_array_index(line->words, Word, i).confidence /
		    (last - first + 1);
	g_debug("ocr: %d px \"%s\" %.2f read again \"%s\" %.2f",
		line_height(line), old, old_confidence,
		text != NULL ? text : "", confidence);
	if (text != NULL && script_count(text).han > script_count(old).han &&
	    confidence >= MAX(old_confidence, REREAD_MIN_CONFIDENCE)) {
		char *joined = g_strdup_printf("%.*s%s%s", a->start, line->text,
					       text, line->text + b->end);

		g_free(line->text);
		line->text = joined;
	}
	g_free(text);
	g_free(old);
}

/* Read again the runs of weak words of LINE, right to left so that the
 * word offsets before a run stay right; at most *LEFT runs, counted. */
static void
reread_line(Page *page, Line *line, int *left)
{
	guint last = 0;
	int latin = 0;
	gboolean in_run = FALSE;

	for (guint i = line->words->len; i-- > 0 && *left > 0;) {
		const Word *word = &g_array_index(line->words, Word, i);

		if (word->weak) {
			if (!in_run)
				last = i;
			in_run = TRUE;
			latin += word->latin;
		}
		if (in_run && (!word->weak || i == 0)) {
			guint first = word->weak ? i : i + 1;

			if (latin >= REREAD_MIN_LATIN &&
			    g_get_monotonic_time() < page->deadline) {
				reread_span(page, line, first, last);
				(*left)--;
			}
			in_run = FALSE;
			latin = 0;
		}
	}
}

/* Read again what looks misread on a page mostly Chinese, keeping what
 * reads better. */
static void
reread_suspects(Page *page, GArray *lines)
{
	Script page_script = {0, 0, 0};
	int left = REREAD_MAX_SPANS;

	for (guint i = 0; i < lines->len; i++) {
		Script s = script_count(g_array_index(lines, Line, i).text);

		page_script.han += s.han;
		page_script.latin += s.latin;
	}
	if (!page->engine->cjk || page_script.han <= page_script.latin)
		return;
	for (guint i = 0; i < lines->len && left > 0; i++)
		reread_line(page, &g_array_index(lines, Line, i), &left);
}

/* The text of the page just recognised by PAGE's engine, row by row
 * (see Line), misread lines read again. */
static char *
page_text(Page *page)
{
	GArray *lines = take_lines(page->engine->api);
	GArray *rows;
	char *text;

	reread_suspects(page, lines);
	rows = lines_to_rows(lines);
	text = rows_text(lines, rows);
	g_array_unref(rows);
	g_array_unref(lines);
	return text;
}

/* Read the image set in PAGE's engine, within the time PAGE has left.
 * Returns a new result, or NULL when Tesseract failed or ran out of
 * time. */
static OcrResult *
recognize(Page *page)
{
	TessBaseAPI *api = page->engine->api;
	gint64 left_ms = (page->deadline - g_get_monotonic_time()) / 1000;
	OcrResult *result;

	if (left_ms <= 0)
		return NULL;
	TessMonitorSetDeadlineMSecs(page->monitor, (int)MIN(left_ms, G_MAXINT));
	if (TessBaseAPIRecognize(api, page->monitor) != 0)
		return NULL;
	result = g_new0(OcrResult, 1);
	result->words =
	    take_words(api, pixGetWidth(page->grey), pixGetHeight(page->grey));
	result->confidence =
	    result->words->len > 0
		? CLAMP(TessBaseAPIMeanTextConf(api), 0, 100) / 100.0
		: 0.0;
	result->text = page_text(page);
	result->rotation = page->rotation;
	result->skew = page->skew;
	return result;
}

/* A page read the wrong way up gives Tesseract's guesses at Latin-like
 * shapes. Generated pages turned 180 degrees (A4 forms, certificates,
 * reports, tables and screenshots at 100-300 dpi) read with 0-4 % of
 * their letters Chinese and mean confidence 0.25-0.63 (0.63: a table of
 * figures, whose digits still look like digits); upright, 11 % (that
 * table) to 79 % Chinese, confidence 0.49 (a blurred 100 dpi photo) to
 * 0.93. So for a Chinese engine the share of Chinese letters decides, and
 * confidence only when low; other engines have only confidence. Upside-
 * down phone photos under a shadow read as 8-30 % "Chinese" (一, 二, 十
 * and 日 look the same either way up) at 0.48-0.53, so below 0.55 a page
 * is checked too: an upright page that poor costs a second reading. */
#define SUSPECT_CJK_SHARE      0.07
#define SUSPECT_CONFIDENCE_CJK 0.55
#define SUSPECT_CONFIDENCE     0.6
/* Too little text to judge, or to gain anything by turning. */
#define SUSPECT_MIN_LETTERS 20

static gboolean
looks_wrong_way_up(const OcrEngine *engine, const OcrResult *result)
{
	Script s = script_count(result->text);

	if (s.letters < SUSPECT_MIN_LETTERS)
		return FALSE;
	if (!engine->cjk)
		return result->confidence < SUSPECT_CONFIDENCE;
	return s.han < SUSPECT_CJK_SHARE * s.letters ||
	       result->confidence < SUSPECT_CONFIDENCE_CJK;
}

/* Read PAGE turned by DEGREES (from the image as given) and return
 * whichever of that and BEST, read before, Tesseract is more confident
 * of; the other is freed. */
static OcrResult *
read_turned(Page *page, int degrees, OcrResult *best)
{
	OcrResult *other;

	if (degrees == best->rotation || !turn_to(page, degrees))
		return best;
	other = recognize(page);
	g_debug("ocr: read turned %d: confidence %.2f, %d: %.2f",
		best->rotation, best->confidence, degrees,
		other != NULL ? other->confidence : 0.0);
	if (other == NULL || other->confidence <= best->confidence) {
		ocr_result_free(other);
		return best;
	}
	ocr_result_free(best);
	return other;
}

/* Upright pages - most of them - are read once, as they come. A page the
 * layout shows sideways is turned the way OSD says before it is read. A
 * reading that looks wrong is checked: an upright-looking page is turned
 * the way OSD says (upside down if OSD says as it is) and read again, a
 * turned one the other way, and the more confident reading is kept.
 *
 * The other way - OSD on every page, then one reading - was measured too,
 * on generated pages at 200 and 300 dpi (10 document types, scan and
 * phone looks; mean CPU seconds per page, OMP_THREAD_LIMIT=1, the least
 * of 2 runs for upright pages):
 *                         before   this     OSD first
 *   upright (23 pages)    1.10     1.10     1.42
 *   sideways (21)         -        1.45     1.33
 *   upside down (12)      -        2.87     1.37
 * "Before" (no turning, no levelling, no words) read sideways and upside-
 * down pages as garbage, except pages turned 90 clockwise, which Tesseract
 * reads as vertical Chinese. OSD first costs every page 0.3-0.45 s (+30 %);
 * this costs upright pages nothing measurable (grey copy, levelling and
 * words take 10-35 ms) and an upside-down page one wasted reading. */
static OcrResult *
read_page(Page *page)
{
	OcrEngine *engine = page->engine;
	OcrResult *result = NULL;
	gboolean sideways = FALSE;
	int degrees = 0;
	const char *threshold = "0";

	/* Tesseract's "2 = Sauvola", a local threshold, lifts generated phone
	 * photos with a shadow from 0.12-0.22 accuracy to 0.69-0.90; on every
	 * page it collapses on washed-out ones (0.90 -> 0.11), so it is used
	 * only where the light is uneven (docs/accuracy.md), and on paper
	 * made evenly bright first: 0.698 -> 0.827 on the invoice in a
	 * shadow, 0.895 -> 0.929 on the certificate (Otsu on the flattened
	 * page read the invoice 0.10 worse). */
	if (ocr_image_unevenly_lit(page->grey)) {
		/* Not flattened (out of memory), it is still uneven. */
		(void)ocr_image_flatten(&page->grey);
		threshold = "2";
	}
	TessBaseAPISetVariable(engine->api, "thresholding_method", threshold);
	set_image(engine->api, page->grey, page->dpi);
	if (engine->osd != NULL && layout_is_sideways(engine->api)) {
		sideways = TRUE;
		if (detect_turn(page, &degrees) && degrees != 0 &&
		    !turn_to(page, degrees))
			degrees = 0;
	}
	result = recognize(page);
	if (result == NULL || engine->osd == NULL)
		return result;
	/* Too little read to judge: upside down under a shadow, Tesseract
	 * found two lines of a full page. OSD is asked, and only a turn it
	 * finds is tried; a blank page stays as it was read. */
	if (script_count(result->text).letters < SUSPECT_MIN_LETTERS)
		return !sideways && detect_turn(page, &degrees) && degrees != 0
			   ? read_turned(page, degrees, result)
			   : result;
	if (!looks_wrong_way_up(engine, result))
		return result;
	/* Unturned, a sideways page is read as vertical Chinese, which is
	 * right for a page turned 90 degrees clockwise; so the other way. */
	if (sideways)
		return read_turned(
		    page, degrees == 0 ? 90 : (degrees + 180) % 360, result);
	if (!detect_turn(page, &degrees) || degrees == 0)
		degrees = 180;
	return read_turned(page, degrees, result);
}

/* Fewer dark pixels than this share of the page is no writing at all: a
 * blank page (a scanner's empty back side, a padding page) is read as
 * empty without Tesseract, which spends a quarter of a second looking
 * at one (measured on a 300 dpi A4 page) - minutes for a file of
 * hundreds. A page number alone is about 1/60000 of an A4 page. */
#define OCR_BLANK_INK_SHARE (1.0 / 100000)

/* Ink is what stands out from the paper: darker than the page's median
 * grey by this much. Not an absolute level, so that a faint, low-contrast
 * scan (text at 150 on paper at 200) is writing, while a blank page's
 * scanner noise and paper shade are not. */
#define OCR_INK_CONTRAST 40

static gboolean
is_blank(PIX *grey)
{
	NUMA *hist = pixGetGrayHistogram(grey, 1);
	l_int32 n = hist != NULL ? numaGetCount(hist) : 0;
	double total = (double)pixGetWidth(grey) * pixGetHeight(grey);
	double seen = 0, ink = 0;
	int median = -1;

	for (l_int32 v = 0; v < n && median < 0; v++) {
		l_float32 count = 0;

		numaGetFValue(hist, v, &count);
		seen += count;
		if (seen >= total / 2)
			median = v;
	}
	for (l_int32 v = 0; v < median - OCR_INK_CONTRAST; v++) {
		l_float32 count = 0;

		numaGetFValue(hist, v, &count);
		ink += count;
	}
	numaDestroy(&hist);
	return n == 256 && median >= 0 && ink < total * OCR_BLANK_INK_SHARE;
}

static OcrResult *
blank_result(void)
{
	OcrResult *result = g_new0(OcrResult, 1);

	result->text = g_strdup("");
	result->words = core_words_new();
	return result;
}

OcrResult *
ocr_page_read(OcrEngine *engine, const IngestImage *image, GError **error)
{
	OcrResult *result = NULL;
	Page page = {engine, NULL, 0, 0, 0, NULL, 0};

	if (engine->api == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_OCR,
			    "this Tesseract engine reads seal rings only");
		return NULL;
	}
	if (!ocr_image_check(image, error))
		return NULL;
	page.grey = ocr_image_grey(image);
	if (page.grey == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_LIMIT,
			    "not enough memory to OCR a page of %dx%d pixels",
			    image->width, image->height);
		return NULL;
	}
	if (is_blank(page.grey)) {
		pixDestroy(&page.grey);
		return blank_result();
	}
	page.dpi = image->dpi > 0 ? image->dpi : 300;
	page.skew = ocr_image_level(&page.grey);
	page.monitor = TessMonitorCreate();
	page.deadline = g_get_monotonic_time() +
			(gint64)OCR_PAGE_DEADLINE_SECONDS * 1000000;
	result = read_page(&page);
	if (result == NULL)
		g_set_error(error, CORE_ERROR, CORE_ERROR_OCR,
			    "Tesseract could not read the page (%dx%d pixels; "
			    "gave up or failed within %d s)",
			    image->width, image->height,
			    OCR_PAGE_DEADLINE_SECONDS);
	/* Drop the page's results but keep the loaded language models. */
	TessBaseAPIClear(engine->api);
	TessMonitorDelete(page.monitor);
	pixDestroy(&page.grey);
	return result;
}

/* The Tesseract that reads single lines: Chinese alone when the engine
 * reads Chinese. With eng loaded too, a seal's bold squeezed lettering
 * came out as Latin letters ("Jâ FES BUBBA") on 8 of 13 rings
 * that chi_sim alone read as Chinese. Started once per engine (about
 * 0.3 s); NULL when it cannot start, and the page engine is used. */
static TessBaseAPI *
line_api(OcrEngine *engine)
{
	TessBaseAPI *api;

	if (engine->line != NULL)
		return engine->line;
	if (strstr(engine->langs, "chi_sim") == NULL)
		return engine->api;
	api = TessBaseAPICreate();
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	if (TessBaseAPIInit3(api, engine->datapath, "chi_sim") != 0) {
		TessBaseAPIDelete(api);
		return engine->api;
	}
	TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
	engine->line = api;
	return api;
}

double
ocr_least_symbol_confidence(TessBaseAPI *api)
{
	TessResultIterator *it = TessBaseAPIGetIterator(api);
	double least = 100;

	if (it == NULL)
		return 0;
	do {
		least =
		    MIN(least, TessResultIteratorConfidence(it, RIL_SYMBOL));
	} while (TessResultIteratorNext(it, RIL_SYMBOL));
	TessResultIteratorDelete(it);
	return CLAMP(least, 0, 100) / 100.0;
}

/* A seal's ring is a few characters on one line; the page settings are
 * put back so the next page is read as before. */
char *
ocr_engine_read_line(OcrEngine *engine, PIX *line, int dpi, double *confidence)
{
	TessBaseAPI *api = line_api(engine);
	char *text = line_recognize(api, line, dpi, ocr_least_symbol_confidence,
				    confidence);

	if (api == engine->api)
		TessBaseAPISetPageSegMode(api, PSM_AUTO);
	return text;
}

void
ocr_result_free(OcrResult *result)
{
	if (result == NULL)
		return;
	g_free(result->text);
	if (result->words != NULL)
		g_array_unref(result->words);
	g_free(result);
}
