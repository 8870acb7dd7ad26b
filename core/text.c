/* text.c - the one place page text is normalised before it is matched:
 * OCR and PDF text layers differ in width, spacing and punctuation, and
 * rules are written once against the normalised form: NFKC, one spelling
 * of each punctuation mark, and no spaces between CJK characters. */
#include <string.h>

#include "core/core.h"

static gboolean
is_cjk(gunichar c)
{
	GUnicodeScript script = g_unichar_get_script(c);

	if (script == G_UNICODE_SCRIPT_HAN)
		return TRUE;
	/* CJK punctuation (、。《》【】 …) binds to its neighbours too. */
	return (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef);
}

/* The punctuation NFKC leaves alone but documents, fonts and OCR spell
 * several ways: one spelling each, so a rule needs only one. */
static gunichar
unify_punct(gunichar c)
{
	switch (c) {
	case 0x2010: /* hyphen */
	case 0x2012: /* figure dash */
	case 0x2013: /* en dash */
	case 0x2014: /* em dash */
	case 0x2015: /* horizontal bar */
	case 0x2212: /* minus sign */
		return '-';
	case 0x201C: /* left double quotation mark */
	case 0x201D:
	case 0x201E:
		return '"';
	case 0x2018: /* left single quotation mark */
	case 0x2019:
		return '\'';
	case 0x3010: /* 【 */
	case 0x3014: /* 〔, as in 桂工信〔2026〕92号 */
		return '[';
	case 0x3011:
	case 0x3015:
		return ']';
	case 0x30FB: /* katakana middle dot */
	case 0x2022: /* bullet */
	case 0x2027: /* hyphenation point */
		return 0x00B7;
	default:
		return c;
	}
}

static gboolean
is_space(gunichar c)
{
	return c != '\n' && g_unichar_isspace(c);
}

/* Drop a run of spaces when both neighbours are CJK; fold it to one space
 * otherwise. Newlines are kept: titles and labels are line-anchored. */
static void
fold_spaces(GString *out, const char *text)
{
	const char *p = text;
	gunichar prev = 0;

	while (*p != '\0') {
		gunichar c = unify_punct(g_utf8_get_char(p));
		const char *q;
		gunichar next;

		if (!is_space(c)) {
			g_string_append_unichar(out, c);
			prev = c;
			p = g_utf8_next_char(p);
			continue;
		}
		q = p;
		while (*q != '\0' && is_space(g_utf8_get_char(q)))
			q = g_utf8_next_char(q);
		next = *q != '\0' ? g_utf8_get_char(q) : 0;
		if (prev != 0 && prev != '\n' && next != 0 && next != '\n' &&
		    !(is_cjk(prev) && is_cjk(next)))
			g_string_append_c(out, ' ');
		p = q;
	}
}

char *
core_text_normalize(const char *text)
{
	char *valid = NULL;
	char *nfkc = NULL;
	GString *out;

	if (text == NULL)
		return g_strdup("");
	valid = g_utf8_make_valid(text, -1);
	nfkc = g_utf8_normalize(valid, -1, G_NORMALIZE_NFKC);
	out = g_string_sized_new(strlen(valid));
	fold_spaces(out, nfkc != NULL ? nfkc : valid);
	g_free(nfkc);
	g_free(valid);
	return g_string_free(out, FALSE);
}
