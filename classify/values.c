/* values.c - turn a captured string into the value a report carries: text
 * trimmed, OCR's letter-for-digit misreads repaired where only a digit can
 * stand, dates as YYYY-MM-DD, amounts as yuan with two decimals, and the
 * 大写 (capital) numerals of invoices and receipts read as a number. */
#include <string.h>

#include "classify/classify_int.h"

#define MAX_YUAN_DIGITS 13 /* 9,999,999,999,999 yuan: far above any voucher */
#define MAX_YUAN	G_GINT64_CONSTANT(10000000000000) /* 10^13 */
#define MIN_YEAR	1900
#define MAX_YEAR	2100

/* ---- OCR digit repair ------------------------------------------------- */

/* Tesseract reads 0 as O or o, and 1 as l, I, |, ] or [ (the thin 1 of
 * a photographed date: "2025年9月]日", "2026年[月12日"). */
static gboolean
is_confusable(char c)
{
	return c == 'O' || c == 'o' || c == 'I' || c == 'l' || c == '|' ||
	       c == ']' || c == '[';
}

static char
as_digit(char c)
{
	if (c == 'O' || c == 'o')
		return '0';
	if (c == 'S')
		return '5';
	return is_confusable(c) ? '1' : c;
}

/* Repair confusables only inside runs of digits (with their dots and
 * commas) that hold at least one real digit: "2O23SR12345O7" becomes
 * "2023SR1234507" while the "SR" stays letters. */
static void
repair_digit_runs(char *s)
{
	size_t i = 0, j, k, n = strlen(s);

	while (i < n) {
		gboolean digit = FALSE;

		for (j = i;
		     j < n && (g_ascii_isdigit(s[j]) || is_confusable(s[j]) ||
			       s[j] == '.' || s[j] == ',');
		     j++)
			digit = digit || g_ascii_isdigit(s[j]);
		if (digit)
			for (k = i; k < j; k++)
				s[k] = as_digit(s[k]);
		i = j > i ? j : i + 1;
	}
	/* An S is a 5 only with digits on both sides: "2O25SR" keeps its SR,
	 * "12S45" is 12545. */
	for (i = 1; i + 1 < n; i++)
		if (s[i] == 'S' && g_ascii_isdigit(s[i - 1]) &&
		    g_ascii_isdigit(s[i + 1]))
			s[i] = '5';
}

/* Where a value can only be digits, every confusable is one, and so is
 * an S (Tesseract's 5). */
static void
repair_all(char *s)
{
	for (; *s != '\0'; s++)
		*s = as_digit(*s);
}

/* A copy of RAW without ASCII spaces and without the characters in DROP. */
static char *
squeeze(const char *raw, const char *drop)
{
	GString *out = g_string_new(NULL);

	for (; *raw != '\0'; raw++)
		if (!g_ascii_isspace(*raw) && strchr(drop, *raw) == NULL)
			g_string_append_c(out, *raw);
	return g_string_free(out, FALSE);
}

static gboolean
all_digits(const char *s)
{
	if (*s == '\0')
		return FALSE;
	for (; *s != '\0'; s++)
		if (!g_ascii_isdigit(*s))
			return FALSE;
	return TRUE;
}

static gboolean
length_ok(const FieldRule *f, const char *v)
{
	int i, n = (int)strlen(v);

	if (n == 0)
		return FALSE;
	for (i = 0; i < f->n_lengths; i++)
		if (f->lengths[i] == n)
			return TRUE;
	return f->n_lengths == 0;
}

/* Index of C in the UTF-8 string SET, or -1. */
static int
index_in(const char *set, gunichar c)
{
	const char *p;
	int i = 0;

	for (p = set; *p != '\0'; p = g_utf8_next_char(p), i++)
		if (g_utf8_get_char(p) == c)
			return i;
	return -1;
}

/* Skip PREFIX at *P when it is there. */
static gboolean
skip_prefix(const char **p, const char *prefix)
{
	if (!g_str_has_prefix(*p, prefix))
		return FALSE;
	*p += strlen(prefix);
	return TRUE;
}

/* The same on a string we may write to. */
static gboolean
skip_prefix_mut(char **p, const char *prefix)
{
	if (!g_str_has_prefix(*p, prefix))
		return FALSE;
	*p += strlen(prefix);
	return TRUE;
}

static void
skip_spaces(const char **p)
{
	while (g_ascii_isspace(**p))
		(*p)++;
}

/* ---- text -------------------------------------------------------------- */

static gboolean
is_trim_char(gunichar c)
{
	return g_unichar_isspace(c) ||
	       (c != 0 && c < 0x80 && strchr(":;,.", (int)c) != NULL) ||
	       index_in("、。：；，", c) >= 0;
}

/* Trim spaces and stray punctuation at both ends of S, in place: the colon
 * after a label, the full stop after a sentence. */
static void
trim_text(char *s)
{
	char *start = s, *end;

	while (*start != '\0' && is_trim_char(g_utf8_get_char(start)))
		start = g_utf8_next_char(start);
	end = start + strlen(start);
	while (end > start) {
		char *prev = g_utf8_prev_char(end);

		if (!is_trim_char(g_utf8_get_char(prev)))
			break;
		end = prev;
	}
	memmove(s, start, (size_t)(end - start));
	s[end - start] = '\0';
}

/* Lines joined, spaces between CJK dropped (OCR puts them there). */
static char *
value_text(const char *raw)
{
	char *flat = g_strdelimit(g_strdup(raw), "\r\n\t", ' ');
	char *v = core_text_normalize(flat);

	g_free(flat);
	trim_text(v);
	if (*v == '\0' || g_utf8_strlen(v, -1) > CLASSIFY_MAX_VALUE_CHARS) {
		g_free(v);
		return NULL;
	}
	return v;
}

/* ---- names ------------------------------------------------------------ */

/* Punctuation that only formats a name: dots and commas, quotes, the middle
 * dot, the colon a label left behind. */
static gboolean
is_name_noise(gunichar c)
{
	return g_unichar_isspace(c) ||
	       (c < 0x80 && c != 0 && strchr(".,;:'\"`_", (int)c) != NULL) ||
	       index_in("、。，；：·・•“”‘’《》", c) >= 0;
}

/* Opening and closing brackets of any shape, as ( and ). */
static gunichar
name_bracket(gunichar c)
{
	if (index_in("([{【〔［｛〈", c) >= 0)
		return '(';
	if (index_in(")]}】〕］｝〉", c) >= 0)
		return ')';
	return c;
}

char *
classify_normalize_name(const char *name)
{
	GString *out;
	char *norm;
	const char *p;

	if (name == NULL || !g_utf8_validate(name, -1, NULL))
		return NULL;
	norm = core_text_normalize(name); /* width, dashes, quotes */
	out = g_string_new(NULL);
	for (p = norm; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (is_name_noise(c))
			continue;
		c = name_bracket(c);
		if (c < 0x80)
			c = (gunichar)g_ascii_toupper((char)c);
		g_string_append_unichar(out, c);
	}
	g_free(norm);
	if (out->len == 0) {
		g_string_free(out, TRUE);
		return NULL;
	}
	/* A combining mark that followed dropped noise (NFKC spells ´ as a
	 * space and U+0301) now follows a letter: compose them, so that a
	 * name normalised again stays the same. */
	norm = g_utf8_normalize(out->str, -1, G_NORMALIZE_NFC);
	g_string_free(out, TRUE);
	return norm;
}

/* ---- codes -------------------------------------------------------------- */

static const char CREDIT_ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

gboolean
classify_is_credit_code(const char *code)
{
	int i;

	if (code == NULL || strlen(code) != 18)
		return FALSE;
	for (i = 0; i < 18; i++) {
		/* Positions 3-8 are the administrative division: digits. */
		if (i >= 2 && i < 8 ? !g_ascii_isdigit(code[i])
				    : strchr(CREDIT_ALPHABET, code[i]) == NULL)
			return FALSE;
	}
	return TRUE;
}

gboolean
classify_credit_code_checksum_ok(const char *code)
{
	static const int weight[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
				       29, 25, 13, 8,  24, 10, 30, 28};
	int i, sum = 0, check;

	if (!classify_is_credit_code(code))
		return FALSE;
	for (i = 0; i < 17; i++)
		sum +=
		    (int)(strchr(CREDIT_ALPHABET, code[i]) - CREDIT_ALPHABET) *
		    weight[i];
	check = (31 - sum % 31) % 31;
	return CREDIT_ALPHABET[check] == code[17];
}

/* Letters OCR shows for a digit, where only a digit can stand. */
static char
letter_as_digit(char c)
{
	switch (c) {
	case 'D':
	case 'Q':
		return '0';
	case 'L':
		return '1';
	case 'B':
		return '8';
	case 'G':
		return '6';
	default:
		return c;
	}
}

/* The code's alphabet leaves out I, O, S, V and Z, so where OCR shows one
 * of them it misread 1, 0, 5 or 2 (V has no look-alike and stays wrong).
 * Characters 3-8 (the administrative division) are digits, so a D, Q, L,
 * B or G there is a misread 0, 1, 8 or 6. */
static char *
value_credit_code(const char *raw)
{
	char *v = squeeze(raw, "-");
	char *p;

	for (p = v; *p != '\0'; p++) {
		*p = g_ascii_toupper(as_digit(*p));
		if (*p == 'I')
			*p = '1';
		else if (*p == 'Z')
			*p = '2';
		if (p - v >= 2 && p - v < 8)
			*p = letter_as_digit(*p);
	}
	if (!classify_is_credit_code(v)) {
		g_free(v);
		return NULL;
	}
	return v;
}

/* The other reading of C that OCR confuses it with, inside the code's
 * alphabet: 0/D/Q, 1/L, 8/B, 6/G (2/Z and 5/S need none: Z and S are not
 * in the alphabet, so they were read as 2 and 5 already). Up to two
 * alternatives are written to ALT; returns how many. */
static int
credit_alternatives(char c, char alt[2])
{
	static const char *const groups[] = {"0DQ", "1L", "8B", "6G"};
	gsize g;
	int n = 0;
	const char *q;

	for (g = 0; g < G_N_ELEMENTS(groups); g++) {
		if (strchr(groups[g], c) == NULL)
			continue;
		for (q = groups[g]; *q != '\0'; q++)
			if (*q != c)
				alt[n++] = *q;
	}
	return n;
}

/* Characters 9-17 are the organisation code of GB 11714, with a check
 * character of its own (0-9 or X). */
static gboolean
org_code_ok(const char *code)
{
	static const int weight[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	int i, sum = 0, c;

	for (i = 0; i < 8; i++) {
		char ch = code[8 + i];

		sum += (g_ascii_isdigit(ch) ? ch - '0' : ch - 'A' + 10) *
		       weight[i];
	}
	c = 11 - sum % 11;
	return code[16] == (c == 10 ? 'X' : c == 11 ? '0' : '0' + c);
}

/* The one-character variant of CODE that passes both its check
 * characters, when exactly one does. Requiring the organisation code's
 * check too keeps a misread outside the confusions (3 read as B) from
 * being "repaired" into a third party's code. */
char *
classify_credit_code_repair(const char *code)
{
	char *try, *found = NULL;
	int i, k, n, hits = 0;
	char alt[2];

	if (!classify_is_credit_code(code) ||
	    classify_credit_code_checksum_ok(code))
		return NULL;
	try = g_strdup(code);
	for (i = 0; i < 18; i++) {
		n = credit_alternatives(code[i], alt);
		for (k = 0; k < n; k++) {
			try[i] = alt[k];
			if (classify_credit_code_checksum_ok(try) &&
			    org_code_ok(try)) {
				hits++;
				g_free(found);
				found = g_strdup(try);
			}
		}
		try[i] = code[i];
	}
	g_free(try);
	if (hits != 1) { /* none, or a guess between several */
		g_free(found);
		return NULL;
	}
	return found;
}

static char *
value_code(const FieldRule *f, const char *raw)
{
	char *v = squeeze(raw, "");
	char *p;

	repair_digit_runs(v);
	for (p = v; *p != '\0'; p++)
		*p = g_ascii_toupper(*p);
	if (!length_ok(f, v) ||
	    g_utf8_strlen(v, -1) > CLASSIFY_MAX_VALUE_CHARS) {
		g_free(v);
		return NULL;
	}
	return v;
}

static int cn_small(const char *s, const char *end);

static char *
value_digits(const FieldRule *f, const char *raw)
{
	char *v = squeeze(raw, "");
	int cn;

	/* A count written in words: 试运行三个月. */
	if ((guchar)*v >= 0x80 && (cn = cn_small(v, v + strlen(v))) > 0) {
		g_free(v);
		v = g_strdup_printf("%d", cn);
	}

	repair_all(v);
	if (!all_digits(v) || !length_ok(f, v) ||
	    strlen(v) > CLASSIFY_MAX_VALUE_CHARS) {
		g_free(v);
		return NULL;
	}
	return v;
}

/* ---- invoice numbers ------------------------------------------------ */

/* Province-level tax office codes: the first two digits of a region code
 * (GB/T 2260), 11 Beijing .. 65 Xinjiang. */
static gboolean
province_ok(int p)
{
	return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) ||
	       (p >= 31 && p <= 37) || (p >= 41 && p <= 46) ||
	       (p >= 50 && p <= 54) || (p >= 61 && p <= 65);
}

gboolean
classify_invoice_number_ok(const char *number, const char *code)
{
	size_t n, c;

	if (number == NULL || !all_digits(number))
		return FALSE;
	n = strlen(number);
	c = code != NULL ? strlen(code) : 0;
	if (n == 20)
		return c == 0 && (number[0] == '1' || number[0] == '2') &&
		       province_ok((number[2] - '0') * 10 + (number[3] - '0'));
	return n == 8 && (c == 10 || c == 12) && all_digits(code);
}

/* ---- dates ------------------------------------------------------------- */

/* Read MIN..MAX ASCII digits at *P as a number; more digits is an error. */
static gboolean
read_number(const char **p, int min, int max, int *out)
{
	int n = 0, v = 0;

	while (g_ascii_isdigit(**p) && n < max) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (n < min || g_ascii_isdigit(**p))
		return FALSE;
	*out = v;
	return TRUE;
}

static gboolean
skip_separator(const char **p, const char *cjk)
{
	skip_spaces(p);
	if (**p == '-' || **p == '/' || **p == '.')
		(*p)++;
	else if (!skip_prefix(p, cjk))
		return FALSE;
	skip_spaces(p);
	return TRUE;
}

/* 2026年1月5日, 2026-01-05, 2026/1/5, 2026.01.05 or 20260105. */
static gboolean
parse_ymd(const char *s, int *y, int *m, int *d)
{
	const char *p = s;

	if (strlen(s) == 8 && all_digits(s)) {
		*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
		     (s[2] - '0') * 10 + (s[3] - '0');
		*m = (s[4] - '0') * 10 + (s[5] - '0');
		*d = (s[6] - '0') * 10 + (s[7] - '0');
		return TRUE;
	}
	if (!read_number(&p, 4, 4, y) || !skip_separator(&p, "年") ||
	    !read_number(&p, 1, 2, m) || !skip_separator(&p, "月") ||
	    !read_number(&p, 1, 2, d))
		return FALSE;
	skip_spaces(&p);
	if (!skip_prefix(&p, "日"))
		skip_prefix(&p, "号");
	skip_spaces(&p);
	return *p == '\0';
}

static int
cn_digit(gunichar c)
{
	int i = index_in("〇一二三四五六七八九", c);

	if (c == 0x4e24) /* 两: 两个月 */
		return 2;
	/* OCR shows 〇 as O, o or 0; 零 and ○ are typists' variants. */
	if (i < 0 && (index_in("零○Oo0", c) >= 0))
		i = 0;
	return i;
}

/* A month or day in Chinese numerals: 五, 十, 十五, 二十, 三十一. */
static int
cn_small(const char *s, const char *end)
{
	int tens = 0, ones = 0, n = 0;
	gboolean ten = FALSE;
	const char *p;

	for (p = s; p < end; p = g_utf8_next_char(p), n++) {
		gunichar c = g_utf8_get_char(p);
		int d = cn_digit(c);

		if (c == 0x5341 /* 十 */ && !ten) {
			ten = TRUE;
			tens = ones > 0 ? ones : 1;
			ones = 0;
		} else if (d > 0 && ones == 0) {
			ones = d;
		} else {
			return -1;
		}
	}
	return n == 0 || n > 3 ? -1 : tens * 10 + ones;
}

/* 二〇二六年三月十五日 as "2026-3-15", or NULL when it is not one. */
static char *
cn_date_to_ascii(const char *s)
{
	const char *y_end = strstr(s, "年"), *m_end, *d_end, *p;
	GString *year = g_string_new(NULL);
	int m, d;

	m_end = y_end != NULL ? strstr(y_end, "月") : NULL;
	d_end = m_end != NULL ? strstr(m_end, "日") : NULL;
	if (d_end == NULL || d_end[strlen("日")] != '\0') {
		g_string_free(year, TRUE);
		return NULL;
	}
	for (p = s; p < y_end; p = g_utf8_next_char(p)) {
		int digit = cn_digit(g_utf8_get_char(p));

		if (digit < 0) {
			g_string_free(year, TRUE);
			return NULL;
		}
		g_string_append_c(year, (char)('0' + digit));
	}
	m = cn_small(y_end + strlen("年"), m_end);
	d = cn_small(m_end + strlen("月"), d_end);
	if (m < 0 || d < 0) {
		g_string_free(year, TRUE);
		return NULL;
	}
	g_string_append_printf(year, "-%d-%d", m, d);
	return g_string_free(year, FALSE);
}

char *
classify_normalize_date(const char *text)
{
	char *s = NULL, *ascii = NULL, *ret = NULL;
	int y, m, d;

	if (text == NULL || !g_utf8_validate(text, -1, NULL))
		return NULL;
	s = squeeze(text, "");
	/* A Chinese numeral first means a date like 二〇二六年三月十五日. */
	if ((guchar)*s >= 0x80 && cn_digit(g_utf8_get_char(s)) >= 0)
		ascii = cn_date_to_ascii(s);
	else
		ascii = g_strdup(s);
	if (ascii == NULL)
		goto cleanup;
	repair_all(ascii);
	if (!parse_ymd(ascii, &y, &m, &d) || y < MIN_YEAR || y > MAX_YEAR ||
	    !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		goto cleanup;
	ret = g_strdup_printf("%04d-%02d-%02d", y, m, d);
cleanup:
	g_free(ascii);
	g_free(s);
	return ret;
}

/* ---- amounts ----------------------------------------------------------- */

static char *
cents_to_string(gint64 cents)
{
	return g_strdup_printf("%" G_GINT64_FORMAT ".%02d", cents / 100,
			       (int)(cents % 100));
}

/* Drop what may surround a number: 人民币/RMB/¥ (OCR: Y, 羊) before,
 * 元/圆 after; 万元 multiplies. */
static char *
strip_currency(char *s, gint64 *scale)
{
	char *p = s;
	size_t n;

	skip_prefix_mut(&p, "人民币");
	if (!skip_prefix_mut(&p, "RMB") && !skip_prefix_mut(&p, "¥") &&
	    !skip_prefix_mut(&p, "￥") && !skip_prefix_mut(&p, "Y"))
		skip_prefix_mut(&p, "羊");
	n = strlen(p);
	if (g_str_has_suffix(p, "元") || g_str_has_suffix(p, "圆"))
		n -= strlen("元");
	*scale = 1;
	if (n >= strlen("万") &&
	    strncmp(p + n - strlen("万"), "万", strlen("万")) == 0) {
		n -= strlen("万");
		*scale = 10000;
	}
	s[(p - s) + n] = '\0';
	return p;
}

static gboolean
parse_cents(const char *p, gint64 scale, gint64 *cents)
{
	gint64 yuan = 0, frac = 0;
	int n = 0, f = 0;

	for (; g_ascii_isdigit(*p); p++, n++) {
		if (n == MAX_YUAN_DIGITS)
			return FALSE;
		yuan = yuan * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; g_ascii_isdigit(*p) && f < 2; p++, f++)
			frac = frac * 10 + (*p - '0');
		if (f == 0)
			return FALSE;
		if (f == 1)
			frac *= 10;
	}
	if (n == 0 || *p != '\0')
		return FALSE;
	/* 6.5万 is 65000.00: scale before the fraction is rounded away. */
	*cents = (yuan * 100 + frac) * scale;
	/* The limit holds for the amount written out, 万 applied, so that
	 * what is returned reads back as itself. */
	return *cents / 100 < MAX_YUAN;
}

char *
classify_normalize_amount(const char *text)
{
	char *s, *p, *ret = NULL;
	gint64 scale, cents;

	if (text == NULL)
		return NULL;
	s = squeeze(text, ",");
	p = strip_currency(s, &scale);
	repair_all(p);
	if (parse_cents(p, scale, &cents))
		ret = cents_to_string(cents);
	g_free(s);
	return ret;
}

/* ---- versions ---------------------------------------------------------- */

/* Certificates print "软件名称：XX系统[简称：XX]V1.0"; the short name sits
 * between the name and its version. Cut it out of S in place. */
static void
drop_short_name(char *s)
{
	char *open = strstr(s, "简称");
	char *close;

	if (open == NULL || open == s)
		return;
	open = g_utf8_prev_char(open);
	if (*open != '[' && *open != '(' && !g_str_has_prefix(open, "【"))
		return;
	close = strpbrk(open, "])");
	if (close == NULL) {
		close = strstr(open, "】");
		if (close == NULL)
			return;
		close += strlen("】") - 1;
	}
	memmove(open, close + 1, strlen(close + 1) + 1);
}

static gboolean
is_version_char(char c)
{
	return g_ascii_isdigit(c) || c == '.' || c == 'O' || c == 'o';
}

char *
classify_split_version(char *name)
{
	size_t n, p, q;
	gboolean has_v = FALSE;
	char *tail, *version;

	drop_short_name(name);
	g_strchomp(name);
	n = strlen(name);
	for (p = n; p > 0 && is_version_char(name[p - 1]); p--)
		;
	while (p < n && !g_ascii_isdigit(name[p]))
		p++; /* "PRO1.0": the O belongs to the name */
	if (p == n || name[n - 1] == '.')
		return NULL;
	for (q = p; q > 0 && name[q - 1] == ' '; q--)
		;
	if (q > 0 && (name[q - 1] == 'V' || name[q - 1] == 'v')) {
		has_v = TRUE;
		q--;
	}
	tail = g_strndup(name + p, n - p);
	repair_all(tail);
	/* A bare number is a version only when dotted: 平台2.0, not 平台2. */
	if (q == 0 || (!has_v && strchr(tail, '.') == NULL)) {
		g_free(tail);
		return NULL;
	}
	version = g_strconcat("V", tail, NULL);
	g_free(tail);
	name[q] = '\0';
	trim_text(name);
	return version;
}

/* ---- dispatch ------------------------------------------------------ */

char *
classify_value_convert(const FieldRule *field, const char *raw)
{
	switch (field->kind) {
	case VALUE_TEXT:
		return value_text(raw);
	case VALUE_DIGITS:
		return value_digits(field, raw);
	case VALUE_CODE:
		return value_code(field, raw);
	case VALUE_CREDIT_CODE:
		return value_credit_code(raw);
	case VALUE_DATE:
		return classify_normalize_date(raw);
	case VALUE_AMOUNT:
		return classify_normalize_amount(raw);
	case VALUE_CAPITAL: {
		char *v = squeeze(raw, "");

		if (*v == '\0') {
			g_free(v);
			return NULL;
		}
		return v;
	}
	}
	return NULL;
}
