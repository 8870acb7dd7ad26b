/* fuzz_fields.c - libFuzzer target: the field converters that OCR'd and
 * text-layer strings go through (classify.h's value converters: dates,
 * amounts, 大写 numerals, credit codes, invoice numbers, QR payloads,
 * names) and core_text_normalize, each on the same string, with the
 * properties their comments promise checked on what they return. */
#include <string.h>

#include "classify/classify.h"
#include "fuzz/fuzz.h"

static gboolean
is_iso_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return FALSE;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !g_ascii_isdigit(s[i]))
			return FALSE;
	return TRUE;
}

static void
dates(const char *s)
{
	char *date = classify_normalize_date(s);
	char *again;

	if (date == NULL)
		return;
	FUZZ_ASSERT(is_iso_date(date), "a date is not YYYY-MM-DD");
	again = classify_normalize_date(date);
	FUZZ_ASSERT(again != NULL && strcmp(again, date) == 0,
		    "a normalised date does not read as itself");
	g_free(again);
	g_free(date);
}

static void
amounts(const char *s)
{
	char *amount = classify_normalize_amount(s);
	char *capital = classify_amount_from_capital(s);
	char *again;

	if (amount != NULL) {
		again = classify_normalize_amount(amount);
		FUZZ_ASSERT(again != NULL && strcmp(again, amount) == 0,
			    "a normalised amount does not read as itself");
		g_free(again);
	}
	if (capital != NULL) {
		const char *dot = strchr(capital, '.');

		FUZZ_ASSERT(dot != NULL && strlen(dot) == 3,
			    "a 大写 amount has not two decimals");
		again = classify_normalize_amount(capital);
		FUZZ_ASSERT(again != NULL && strcmp(again, capital) == 0,
			    "a 大写 amount does not read as an amount");
		g_free(again);
	}
	g_free(amount);
	g_free(capital);
}

static void
credit_codes(const char *s)
{
	gboolean shape = classify_is_credit_code(s);
	gboolean ok = classify_credit_code_checksum_ok(s);
	char *repaired = classify_credit_code_repair(s);

	FUZZ_ASSERT(!ok || shape, "a checksum passes on no credit code");
	if (repaired != NULL) {
		FUZZ_ASSERT(shape && !ok, "a repair of a code needing none");
		FUZZ_ASSERT(classify_credit_code_checksum_ok(repaired),
			    "a repaired credit code fails its check");
		g_free(repaired);
	}
}

/* "NUMBER|CODE" tries the pair; without '|' the number alone. */
static void
invoice_numbers(const char *s)
{
	const char *bar = strchr(s, '|');

	if (bar == NULL) {
		classify_invoice_number_ok(s, NULL);
	} else {
		char *number = g_strndup(s, (gsize)(bar - s));

		classify_invoice_number_ok(number, bar + 1);
		g_free(number);
	}
}

static void
qr(const char *s)
{
	ClassifyInvoiceQr q;
	char *date;

	memset(&q, 0x55, sizeof(q));
	if (!classify_invoice_qr_parse(s, &q))
		return;
	FUZZ_ASSERT(memchr(q.type, 0, sizeof(q.type)) &&
			memchr(q.code, 0, sizeof(q.code)) &&
			memchr(q.number, 0, sizeof(q.number)) &&
			memchr(q.amount, 0, sizeof(q.amount)) &&
			memchr(q.date, 0, sizeof(q.date)) &&
			memchr(q.check_code, 0, sizeof(q.check_code)),
		    "a QR field is not terminated");
	FUZZ_ASSERT(is_iso_date(q.date), "a QR date is not YYYY-MM-DD");
	date = classify_normalize_date(q.date);
	FUZZ_ASSERT(date != NULL && strcmp(date, q.date) == 0,
		    "a QR date is not a real date");
	g_free(date);
}

static void
names(const char *s)
{
	char *name = classify_normalize_name(s);
	char *again;

	if (name == NULL)
		return;
	FUZZ_ASSERT(g_utf8_validate(name, -1, NULL) && name[0] != '\0',
		    "a normalised name is empty or not UTF-8");
	again = classify_normalize_name(name);
	FUZZ_ASSERT(again != NULL && strcmp(again, name) == 0,
		    "a normalised name normalises again to another");
	g_free(again);
	g_free(name);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	char *norm;

	/* Field values are a line or a few: longer input only slows the
	 * fuzzer down without reaching other code. */
	if (size > 4096)
		return 0;
	s = fuzz_strndup(data, size);
	dates(s);
	amounts(s);
	credit_codes(s);
	invoice_numbers(s);
	qr(s);
	names(s);
	norm = core_text_normalize(s);
	FUZZ_ASSERT(norm != NULL, "core_text_normalize gave NULL");
	if (g_utf8_validate(s, -1, NULL))
		FUZZ_ASSERT(g_utf8_validate(norm, -1, NULL),
			    "normalised UTF-8 is not UTF-8");
	g_free(norm);
	g_free(s);
	return 0;
}
