/* layer.c - how far a PDF page's text layer can be trusted over OCR, and
 * its characters grouped into words with boxes. Scanners hide an OCR layer
 * of their own under the picture, often junk (mojibake, U+FFFD, private-use
 * glyphs); a typed header or page number over a full-page scan is not the
 * page's text either. No poppler here: pdf.c hands over plain data. */
#include <math.h>
#include <string.h>

#include "ingest/ingest_int.h"

/* A letter repeated this often in a row is junk ("IIIIII", "ÿÿÿÿ"). */
#define MIN_RUN 4
/* Penalty slopes: the share of broken characters, mojibake letters and
 * letters in runs at which the score reaches 0. */
#define BAD_ZERO_SHARE	  0.20
#define LATIN1_ZERO_SHARE 0.25
#define RUN_ZERO_SHARE	  0.34
/* Punctuation and symbols above this share of the visible characters count
 * against the layer (Chinese prose has 10-20 %). */
#define SYMBOL_FREE_SHARE 0.45
/* Letters without Chinese: at least this many letters before the share of
 * Chinese among them is judged, full marks from MIN_CJK_SHARE up and
 * CJK_FLOOR with none. Evidence here is Chinese; a page of Latin letters
 * is most likely a junk layer, and OCR reads a real one too. */
#define CJK_MIN_LETTERS 20
#define MIN_CJK_SHARE	0.10
#define CJK_FLOOR	0.35
/* Image cover: from COVER_FROM up to COVER_FULL an image counts as the
 * page's content unless the layer has text enough to be the page:
 * PLENTY_CHARS letters or digits on PLENTY_LINES lines. */
#define COVER_FROM   0.30
#define COVER_FULL   0.80
#define PLENTY_CHARS 150.0
#define PLENTY_LINES 6.0
#define COVER_WEIGHT 0.85

typedef struct {
	int visible; /* non-space characters */
	int alnum;   /* letters and digits, CJK included */
	int letters; /* letters, CJK included */
	int cjk;     /* Han, kana, hangul */
	int bad;     /* broken, replacement, private-use, control, unassigned */
	int latin1;  /* letters mojibake is made of */
	int in_runs; /* letters in runs of MIN_RUN or more of one letter */
	int symbols; /* punctuation and symbols */
	int lines;   /* lines with visible characters */
} Stats;

const char *
ingest_layer_verdict_name(IngestLayerVerdict verdict)
{
	switch (verdict) {
	case INGEST_LAYER_TRUSTED:
		return "trusted";
	case INGEST_LAYER_GARBLED:
		return "garbled";
	case INGEST_LAYER_SCANNED:
		return "scanned";
	case INGEST_LAYER_NONE:
		break;
	}
	return "none";
}

static gboolean
is_cjk(gunichar c)
{
	return (c >= 0x4e00 && c <= 0x9fff) ||	 /* unified ideographs */
	       (c >= 0x3400 && c <= 0x4dbf) ||	 /* extension A */
	       (c >= 0x20000 && c <= 0x3134f) || /* extensions B-G */
	       (c >= 0xf900 && c <= 0xfaff) ||	 /* compatibility */
	       (c >= 0x3040 && c <= 0x30ff) ||	 /* kana */
	       (c >= 0xac00 && c <= 0xd7af);	 /* hangul */
}

/* Chinese punctuation and full-width forms: written with Chinese, and
 * part of a Chinese run ("（盖章）"). */
static gboolean
is_cjk_punct(gunichar c)
{
	return (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xff65);
}

static gboolean
in_list(gunichar c, const gunichar *list, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (c == list[i])
			return TRUE;
	return FALSE;
}

/* What GBK or UTF-8 bytes read as Latin-1 or Windows-1252 look like:
 * "ÐÂ½®Ê¡" for 新疆省. Signs Chinese text really uses (¥ · × ÷ ° ± § ²
 * ³ µ © ® and the no-break space) are left out. */
static gboolean
is_mojibake_letter(gunichar c)
{
	static const gunichar signs[] = {0xa0, 0xa5, 0xa7, 0xa9, 0xae,
					 0xb0, 0xb1, 0xb2, 0xb3, 0xb5,
					 0xb7, 0xd7, 0xf7};
	static const gunichar cp1252[] = {
	    0x152, 0x153, 0x160,  0x161,  0x178,  0x17d,  0x17e, 0x192,
	    0x2c6, 0x2dc, 0x2020, 0x2021, 0x2030, 0x2039, 0x203a};

	if (c >= 0x80 && c <= 0xff)
		return !in_list(c, signs, G_N_ELEMENTS(signs));
	return in_list(c, cp1252, G_N_ELEMENTS(cp1252));
}

static gboolean
is_broken(gunichar c)
{
	if (c == 0xfffd || (c >= 0xe000 && c <= 0xf8ff) || c >= 0xf0000)
		return TRUE;
	switch (g_unichar_type(c)) {
	case G_UNICODE_CONTROL:
		return c != '\t' && c != '\n' && c != '\r' && c != '\f';
	case G_UNICODE_UNASSIGNED:
	case G_UNICODE_SURROGATE:
	case G_UNICODE_PRIVATE_USE:
		return TRUE;
	default:
		return FALSE;
	}
}

/* Rules and leaders repeat by design: "......", "————", "____". */
static gboolean
may_repeat(gunichar c)
{
	return g_unichar_isdigit(c) || g_unichar_isspace(c) ||
	       strchr("._-=*~+#", (int)(c < 0x80 ? c : 1)) != NULL ||
	       c == 0xb7 || c == 0x2026 || c == 0x2014 || c == 0x2500 ||
	       c == 0x2501 || c == 0xff0d || c == 0xff3f || c == 0xff0e ||
	       c == 0x3000;
}

static void
count_text(const char *text, Stats *st)
{
	const char *p = text;
	const char *end = text + strlen(text);
	gunichar prev = 0;
	int run = 0;
	gboolean line_used = FALSE;

	memset(st, 0, sizeof(*st));
	while (p < end) {
		gunichar c = g_utf8_get_char_validated(p, end - p);

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			/* A broken byte is counted, not trusted, not fatal. */
			st->visible++;
			st->bad++;
			p++;
			prev = 0;
			run = 0;
			continue;
		}
		p = g_utf8_next_char(p);
		if (c == '\n' || c == '\f') {
			st->lines += line_used;
			line_used = FALSE;
		}
		if (g_unichar_isspace(c) || c == 0) {
			prev = 0;
			run = 0;
			continue;
		}
		line_used = TRUE;
		st->visible++;
		run = c == prev ? run + 1 : 1;
		prev = c;
		if (run >= MIN_RUN && !may_repeat(c))
			st->in_runs += run == MIN_RUN ? MIN_RUN : 1;
		if (is_broken(c)) {
			st->bad++;
			continue;
		}
		if (is_mojibake_letter(c))
			st->latin1++;
		if (is_cjk(c))
			st->cjk++;
		if (g_unichar_isalpha(c))
			st->letters++;
		if (g_unichar_isalnum(c))
			st->alnum++;
		else if (g_unichar_ispunct(c))
			st->symbols++;
	}
	st->lines += line_used;
}

static double
falls_to_zero(double share, double zero_at)
{
	return CLAMP(1.0 - share / zero_at, 0.0, 1.0);
}

/* 0..1 from the characters alone. */
static double
text_quality(const Stats *st)
{
	double n = MAX(st->visible, 1);
	double q = 1.0;

	q *= falls_to_zero(st->bad / n, BAD_ZERO_SHARE);
	q *= falls_to_zero(st->latin1 / n, LATIN1_ZERO_SHARE);
	q *= falls_to_zero(st->in_runs / n, RUN_ZERO_SHARE);
	if (st->symbols / n > SYMBOL_FREE_SHARE)
		q *= falls_to_zero(st->symbols / n - SYMBOL_FREE_SHARE,
				   1.0 - SYMBOL_FREE_SHARE);
	if (st->letters >= CJK_MIN_LETTERS) {
		double share = (double)st->cjk / st->letters;

		q *=
		    share >= MIN_CJK_SHARE
			? 1.0
			: CJK_FLOOR + (1.0 - CJK_FLOOR) * share / MIN_CJK_SHARE;
	}
	return q;
}

/* 0..1: how far the layer can be the page's content when images cover
 * COVER of the page. */
static double
cover_factor(const Stats *st, double cover)
{
	double excess, plenty;

	if (!isfinite(cover))
		cover = 1.0;
	excess =
	    CLAMP((cover - COVER_FROM) / (COVER_FULL - COVER_FROM), 0.0, 1.0);
	plenty = MIN(MIN(1.0, st->alnum / PLENTY_CHARS),
		     MIN(1.0, st->lines / PLENTY_LINES));
	return 1.0 - COVER_WEIGHT * excess * (1.0 - plenty);
}

double
ingest_layer_score(const char *text, double image_cover,
		   IngestLayerVerdict *verdict)
{
	IngestLayerVerdict v;
	Stats st;
	double q, score;

	if (text == NULL)
		text = "";
	count_text(text, &st);
	if (st.alnum < INGEST_MIN_LAYER_CHARS) {
		/* Below the bar whatever its quality: not the page's text. */
		v = INGEST_LAYER_NONE;
		score = INGEST_LAYER_MIN_SCORE * 0.9 * st.alnum /
			INGEST_MIN_LAYER_CHARS * text_quality(&st);
	} else {
		q = text_quality(&st);
		score = q * cover_factor(&st, image_cover);
		if (q < INGEST_LAYER_MIN_SCORE)
			v = INGEST_LAYER_GARBLED;
		else if (score < INGEST_LAYER_MIN_SCORE)
			v = INGEST_LAYER_SCANNED;
		else
			v = INGEST_LAYER_TRUSTED;
	}
	if (verdict != NULL)
		*verdict = v;
	return CLAMP(score, 0.0, 1.0);
}

/* ---- words ----------------------------------------------------------- */

typedef enum { SCRIPT_OTHER, SCRIPT_CJK } Script;

typedef struct {
	GArray *words;
	GString *text;
	IngestRect box;	 /* of the word so far */
	IngestRect last; /* of its last character */
	Script script;
	gunichar last_char;
	double page_w, page_h;
} Grouper;

static double
fraction(double v, double total)
{
	return CLAMP(v / total, 0.0, 1.0);
}

static void
flush(Grouper *g)
{
	CoreWord word;
	double x1, y1, x2, y2;

	if (g->text->len == 0)
		return;
	x1 = fraction(g->box.x1, g->page_w);
	y1 = fraction(g->box.y1, g->page_h);
	x2 = fraction(g->box.x2, g->page_w);
	y2 = fraction(g->box.y2, g->page_h);
	word.text = g_strndup(g->text->str, g->text->len);
	word.box.x = x1;
	word.box.y = y1;
	word.box.w = x2 - x1;
	word.box.h = y2 - y1;
	word.confidence = 1.0;
	g_array_append_val(g->words, word);
	g_string_truncate(g->text, 0);
}

static gboolean
rect_ok(const IngestRect *r)
{
	return isfinite(r->x1) && isfinite(r->y1) && isfinite(r->x2) &&
	       isfinite(r->y2) && r->x2 >= r->x1 && r->y2 >= r->y1;
}

/* Chinese commas, stops and colons end a word, so "发票号码：" and the
 * number after it are two; brackets do not ("甲方（盖章）："). */
static gboolean
ends_word(gunichar c)
{
	return c == 0xff0c || c == 0x3002 || c == 0xff1a || c == 0xff1b ||
	       c == 0xff01 || c == 0xff1f || c == 0x3001;
}

/* Whether a character of SCRIPT at R continues the word G holds: same
 * script, same line (half the height shared), no gap wider than half a
 * character, not back to the left (a new line). */
static gboolean
continues(const Grouper *g, const IngestRect *r, Script script)
{
	const IngestRect *p = &g->last;
	double h = MAX(r->y2 - r->y1, p->y2 - p->y1);
	double overlap = MIN(r->y2, p->y2) - MAX(r->y1, p->y1);
	double gap = r->x1 - p->x2;

	if (g->text->len == 0)
		return TRUE;
	if (script != g->script || ends_word(g->last_char))
		return FALSE;
	if (overlap < 0.5 * MIN(r->y2 - r->y1, p->y2 - p->y1))
		return FALSE;
	return gap <= 0.5 * h && r->x1 >= p->x1 - 0.5 * h;
}

GArray *
ingest_layer_words(const char *text, const IngestRect *rects, gsize n_rects,
		   double page_w, double page_h)
{
	Grouper g = {0};
	const char *p = text != NULL ? text : "";
	const char *end = p + strlen(p);
	gsize i = 0;

	g.words = core_words_new();
	if (!(page_w > 0) || !(page_h > 0) || !isfinite(page_w) ||
	    !isfinite(page_h))
		return g.words;
	g.text = g_string_new(NULL);
	g.page_w = page_w;
	g.page_h = page_h;
	for (; p < end && i < n_rects; i++) {
		gunichar c = g_utf8_get_char_validated(p, end - p);
		const IngestRect *r = &rects[i];
		Script script;

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			/* Poppler gives valid UTF-8; if not, the offsets no
			 * longer match the boxes. */
			break;
		}
		p = g_utf8_next_char(p);
		if (g_unichar_isspace(c) || g_unichar_iscntrl(c) ||
		    is_broken(c) || !rect_ok(r)) {
			flush(&g);
			continue;
		}
		script = is_cjk(c) || (is_cjk_punct(c) && c != 0x3000)
			     ? SCRIPT_CJK
			     : SCRIPT_OTHER;
		if (!continues(&g, r, script))
			flush(&g);
		if (g.text->len == 0) {
			g.box = *r;
			g.script = script;
		} else {
			g.box.x1 = MIN(g.box.x1, r->x1);
			g.box.y1 = MIN(g.box.y1, r->y1);
			g.box.x2 = MAX(g.box.x2, r->x2);
			g.box.y2 = MAX(g.box.y2, r->y2);
		}
		g_string_append_unichar(g.text, c);
		g.last = *r;
		g.last_char = c;
	}
	flush(&g);
	g_string_free(g.text, TRUE);
	return g.words;
}
