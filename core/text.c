/* text.c - the one place page text is normalised before it is matched:
 * OCR and PDF text layers differ in width, spacing and punctuation, and
 * rules are written once against the normalised form. */
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
		gunichar c = g_utf8_get_char(p);
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
