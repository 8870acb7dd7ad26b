/* values.c - dates, amounts and names as every rule compares them: months
 * on the calendar (GLib's GDate), amounts in whole fen (no floating
 * point near money), names after one normalisation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks_int.h"

gboolean
checks_date_parse(const char *iso, GDate *out)
{
	unsigned y, m, d;
	char tail;

	g_date_clear(out, 1);
	if (iso == NULL || sscanf(iso, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3)
		return FALSE;
	if (!g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return FALSE;
	g_date_set_dmy(out, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
	return TRUE;
}

void
checks_date_add_months(const GDate *from, int months, GDate *out)
{
	*out = *from;
	if (months >= 0)
		g_date_add_months(out, (guint)months);
	else
		g_date_subtract_months(out, (guint)-months);
}

gboolean
checks_period_at_least(const GDate *from, const GDate *to, int months)
{
	GDate end;

	checks_date_add_months(from, months, &end);
	return g_date_compare(to, &end) >= 0;
}

/* Whole calendar months from FROM to TO (not before FROM), and the days
 * left over. */
static void
period_split(const GDate *from, const GDate *to, int *months, int *days)
{
	GDate step;

	*months = 0;
	for (;;) {
		checks_date_add_months(from, *months + 1, &step);
		if (g_date_compare(&step, to) > 0)
			break;
		(*months)++;
	}
	checks_date_add_months(from, *months, &step);
	*days = g_date_days_between(&step, to);
}

char *
checks_period_text(const GDate *from, const GDate *to)
{
	int months, days;

	if (g_date_compare(to, from) < 0)
		return g_strdup_printf("倒置（截止早于起始%d天）",
				       g_date_days_between(to, from));
	period_split(from, to, &months, &days);
	if (months == 0)
		return g_strdup_printf("%d天", days);
	if (days == 0)
		return g_strdup_printf("%d个月", months);
	return g_strdup_printf("%d个月%d天", months, days);
}

char *
checks_period_text_en(const GDate *from, const GDate *to)
{
	int months, days;

	if (g_date_compare(to, from) < 0)
		return g_strdup_printf("reversed (the end %d days before the "
				       "start)",
				       g_date_days_between(to, from));
	period_split(from, to, &months, &days);
	if (months == 0)
		return g_strdup_printf("%d day%s", days, days == 1 ? "" : "s");
	if (days == 0)
		return g_strdup_printf("%d month%s", months,
				       months == 1 ? "" : "s");
	return g_strdup_printf("%d month%s %d day%s", months,
			       months == 1 ? "" : "s", days,
			       days == 1 ? "" : "s");
}

char *
checks_date_text_en(const GDate *date)
{
	return g_strdup_printf("%04u-%02u-%02u", g_date_get_year(date),
			       (unsigned)g_date_get_month(date),
			       (unsigned)g_date_get_day(date));
}

char *
checks_date_text(const GDate *date)
{
	return g_strdup_printf("%u年%u月%u日", g_date_get_year(date),
			       (unsigned)g_date_get_month(date),
			       (unsigned)g_date_get_day(date));
}

gboolean
checks_amount_parse(const char *text, gint64 *fen)
{
	gint64 yuan = 0;
	int cents = 0, decimals = 0;
	gboolean digits = FALSE, point = FALSE;

	if (text == NULL)
		return FALSE;
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == ',' || *p == ' ')
			continue;
		if (*p == '.' && !point) {
			point = TRUE;
			continue;
		}
		if (!g_ascii_isdigit(*p))
			return FALSE;
		digits = TRUE;
		if (point) {
			if (++decimals > 2)
				return FALSE;
			cents = cents * 10 + (*p - '0');
		} else if (yuan > G_MAXINT64 / 1000) {
			return FALSE;
		} else {
			yuan = yuan * 10 + (*p - '0');
		}
	}
	if (decimals == 1)
		cents *= 10;
	*fen = yuan * 100 + cents;
	return digits;
}

/* FEN as "60,000.00" followed by UNIT. */
static char *
amount_text(gint64 fen, const char *unit)
{
	GString *s = g_string_new(NULL);
	char *digits = g_strdup_printf("%" G_GINT64_FORMAT, fen / 100);
	gsize n = strlen(digits);

	for (gsize i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			g_string_append_c(s, ',');
		g_string_append_c(s, digits[i]);
	}
	g_string_append_printf(s, ".%02d%s", (int)(fen % 100), unit);
	g_free(digits);
	return g_string_free(s, FALSE);
}

char *
checks_amount_text(gint64 fen)
{
	return amount_text(fen, "元");
}

char *
checks_amount_text_en(gint64 fen)
{
	return amount_text(fen, " yuan");
}

char *
checks_name_key(const char *name)
{
	char *norm = core_text_normalize(name != NULL ? name : "");
	GString *key = g_string_new(NULL);

	for (const char *p = norm; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_isspace(c) || g_unichar_ispunct(c) || c == '(' ||
		    c == ')')
			continue;
		g_string_append_unichar(key, g_unichar_tolower(c));
	}
	g_free(norm);
	return g_string_free(key, FALSE);
}

guint
checks_text_distance(const char *a, const char *b)
{
	glong na = 0, nb = 0;
	gunichar *ua = g_utf8_to_ucs4_fast(a, -1, &na);
	gunichar *ub = g_utf8_to_ucs4_fast(b, -1, &nb);
	guint *row = g_new(guint, nb + 1);
	guint result;

	for (glong j = 0; j <= nb; j++)
		row[j] = (guint)j;
	for (glong i = 1; i <= na; i++) {
		guint diag = row[0];

		row[0] = (guint)i;
		for (glong j = 1; j <= nb; j++) {
			guint up = row[j];
			guint best = diag + (ua[i - 1] == ub[j - 1] ? 0 : 1);

			best = MIN(best, up + 1);
			best = MIN(best, row[j - 1] + 1);
			row[j] = best;
			diag = up;
		}
	}
	result = row[nb];
	g_free(row);
	g_free(ua);
	g_free(ub);
	return result;
}

gboolean
checks_name_ocr_near(const char *read, const char *known)
{
	glong n = g_utf8_strlen(known, -1);
	guint allowed = MAX(1, (guint)(n / 6));

	return *read != '\0' && checks_text_distance(read, known) <= allowed;
}

GHashTable *
checks_key_labels(GKeyFile *kf, const char *group, const char *prefix)
{
	GHashTable *labels =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	char **keys = g_key_file_get_keys(kf, group, NULL, NULL);
	gsize n = strlen(prefix);

	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		char *v;

		if (strncmp(keys[i], prefix, n) != 0 || keys[i][n] != '.' ||
		    keys[i][n + 1] == '\0')
			continue;
		v = g_key_file_get_string(kf, group, keys[i], NULL);
		if (v != NULL)
			g_hash_table_insert(labels, g_strdup(keys[i] + n + 1),
					    g_strstrip(v));
	}
	g_strfreev(keys);
	return labels;
}

const char *
checks_label(GHashTable *labels, const char *x)
{
	const char *v = labels != NULL ? g_hash_table_lookup(labels, x) : NULL;

	return v != NULL && *v != '\0' ? v : x;
}

gboolean
checks_key_source_list(GKeyFile *kf, const char *group, const char *key,
		       const char *where, gboolean required, GPtrArray **out,
		       GError **error)
{
	char *text = g_key_file_get_string(kf, group, key, NULL);
	char **parts;
	gboolean ok = TRUE;

	*out = NULL;
	if (text == NULL || *g_strstrip(text) == '\0') {
		g_free(text);
		if (required)
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: key \"%s\" is required", where, key);
		return !required;
	}
	*out = core_ptr_array_new(checks_source_free);
	parts = g_strsplit(text, ";", -1);
	for (guint i = 0; parts[i] != NULL && ok; i++) {
		GError *local = NULL;
		ChecksSource *s;

		if (*g_strstrip(parts[i]) == '\0')
			continue;
		s = checks_source_parse(parts[i], &local);
		if (s == NULL) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: %s: %s", where, key, local->message);
			g_error_free(local);
			ok = FALSE;
		} else {
			g_ptr_array_add(*out, s);
		}
	}
	g_strfreev(parts);
	g_free(text);
	if (ok && (*out)->len == 0 && required) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: key \"%s\" is required", where, key);
		ok = FALSE;
	}
	if (!ok)
		g_clear_pointer(out, g_ptr_array_unref);
	return ok;
}

char *
checks_source_type(const ChecksSource *source)
{
	const char *text = checks_source_text(source);
	const char *dot = strchr(text, '.');

	if (dot == NULL || g_str_has_prefix(text, "claim."))
		return NULL;
	return g_strndup(text, dot - text);
}

GPtrArray *
checks_source_documents(const ChecksSource *source, const ChecksInput *in)
{
	GPtrArray *out = g_ptr_array_new();
	char **alts = g_strsplit(checks_source_text(source), "|", -1);

	for (guint i = 0; alts[i] != NULL; i++) {
		char *alt = g_strstrip(alts[i]);
		char *dot = strchr(alt, '.');
		GPtrArray *docs;

		if (dot == NULL || g_str_has_prefix(alt, "claim."))
			continue;
		*dot = '\0';
		docs = checks_documents_of(in, alt);
		for (guint k = 0; k < docs->len; k++)
			if (!g_ptr_array_find(out, docs->pdata[k], NULL))
				g_ptr_array_add(out, docs->pdata[k]);
		g_ptr_array_unref(docs);
	}
	g_strfreev(alts);
	return out;
}
