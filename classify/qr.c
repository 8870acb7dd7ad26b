/* qr.c - the second reading of an invoice: its QR code. The tax bureau's
 * payload repeats the number, code, amount excluding tax and date that OCR
 * reads from the print; a decoded QR code has error correction and a
 * fixed shape, so where the two disagree the QR code is the one to
 * believe, and the reviewer is told what was changed. */
#include <string.h>

#include "classify/classify_int.h"

#define QR_MAX_PAYLOAD 512 /* a real payload is under 100 bytes */
#define QR_MIN_FIELDS  6   /* version, type, code, number, amount, date */
#define QR_MAX_FIELDS  12

/* ---- parsing --------------------------------------------------------- */

static gboolean
all_digits(const char *s, gsize min, gsize max)
{
	gsize n = strlen(s);

	if (n < min || n > max)
		return FALSE;
	for (; *s != '\0'; s++)
		if (!g_ascii_isdigit(*s))
			return FALSE;
	return TRUE;
}

static gboolean
all_alnum(const char *s, gsize max)
{
	if (strlen(s) > max)
		return FALSE;
	for (; *s != '\0'; s++)
		if (!g_ascii_isalnum(*s))
			return FALSE;
	return TRUE;
}

/* "56603.77", "64.9", "1000", "-100.00" as two decimals into OUT. */
static gboolean
parse_amount(const char *s, char *out, gsize size)
{
	const char *p = s + (*s == '-');
	const char *dot = strchr(p, '.');
	gsize whole = dot != NULL ? (gsize)(dot - p) : strlen(p);
	char *end;
	double v;

	if (whole < 1 || whole > 12 ||
	    (dot != NULL && !all_digits(dot + 1, 1, 2)))
		return FALSE;
	for (gsize i = 0; i < whole; i++)
		if (!g_ascii_isdigit(p[i]))
			return FALSE;
	v = g_ascii_strtod(s, &end);
	if (*end != '\0')
		return FALSE;
	g_ascii_formatd(out, (int)size, "%.2f", v);
	return TRUE;
}

/* "20260310" as "2026-03-10"; impossible dates refused. */
static gboolean
parse_date(const char *s, char *out, gsize size)
{
	int y, m, d;

	if (!all_digits(s, 8, 8))
		return FALSE;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[4] - '0') * 10 + (s[5] - '0');
	d = (s[6] - '0') * 10 + (s[7] - '0');
	if (y < 1900 || y > 2100 || !g_date_valid_dmy(d, m, y))
		return FALSE;
	g_snprintf(out, size, "%04d-%02d-%02d", y, m, d);
	return TRUE;
}

/* The invoice's identity: a 20-digit 全电 number (a code, if any, is
 * kept), or an 8-digit number with its 10- or 12-digit code. */
static gboolean
parse_identity(char **f, ClassifyInvoiceQr *out)
{
	gboolean code_ok = all_digits(f[2], 10, 10) || all_digits(f[2], 12, 12);

	if (!all_digits(f[3], 20, 20) && !(all_digits(f[3], 8, 8) && code_ok))
		return FALSE;
	if (code_ok)
		g_strlcpy(out->code, f[2], sizeof out->code);
	else if (*f[2] != '\0')
		return FALSE;
	g_strlcpy(out->number, f[3], sizeof out->number);
	return TRUE;
}

static gboolean
parse_fields(char **f, ClassifyInvoiceQr *out)
{
	guint n = g_strv_length(f);

	for (guint i = 0; i < n; i++)
		g_strstrip(f[i]);
	if (n < QR_MIN_FIELDS || n > QR_MAX_FIELDS)
		return FALSE;
	if (!all_digits(f[0], 1, 2) || !all_digits(f[1], 2, 2))
		return FALSE;
	g_strlcpy(out->type, f[1], sizeof out->type);
	if (!parse_identity(f, out) ||
	    !parse_amount(f[4], out->amount, sizeof out->amount) ||
	    !parse_date(f[5], out->date, sizeof out->date))
		return FALSE;
	/* The check code only helps a reviewer look the invoice up: a
	 * strange one is dropped, not a reason to distrust the rest. */
	if (n > 6 && all_alnum(f[6], sizeof out->check_code - 1))
		g_strlcpy(out->check_code, f[6], sizeof out->check_code);
	return TRUE;
}

gboolean
classify_invoice_qr_parse(const char *payload, ClassifyInvoiceQr *out)
{
	char *text, **f;
	gboolean ok;

	memset(out, 0, sizeof *out);
	if (payload == NULL || strlen(payload) > QR_MAX_PAYLOAD ||
	    !g_utf8_validate(payload, -1, NULL))
		return FALSE;
	/* Full-width commas come from phone apps that retype payloads. */
	f = g_strsplit(payload, "，", -1);
	text = g_strstrip(g_strjoinv(",", f));
	g_strfreev(f);
	/* A trailing comma ends the tax bureau's own payloads. */
	if (g_str_has_suffix(text, ","))
		text[strlen(text) - 1] = '\0';
	f = g_strsplit(text, ",", QR_MAX_FIELDS + 1);
	ok = parse_fields(f, out);
	g_strfreev(f);
	g_free(text);
	if (!ok)
		memset(out, 0, sizeof *out);
	return ok;
}

/* ---- cross-check ----------------------------------------------------- */

/* One field the QR code can vouch for. */
typedef struct {
	const char *field; /* the extracted field */
	const char *label; /* what the note calls it */
	gboolean amount;   /* compare as money, not as text */
} Vouched;

static const Vouched VOUCHED[] = {
    {"number", "发票号码", FALSE},
    {"code", "发票代码", FALSE},
    {"date", "开票日期", FALSE},
    /* The QR amount is before tax: never 价税合计 (total). */
    {"net", "不含税金额", TRUE},
};

static gboolean
same_value(const Vouched *v, const char *read, const char *qr)
{
	if (v->amount) {
		double diff =
		    g_ascii_strtod(read, NULL) - g_ascii_strtod(qr, NULL);

		return diff < 0.005 && diff > -0.005;
	}
	return strcmp(read, qr) == 0;
}

/* Do the rules extract FIELD for TYPE? Only then is its absence a miss. */
static gboolean
rules_read(const ClassifyRules *rules, const char *type, const char *field)
{
	const TypeRules *t = g_hash_table_lookup(rules->by_id, type);

	for (guint i = 0; t != NULL && i < t->fields->len; i++) {
		const FieldRule *f = g_ptr_array_index(t->fields, i);

		if (strcmp(f->name, field) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
reconcile(const ClassifyRules *rules, CoreDocument *doc, const Vouched *v,
	  const char *qr)
{
	const char *read = core_document_get_field(doc, v->field);

	if (*qr == '\0' || (read != NULL && same_value(v, read, qr)))
		return;
	/* A field the rules never read stays the qr_* field alone. */
	if (read == NULL && !rules_read(rules, doc->type, v->field))
		return;
	if (read != NULL)
		g_ptr_array_add(doc->notes,
				g_strdup_printf("%s按二维码更正：识别为 %s，"
						"二维码为 %s",
						v->label, read, qr));
	else
		g_ptr_array_add(
		    doc->notes,
		    g_strdup_printf("%s未识别，取自二维码：%s", v->label, qr));
	core_document_set_field(doc, v->field, qr);
}

static void
set_if(CoreDocument *doc, const char *name, const char *value)
{
	if (*value != '\0')
		core_document_set_field(doc, name, value);
}

static void
apply_qr(const ClassifyRules *rules, CoreDocument *doc,
	 const ClassifyInvoiceQr *qr)
{
	const char *values[] = {qr->number, qr->code, qr->date, qr->amount};

	G_STATIC_ASSERT(G_N_ELEMENTS(values) == G_N_ELEMENTS(VOUCHED));
	set_if(doc, "qr_number", qr->number);
	set_if(doc, "qr_code", qr->code);
	set_if(doc, "qr_amount", qr->amount);
	set_if(doc, "qr_date", qr->date);
	set_if(doc, "qr_check_code", qr->check_code);
	for (guint i = 0; i < G_N_ELEMENTS(VOUCHED); i++)
		reconcile(rules, doc, &VOUCHED[i], values[i]);
}

void
classify_check_codes(const ClassifyRules *rules, CoreDocument *doc,
		     CorePage *const *pages, guint n)
{
	ClassifyInvoiceQr qr;

	if (!classify_type_has_codes(rules, doc->type) ||
	    core_document_get_field(doc, "qr_number") != NULL)
		return;
	/* The first payload of the invoice's shape: a page may also carry
	 * another code (a link to the tax bureau's site). */
	for (guint i = 0; i < n; i++)
		for (guint k = 0; k < pages[i]->codes->len; k++)
			if (classify_invoice_qr_parse(
				g_ptr_array_index(pages[i]->codes, k), &qr)) {
				apply_qr(rules, doc, &qr);
				return;
			}
}

void
classify_documents_update_codes(const ClassifyRules *rules, GPtrArray *docs,
				GPtrArray *pages)
{
	GHashTable *by_ref =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GPtrArray *mine = g_ptr_array_new();

	for (guint i = 0; i < pages->len; i++) {
		CorePage *p = g_ptr_array_index(pages, i);

		g_hash_table_insert(by_ref, core_ref(p->file, p->page), p);
	}
	for (guint d = 0; d < docs->len; d++) {
		CoreDocument *doc = g_ptr_array_index(docs, d);

		g_ptr_array_set_size(mine, 0);
		for (guint k = 0; k < doc->pages->len; k++) {
			char *ref = core_ref(doc->file,
					     g_array_index(doc->pages, int, k));
			CorePage *p = g_hash_table_lookup(by_ref, ref);

			if (p != NULL)
				g_ptr_array_add(mine, p);
			g_free(ref);
		}
		classify_check_codes(rules, doc, (CorePage *const *)mine->pdata,
				     mine->len);
	}
	g_ptr_array_unref(mine);
	g_hash_table_unref(by_ref);
}
