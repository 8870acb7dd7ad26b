/* verify.c - where a text layer holds a key field, and whether what the
 * page image shows there is the same value. Both sides go through one
 * normalisation per kind of value, so "¥60,000.00" in the layer and
 * "Y60000.00" read by OCR are the same amount, and only a different value
 * is a disagreement. */
#include <string.h>

#include "classify/classify.h"
#include "scan/verify.h"

/* A value of KIND as it may be written, OCR's misreads included; NULL for
 * text, which is compared whole. Candidates start with a real digit, so a
 * stray l or O read from a border is no number. */
static const char *
candidate_pattern(const char *kind)
{
	if (strcmp(kind, "amount") == 0)
		return "(?:[¥￥Y]\\s*)?[0-9][0-9OoIl,，]*(?:[.．][0-9OoIl]{1,2}"
		       ")?";
	if (strcmp(kind, "date") == 0)
		return "[0-9][0-9OoIl|\\]]{3}\\s*[年./-]\\s*[0-9OoIl|\\]]{1,3}"
		       "\\s*[月./-]\\s*[0-9OoIl|\\]]{1,3}(?:\\s*日)?"
		       "|(?<![0-9])[0-9]{8}(?![0-9])";
	if (strcmp(kind, "digits") == 0)
		return "[0-9][0-9OoIl|\\]]{3,}";
	if (strcmp(kind, "code") == 0 || strcmp(kind, "credit_code") == 0)
		return "[0-9A-Za-z][0-9A-Za-z_/()-]*";
	if (strcmp(kind, "capital") == 0)
		return "[零壹贰叁肆伍陆柒捌玖拾佰仟万亿圆元角分整正]{2,}";
	return NULL;
}

/* OUT's text, or NULL when it is empty; OUT is freed. */
static char *
take_nonempty(GString *out)
{
	gboolean empty = out->len == 0;
	char *s = g_string_free(out, empty);

	return empty ? NULL : s;
}

/* OCR's letters among digits: O o as 0, l I | ] as 1. Any other letter:
 * no digits. */
static char *
digits_of(const char *raw)
{
	GString *out = g_string_new(NULL);
	gboolean ok = TRUE;

	for (const char *p = raw; ok && *p != '\0'; p++) {
		if (g_ascii_isdigit(*p))
			g_string_append_c(out, *p);
		else if (*p == 'O' || *p == 'o')
			g_string_append_c(out, '0');
		else if (*p == 'l' || *p == 'I' || *p == '|' || *p == ']')
			g_string_append_c(out, '1');
		else
			ok = g_ascii_isspace(*p);
	}
	if (!ok)
		g_string_truncate(out, 0);
	return take_nonempty(out);
}

/* RAW as a date, or with a 日 after a day that OCR lost at the end of a
 * crop. */
static char *
date_or_day(const char *raw)
{
	char *date = classify_normalize_date(raw);
	char *with_day;

	if (date != NULL ||
	    !g_regex_match_simple("月\\s*[0-9OoIl|\\]]{1,3}\\s*$", raw, 0, 0))
		return date;
	with_day = g_strconcat(raw, "日", NULL);
	date = classify_normalize_date(with_day);
	g_free(with_day);
	return date;
}

/* A date. A ] or | that OCR puts beside a digit ("01]月", a cell
 * border) is a 1 or nothing: the first that makes a date. */
static char *
date_of(const char *raw)
{
	char *date = date_or_day(raw);
	char *bare;

	if (date != NULL || strpbrk(raw, "]|") == NULL)
		return date;
	bare = g_strdup(raw);
	g_strdelimit(bare, "]|", ' ');
	date = date_or_day(bare);
	g_free(bare);
	return date;
}

/* Without whitespace, letters in upper case. */
static char *
squeezed(const char *raw, gboolean upper)
{
	char *norm = core_text_normalize(raw);
	GString *out = g_string_new(NULL);

	for (const char *p = norm; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (!g_unichar_isspace(c))
			g_string_append_unichar(
			    out, upper ? g_unichar_toupper(c) : c);
	}
	g_free(norm);
	return take_nonempty(out);
}

char *
scan_verify_normalize(const char *kind, const char *raw)
{
	if (kind == NULL || raw == NULL || !g_utf8_validate(raw, -1, NULL))
		return NULL;
	if (strcmp(kind, "amount") == 0)
		return classify_normalize_amount(raw);
	if (strcmp(kind, "date") == 0)
		return date_of(raw);
	if (strcmp(kind, "digits") == 0)
		return digits_of(raw);
	if (strcmp(kind, "capital") == 0)
		return classify_amount_from_capital(raw);
	return squeezed(raw, strcmp(kind, "code") == 0 ||
				 strcmp(kind, "credit_code") == 0);
}

/* Every candidate value of KIND in TEXT, as written (char*, new array). */
static GPtrArray *
candidates(const char *kind, const char *text)
{
	const char *pattern = candidate_pattern(kind);
	GPtrArray *out = core_ptr_array_new(g_free);
	GMatchInfo *m = NULL;
	GRegex *re;

	if (pattern == NULL) {
		g_ptr_array_add(out, g_strdup(text));
		return out;
	}
	re = g_regex_new(pattern, G_REGEX_OPTIMIZE, 0, NULL);
	g_regex_match(re, text, 0, &m);
	while (g_match_info_matches(m)) {
		g_ptr_array_add(out, g_strstrip(g_match_info_fetch(m, 0)));
		g_match_info_next(m, NULL);
	}
	g_match_info_free(m);
	g_regex_unref(re);
	return out;
}

/* The first candidate in TEXT that is VALUE, as written (new), or NULL.
 * Text fields are held when the run holds them. */
static char *
find_written(const char *kind, const char *text, const char *value)
{
	GPtrArray *cands = candidates(kind, text);
	char *found = NULL;

	for (guint i = 0; found == NULL && i < cands->len; i++) {
		const char *c = g_ptr_array_index(cands, i);
		char *norm = scan_verify_normalize(kind, c);
		gboolean hit =
		    candidate_pattern(kind) != NULL
			? g_strcmp0(norm, value) == 0
			: norm != NULL && strstr(norm, value) != NULL;

		if (hit)
			found = g_strdup(c);
		g_free(norm);
	}
	g_ptr_array_unref(cands);
	return found;
}

/* B follows A on the same line: they overlap by half the lower one's
 * height, and B is not to A's left. */
static gboolean
same_line(const CoreBox *a, const CoreBox *b)
{
	double top = MAX(a->y, b->y);
	double bottom = MIN(a->y + a->h, b->y + b->h);

	return bottom - top > 0.5 * MIN(a->h, b->h) && b->x >= a->x;
}

static const CoreWord *
word_at(const GArray *words, guint i)
{
	return &g_array_index(words, CoreWord, i);
}

/* Words FIRST..LAST joined by spaces. */
static char *
joined(const GArray *words, guint first, guint last)
{
	GString *s = g_string_new(NULL);

	for (guint i = first; i <= last; i++) {
		if (i > first)
			g_string_append_c(s, ' ');
		g_string_append(s, word_at(words, i)->text);
	}
	return g_string_free(s, FALSE);
}

/* LAST, or a later word of its line when the value as written goes on
 * there: a date's 日 is optional to its pattern but part of what the
 * image shows. *WRITTEN is replaced by the longer text. */
static guint
grow(const GArray *words, guint first, guint last, const char *kind,
     const char *value, char **written)
{
	guint stop = MIN(words->len, first + SCAN_VERIFY_MAX_WORDS);

	while (last + 1 < stop && same_line(&word_at(words, last)->box,
					    &word_at(words, last + 1)->box)) {
		char *text = joined(words, first, last + 1);
		char *longer = find_written(kind, text, value);

		g_free(text);
		if (longer == NULL || strlen(longer) <= strlen(*written)) {
			g_free(longer);
			break;
		}
		g_free(*written);
		*written = longer;
		last++;
	}
	return last;
}

/* The last word of the shortest run from FIRST holding VALUE, with its
 * text as written in *WRITTEN; -1 when none. */
static int
run_end(const GArray *words, guint first, const char *kind, const char *value,
	char **written)
{
	guint stop = MIN(words->len, first + SCAN_VERIFY_MAX_WORDS);

	for (guint last = first; last < stop; last++) {
		char *text;

		if (last > first && !same_line(&word_at(words, last - 1)->box,
					       &word_at(words, last)->box))
			break;
		text = joined(words, first, last);
		*written = find_written(kind, text, value);
		g_free(text);
		if (*written != NULL)
			return (int)grow(words, first, last, kind, value,
					 written);
	}
	return -1;
}

static void
box_union(CoreBox *u, const CoreBox *b)
{
	double x1 = MAX(u->x + u->w, b->x + b->w);
	double y1 = MAX(u->y + u->h, b->y + b->h);

	u->x = MIN(u->x, b->x);
	u->y = MIN(u->y, b->y);
	u->w = x1 - u->x;
	u->h = y1 - u->y;
}

gboolean
scan_verify_locate(const GArray *words, const char *kind, const char *value,
		   CoreBox *box, char **written)
{
	int last = -1;
	guint first = 0;
	char *want;

	*written = NULL;
	if (words == NULL || kind == NULL || value == NULL)
		return FALSE;
	want = scan_verify_normalize(kind, value);
	if (want == NULL)
		want = g_strdup(value);
	for (; last < 0 && first < words->len; first++)
		last = run_end(words, first, kind, want, written);
	if (last < 0) {
		g_free(want);
		return FALSE;
	}
	first--;
	/* A later start may hold it too: "（小写）" "¥60000.00" needs only
	 * the second word. */
	for (guint next = first + 1; next <= (guint)last; next++) {
		char *text = joined(words, next, (guint)last);
		char *w = find_written(kind, text, want);

		g_free(text);
		if (w == NULL)
			break;
		g_free(*written);
		*written = w;
		first = next;
	}
	*box = word_at(words, first)->box;
	for (guint i = first + 1; i <= (guint)last; i++)
		box_union(box, &word_at(words, i)->box);
	g_free(want);
	return TRUE;
}

gboolean
scan_verify_latin(const char *kind, const char *written)
{
	gboolean latin = kind != NULL && written != NULL &&
			 g_utf8_validate(written, -1, NULL) &&
			 strcmp(kind, "text") != 0 &&
			 strcmp(kind, "capital") != 0;

	for (const char *p = written; latin && *p != '\0';
	     p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		latin = (c >= 0x20 && c < 0x7f) || c == 0xa5 || c == 0xffe5;
	}
	return latin;
}

/* Whether a reading of KIND that is not VALUE may stand against it:
 * digits of another length are a misread, not another number; OCR of a
 * name proves nothing. */
static gboolean
may_differ(const char *kind, const char *value, const char *seen)
{
	if (strcmp(kind, "text") == 0)
		return FALSE;
	if (strcmp(kind, "digits") == 0)
		return strlen(value) == strlen(seen);
	return TRUE;
}

/* IMAGE's candidate values, normalised (char*, new array). OCR puts
 * spaces inside figures ("60, 000. 00"): a crop holds one value, so they
 * go. */
static GPtrArray *
image_values(const char *kind, const char *image)
{
	char *text = strcmp(kind, "text") == 0 ? g_strdup(image)
					       : squeezed(image, FALSE);
	GPtrArray *cands = candidates(kind, text != NULL ? text : "");
	GPtrArray *out = core_ptr_array_new(g_free);

	for (guint i = 0; i < cands->len; i++) {
		char *v =
		    scan_verify_normalize(kind, g_ptr_array_index(cands, i));

		if (v != NULL)
			g_ptr_array_add(out, v);
	}
	g_ptr_array_unref(cands);
	g_free(text);
	return out;
}

ScanVerifyStatus
scan_verify_compare(const char *kind, const char *value, const char *image,
		    double confidence, char **seen)
{
	ScanVerifyStatus status = SCAN_VERIFY_UNREAD;
	GPtrArray *vals = NULL;
	const char *pick = NULL;
	char *want;

	if (seen != NULL)
		*seen = NULL;
	if (kind == NULL || value == NULL || image == NULL)
		return SCAN_VERIFY_UNREAD;
	want = scan_verify_normalize(kind, value);
	if (want != NULL)
		value = want;
	vals = image_values(kind, image);
	for (guint i = 0; i < vals->len && pick == NULL; i++) {
		const char *v = g_ptr_array_index(vals, i);

		if (strcmp(kind, "text") == 0 ? strstr(v, value) != NULL
					      : strcmp(v, value) == 0)
			pick = value;
	}
	if (pick != NULL) {
		status = SCAN_VERIFY_AGREE;
	} else if (vals->len > 0 && confidence >= SCAN_VERIFY_MIN_CONFIDENCE &&
		   may_differ(kind, value, g_ptr_array_index(vals, 0))) {
		pick = g_ptr_array_index(vals, 0);
		status = SCAN_VERIFY_DISAGREE;
	}
	if (seen != NULL && pick != NULL)
		*seen = g_strdup(pick);
	g_ptr_array_unref(vals);
	g_free(want);
	return status;
}

const char *
scan_verify_status_name(ScanVerifyStatus status)
{
	switch (status) {
	case SCAN_VERIFY_AGREE:
		return "agree";
	case SCAN_VERIFY_DISAGREE:
		return "disagree";
	case SCAN_VERIFY_UNREAD:
		break;
	}
	return "unread";
}

ScanVerifyStatus
scan_verify_judge(const char *kind, const char *value, const char *first,
		  double first_confidence, const char *second,
		  double second_confidence, char **seen)
{
	char *one = NULL, *two = NULL;
	ScanVerifyStatus s1 =
	    scan_verify_compare(kind, value, first, first_confidence, &one);
	ScanVerifyStatus s2 =
	    scan_verify_compare(kind, value, second, second_confidence, &two);
	ScanVerifyStatus status = SCAN_VERIFY_UNREAD;

	if (s1 == SCAN_VERIFY_AGREE || s2 == SCAN_VERIFY_AGREE)
		status = SCAN_VERIFY_AGREE;
	else if (s1 == SCAN_VERIFY_DISAGREE && s2 == SCAN_VERIFY_DISAGREE &&
		 strcmp(one, two) == 0)
		status = SCAN_VERIFY_DISAGREE;
	if (seen != NULL)
		*seen = status == SCAN_VERIFY_AGREE	 ? g_strdup(value)
			: status == SCAN_VERIFY_DISAGREE ? g_strdup(one)
							 : NULL;
	g_free(one);
	g_free(two);
	return status;
}
