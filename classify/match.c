/* match.c - run the rules' PCRE2 patterns over one page or document.
 * The subject is validated once, so every match can skip PCRE2's own UTF-8
 * check; each subject carries its own match data, which is what makes
 * classify_page safe to call from several threads at once. */
#include <string.h>

#include "classify/classify_int.h"

void
classify_subject_init(ClassifySubject *s, const ClassifyRules *rules,
		      const char *text, size_t max_bytes)
{
	const char *end = NULL;
	size_t len;

	memset(s, 0, sizeof(*s));
	if (text == NULL)
		text = "";
	len = strlen(text);
	if (!g_utf8_validate(text, (gssize)len, &end)) {
		/* Callers should hand us core_text_normalize output, but a
		 * damaged string must cost a copy, not a PCRE2 error. */
		s->owned = g_utf8_make_valid(text, (gssize)len);
		text = s->owned;
		len = strlen(text);
	}
	if (len > max_bytes) {
		const char *cut =
		    g_utf8_find_prev_char(text, text + max_bytes + 1);

		len = cut != NULL ? (size_t)(cut - text) : 0;
	}
	s->text = text;
	s->len = len;
	s->md = pcre2_match_data_create(rules->ovector_pairs, NULL);
	s->mctx = rules->mctx;
}

void
classify_subject_clear(ClassifySubject *s)
{
	pcre2_match_data_free(s->md);
	g_free(s->owned);
	memset(s, 0, sizeof(*s));
}

/* Step past an empty match by one whole character, never into one. */
static size_t
after_empty(const ClassifySubject *s, size_t at)
{
	if (at >= s->len)
		return s->len + 1;
	return (size_t)(g_utf8_next_char(s->text + at) - s->text);
}

gboolean
classify_subject_next(ClassifySubject *s, const pcre2_code *re, int group,
		      size_t limit, size_t *from, size_t *start, size_t *end)
{
	PCRE2_SIZE *ov;
	int rc;

	if (limit > s->len)
		limit = s->len;
	while (*from <= limit) {
		rc = pcre2_match(re, (PCRE2_SPTR)s->text, limit, *from,
				 PCRE2_NO_UTF_CHECK, s->md, s->mctx);
		/* The JIT's small stack ran out: the interpreter, bounded by
		 * the same match limit, tries again. */
		if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
			rc = pcre2_match(re, (PCRE2_SPTR)s->text, limit, *from,
					 PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT,
					 s->md, s->mctx);
		if (rc < 0)
			return FALSE; /* no match, or the match limit hit */
		ov = pcre2_get_ovector_pointer(s->md);
		*from = ov[1] > ov[0] ? ov[1] : after_empty(s, ov[1]);
		if (rc == 0 || (int)group >= rc || ov[2 * group] == PCRE2_UNSET)
			continue; /* the value group took no part: try on */
		*start = ov[2 * group];
		*end = ov[2 * group + 1];
		return TRUE;
	}
	return FALSE;
}
