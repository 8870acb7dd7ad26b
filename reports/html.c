/* html.c - the HTML report: one self-contained page per claim that a
 * settlement reviewer reads at a glance. The verdict on top, then the
 * checklist, the rules, each finding beside a thumbnail of the page that
 * shows it (the words it quotes, or the seals, marked), and every
 * document's fields. Self-contained because reports are mailed and
 * archived and opened where there is no network: CSS inline, thumbnails
 * as data: URIs, no fonts or scripts, and a Content-Security-Policy that
 * forbids loading anything. Every string from a claim (file names, OCR
 * text, fields) is hostile input and is escaped. */
#include <allheaders.h>
#include <string.h>

#include "reports/reports.h"

/* Thumbnails: drawn at a low resolution (an A4 page is ~660 px wide at
 * 80 dpi) and scaled to at most this width, JPEG at this quality: about
 * 40-80 KB a page, sharp enough to see which words are marked. */
#define HTML_THUMB_DPI	   80
#define HTML_THUMB_WIDTH   600
#define HTML_THUMB_QUALITY 70
/* A figure in a message is marked on the page only from this many digits,
 * so a bare year or a count of months does not light up half the page. */
#define HTML_MIN_FIGURE_DIGITS 5

/* A page drawn for the report: its image is one CSS rule (class "pgID"),
 * so a page that several findings show is in the file once. */
typedef struct {
	int id; /* 0: the page could not be drawn */
	int width, height;
} Thumb;

void
reports_page_image_free(ReportsPageImage *image)
{
	if (image == NULL)
		return;
	g_free(image->ref);
	g_bytes_unref(image->jpeg);
	g_free(image);
}

typedef struct {
	const ScanResult *r;
	const ScanContext *ctx; /* draws the pages, in its reading processes */
	const ClassifyRules *rules;
	GString *out;	 /* the body */
	GString *images; /* CSS rules of the thumbnails, for the head */
	/* "file#page" -> Thumb* (owned): each page is rendered once however
	 * many findings show it. Owned. */
	GHashTable *thumbs;
	const char *lang;	/* of the findings' messages */
	GPtrArray *images_kept; /* ReportsPageImage*, or NULL: not kept */
} Html;

/* ---- escaping ---------------------------------------------------------- */

/* S escaped for text and attribute values alike (& < > " '), after any
 * invalid UTF-8 is replaced: file names and OCR text are hostile. */
static void
esc(GString *out, const char *s)
{
	char *valid, *e;

	if (s == NULL)
		return;
	valid = g_utf8_make_valid(s, -1);
	e = g_markup_escape_text(valid, -1);
	g_string_append(out, e);
	g_free(e);
	g_free(valid);
}

/* A fraction as a CSS percentage, in the C locale whatever the user's. */
static void
append_pct(GString *out, double fraction)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	g_ascii_formatd(buf, sizeof buf, "%.2f", fraction * 100.0);
	g_string_append_printf(out, "%s%%", buf);
}

/* "PROP:N%;" */
static void
append_percent(GString *out, const char *prop, double fraction)
{
	g_string_append_printf(out, "%s:", prop);
	append_pct(out, fraction);
	g_string_append_c(out, ';');
}

/* ---- the page behind a ref ---------------------------------------------- */

/* Split "file#page" into its file (new string) and page; a ref without a
 * page (a whole unreadable file) gives page 0. File names may hold '#',
 * so only the last one, followed by digits alone, counts. */
static char *
ref_split(const char *ref, int *page)
{
	const char *hash = strrchr(ref, '#');

	*page = 0;
	if (hash == NULL || hash[1] == '\0' ||
	    strspn(hash + 1, "0123456789") != strlen(hash + 1))
		return g_strdup(ref);
	*page = (int)g_ascii_strtoll(hash + 1, NULL, 10);
	return g_strndup(ref, (gsize)(hash - ref));
}

static const IngestFile *
find_file(const ScanResult *r, const char *path)
{
	for (guint i = 0; r->files != NULL && i < r->files->len; i++) {
		const IngestFile *f = g_ptr_array_index(r->files, i);

		if (strcmp(f->path, path) == 0)
			return f;
	}
	return NULL;
}

static const CorePage *
find_page(const ScanResult *r, const char *file, int page)
{
	for (guint i = 0; r->pages != NULL && i < r->pages->len; i++) {
		const CorePage *p = g_ptr_array_index(r->pages, i);

		if (p->page == page && strcmp(p->file, file) == 0)
			return p;
	}
	return NULL;
}

/* ---- thumbnails -----------------------------------------------------------
 */

/* IMAGE as a Leptonica image (8-bit grey or 32-bit RGB). Caller owns. */
static PIX *
pix_from_image(const IngestImage *image)
{
	PIX *pix = pixCreate(image->width, image->height,
			     image->channels == 1 ? 8 : 32);
	l_uint32 *data = pixGetData(pix);
	int wpl = pixGetWpl(pix);

	for (int y = 0; y < image->height; y++) {
		const guint8 *row = image->pixels + (gsize)y * image->stride;
		l_uint32 *line = data + (gsize)y * wpl;

		for (int x = 0; x < image->width; x++) {
			if (image->channels == 1) {
				SET_DATA_BYTE(line, x, row[x]);
				continue;
			}
			composeRGBPixel(row[3 * x], row[3 * x + 1],
					row[3 * x + 2], line + x);
		}
	}
	return pix;
}

/* PIX turned upright (ROTATION degrees clockwise, as OCR turned the page
 * to read it, so the word boxes fit) and no wider than HTML_THUMB_WIDTH.
 * Takes PIX; returns a new one. */
static PIX *
pix_upright_small(PIX *pix, int rotation)
{
	PIX *next;
	int quads = ((rotation % 360) + 360) % 360 / 90;

	if (quads != 0) {
		next = pixRotateOrth(pix, quads);
		pixDestroy(&pix);
		pix = next;
	}
	if (pixGetWidth(pix) > HTML_THUMB_WIDTH) {
		float s = (float)HTML_THUMB_WIDTH / (float)pixGetWidth(pix);

		next = pixScale(pix, s, s);
		pixDestroy(&pix);
		pix = next;
	}
	return pix;
}

/* Page PAGE of FILE as a small JPEG (its size in THUMB), or NULL with
 * ERROR. */
static GBytes *
thumb_render(const ScanContext *ctx, const IngestFile *file, int page,
	     int rotation, Thumb *thumb, GError **error)
{
	IngestImage *image;
	PIX *pix;
	l_uint8 *jpeg = NULL;
	size_t size = 0;
	GBytes *bytes = NULL;

	image = scan_page_draw(ctx, file, page, HTML_THUMB_DPI, error);
	if (image == NULL)
		return NULL;
	pix = pix_upright_small(pix_from_image(image), rotation);
	ingest_image_free(image);
	if (pix == NULL ||
	    pixWriteMemJpeg(&jpeg, &size, pix, HTML_THUMB_QUALITY, 0) != 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "%s#%d: the thumbnail could not be encoded",
			    file->path, page);
	} else {
		bytes = g_bytes_new(jpeg, size);
		thumb->width = pixGetWidth(pix);
		thumb->height = pixGetHeight(pix);
	}
	lept_free(jpeg);
	pixDestroy(&pix);
	return bytes;
}

/* The drawn page as a CSS rule of the head and, when asked, kept. */
static void
thumb_keep(Html *h, const char *ref, Thumb *thumb, GBytes *jpeg)
{
	char *b64 = g_base64_encode(g_bytes_get_data(jpeg, NULL),
				    g_bytes_get_size(jpeg));

	thumb->id = (int)g_hash_table_size(h->thumbs) + 1;
	/* base64 has nothing to escape in a CSS string */
	g_string_append_printf(h->images,
			       ".pg%d{background-image:url(\"data:"
			       "image/jpeg;base64,%s\")}\n",
			       thumb->id, b64);
	g_free(b64);
	if (h->images_kept != NULL) {
		ReportsPageImage *image = g_new0(ReportsPageImage, 1);

		image->ref = g_strdup(ref);
		image->jpeg = g_bytes_ref(jpeg);
		image->width = thumb->width;
		image->height = thumb->height;
		g_ptr_array_add(h->images_kept, image);
	}
}

/* The thumbnail of REF's page, drawn once per report; NULL when the page
 * cannot be drawn (a whole-file ref, an unreadable file). Borrowed. */
static const Thumb *
thumb_get(Html *h, const char *ref, const CorePage *page)
{
	const IngestFile *file;
	Thumb *thumb = g_hash_table_lookup(h->thumbs, ref);
	GBytes *jpeg = NULL;
	GError *error = NULL;

	if (thumb != NULL)
		return thumb->id > 0 ? thumb : NULL;
	thumb = g_new0(Thumb, 1);
	file = find_file(h->r, page->file);
	if (file != NULL && file->error == NULL && page->page <= file->n_pages)
		jpeg = thumb_render(h->ctx, file, page->page, page->rotation,
				    thumb, &error);
	if (error != NULL) {
		g_debug("no thumbnail: %s", error->message);
		g_clear_error(&error);
	}
	if (jpeg != NULL) {
		thumb_keep(h, ref, thumb, jpeg);
		g_bytes_unref(jpeg);
	}
	g_hash_table_insert(h->thumbs, g_strdup(ref), thumb);
	return thumb->id > 0 ? thumb : NULL;
}

/* ---- what to mark on a page ------------------------------------------------
 */

/* TEXT as it is compared: normalised (full-width digits, spaces between
 * CJK), without the thousands commas, spaces and currency signs that one
 * side prints and the other does not. Caller owns. */
static char *
match_form(const char *text, gssize len)
{
	char *raw = len < 0 ? g_strdup(text) : g_strndup(text, (gsize)len);
	char *norm = core_text_normalize(raw);
	GString *out = g_string_sized_new(strlen(norm));

	for (const char *p = norm; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c == ',' || c == ' ' || c == 0xA5 /* ¥ */ ||
		    c == 0xFFE5 /* ￥ */)
			continue;
		g_string_append_unichar(out, c);
	}
	g_free(norm);
	g_free(raw);
	return g_string_free(out, FALSE);
}

static void
needle_add(GPtrArray *needles, const char *text, gssize len)
{
	char *n = match_form(text, len);

	if (g_utf8_strlen(n, -1) >= 2)
		g_ptr_array_add(needles, n);
	else
		g_free(n);
}

/* What a message quotes: 「…」 and “…” (names, software titles). */
static void
needles_quoted(GPtrArray *needles, const char *msg)
{
	static const char *const pairs[][2] = {{"「", "」"}, {"“", "”"}};

	for (guint k = 0; k < G_N_ELEMENTS(pairs); k++) {
		const char *p = msg, *open, *close;

		while ((open = strstr(p, pairs[k][0])) != NULL) {
			open += strlen(pairs[k][0]);
			close = strstr(open, pairs[k][1]);
			if (close == NULL)
				break;
			needle_add(needles, open, close - open);
			p = close + strlen(pairs[k][1]);
		}
	}
}

/* Figures: amounts (50,000.00) and long numbers (invoice numbers, bank
 * serials). Short bare numbers (a year, "3个月") are left out. */
static void
needles_figures(GPtrArray *needles, const char *msg)
{
	const char *p = msg;

	while (*p != '\0') {
		const char *start = p;
		int digits = 0;
		gboolean point = FALSE;

		if (!g_ascii_isdigit(*p)) {
			p++;
			continue;
		}
		while (g_ascii_isdigit(*p) || *p == ',' || *p == '.') {
			digits += g_ascii_isdigit(*p) != 0;
			point |= *p == '.';
			p++;
		}
		while (p > start && (p[-1] == ',' || p[-1] == '.'))
			p--;
		if (digits >= HTML_MIN_FIGURE_DIGITS || (point && digits >= 3))
			needle_add(needles, start, p - start);
		if (p == start)
			p++;
	}
}

/* Dates, in the ways a page prints them: a message says 2025年10月1日
 * (or 2025-10-01), the page 2025-10-01, 2025年10月01日 or 2025.10.01. */
static void
needles_dates(GPtrArray *needles, const char *msg)
{
	static const char *const forms[] = {"%d-%02d-%02d", "%d年%d月%d日",
					    "%d年%02d月%02d日", "%d.%02d.%02d",
					    "%d/%02d/%02d"};
	GRegex *re = g_regex_new("(\\d{4})\\s*[-./年]\\s*(\\d{1,2})\\s*[-./"
				 "月]\\s*(\\d{1,2})",
				 0, 0, NULL);
	GMatchInfo *mi = NULL;

	g_regex_match(re, msg, 0, &mi);
	while (g_match_info_matches(mi)) {
		int v[3];

		for (int i = 0; i < 3; i++) {
			char *s = g_match_info_fetch(mi, i + 1);

			v[i] = (int)g_ascii_strtoll(s, NULL, 10);
			g_free(s);
		}
		for (guint f = 0; f < G_N_ELEMENTS(forms); f++) {
			char *s;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			s = g_strdup_printf(forms[f], v[0], v[1], v[2]);
#pragma GCC diagnostic pop
			needle_add(needles, s, -1);
			g_free(s);
		}
		g_match_info_next(mi, NULL);
	}
	g_match_info_free(mi);
	g_regex_unref(re);
}

/* A and B side by side on one line: OCR gives a date one box per
 * character, a reviewer wants one mark. */
static gboolean
same_line(const CoreBox *a, const CoreBox *b)
{
	double top = MAX(a->y, b->y);
	double bottom = MIN(a->y + a->h, b->y + b->h);
	double gap = MAX(a->x, b->x) - MIN(a->x + a->w, b->x + b->w);

	return bottom - top >= 0.5 * MIN(a->h, b->h) && gap < 0.03;
}

static void
box_union(CoreBox *a, const CoreBox *b)
{
	double right = MAX(a->x + a->w, b->x + b->w);
	double bottom = MAX(a->y + a->h, b->y + b->h);

	a->x = MIN(a->x, b->x);
	a->y = MIN(a->y, b->y);
	a->w = right - a->x;
	a->h = bottom - a->y;
}

/* Add B to MARKS, joined to a mark beside it on its line. */
static void
mark_add(GArray *marks, const CoreBox *b)
{
	for (guint i = 0; i < marks->len; i++) {
		CoreBox *m = &g_array_index(marks, CoreBox, i);

		if (same_line(m, b)) {
			box_union(m, b);
			return;
		}
	}
	g_array_append_val(marks, *b);
}

/* The words of PAGE that MSG quotes, as boxes appended to MARKS: the
 * page's words are joined (in match form) so a name OCR split into one
 * word per character is found as well as one inside a longer word. */
static void
marks_words(GArray *marks, const CorePage *page, const char *msg)
{
	GPtrArray *needles = core_ptr_array_new(g_free);
	GString *hay = g_string_new(NULL);
	GArray *starts = g_array_new(FALSE, FALSE, sizeof(gsize));
	gboolean *hit;

	needles_quoted(needles, msg);
	needles_figures(needles, msg);
	needles_dates(needles, msg);
	for (guint i = 0; i < page->words->len; i++) {
		char *m = match_form(
		    g_array_index(page->words, CoreWord, i).text, -1);

		g_array_append_val(starts, hay->len);
		g_string_append(hay, m);
		g_free(m);
	}
	g_array_append_val(starts, hay->len);
	hit = g_new0(gboolean, page->words->len + 1);
	for (guint n = 0; n < needles->len; n++) {
		const char *needle = g_ptr_array_index(needles, n);
		gsize nlen = strlen(needle);

		for (const char *at = strstr(hay->str, needle); at != NULL;
		     at = strstr(at + 1, needle)) {
			gsize from = (gsize)(at - hay->str), to = from + nlen;

			for (guint w = 0; w < page->words->len; w++)
				hit[w] |=
				    g_array_index(starts, gsize, w) < to &&
				    g_array_index(starts, gsize, w + 1) > from;
		}
	}
	for (guint w = 0; w < page->words->len; w++)
		if (hit[w])
			mark_add(marks,
				 &g_array_index(page->words, CoreWord, w).box);
	g_free(hit);
	g_array_unref(starts);
	g_string_free(hay, TRUE);
	g_ptr_array_unref(needles);
}

/* Seal findings are about the ink: mark the seals the page has. */
static gboolean
is_seal_finding(const CoreFinding *f)
{
	return strcmp(f->code, "NOT_STAMPED") == 0;
}

/* ---- sections
 * ---------------------------------------------------------------- */

static const char CSS[] =
    ":root{--ok:#1a7f37;--bad:#c62828;--warn:#b26a00;--dim:#6b7280;"
    "--line:#e5e7eb;--bg:#f6f7f9}"
    "*{box-sizing:border-box}"
    "body{margin:0;background:var(--bg);color:#1f2328;font:14px/1.5 "
    "system-ui,'Noto Sans CJK SC','Source Han Sans SC','PingFang SC',"
    "'Microsoft YaHei',sans-serif}"
    "main{max-width:1320px;margin:0 auto;padding:16px 20px 40px}"
    "h2{font-size:16px;margin:22px 0 8px}"
    "h2 small{color:var(--dim);font-weight:normal;margin-left:6px}"
    ".verdict{display:flex;align-items:center;gap:18px;padding:14px 18px;"
    "border-radius:8px;border:1px solid;background:#fff}"
    ".verdict.flagged{border-color:#f1b5b5;background:#fdf0f0}"
    ".verdict.pass{border-color:#a8d8b5;background:#eef8f1}"
    ".badge{font-size:24px;font-weight:700;padding:6px 16px;border-radius:6px;"
    "color:#fff;white-space:nowrap;text-align:center;line-height:1.2}"
    ".badge small{display:block;font-size:11px;font-weight:600;opacity:.85;"
    "letter-spacing:.08em}"
    ".flagged .badge{background:var(--bad)}.pass .badge{background:var(--ok)}"
    ".verdict h1{font-size:20px;margin:0}"
    ".verdict p{margin:2px 0 0;color:#374151}"
    ".counts{margin-left:auto;text-align:right;white-space:nowrap}"
    ".counts b{font-size:20px}"
    ".cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);"
    "gap:0 20px}"
    "@media (max-width:1000px){.cols{grid-template-columns:1fr}}"
    "table{width:100%;border-collapse:collapse;background:#fff;"
    "border:1px solid var(--line);border-radius:6px}"
    "th,td{text-align:left;vertical-align:top;padding:4px 8px;"
    "border-bottom:1px solid var(--line)}"
    "th{font-weight:600;background:#fafafa;color:#374151;font-size:12px}"
    "td.m{width:1.6em;text-align:center;font-weight:700}"
    ".present .m,.passed .m{color:var(--ok)}"
    ".missing .m,.failed .m{color:var(--bad)}"
    ".missing,.failed{background:#fff6f6}"
    ".not_checked .m{color:var(--warn)}.not_required,.not_applicable{color:"
    "var(--dim)}"
    ".note{color:var(--dim);font-size:12px}"
    "code{font:12px/1.4 ui-monospace,'DejaVu Sans Mono',monospace;"
    "background:#f1f3f5;padding:0 4px;border-radius:3px;display:inline-block;"
    "max-width:100%;overflow-wrap:anywhere;margin:1px 0}"
    ".chips{margin-top:4px}.chips .tag{margin:0 4px 0 0;background:#fff}"
    "details{margin-top:6px}summary{cursor:pointer;color:var(--dim)}"
    ".finding{display:grid;grid-template-columns:minmax(0,1fr) 230px;gap:14px;"
    "background:#fff;border:1px solid var(--line);border-left:5px solid "
    "var(--bad);border-radius:6px;padding:10px 14px;margin-bottom:10px}"
    ".finding.warning{border-left-color:var(--warn)}"
    ".finding.nothumb{grid-template-columns:1fr}"
    ".sev{display:inline-block;font-size:12px;font-weight:700;color:#fff;"
    "background:var(--bad);border-radius:3px;padding:0 6px;margin-right:6px}"
    ".warning .sev{background:var(--warn)}"
    ".code{font-weight:700;font-family:ui-monospace,monospace;font-size:13px}"
    ".msg{margin:4px 0 6px;font-size:15px}"
    ".refs{font-size:12px;color:var(--dim)}"
    "figure{margin:0}"
    ".page,.zoom{position:relative;overflow:hidden;background-repeat:"
    "no-repeat;border:1px solid #d0d4da;-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}"
    ".page{background-size:100% 100%;box-shadow:0 1px 3px rgba(0,0,0,.12)}"
    ".zoom{margin-top:8px;max-width:760px;border-radius:4px}"
    ".hl{position:absolute;background:rgba(255,214,0,.35);"
    "outline:2px solid #e6a100;border-radius:2px}"
    ".hl.seal{background:rgba(198,40,40,.12);outline:2px dashed "
    "var(--bad);border-radius:50%}"
    "figcaption{font-size:11px;color:var(--dim);margin-top:4px}"
    ".docs{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,"
    "1fr));gap:10px}"
    ".doc{background:#fff;border:1px solid var(--line);border-radius:6px;"
    "padding:8px 12px}"
    ".doc h3{font-size:14px;margin:0 0 4px}"
    ".doc table{border:0}.doc td{border:0;padding:1px 6px 1px 0}"
    ".doc td:first-child{color:var(--dim);width:38%}"
    ".agree{color:var(--ok)}.disagree{color:var(--bad);font-weight:600}"
    ".tag{display:inline-block;font-size:11px;border:1px solid var(--line);"
    "border-radius:3px;padding:0 4px;margin-left:4px;color:var(--dim)}"
    "footer{color:var(--dim);font-size:12px;margin-top:24px}"
    "@media print{body{background:#fff}.finding,.doc{break-inside:avoid}}";

static void
head(Html *h)
{
	gboolean pass = g_str_equal(scan_result_verdict(h->r), "pass");

	g_string_append(
	    h->out,
	    "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>");
	esc(h->out, h->r->claim_id);
	g_string_append_printf(h->out, " · %s · evidcheck</title>\n<style>",
			       pass ? "通过" : "需复核");
	g_string_append(h->out, CSS);
	g_string_append_len(h->out, h->images->str, (gssize)h->images->len);
	g_string_append(h->out, "</style>\n</head>\n<body>\n<main>\n");
}

/* The codes found, each once with its count: what is wrong, at a glance. */
static void
code_chips(GString *out, GPtrArray *findings)
{
	if (findings->len == 0)
		return;
	g_string_append(out, "<div class=\"chips\">");
	for (guint i = 0; i < findings->len; i++) {
		const CoreFinding *f = g_ptr_array_index(findings, i);
		guint n = 0;
		gboolean seen = FALSE;

		for (guint j = 0; j < findings->len && !seen; j++) {
			const CoreFinding *g = g_ptr_array_index(findings, j);

			seen = j < i && strcmp(g->code, f->code) == 0;
			n += strcmp(g->code, f->code) == 0;
		}
		if (seen)
			continue;
		g_string_append(out, "<span class=\"tag\">");
		esc(out, f->code);
		if (n > 1)
			g_string_append_printf(out, " ×%u", n);
		g_string_append(out, "</span>");
	}
	g_string_append(out, "</div>");
}

/* Checklist items and rules left not_checked: a pass does not rest on
 * them, and the reviewer should know how many there are. */
static guint
not_checked(const ScanResult *r)
{
	guint n = 0;

	for (guint i = 0; i < r->checklist->items->len; i++)
		n +=
		    ((ChecklistItem *)g_ptr_array_index(r->checklist->items, i))
			->status == CHECKLIST_NOT_CHECKED;
	for (guint i = 0; r->checks != NULL && i < r->checks->outcomes->len;
	     i++)
		n +=
		    ((ChecksOutcome *)g_ptr_array_index(r->checks->outcomes, i))
			->status == CHECKS_NOT_CHECKED;
	return n;
}

static void
verdict(Html *h)
{
	const ScanResult *r = h->r;
	const ChecklistResult *cl = r->checklist;
	const char *dir =
	    cl->direction != NULL ? cl->direction : r->claim->direction;
	gboolean pass = g_str_equal(scan_result_verdict(r), "pass");
	guint errors = 0;

	for (guint i = 0; i < r->findings->len; i++)
		errors += ((CoreFinding *)g_ptr_array_index(r->findings, i))
			      ->severity == CORE_SEVERITY_ERROR;
	g_string_append_printf(
	    h->out,
	    "<header class=\"verdict %s\"><div class=\"badge\">%s<small>%s"
	    "</small></div><div><h1>申报 ",
	    pass ? "pass" : "flagged", pass ? "通过" : "需复核",
	    pass ? "PASS" : "FLAGGED");
	esc(h->out, r->claim_id);
	g_string_append(h->out, "</h1><p>方向 ");
	esc(h->out, dir != NULL ? dir : "未知");
	if (cl->direction_name != NULL) {
		g_string_append_c(h->out, ' ');
		esc(h->out, cl->direction_name);
	}
	g_string_append(h->out, " · 政策 ");
	esc(h->out, r->policy);
	g_string_append(h->out, "</p>");
	code_chips(h->out, r->findings);
	g_string_append_printf(
	    h->out,
	    "</div><div class=\"counts\"><b>%u</b> 项错误 · "
	    "<b>%u</b> 项提示<br><span class=\"note\">未核查 %u 项 · 材料 %u "
	    "份 · 文件 %d · 页 %d</span></div></header>\n",
	    errors, r->findings->len - errors, not_checked(r),
	    r->documents->len, r->stats.files, r->stats.pages);
}

static void
ref_list(GString *out, GPtrArray *refs)
{
	for (guint i = 0; refs != NULL && i < refs->len; i++) {
		g_string_append(out, i > 0 ? " " : "");
		g_string_append(out, "<code>");
		esc(out, g_ptr_array_index(refs, i));
		g_string_append(out, "</code>");
	}
}

static const char *
checklist_mark(ChecklistStatus status)
{
	switch (status) {
	case CHECKLIST_PRESENT:
		return "✓";
	case CHECKLIST_MISSING:
		return "✗";
	case CHECKLIST_NOT_REQUIRED:
		return "–";
	case CHECKLIST_NOT_CHECKED:
		break;
	}
	return "?";
}

static void
checklist(Html *h)
{
	const ChecklistResult *cl = h->r->checklist;

	g_string_append(h->out, "<section><h2>佐证清单</h2>");
	if (cl->items->len == 0) {
		g_string_append(h->out,
				"<p class=\"note\">方向未知，无法核对清单。"
				"</p></section>\n");
		return;
	}
	g_string_append(h->out, "<table><tr><th></th><th>材料</th>"
				"<th>满足的文件#页 / 说明</th></tr>\n");
	for (guint i = 0; i < cl->items->len; i++) {
		const ChecklistItem *it = g_ptr_array_index(cl->items, i);

		g_string_append_printf(
		    h->out, "<tr class=\"%s\"><td class=\"m\">%s</td><td>",
		    checklist_status_name(it->status),
		    checklist_mark(it->status));
		esc(h->out, it->number);
		g_string_append_c(h->out, ' ');
		esc(h->out, it->label);
		g_string_append(h->out, "</td><td>");
		ref_list(h->out, it->documents);
		if (it->note != NULL) {
			g_string_append(h->out, " <span class=\"note\">");
			esc(h->out, it->note);
			g_string_append(h->out, "</span>");
		}
		g_string_append(h->out, "</td></tr>\n");
	}
	g_string_append(h->out, "</table></section>\n");
}

static void
check_row(GString *out, const ChecksOutcome *c)
{
	static const char *const marks[] = {"✓", "✗", "?", "–"};

	g_string_append_printf(
	    out, "<tr class=\"%s\"><td class=\"m\">%s</td><td>",
	    checks_status_name(c->status), marks[MIN((guint)c->status, 3u)]);
	esc(out, c->label);
	g_string_append(out, " <span class=\"tag\">");
	esc(out, c->code);
	g_string_append(out, "</span></td><td class=\"note\">");
	esc(out, c->note);
	g_string_append(out, "</td></tr>\n");
}

/* Rules that do not apply are folded away: a direction-4 claim has no
 * trainee limit to show, and the reviewer reads what was decided. */
static void
checks(Html *h)
{
	const ChecksResult *cr = h->r->checks;
	guint skipped = 0;

	if (cr == NULL || cr->outcomes->len == 0)
		return;
	g_string_append(h->out, "<section><h2>核查规则</h2><table><tr><th>"
				"</th><th>规则</th><th>核对内容</th></tr>\n");
	for (guint i = 0; i < cr->outcomes->len; i++) {
		const ChecksOutcome *c = g_ptr_array_index(cr->outcomes, i);

		if (c->status == CHECKS_NOT_APPLICABLE)
			skipped++;
		else
			check_row(h->out, c);
	}
	g_string_append(h->out, "</table>");
	if (skipped > 0) {
		g_string_append_printf(h->out,
				       "<details><summary>另有 %u 项规则不适用"
				       "于本申报</summary><table>",
				       skipped);
		for (guint i = 0; i < cr->outcomes->len; i++) {
			const ChecksOutcome *c =
			    g_ptr_array_index(cr->outcomes, i);

			if (c->status == CHECKS_NOT_APPLICABLE)
				check_row(h->out, c);
		}
		g_string_append(h->out, "</table></details>");
	}
	g_string_append(h->out, "</section>\n");
}

/* Zoomed strips are at most this share of the page's height: marks
 * spread further (a column of dates) are seen on the thumbnail. */
#define HTML_ZOOM_MAX_H 0.22
#define HTML_ZOOM_MIN_W 0.45

/* Box B, seen through the window VIEW of the page, as a CSS box. */
static void
mark_box(GString *out, const CoreBox *b, const CoreBox *view, gboolean seal)
{
	/* A little larger than the word, so the ink stays readable. */
	const double pad = 0.003;

	g_string_append_printf(out, "<span class=\"hl%s\" style=\"",
			       seal ? " seal" : "");
	append_percent(out, "left", (b->x - pad - view->x) / view->w);
	append_percent(out, "top", (b->y - pad - view->y) / view->h);
	append_percent(out, "width", (b->w + 2 * pad) / view->w);
	append_percent(out, "height", (b->h + 2 * pad) / view->h);
	g_string_append(out, "\"></span>");
}

static void
marks_draw(GString *out, GArray *marks, GArray *seals, const CoreBox *view)
{
	for (guint i = 0; i < marks->len; i++)
		mark_box(out, &g_array_index(marks, CoreBox, i), view, FALSE);
	for (guint i = 0; seals != NULL && i < seals->len; i++)
		mark_box(out, &g_array_index(seals, CoreBox, i), view, TRUE);
}

/* [LO, LO + LEN) widened to at least MIN_LEN, kept within 0..1. */
static void
span_fit(double *lo, double *len, double margin, double min_len)
{
	double mid = *lo + *len / 2;

	*len = CLAMP(*len + 2 * margin, min_len, 1.0);
	*lo = CLAMP(mid - *len / 2, 0.0, 1.0 - *len);
}

/* The marked region of the page enlarged to the text column's width, so
 * the quoted words can be read without opening the file: the page's
 * image scaled and shifted (CSS background) to show only the window.
 * Nothing when the marks spread over too much of the page. */
static void
zoom(GString *out, const Thumb *t, GArray *marks, GArray *seals)
{
	CoreBox u, view;
	guint n = 0;

	for (guint k = 0; k < 2; k++) {
		GArray *boxes = k == 0 ? marks : seals;

		for (guint i = 0; boxes != NULL && i < boxes->len; i++, n++) {
			if (n == 0)
				u = g_array_index(boxes, CoreBox, i);
			else
				box_union(&u,
					  &g_array_index(boxes, CoreBox, i));
		}
	}
	if (n == 0 || u.h > HTML_ZOOM_MAX_H)
		return;
	view = u;
	span_fit(&view.x, &view.w, 0.04, HTML_ZOOM_MIN_W);
	span_fit(&view.y, &view.h, 0.015, 0.06);
	g_string_append_printf(out, "<div class=\"zoom pg%d\" style=\"", t->id);
	append_percent(out, "padding-top",
		       view.h * t->height / (view.w * t->width));
	append_percent(out, "background-size", 1.0 / view.w);
	g_string_append(out, "background-position:");
	append_pct(out, view.w < 1 ? view.x / (1 - view.w) : 0);
	g_string_append_c(out, ' ');
	append_pct(out, view.h < 1 ? view.y / (1 - view.h) : 0);
	g_string_append(out, "\">");
	marks_draw(out, marks, seals, &view);
	g_string_append(out, "</div>");
}

/* The thumbnail of the finding's first page with what it is about marked
 * (ZOOM gets the marked region enlarged). Returns FALSE (nothing written)
 * when there is no page to show. */
static gboolean
finding_thumb(Html *h, GString *out, GString *zoomed, const CoreFinding *f)
{
	static const CoreBox whole = {0, 0, 1, 1};
	const char *ref;
	const CorePage *page;
	const Thumb *t;
	GArray *marks;
	GArray *seals;
	char *file;
	int n;

	if (f->documents->len == 0)
		return FALSE;
	ref = g_ptr_array_index(f->documents, 0);
	file = ref_split(ref, &n);
	page = n > 0 ? find_page(h->r, file, n) : NULL;
	g_free(file);
	t = page != NULL ? thumb_get(h, ref, page) : NULL;
	if (t == NULL)
		return FALSE;
	marks = core_boxes_new();
	marks_words(marks, page, f->message);
	seals = is_seal_finding(f) ? page->seals : NULL;
	g_string_append_printf(out,
			       "<figure><div class=\"page pg%d\" role=\"img\" "
			       "aria-label=\"",
			       t->id);
	esc(out, ref);
	g_string_append(out, "\" style=\"");
	append_percent(out, "padding-top", (double)t->height / t->width);
	g_string_append(out, "\">");
	marks_draw(out, marks, seals, &whole);
	g_string_append(out, "</div><figcaption>");
	esc(out, ref);
	g_string_append(out, "</figcaption></figure>");
	zoom(zoomed, t, marks, seals);
	g_array_unref(marks);
	return TRUE;
}

static void
finding(Html *h, const CoreFinding *f)
{
	gboolean err = f->severity == CORE_SEVERITY_ERROR;
	GString *thumb = g_string_new(NULL);
	GString *zoomed = g_string_new(NULL);
	gboolean has_thumb = finding_thumb(h, thumb, zoomed, f);

	g_string_append_printf(h->out,
			       "<article class=\"finding %s%s\"><div>"
			       "<span class=\"sev\">%s</span>"
			       "<span class=\"code\">",
			       core_severity_name(f->severity),
			       has_thumb ? "" : " nothumb",
			       err ? "错误" : "提示");
	esc(h->out, f->code);
	g_string_append(h->out, "</span><p class=\"msg\">");
	esc(h->out, core_finding_message(f, h->lang));
	g_string_append(h->out, "</p><div class=\"refs\">");
	if (f->documents->len > 0)
		g_string_append(h->out, "见 ");
	ref_list(h->out, f->documents);
	g_string_append(h->out, "</div>");
	g_string_append_len(h->out, zoomed->str, (gssize)zoomed->len);
	g_string_append(h->out, "</div>");
	g_string_append_len(h->out, thumb->str, (gssize)thumb->len);
	g_string_append(h->out, "</article>\n");
	g_string_free(zoomed, TRUE);
	g_string_free(thumb, TRUE);
}

static void
findings(Html *h)
{
	GPtrArray *list = h->r->findings;

	g_string_append_printf(h->out,
			       "<section><h2>发现问题<small>%u 项"
			       "</small></h2>\n",
			       list->len);
	if (list->len == 0)
		g_string_append(h->out, "<p>未发现问题。</p>\n");
	for (guint i = 0; i < list->len; i++)
		finding(h, g_ptr_array_index(list, i));
	g_string_append(h->out, "</section>\n");
}

static const ScanVerified *
verified_of(GPtrArray *entries, const char *field)
{
	for (guint i = 0; entries != NULL && i < entries->len; i++) {
		const ScanVerified *v = g_ptr_array_index(entries, i);

		if (strcmp(v->field, field) == 0)
			return v;
	}
	return NULL;
}

/* A field's value, with what the page image said of it when it was read
 * a second time (a text layer's figure the image contradicts is red). */
static void
field_row(GString *out, const CoreDocument *d, const char *name,
	  GPtrArray *verified)
{
	const ScanVerified *v = verified_of(verified, name);

	g_string_append(out, "<tr><td>");
	esc(out, name);
	g_string_append(out, "</td><td>");
	esc(out, core_document_get_field(d, name));
	if (v != NULL && v->status == SCAN_VERIFY_AGREE)
		g_string_append(out, " <span class=\"agree\" title=\"页面图像与"
				     "文本层一致\">✓</span>");
	if (v != NULL && v->status == SCAN_VERIFY_DISAGREE) {
		g_string_append(out, " <span class=\"disagree\">✗ 图像为 ");
		esc(out, v->seen);
		g_string_append(out, "</span>");
	}
	g_string_append(out, "</td></tr>");
}

static void
document(Html *h, const CoreDocument *d)
{
	GPtrArray *verified = h->r->verified != NULL
				  ? g_hash_table_lookup(h->r->verified, d)
				  : NULL;
	char *ref = core_document_ref(d);

	g_string_append(h->out, "<div class=\"doc\"><h3>");
	esc(h->out, classify_type_label(h->rules, d->type));
	g_string_append(h->out, " <code>");
	esc(h->out, ref);
	g_string_append(h->out, "</code>");
	if (d->pages->len > 1)
		g_string_append_printf(h->out,
				       "<span class=\"tag\">共%u页"
				       "</span>",
				       d->pages->len);
	g_string_append_printf(h->out, "<span class=\"tag\">%s</span>",
			       d->source == CORE_TEXT_OCR ? "OCR" : "文本层");
	if (d->stamped > 0)
		g_string_append(h->out, "<span class=\"tag\">有印章</span>");
	g_string_append(h->out, "</h3>");
	if (d->field_order->len > 0)
		g_string_append(h->out, "<table>");
	for (guint i = 0; i < d->field_order->len; i++)
		field_row(h->out, d, g_ptr_array_index(d->field_order, i),
			  verified);
	if (d->field_order->len > 0)
		g_string_append(h->out, "</table>");
	for (guint i = 0; i < d->notes->len; i++) {
		g_string_append(h->out, "<p class=\"note\">");
		esc(h->out, g_ptr_array_index(d->notes, i));
		g_string_append(h->out, "</p>");
	}
	g_string_append(h->out, "</div>\n");
	g_free(ref);
}

static void
documents(Html *h)
{
	GPtrArray *docs = h->r->documents;

	g_string_append_printf(h->out,
			       "<section><h2>识别出的材料<small>%u 份"
			       "</small></h2><div class=\"docs\">\n",
			       docs->len);
	for (guint i = 0; i < docs->len; i++)
		document(h, g_ptr_array_index(docs, i));
	g_string_append(h->out, "</div></section>\n");
}

static void
footer(Html *h)
{
	const ScanStats *s = &h->r->stats;

	g_string_append_printf(
	    h->out,
	    "<footer>evidcheck · 文件 %d · 页 %d（文本层 %d，"
	    "OCR %d，缓存 %d）· 本报告仅供初审，结论以人工复核为准"
	    "</footer>\n</main>\n</body>\n</html>\n",
	    s->files, s->pages, s->pages_pdf_text, s->pages_ocr,
	    s->pages_cached);
}

char *
reports_html_images(const ScanResult *result, const ScanContext *ctx,
		    const char *lang, GPtrArray **images)
{
	Html h = {
	    result,
	    ctx,
	    scan_context_rules(ctx),
	    g_string_new(NULL),
	    g_string_new(NULL),
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
	    lang,
	    images != NULL
		? core_ptr_array_new((GDestroyNotify)reports_page_image_free)
		: NULL};
	GString *body;

	/* The body first: its thumbnails are CSS rules of the head. */
	verdict(&h);
	g_string_append(h.out, "<div class=\"cols\">");
	checklist(&h);
	checks(&h);
	g_string_append(h.out, "</div>\n");
	findings(&h);
	documents(&h);
	footer(&h);
	body = h.out;
	h.out = g_string_new(NULL);
	head(&h);
	g_string_append_len(h.out, body->str, (gssize)body->len);
	g_string_free(body, TRUE);
	g_string_free(h.images, TRUE);
	g_hash_table_unref(h.thumbs);
	if (images != NULL)
		*images = h.images_kept;
	return g_string_free(h.out, FALSE);
}

char *
reports_html(const ScanResult *result, const ScanContext *ctx, const char *lang)
{
	return reports_html_images(result, ctx, lang, NULL);
}
