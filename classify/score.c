/* score.c - decide one page's type: every type's cues are matched against
 * the page (title cues only near the top), weights summed, the best type
 * kept when it clears the threshold. The confidence formula is here and in
 * docs/rules-types.md; change both together. */
#include <string.h>

#include "classify/classify_int.h"

#define MIN_LINE_CHARS 2 /* a line with fewer letters/digits is OCR noise */

typedef struct {
	const TypeRules *type;
	double score;
} Score;

typedef struct {
	const char *type; /* static or borrowed from the rules */
	double confidence;
	const char *guess; /* "other": the best type below the threshold */
	GArray *scores;	   /* Score, in the rules' type order */
} Verdict;

/* Letters and digits (Han included): what OCR noise has few of. */
static int
count_meaningful(const char *s, const char *end)
{
	int n = 0;

	for (; s < end && *s != '\0'; s = g_utf8_next_char(s))
		if (g_unichar_isalnum(g_utf8_get_char(s)))
			n++;
	return n;
}

static size_t
line_end(const ClassifySubject *s, size_t from)
{
	const char *nl = memchr(s->text + from, '\n', s->len - from);

	return nl != NULL ? (size_t)(nl - s->text) : s->len;
}

/* The top of the page, where titles sit: the first TITLE_LINES lines
 * worth the name, or the lines holding the first TITLE_CHARS characters,
 * whichever reaches further. Always ends at a line end, so a title
 * pattern anchored with $ cannot match a line cut in half. */
static size_t
top_end(const ClassifyRules *r, const ClassifySubject *s)
{
	size_t p = 0, by_lines, by_chars;
	const char *c = s->text;
	int lines = 0, chars = 0;

	while (p < s->len && lines < r->title_lines) {
		size_t e = line_end(s, p);

		if (count_meaningful(s->text + p, s->text + e) >=
		    MIN_LINE_CHARS)
			lines++;
		p = e < s->len ? e + 1 : e;
	}
	by_lines = p;
	while (c < s->text + s->len && chars < r->title_chars) {
		c = g_utf8_next_char(c);
		chars++;
	}
	by_chars = line_end(s, (size_t)(c - s->text));
	return MAX(by_lines, by_chars);
}

/* each.* cues: every different matched text adds the weight once. */
static double
each_score(const Cue *c, ClassifySubject *s)
{
	GHashTable *seen =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	size_t from = 0, a, b;
	int hits = 0;

	while (hits < c->max_hits &&
	       classify_subject_next(s, c->re, 0, s->len, &from, &a, &b))
		if (g_hash_table_add(seen, g_strndup(s->text + a, b - a)))
			hits++;
	g_hash_table_unref(seen);
	return hits * c->weight;
}

static double
cue_score(const Cue *c, ClassifySubject *s, size_t top)
{
	size_t from = 0, a, b;

	if (c->kind == CUE_EACH)
		return each_score(c, s);
	return classify_subject_next(s, c->re, 0,
				     c->kind == CUE_TITLE ? top : s->len, &from,
				     &a, &b)
		   ? c->weight
		   : 0;
}

/* The most TYPE's cues other than its titles can add up to. */
static double
body_ceiling(const TypeRules *t)
{
	double most = 0;

	for (guint i = 0; i < t->cues->len; i++) {
		const Cue *c = g_ptr_array_index(t->cues, i);

		if (c->kind != CUE_TITLE && c->weight > 0)
			most += c->weight * c->max_hits;
	}
	return most;
}

/* Sum TYPE's cues over S; with WHY, name each cue that counted. When the
 * type sets untitled_min, a page without any of its titles must reach it
 * or score 0: report bodies share their words, and a second page taken
 * for a new document splits the first (as "other" it continues it).
 * untitled.* cues stand in for a title OCR lost (a contract cover's two
 * labelled party lines): on a titled page they add nothing, so they never
 * tip a contest between titled types (a 外贸综合服务协议书 has the same
 * party lines as the voucher contract).
 * Titles are matched first: most types' other cues cannot reach
 * untitled_min, and then, without a title, they are not looked for (a
 * page is matched against every type, so this halves classification). */
static double
type_score(const TypeRules *t, ClassifySubject *s, size_t top, GString *why)
{
	double total = 0;
	gboolean titled = FALSE;
	guint i;

	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && !titled && t->untitled_min > 0 &&
		    body_ceiling(t) < t->untitled_min)
			return 0;
		for (i = 0; i < t->cues->len; i++) {
			const Cue *c = g_ptr_array_index(t->cues, i);
			double got;

			if ((c->kind == CUE_TITLE) != (pass == 0) ||
			    (c->kind == CUE_UNTITLED && titled))
				continue;
			got = cue_score(c, s, top);
			if (got != 0 && why != NULL)
				g_string_append_printf(why, " %s%+g", c->key,
						       got);
			titled = titled || (c->kind == CUE_TITLE && got > 0);
			total += got;
		}
	}
	if (t->untitled_min > 0 && !titled && total > 0 &&
	    total < t->untitled_min) {
		if (why != NULL)
			g_string_append_printf(why, " (no title: needs %g)",
					       t->untitled_min);
		return 0;
	}
	return total;
}

static double
round2(double x)
{
	return (double)(gint64)(x * 100 + 0.5) / 100;
}

/* Strength s1/(s1+half) grows with the evidence; the margin factor halves
 * it when the runner-up scores as much, so a near tie never reads as
 * certain. */
static double
typed_confidence(const ClassifyRules *r, double best, double second)
{
	double strength = best / (best + r->half_score);
	double margin = (best - MAX(second, 0)) / best;

	return round2(strength * (0.5 + 0.5 * margin));
}

static void
pick_best(const ClassifyRules *r, Verdict *v, int meaningful, int sure)
{
	double best = 0, second = 0;
	const TypeRules *winner = NULL;
	guint i;

	for (i = 0; i < v->scores->len; i++) {
		const Score *sc = &g_array_index(v->scores, Score, i);

		if (winner == NULL || sc->score > best) {
			if (winner != NULL)
				second = best; /* best >= second always */
			best = sc->score;
			winner = sc->type;
		} else if (sc->score > second) {
			second = sc->score;
		}
	}
	if (winner != NULL && best >= r->min_score) {
		v->type = winner->id;
		v->confidence = typed_confidence(r, best, second);
		return;
	}
	/* A picture OCR made letters of - foliage, machines, a crowd - gives
	 * many words read with almost no confidence; a document it failed to
	 * name still has words read surely. */
	if (sure >= 0 && sure < r->photo_max_chars) {
		v->type = CLASSIFY_TYPE_PHOTO;
		v->confidence = r->photo_confidence;
		return;
	}
	/* How far below the threshold: a page that nearly made it is a
	 * weaker "other" than one that matched nothing. */
	v->type = CLASSIFY_TYPE_OTHER;
	v->guess = winner != NULL && best > 0 ? winner->id : NULL;
	v->confidence =
	    meaningful == 0
		? 0
		: round2((r->min_score - CLAMP(best, 0, r->min_score)) /
			 r->min_score);
}

/* SURE: letters and digits of an image page in words read with at least
 * photo_word_confidence, or -1 when not known (a text layer, or no
 * words). */
static void
verdict_compute(const ClassifyRules *r, const char *text, gboolean is_image,
		int sure, Verdict *v, GString *why)
{
	ClassifySubject s;
	GString *line = why != NULL ? g_string_new(NULL) : NULL;
	size_t top;
	int meaningful;
	guint i;

	classify_subject_init(&s, r, text, CLASSIFY_MAX_PAGE_BYTES);
	v->scores = g_array_new(FALSE, FALSE, sizeof(Score));
	meaningful = count_meaningful(s.text, s.text + s.len);
	if (is_image && meaningful < r->photo_max_chars) {
		v->type = CLASSIFY_TYPE_PHOTO;
		v->confidence = r->photo_confidence;
		goto cleanup;
	}
	top = top_end(r, &s);
	for (i = 0; i < r->types->len; i++) {
		const TypeRules *t = g_ptr_array_index(r->types, i);
		Score sc = {t, 0};

		if (t->cues->len == 0)
			continue;
		sc.score = type_score(t, &s, top, line);
		if (line != NULL && line->len > 0)
			g_string_append_printf(why, "%s:%s = %g\n", t->id,
					       line->str, sc.score);
		if (line != NULL)
			g_string_truncate(line, 0);
		g_array_append_val(v->scores, sc);
	}
	pick_best(r, v, meaningful, is_image ? sure : -1);
cleanup:
	if (line != NULL)
		g_string_free(line, TRUE);
	classify_subject_clear(&s);
}

static int
count_sure(const ClassifyRules *r, const GArray *words)
{
	int n = 0;

	if (words == NULL || words->len == 0)
		return -1;
	for (guint i = 0; i < words->len; i++) {
		const CoreWord *w = &g_array_index(words, CoreWord, i);

		if (w->confidence >= r->photo_word_confidence)
			n += count_meaningful(w->text,
					      w->text + strlen(w->text));
	}
	return n;
}

void
classify_page(const ClassifyRules *rules, CorePage *page, gboolean is_image)
{
	Verdict v = {NULL, 0, NULL, NULL};

	verdict_compute(rules, page->text, is_image,
			count_sure(rules, page->words), &v, NULL);
	g_free(page->type);
	page->type = g_strdup(v.type);
	page->type_confidence = v.confidence;
	g_free(page->type_guess);
	page->type_guess = g_strdup(v.guess);
	g_array_unref(v.scores);
}

char *
classify_explain(const ClassifyRules *rules, const char *text,
		 gboolean is_image)
{
	GString *why = g_string_new(NULL);
	Verdict v = {NULL, 0, NULL, NULL};

	verdict_compute(rules, text, is_image, -1, &v, why);
	g_string_append_printf(why, "=> %s (%.2f)\n", v.type, v.confidence);
	g_array_unref(v.scores);
	return g_string_free(why, FALSE);
}
