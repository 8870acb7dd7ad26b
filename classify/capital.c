/* capital.c - read 大写 (capital) numerals, the words invoices and bank
 * receipts print beside the figures so that neither can be altered alone:
 * 壹拾贰万叁仟肆佰伍拾陆元柒角捌分 is 123456.78. Strict on purpose: a
 * malformed amount (often an OCR misread) is no amount, not a guess. */
#include <string.h>

#include "classify/classify_int.h"

#define CAP_DIGITS "零壹贰叁肆伍陆柒捌玖"
#define CAP_UNITS  "拾佰仟"
#define NO_UNIT	   10000 /* "no small unit yet in this group" */
/* The bound of classify_normalize_amount (values.c), so that every 大写
 * amount read also reads as a figure: 9,999,999,999,999 yuan at most. */
#define CAP_MAX_YUAN G_GINT64_CONSTANT(10000000000000)

typedef struct {
	gint64 yi;	/* closed 亿 part, in yuan */
	gint64 wan;	/* closed 万 part, in yuan */
	gint64 section; /* the group below 万 being read */
	int pending;	/* a digit waiting for its unit, or -1 */
	int unit;	/* last small unit in this group, or NO_UNIT */
	gboolean zero;	/* 零 read since that unit */
	gboolean seen;	/* any numeral read in the integer part */
	int phase; /* 0 integer, 1 after 元, 2 after 角, 3 after 分, 4 整 */
	int jiao, fen;
} Capital;

/* A digit standing alone before 元/万/亿 is the ones digit, which must
 * follow 拾 or 零: 壹佰伍 is neither 105 (壹佰零伍) nor surely 150. */
static gboolean
take_ones(Capital *k)
{
	if (k->pending < 0)
		return TRUE;
	if (k->unit != 10 && k->unit != NO_UNIT && !k->zero)
		return FALSE;
	k->section += k->pending;
	k->pending = -1;
	return TRUE;
}

static gboolean
integer_started(const Capital *k)
{
	return k->yi != 0 || k->wan != 0 || k->section != 0 ||
	       k->unit != NO_UNIT || k->zero;
}

static gboolean
small_unit(Capital *k, int unit)
{
	if (k->pending < 0) {
		/* A group may open with a bare 拾: 拾元, 壹万拾元. */
		if (unit != 10 || k->unit != NO_UNIT || k->zero)
			return FALSE;
		k->pending = 1;
		k->seen = TRUE;
	}
	if (unit >= k->unit)
		return FALSE;
	k->section += (gint64)k->pending * unit;
	k->pending = -1;
	k->unit = unit;
	k->zero = FALSE;
	return TRUE;
}

static gboolean
big_unit(Capital *k, gboolean yi)
{
	if (!take_ones(k))
		return FALSE;
	if (!yi) {
		if (k->section == 0 || k->wan != 0)
			return FALSE;
		k->wan = k->section * 10000;
	} else {
		if (k->wan + k->section == 0 || k->yi != 0)
			return FALSE;
		k->yi = (k->wan + k->section) * 100000000;
		k->wan = 0;
	}
	k->section = 0;
	k->unit = NO_UNIT;
	k->zero = FALSE;
	return TRUE;
}

/* 角 or 分: after 元, or alone for an amount under one yuan. */
static gboolean
fraction(Capital *k, int *slot, int phase)
{
	if (k->pending < 0)
		return FALSE;
	if (k->phase == 0 ? integer_started(k)
			  : (k->phase < 1 || k->phase >= phase))
		return FALSE;
	*slot = k->pending;
	k->pending = -1;
	k->phase = phase;
	return TRUE;
}

/* Index of C in the UTF-8 string SET, or -1. */
static int
index_in(const char *set, gunichar c)
{
	const char *p = g_utf8_strchr(set, -1, c);

	return p != NULL ? (int)g_utf8_pointer_to_offset(set, p) : -1;
}

static gboolean
capital_step(Capital *k, gunichar c)
{
	int d = index_in(CAP_DIGITS, c), u = index_in(CAP_UNITS, c);

	if (k->phase == 4)
		return FALSE;
	if (d == 0 || c == 0x3007 /* 〇 */) {
		if (k->pending >= 0 || k->zero)
			return FALSE;
		k->zero = k->seen = TRUE;
		return TRUE;
	}
	if (d > 0) {
		if (k->pending >= 0)
			return FALSE;
		k->pending = d;
		k->seen = TRUE;
		return TRUE;
	}
	if (u >= 0)
		return k->phase == 0 && small_unit(k, u == 0   ? 10
						      : u == 1 ? 100
							       : 1000);
	if (c == 0x4e07 /* 万 */ || c == 0x4ebf /* 亿 */)
		return k->phase == 0 && big_unit(k, c == 0x4ebf);
	if (c == 0x5143 /* 元 */ || c == 0x5706 /* 圆 */) {
		if (k->phase != 0 || !k->seen || !take_ones(k))
			return FALSE;
		k->phase = 1;
		k->zero = FALSE;
		return TRUE;
	}
	if (c == 0x89d2 /* 角 */)
		return fraction(k, &k->jiao, 2);
	if (c == 0x5206 /* 分 */)
		return fraction(k, &k->fen, 3);
	if (c == 0x6574 /* 整 */ || c == 0x6b63 /* 正 */) {
		if (k->phase == 0 || k->pending >= 0)
			return FALSE;
		k->phase = 4;
		return TRUE;
	}
	return FALSE;
}

static gboolean
capital_finish(Capital *k, gint64 *cents)
{
	if (k->phase == 0) {
		if (!k->seen || !take_ones(k))
			return FALSE;
	} else if (k->pending >= 0) {
		return FALSE; /* 壹元伍: 伍 what? */
	}
	if (k->yi + k->wan + k->section >= CAP_MAX_YUAN)
		return FALSE;
	*cents = (k->yi + k->wan + k->section) * 100 + k->jiao * 10 + k->fen;
	return TRUE;
}

char *
classify_amount_from_capital(const char *text)
{
	Capital k = {0, 0, 0, -1, NO_UNIT, FALSE, FALSE, 0, 0, 0};
	const char *p;
	gint64 cents;

	if (text == NULL || !g_utf8_validate(text, -1, NULL))
		return NULL;
	p = text;
	while (g_ascii_isspace(*p))
		p++;
	if (g_str_has_prefix(p, "人民币"))
		p += strlen("人民币");
	for (; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_isspace(c))
			continue;
		if (!capital_step(&k, c))
			return NULL;
	}
	if (!capital_finish(&k, &cents))
		return NULL;
	return g_strdup_printf("%" G_GINT64_FORMAT ".%02d", cents / 100,
			       (int)(cents % 100));
}
