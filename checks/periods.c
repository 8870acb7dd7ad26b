/* periods.c - how long things lasted: the implementation cycle (contract
 * signed to acceptance), the trial run, and the month of continuous
 * operation records. Months are calendar months (values.c,
 * docs/rules.md "Months"). */
#include <stdlib.h>
#include <string.h>

#include "checks/checks_int.h"

/* ---- period: two dates, or a number of months written ------------------ */

/* months.<project_kind> = none: the guide sets no minimum for that kind. */
#define MONTHS_NONE (-1)

typedef struct {
	ChecksSource *from, *to;
	ChecksSource
	    *months_field; /* a written "3个月" when dates are absent */
	/* Bounds the period cannot pass (a trial run inside signing ..
	 * acceptance): a date beyond is a misreading or a slip, and counting
	 * it would lengthen the period in the provider's favour. */
	ChecksSource *from_at_least, *to_at_most;
	int months;		/* 0: per project kind only */
	GHashTable *by_kind;	/* project_kind -> GINT (months or NONE) */
	GHashTable *kind_label; /* project_kind -> Chinese, owned */
	char *subject;		/* 实施周期 */
	char *from_label;	/* 合同签订 */
	char *to_label;		/* 验收 */
	/* The same in English (--lang en): implementation cycle,
	 * contract signing, acceptance. */
	char *subject_en, *from_label_en, *to_label_en;
} Period;

static void
period_free(gpointer p)
{
	Period *pr = p;

	checks_source_free(pr->from);
	checks_source_free(pr->to);
	checks_source_free(pr->months_field);
	checks_source_free(pr->from_at_least);
	checks_source_free(pr->to_at_most);
	g_hash_table_unref(pr->by_kind);
	g_hash_table_unref(pr->kind_label);
	g_free(pr->subject);
	g_free(pr->from_label);
	g_free(pr->to_label);
	g_free(pr->subject_en);
	g_free(pr->from_label_en);
	g_free(pr->to_label_en);
	g_free(pr);
}

/* A whole number of months, 1..120; "none" gives MONTHS_NONE when
 * ALLOW_NONE. */
static gboolean
parse_months(const char *text, gboolean allow_none, int *out)
{
	char *end = NULL;
	long v;

	if (allow_none && strcmp(text, "none") == 0) {
		*out = MONTHS_NONE;
		return TRUE;
	}
	v = strtol(text, &end, 10);
	if (end == text || *end != '\0' || v < 1 || v > 120)
		return FALSE;
	*out = (int)v;
	return TRUE;
}

static gboolean
period_read_months(GKeyFile *kf, const char *group, const char *where,
		   Period *pr, GError **error)
{
	char **keys = g_key_file_get_keys(kf, group, NULL, NULL);
	gboolean ok = TRUE;

	for (guint i = 0; keys != NULL && keys[i] != NULL && ok; i++) {
		char *v = g_key_file_get_string(kf, group, keys[i], NULL);
		int m = 0;

		g_strstrip(v);
		if (strcmp(keys[i], "months") == 0) {
			ok = parse_months(v, FALSE, &pr->months);
		} else if (g_str_has_prefix(keys[i], "months.")) {
			ok = parse_months(v, TRUE, &m);
			if (ok)
				g_hash_table_insert(pr->by_kind,
						    g_strdup(keys[i] + 7),
						    GINT_TO_POINTER(m));
		} else if (g_str_has_prefix(keys[i], "kind_label.")) {
			g_hash_table_insert(pr->kind_label,
					    g_strdup(keys[i] + 11),
					    g_strdup(v));
		}
		if (!ok)
			g_set_error(
			    error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: %s: \"%s\" is not a number of months "
			    "(1-120%s)",
			    where, keys[i], v,
			    strcmp(keys[i], "months") == 0 ? "" : ", or none");
		g_free(v);
	}
	g_strfreev(keys);
	if (ok && pr->months == 0 && g_hash_table_size(pr->by_kind) == 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: give \"months\" or \"months.<project_kind>\"",
			    where);
		ok = FALSE;
	}
	return ok;
}

static gpointer
period_parse(GKeyFile *kf, const char *group, const char *where, GError **error)
{
	Period *pr = g_new0(Period, 1);

	pr->by_kind =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	pr->kind_label =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	pr->subject = checks_key_string(kf, group, "subject", "期间");
	pr->from_label = checks_key_string(kf, group, "from_label", "起始");
	pr->to_label = checks_key_string(kf, group, "to_label", "截止");
	pr->subject_en = checks_key_string(kf, group, "subject_en", "period");
	pr->from_label_en =
	    checks_key_string(kf, group, "from_label_en", "start");
	pr->to_label_en = checks_key_string(kf, group, "to_label_en", "end");
	if (!checks_key_source(kf, group, "from", where, TRUE, &pr->from,
			       error) ||
	    !checks_key_source(kf, group, "to", where, TRUE, &pr->to, error) ||
	    !checks_key_source(kf, group, "months_field", where, FALSE,
			       &pr->months_field, error) ||
	    !checks_key_source(kf, group, "from_at_least", where, FALSE,
			       &pr->from_at_least, error) ||
	    !checks_key_source(kf, group, "to_at_most", where, FALSE,
			       &pr->to_at_most, error) ||
	    !period_read_months(kf, group, where, pr, error)) {
		period_free(pr);
		return NULL;
	}
	return pr;
}

/* The minimum for the claim's project kind into *MONTHS and its Chinese
 * name (or "") into *WHAT; FALSE when the outcome has been set instead
 * (kind undeclared, unknown, or without a minimum). */
static gboolean
period_required(const Period *pr, const ChecksInput *in, ChecksRun *run,
		int *months, const char **what, const char **kind_en)
{
	const char *kind = checks_claim_value(in->claim, "project_kind");
	gpointer m;

	*what = "";
	*kind_en = NULL;
	*months = pr->months;
	if (g_hash_table_size(pr->by_kind) == 0)
		return TRUE;
	if (kind == NULL) {
		if (pr->months > 0)
			return TRUE;
		checks_run_not_checked(
		    run,
		    "未声明项目类型（project_kind），无法确定%s下限：请在 "
		    "claim.json 或 --project-kind 中写明 single_line_mes "
		    "（单条产线MES）、multi_system（多系统集成）或 other",
		    pr->subject);
		return FALSE;
	}
	if (g_hash_table_lookup_extended(pr->by_kind, kind, NULL, &m)) {
		const char *label = g_hash_table_lookup(pr->kind_label, kind);

		if (GPOINTER_TO_INT(m) == MONTHS_NONE) {
			checks_run_not_applicable(
			    run, "项目类型为%s（%s），指南未规定%s下限",
			    label != NULL ? label : kind, kind, pr->subject);
			return FALSE;
		}
		*months = GPOINTER_TO_INT(m);
		*what = label != NULL ? label : "";
		*kind_en = kind;
		return TRUE;
	}
	if (pr->months > 0)
		return TRUE;
	checks_run_not_checked(run,
			       "项目类型“%s”不在规则所列类型之中，无法确定%s"
			       "下限",
			       kind, pr->subject);
	return FALSE;
}

/* The date of SOURCE into *DATE and its value into *V; FALSE when no
 * alternative has one, or it is not a date (then *BAD says so). */
static gboolean
source_date(const ChecksSource *source, const ChecksInput *in, ChecksValue *v,
	    GDate *date, gboolean *bad)
{
	*bad = FALSE;
	if (!checks_source_first(source, in, v))
		return FALSE;
	if (checks_date_parse(v->value, date))
		return TRUE;
	*bad = TRUE;
	return FALSE;
}

/* Refs for V: its document, or when it came from claim.json the first
 * document of a TYPE.FIELD alternative of SOURCE (the contract a signing
 * date in claim.json stands for), so the reviewer has a page to open. */
static void
ref_value(ChecksRun *run, CoreFinding *f, const ChecksInput *in,
	  const ChecksSource *source, const ChecksValue *v)
{
	char **alts;

	if (v->doc != NULL) {
		checks_run_ref(run, f, v->doc);
		return;
	}
	alts = g_strsplit(checks_source_text(source), "|", -1);
	for (guint i = 0; alts[i] != NULL; i++) {
		char *alt = g_strstrip(alts[i]);
		const char *dot = strchr(alt, '.');
		char *type;
		GPtrArray *docs;

		if (dot == NULL || g_str_has_prefix(alt, "claim."))
			continue;
		type = g_strndup(alt, dot - alt);
		docs = checks_documents_of(in, type);
		if (docs->len > 0)
			checks_run_ref(run, f, g_ptr_array_index(docs, 0));
		g_ptr_array_unref(docs);
		g_free(type);
		if (run->outcome->documents->len > 0)
			break;
	}
	g_strfreev(alts);
}

/* Move *DATE to BOUND's date when it lies beyond it (AFTER: later than),
 * saying so in NOTE. */
static void
clamp(const ChecksSource *bound, const ChecksInput *in, gboolean after,
      const char *label, GDate *date, GString *note, const char *label_en,
      GString *note_en)
{
	ChecksValue v;
	GDate b;
	char *was, *now;

	if (bound == NULL || !checks_source_first(bound, in, &v) ||
	    !checks_date_parse(v.value, &b) ||
	    (after ? g_date_compare(date, &b) <= 0
		   : g_date_compare(date, &b) >= 0))
		return;
	was = checks_date_text(date);
	now = checks_date_text(&b);
	g_string_append_printf(note, "（%s%s%s%s，按%s计）", label, was,
			       after ? "晚于" : "早于", now, now);
	g_free(was);
	g_free(now);
	was = checks_date_text_en(date);
	now = checks_date_text_en(&b);
	g_string_append_printf(note_en, " (%s %s is %s %s; counted as %s)",
			       label_en, was, after ? "after" : "before", now,
			       now);
	*date = b;
	g_free(was);
	g_free(now);
}

static void
period_dates(const Period *pr, const ChecksInput *in, ChecksRun *run,
	     const ChecksValue *vf, const GDate *from_read,
	     const ChecksValue *vt, const GDate *to_read, int months,
	     const char *what, const char *kind_en)
{
	GDate from_at = *from_read, to_at = *to_read;
	const GDate *from = &from_at, *to = &to_at;
	GString *bounded = g_string_new(NULL);
	char *tf, *tt, *len;
	CoreFinding *f = NULL;

	GString *bounded_en = g_string_new(NULL);
	char *tf_en, *tt_en, *len_en, *need_en;

	clamp(pr->from_at_least, in, FALSE, pr->from_label, &from_at, bounded,
	      pr->from_label_en, bounded_en);
	clamp(pr->to_at_most, in, TRUE, pr->to_label, &to_at, bounded,
	      pr->to_label_en, bounded_en);
	tf = checks_date_text(from);
	tt = checks_date_text(to);
	len = checks_period_text(from, to);
	tf_en = checks_date_text_en(from);
	tt_en = checks_date_text_en(to);
	len_en = checks_period_text_en(from, to);
	need_en = kind_en != NULL
		      ? g_strdup_printf("a %s project needs", kind_en)
		      : g_strdup("needs");

	if (g_date_compare(to, from) < 0) {
		f = checks_run_fail(
		    run,
		    "%s日期倒置：%s于%s，%s却在%s，%s早于%s；请核对两处日期"
		    "是否写错",
		    pr->subject, pr->from_label, tf, pr->to_label, tt,
		    pr->to_label, pr->from_label);
		core_finding_set_english(
		    f,
		    "%s dates reversed: %s on %s but %s on %s, the %s before "
		    "the %s; check whether either date is miswritten",
		    pr->subject_en, pr->from_label_en, tf_en, pr->to_label_en,
		    tt_en, pr->to_label_en, pr->from_label_en);
	} else if (!checks_period_at_least(from, to, months)) {
		f = checks_run_fail(run,
				    "%s不足：%s于%s，%s于%s，仅%s%s；%s不少于%d"
				    "个月",
				    pr->subject, pr->from_label, tf,
				    pr->to_label, tt, len, bounded->str, what,
				    months);
		core_finding_set_english(
		    f,
		    "%s too short: %s on %s, %s on %s, only %s%s; %s at "
		    "least %d month%s",
		    pr->subject_en, pr->from_label_en, tf_en, pr->to_label_en,
		    tt_en, len_en, bounded_en->str, need_en, months,
		    months == 1 ? "" : "s");
	} else
		checks_run_pass(run, "%s于%s，%s于%s，共%s%s；%s不少于%d个月",
				pr->from_label, tf, pr->to_label, tt, len,
				bounded->str, what, months);
	ref_value(run, f, in, pr->from, vf);
	ref_value(run, f, in, pr->to, vt);
	g_string_free(bounded, TRUE);
	g_string_free(bounded_en, TRUE);
	g_free(tf);
	g_free(tt);
	g_free(len);
	g_free(tf_en);
	g_free(tt_en);
	g_free(len_en);
	g_free(need_en);
}

/* Without both dates: the number of months the documents write ("试运行
 * 期为3个月"). Returns FALSE when there is none. */
static gboolean
period_written(const Period *pr, const ChecksInput *in, ChecksRun *run,
	       int months, const char *what, const char *kind_en)
{
	ChecksValue v;
	char *end = NULL;
	long n;
	CoreFinding *f = NULL;

	if (pr->months_field == NULL ||
	    !checks_source_first(pr->months_field, in, &v))
		return FALSE;
	n = strtol(v.value, &end, 10);
	if (end == v.value || *end != '\0')
		return FALSE;
	if (n < months) {
		f = checks_run_fail(run,
				    "%s不足：材料写明%s为%ld个月（未读到起止"
				    "日期）；%s不少于%d个月",
				    pr->subject, pr->subject, n, what, months);
		core_finding_set_english(
		    f,
		    "%s too short: the documents state a %s of %ld month%s "
		    "(no start and end dates read); %s%s%s at least %d "
		    "month%s",
		    pr->subject_en, pr->subject_en, n, n == 1 ? "" : "s",
		    kind_en != NULL ? "a " : "", kind_en != NULL ? kind_en : "",
		    kind_en != NULL ? " project needs" : "needs", months,
		    months == 1 ? "" : "s");
	} else
		checks_run_pass(run,
				"材料写明%s为%ld个月（未读到起止日期），%s不少"
				"于%d个月",
				pr->subject, n, what, months);
	checks_run_ref(run, f, v.doc);
	return TRUE;
}

/* Why one end is missing: not found (and where it was looked for), or
 * found but not a date. */
static void
append_missing(GString *why, const char *label, const ChecksSource *source,
	       gboolean bad, const ChecksValue *v)
{
	if (why->len > 0)
		g_string_append(why, "；");
	if (bad)
		g_string_append_printf(why, "%s日期“%s”不是有效日期（%s）",
				       label, v->value, v->field);
	else
		g_string_append_printf(why, "缺少%s日期（查找了 %s）", label,
				       checks_source_text(source));
}

static void
period_missing(const Period *pr, ChecksRun *run, gboolean have_from,
	       gboolean bad_from, const ChecksValue *vf, gboolean have_to,
	       gboolean bad_to, const ChecksValue *vt)
{
	GString *why = g_string_new(NULL);

	if (!have_from)
		append_missing(why, pr->from_label, pr->from, bad_from, vf);
	if (!have_to)
		append_missing(why, pr->to_label, pr->to, bad_to, vt);
	if (pr->months_field != NULL)
		g_string_append_printf(why, "；也未读到写明的月数（查找了 %s）",
				       checks_source_text(pr->months_field));
	checks_run_not_checked(run, "%s", why->str);
	g_string_free(why, TRUE);
}

static void
period_run(const ChecksRule *rule, const ChecksInput *in, ChecksRun *run)
{
	const Period *pr = rule->params;
	ChecksValue vf = {0}, vt = {0};
	GDate from, to;
	gboolean bad_from, bad_to, have_from, have_to;
	const char *what, *kind_en;
	int months;

	if (!period_required(pr, in, run, &months, &what, &kind_en))
		return;
	have_from = source_date(pr->from, in, &vf, &from, &bad_from);
	have_to = source_date(pr->to, in, &vt, &to, &bad_to);
	if (have_from && have_to) {
		period_dates(pr, in, run, &vf, &from, &vt, &to, months, what,
			     kind_en);
		return;
	}
	if (period_written(pr, in, run, months, what, kind_en))
		return;
	period_missing(pr, run, have_from, bad_from, &vf, have_to, bad_to, &vt);
}

static const char *const period_keys[] = {
    "from",	     "to",	     "months_field",
    "from_at_least", "to_at_most",   "months",
    "months.*",	     "subject",	     "from_label",
    "to_label",	     "kind_label.*", "subject_en",
    "from_label_en", "to_label_en",  NULL};

const ChecksKind checks_kind_period = {"period", period_keys, period_parse,
				       period_free, period_run};

/* ---- records_span: one continuous month of operation records ---------- */

typedef struct {
	char *type;
	int months;
	int max_gap_days;
	int range_max_days; /* "D1 至 D2" up to this long: one row's days */
	GRegex *skip_lines; /* lines whose dates are not record rows */
	GRegex *date_re;
	GRegex *range_re;
} RecordsSpan;

static void
records_free(gpointer p)
{
	RecordsSpan *rs = p;

	g_free(rs->type);
	if (rs->skip_lines != NULL)
		g_regex_unref(rs->skip_lines);
	g_regex_unref(rs->date_re);
	g_regex_unref(rs->range_re);
	g_free(rs);
}

/* 2026-01-05, 2026/1/5, 2026.01.05, 2026年1月5日. A text layer may glue a
 * table's cells together ("12025-11-23113911162397.98%": row 1, then the
 * date, then the figures), so digits may touch the date on either side:
 * a two-digit day is taken as it is, a one-digit day only when no digit
 * follows. A time after the date is not part of it. */
#define DATE_RE                                                                \
	"(20[0-9]{2})\\s*(?:[-/.]|年)\\s*([0-9]{1,2})\\s*(?:[-/.]|月)\\s*"   \
	"([0-9]{2}|[0-9](?![0-9]))"
#define DATE_NC                                                                \
	"20[0-9]{2}\\s*(?:[-/.]|年)\\s*[0-9]{1,2}\\s*(?:[-/.]|月)\\s*"       \
	"(?:[0-9]{2}|[0-9](?![0-9]))日?"

static gpointer
records_parse(GKeyFile *kf, const char *group, const char *where,
	      GError **error)
{
	RecordsSpan *rs = g_new0(RecordsSpan, 1);
	char *skip = g_key_file_get_string(kf, group, "skip_lines", NULL);
	GError *local = NULL;

	rs->date_re = g_regex_new(DATE_RE, G_REGEX_OPTIMIZE, 0, NULL);
	rs->range_re = g_regex_new(
	    "(" DATE_NC ")\\s*(?:至|到|~|～|—|–|-{1,2})\\s*(" DATE_NC ")",
	    G_REGEX_OPTIMIZE, 0, NULL);
	rs->type = checks_key_string(kf, group, "type", NULL);
	if (rs->type == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: key \"type\" is required", where);
		goto fail;
	}
	if (!checks_key_int(kf, group, "months", where, 1, 120, -1, &rs->months,
			    error) ||
	    !checks_key_int(kf, group, "max_gap_days", where, 0, 60, -1,
			    &rs->max_gap_days, error) ||
	    !checks_key_int(kf, group, "range_max_days", where, 1, 31, 7,
			    &rs->range_max_days, error))
		goto fail;
	if (skip != NULL && *g_strstrip(skip) != '\0') {
		rs->skip_lines = g_regex_new(skip, G_REGEX_OPTIMIZE, 0, &local);
		if (rs->skip_lines == NULL) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: skip_lines: %s", where,
				    local->message);
			g_error_free(local);
			goto fail;
		}
	}
	g_free(skip);
	return rs;
fail:
	g_free(skip);
	records_free(rs);
	return NULL;
}

/* The date a DATE_RE match holds, by its groups 1-3 from START. */
static gboolean
match_date(const GMatchInfo *mi, int first, GDate *out)
{
	int v[3];

	for (int i = 0; i < 3; i++) {
		char *s = g_match_info_fetch(mi, first + i);

		v[i] = atoi(s);
		g_free(s);
	}
	g_date_clear(out, 1);
	if (!g_date_valid_dmy((GDateDay)v[2], (GDateMonth)v[1],
			      (GDateYear)v[0]))
		return FALSE;
	g_date_set_dmy(out, (GDateDay)v[2], (GDateMonth)v[1], (GDateYear)v[0]);
	return TRUE;
}

static gboolean
text_date(const RecordsSpan *rs, const char *text, GDate *out)
{
	GMatchInfo *mi = NULL;
	gboolean ok =
	    g_regex_match(rs->date_re, text, 0, &mi) && match_date(mi, 1, out);

	g_match_info_free(mi);
	return ok;
}

/* A short range ("2026-01-05 至 2026-01-11", a weekly row) stands for
 * each of its days; a long one is a heading ("记录期间：…至…"), which
 * says nothing about which days have rows, so only its ends count. */
static void
line_ranges(const RecordsSpan *rs, const char *line, GHashTable *days)
{
	GMatchInfo *mi = NULL;

	g_regex_match(rs->range_re, line, 0, &mi);
	for (; g_match_info_matches(mi); g_match_info_next(mi, NULL)) {
		char *a = g_match_info_fetch(mi, 1),
		     *b = g_match_info_fetch(mi, 2);
		GDate da, db;

		if (text_date(rs, a, &da) && text_date(rs, b, &db) &&
		    g_date_compare(&da, &db) <= 0 &&
		    g_date_days_between(&da, &db) < rs->range_max_days) {
			for (guint32 j = g_date_get_julian(&da);
			     j <= g_date_get_julian(&db); j++)
				g_hash_table_add(days, GUINT_TO_POINTER(j));
		}
		g_free(a);
		g_free(b);
	}
	g_match_info_free(mi);
}

static void
line_dates(const RecordsSpan *rs, const char *line, GHashTable *days)
{
	GMatchInfo *mi = NULL;

	if (rs->skip_lines != NULL &&
	    g_regex_match(rs->skip_lines, line, 0, NULL))
		return;
	g_regex_match(rs->date_re, line, 0, &mi);
	for (; g_match_info_matches(mi); g_match_info_next(mi, NULL)) {
		GDate d;

		if (match_date(mi, 1, &d))
			g_hash_table_add(
			    days, GUINT_TO_POINTER(g_date_get_julian(&d)));
	}
	g_match_info_free(mi);
	line_ranges(rs, line, days);
}

static const CorePage *
find_page(const ChecksInput *in, const char *file, int page)
{
	for (guint i = 0; in->pages != NULL && i < in->pages->len; i++) {
		const CorePage *p = g_ptr_array_index(in->pages, i);

		if (p->page == page && g_strcmp0(p->file, file) == 0)
			return p;
	}
	return NULL;
}

/* Every day DOC's pages hold a date for, as Julian day numbers. FALSE
 * when none of its pages' text is at hand. */
static gboolean
doc_days(const RecordsSpan *rs, const ChecksInput *in, const CoreDocument *doc,
	 GHashTable *days)
{
	gboolean any = FALSE;

	for (guint i = 0; i < doc->pages->len; i++) {
		const CorePage *p =
		    find_page(in, doc->file, g_array_index(doc->pages, int, i));
		char *norm;
		char **lines;

		if (p == NULL)
			continue;
		any = TRUE;
		norm = core_text_normalize(p->text);
		lines = g_strsplit(norm, "\n", -1);
		for (guint j = 0; lines[j] != NULL; j++)
			line_dates(rs, lines[j], days);
		g_strfreev(lines);
		g_free(norm);
	}
	return any;
}

static int
cmp_u32(gconstpointer a, gconstpointer b)
{
	guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;

	return x < y ? -1 : x > y;
}

static char *
julian_text(guint32 j, gboolean en)
{
	GDate d;

	g_date_clear(&d, 1);
	g_date_set_julian(&d, j);
	return en ? checks_date_text_en(&d) : checks_date_text(&d);
}

typedef struct {
	guint32 first, last; /* Julian days */
	guint n;	     /* distinct days with records */
} Run;

/* DAYS (sorted) cut wherever more than MAX_GAP days in a row have no
 * record. A new array of Run. */
static GArray *
runs_of(const GArray *days, int max_gap)
{
	GArray *runs = g_array_new(FALSE, FALSE, sizeof(Run));
	Run r = {g_array_index(days, guint32, 0),
		 g_array_index(days, guint32, 0), 1};

	for (guint i = 1; i < days->len; i++) {
		guint32 cur = g_array_index(days, guint32, i);

		if (cur - r.last - 1 > (guint32)max_gap) {
			g_array_append_val(runs, r);
			r.first = cur;
			r.n = 0;
		}
		r.last = cur;
		r.n++;
	}
	g_array_append_val(runs, r);
	return runs;
}

/* The longest run: by its span, then by its rows. */
static guint
longest_run(const GArray *runs)
{
	guint best = 0;

	for (guint i = 1; i < runs->len; i++) {
		const Run *a = &g_array_index(runs, Run, i);
		const Run *b = &g_array_index(runs, Run, best);

		if (a->last - a->first > b->last - b->first ||
		    (a->last - a->first == b->last - b->first && a->n > b->n))
			best = i;
	}
	return best;
}

/* The break that cut run BEST short, worth naming only when records go
 * on at its other side (two days or more: a lone date far off is a
 * heading or a signature's date, not a row). "" when none. */
static char *
break_text_in(const GArray *runs, guint best, int max_gap, gboolean en)
{
	const Run *r = &g_array_index(runs, Run, best);
	guint32 from = 0, to = 0;
	char *a, *b, *out;

	if (best + 1 < runs->len && g_array_index(runs, Run, best + 1).n > 1) {
		from = r->last;
		to = g_array_index(runs, Run, best + 1).first;
	}
	if (best > 0 && g_array_index(runs, Run, best - 1).n > 1 &&
	    (to == 0 ||
	     r->first - g_array_index(runs, Run, best - 1).last < to - from)) {
		from = g_array_index(runs, Run, best - 1).last;
		to = r->first;
	}
	if (to == 0)
		return g_strdup("");
	a = julian_text(from, en);
	b = julian_text(to, en);
	if (en)
		out = g_strdup_printf("; a break of %u day%s between %s and %s "
				      "(at most %d allowed)",
				      to - from - 1,
				      to - from - 1 == 1 ? "" : "s", a, b,
				      max_gap);
	else
		out = g_strdup_printf("；%s至%s之间中断%u天（允许不超过%d天）",
				      a, b, to - from - 1, max_gap);
	g_free(a);
	g_free(b);
	return out;
}

static char *
break_text(const GArray *runs, guint best, int max_gap)
{
	return break_text_in(runs, best, max_gap, FALSE);
}

static char *
break_text_en(const GArray *runs, guint best, int max_gap)
{
	return break_text_in(runs, best, max_gap, TRUE);
}

static void
records_judge(const RecordsSpan *rs, ChecksRun *run, GPtrArray *docs,
	      GArray *days)
{
	GArray *runs = runs_of(days, rs->max_gap_days);
	guint best = longest_run(runs);
	const Run *r = &g_array_index(runs, Run, best);
	GDate a, b;
	char *ta, *tb, *len, *gap;
	CoreFinding *f = NULL;

	g_date_clear(&a, 1);
	g_date_clear(&b, 1);
	g_date_set_julian(&a, r->first);
	g_date_set_julian(&b, r->last);
	ta = checks_date_text(&a);
	tb = checks_date_text(&b);
	len = checks_period_text(&a, &b);
	gap = break_text(runs, best, rs->max_gap_days);
	if (!checks_period_at_least(&a, &b, rs->months)) {
		char *ta_en = checks_date_text_en(&a);
		char *tb_en = checks_date_text_en(&b);
		char *len_en = checks_period_text_en(&a, &b);
		char *gap_en = break_text_en(runs, best, rs->max_gap_days);

		f = checks_run_fail(
		    run,
		    "系统运行记录不足连续%d个月：最长连续记录自%s至%s，仅%s%s；"
		    "需连续%d个月、中断不超过%d天",
		    rs->months, ta, tb, len, gap, rs->months, rs->max_gap_days);
		core_finding_set_english(
		    f,
		    "Operation records do not cover %d continuous month%s: the "
		    "longest continuous run is %s to %s, only %s%s; %d "
		    "continuous month%s needed, with breaks of at most %d "
		    "day%s",
		    rs->months, rs->months == 1 ? "" : "s", ta_en, tb_en,
		    len_en, gap_en, rs->months, rs->months == 1 ? "" : "s",
		    rs->max_gap_days, rs->max_gap_days == 1 ? "" : "s");
		g_free(ta_en);
		g_free(tb_en);
		g_free(len_en);
		g_free(gap_en);
	} else
		checks_run_pass(run,
				"运行记录自%s至%s连续%s（%u天有记录，中断不超过"
				"%d天），不少于%d个月",
				ta, tb, len, r->n, rs->max_gap_days,
				rs->months);
	for (guint i = 0; i < docs->len; i++)
		checks_run_ref(run, f, g_ptr_array_index(docs, i));
	g_free(ta);
	g_free(tb);
	g_free(len);
	g_free(gap);
	g_array_unref(runs);
}

/* No page text (a caller that only kept fields): the fields' earliest and
 * latest dates give the span, not whether rows are missing in it. */
static void
records_from_fields(const RecordsSpan *rs, ChecksRun *run, GPtrArray *docs)
{
	GDate lo, hi;

	g_date_clear(&lo, 1);
	g_date_clear(&hi, 1);
	for (guint i = 0; i < docs->len; i++) {
		const CoreDocument *doc = g_ptr_array_index(docs, i);
		GDate a, b;

		if (!checks_date_parse(
			core_document_get_field(doc, "date_earliest"), &a) ||
		    !checks_date_parse(
			core_document_get_field(doc, "date_latest"), &b))
			continue;
		if (!g_date_valid(&lo) || g_date_compare(&a, &lo) < 0)
			lo = a;
		if (!g_date_valid(&hi) || g_date_compare(&b, &hi) > 0)
			hi = b;
	}
	if (!g_date_valid(&lo)) {
		checks_run_not_checked(run, "系统运行记录（%s）中未读到日期",
				       rs->type);
	} else if (!checks_period_at_least(&lo, &hi, rs->months)) {
		char *ta = checks_date_text(&lo), *tb = checks_date_text(&hi);
		char *len = checks_period_text(&lo, &hi);
		CoreFinding *f = checks_run_fail(
		    run, "系统运行记录不足连续%d个月：记录自%s至%s，仅%s",
		    rs->months, ta, tb, len);
		char *ta_en = checks_date_text_en(&lo);
		char *tb_en = checks_date_text_en(&hi);
		char *len_en = checks_period_text_en(&lo, &hi);

		core_finding_set_english(
		    f,
		    "Operation records do not cover %d continuous month%s: "
		    "records run from %s to %s, only %s",
		    rs->months, rs->months == 1 ? "" : "s", ta_en, tb_en,
		    len_en);
		g_free(ta_en);
		g_free(tb_en);
		g_free(len_en);

		for (guint i = 0; i < docs->len; i++)
			checks_run_ref(run, f, g_ptr_array_index(docs, i));
		g_free(ta);
		g_free(tb);
		g_free(len);
		return;
	} else {
		checks_run_not_checked(
		    run, "只读到运行记录的最早、最晚日期，无法确认"
			 "其间是否中断");
	}
	for (guint i = 0; i < docs->len; i++)
		checks_run_ref(run, NULL, g_ptr_array_index(docs, i));
}

static void
records_run(const ChecksRule *rule, const ChecksInput *in, ChecksRun *run)
{
	const RecordsSpan *rs = rule->params;
	GPtrArray *docs = checks_documents_of(in, rs->type);
	GHashTable *set = g_hash_table_new(g_direct_hash, g_direct_equal);
	GArray *days = g_array_new(FALSE, FALSE, sizeof(guint32));
	gboolean text = FALSE;
	GHashTableIter it;
	gpointer key;

	if (docs->len == 0) {
		checks_run_not_checked(run,
				       "未见系统运行核心数据记录（%s），清单已"
				       "列为缺失",
				       rs->type);
		goto out;
	}
	for (guint i = 0; i < docs->len; i++)
		text |= doc_days(rs, in, g_ptr_array_index(docs, i), set);
	if (!text) {
		records_from_fields(rs, run, docs);
		goto out;
	}
	g_hash_table_iter_init(&it, set);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		guint32 j = GPOINTER_TO_UINT(key);

		g_array_append_val(days, j);
	}
	if (days->len == 0) {
		checks_run_not_checked(
		    run, "系统运行记录（%s）中未读到任何日期，无法判断是否连续",
		    rs->type);
		for (guint i = 0; i < docs->len; i++)
			checks_run_ref(run, NULL, g_ptr_array_index(docs, i));
		goto out;
	}
	g_array_sort(days, cmp_u32);
	records_judge(rs, run, docs, days);
out:
	g_array_unref(days);
	g_hash_table_unref(set);
	g_ptr_array_unref(docs);
}

static const char *const records_keys[] = {
    "type", "months", "max_gap_days", "range_max_days", "skip_lines", NULL};

const ChecksKind checks_kind_records_span = {
    "records_span", records_keys, records_parse, records_free, records_run};
