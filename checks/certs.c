/* certs.c - the papers that entitle: an agent's authorization letter
 * (region, period, scope; the period covering the project) and
 * certificates valid on the service dates. */
#include <string.h>

#include "checks/checks_int.h"

/* What a date source's field is, for messages ("验收（2026年1月10日）";
 * EN: "acceptance (2026-01-10)"). */
static const char *
date_role_in(const ChecksValue *v, gboolean en)
{
	static const struct {
		const char *field, *role, *role_en;
	} roles[] = {
	    {"contract.signed_on", "合同签订", "contract signing"},
	    {"signed_on", "合同签订", "contract signing"},
	    {"accepted_on", "验收", "acceptance"},
	    {"date", "开票", "invoicing"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(roles); i++)
		if (g_strcmp0(v->field, roles[i].field) == 0)
			return en ? roles[i].role_en : roles[i].role;
	return v->field;
}

static const char *
date_role(const ChecksValue *v)
{
	return date_role_in(v, FALSE);
}

/* NOTE without the "；" its last part ends in. Borrowed. */
static const char *
note_text(GString *note)
{
	if (g_str_has_suffix(note->str, "；"))
		g_string_truncate(note, note->len - strlen("；"));
	return note->str;
}

static gboolean
value_date(const ChecksSource *source, const ChecksInput *in, ChecksValue *v,
	   GDate *out)
{
	return source != NULL && checks_source_first(source, in, v) &&
	       checks_date_parse(v->value, out);
}

/* The value SOURCE gives on DOC itself (a field of that document), or
 * NULL. */
static const char *
doc_value(const ChecksSource *source, const ChecksInput *in,
	  const CoreDocument *doc)
{
	GArray *all;
	const char *out = NULL;

	if (source == NULL)
		return NULL;
	all = checks_source_all(source, in);
	for (guint i = 0; i < all->len && out == NULL; i++)
		if (g_array_index(all, ChecksValue, i).doc == doc)
			out = g_array_index(all, ChecksValue, i).value;
	g_array_unref(all);
	return out;
}

/* ---- authorization ------------------------------------------------------ */

typedef struct {
	char *document; /* the letter's type */
	ChecksSource *region, *scope, *period, *valid_from, *valid_until;
	ChecksSource *cover_from, *cover_to;
	GRegex *region_includes;
	GRegex *open_ended; /* "长期有效": a period with no end */
} Authorization;

static void
auth_free(gpointer p)
{
	Authorization *a = p;

	g_free(a->document);
	checks_source_free(a->region);
	checks_source_free(a->scope);
	checks_source_free(a->period);
	checks_source_free(a->valid_from);
	checks_source_free(a->valid_until);
	checks_source_free(a->cover_from);
	checks_source_free(a->cover_to);
	if (a->region_includes != NULL)
		g_regex_unref(a->region_includes);
	if (a->open_ended != NULL)
		g_regex_unref(a->open_ended);
	g_free(a);
}

static gpointer
auth_parse(GKeyFile *kf, const char *group, const char *where, GError **error)
{
	Authorization *a = g_new0(Authorization, 1);

	a->document = g_key_file_get_string(kf, group, "document", NULL);
	if (a->document == NULL || *g_strstrip(a->document) == '\0') {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: key \"document\" is required", where);
		goto fail;
	}
	if (!checks_key_source(kf, group, "region", where, TRUE, &a->region,
			       error) ||
	    !checks_key_source(kf, group, "scope", where, TRUE, &a->scope,
			       error) ||
	    !checks_key_source(kf, group, "period", where, TRUE, &a->period,
			       error) ||
	    !checks_key_source(kf, group, "valid_from", where, FALSE,
			       &a->valid_from, error) ||
	    !checks_key_source(kf, group, "valid_until", where, TRUE,
			       &a->valid_until, error) ||
	    !checks_key_source(kf, group, "cover_from", where, TRUE,
			       &a->cover_from, error) ||
	    !checks_key_source(kf, group, "cover_to", where, TRUE, &a->cover_to,
			       error))
		goto fail;
	a->region_includes = checks_key_regex(
	    kf, group, "region_includes", where, G_REGEX_OPTIMIZE, TRUE, error);
	if (a->region_includes == NULL)
		goto fail;
	a->open_ended = checks_key_regex(kf, group, "open_ended", where,
					 G_REGEX_OPTIMIZE, FALSE, error);
	if (a->open_ended == NULL && error != NULL && *error != NULL)
		goto fail;
	return a;
fail:
	auth_free(a);
	return NULL;
}

/* One letter's failures go to RUN; what could not be checked is appended
 * to UNCHECKED. */
typedef struct {
	const Authorization *a;
	const ChecksInput *in;
	ChecksRun *run;
	const CoreDocument *doc;
	GString *unchecked;
	GString *passed;
} Letter;

static CoreFinding *
letter_fail(Letter *l, const char *message, const char *message_en)
{
	CoreFinding *f = checks_run_fail(l->run, "%s", message);

	core_finding_set_english(f, "%s", message_en);
	checks_run_ref(l->run, f, l->doc);
	return f;
}

/* Region, period and scope must each be written. */
static void
letter_stated(Letter *l, const char *region, const char *scope,
	      gboolean has_period)
{
	GString *missing = g_string_new(NULL);
	GString *missing_en = g_string_new(NULL);

	if (region == NULL) {
		g_string_append(missing, "授权地域、");
		g_string_append(missing_en, "region, ");
	}
	if (!has_period) {
		g_string_append(missing, "授权期限、");
		g_string_append(missing_en, "period, ");
	}
	if (scope == NULL) {
		g_string_append(missing, "授权范围、");
		g_string_append(missing_en, "scope, ");
	}
	if (missing->len > 0) {
		char *msg, *msg_en;

		g_string_truncate(missing, missing->len - strlen("、"));
		g_string_truncate(missing_en, missing_en->len - 2);
		msg = g_strdup_printf("授权委托书未写明%s：代理产品的授权书须明"
				      "确授权地域、期限及服务范围",
				      missing->str);
		msg_en = g_strdup_printf(
		    "The authorization letter does not state its %s: a "
		    "letter for an agented product must state the authorized "
		    "region, period and scope of service",
		    missing_en->str);
		letter_fail(l, msg, msg_en);
		g_free(msg);
		g_free(msg_en);
	}
	g_string_free(missing, TRUE);
	g_string_free(missing_en, TRUE);
}

static void
letter_region(Letter *l, const char *region)
{
	char *msg, *msg_en;

	if (region == NULL)
		return;
	if (g_regex_match(l->a->region_includes, region, 0, NULL)) {
		g_string_append_printf(l->passed, "授权地域“%s”含广西；",
				       region);
		return;
	}
	msg = g_strdup_printf("授权委托书的授权地域为“%s”，未包含广西：在广西"
			      "提供服务须获得覆盖广西的授权",
			      region);
	msg_en = g_strdup_printf("The authorization letter's region is "
				 "\"%s\", which does not include Guangxi: "
				 "serving in Guangxi needs an authorization "
				 "covering Guangxi",
				 region);
	letter_fail(l, msg, msg_en);
	g_free(msg);
	g_free(msg_en);
}

/* The letter's period starts at END after the date ROLE (at WHEN) it
 * must cover (STARTS), or ends at END before it. */
static void
cover_gap(Letter *l, const GDate *end, const ChecksValue *role,
	  const GDate *when, gboolean starts)
{
	char *a = checks_date_text(end), *b = checks_date_text(when);
	char *ae = checks_date_text_en(end), *be = checks_date_text_en(when);
	char *msg = g_strdup_printf(
	    "授权期限%s%s%s，%s%s（%s）：授权期限须覆盖项目全实施周期",
	    starts ? "自" : "至", a, starts ? "起" : "止",
	    starts ? "晚于" : "早于", date_role(role), b);
	char *msg_en = g_strdup_printf(
	    "The authorization period %s on %s, %s the %s (%s): the "
	    "authorization must cover the whole project",
	    starts ? "starts" : "ends", ae, starts ? "after" : "before",
	    date_role_in(role, TRUE), be);
	CoreFinding *f = letter_fail(l, msg, msg_en);

	checks_run_ref(l->run, f, role->doc);
	g_free(a);
	g_free(b);
	g_free(ae);
	g_free(be);
	g_free(msg);
	g_free(msg_en);
}

/* The period must run from the signing (or earlier) to the acceptance
 * (or later). */
static void
letter_cover(Letter *l, const char *period, const char *from_text,
	     const char *until_text)
{
	ChecksValue cf = {0}, ct = {0};
	GDate from, until, c_from, c_to;
	gboolean has_from = checks_date_parse(from_text, &from);
	gboolean has_until = checks_date_parse(until_text, &until);
	gboolean open = !has_until && period != NULL &&
			l->a->open_ended != NULL &&
			g_regex_match(l->a->open_ended, period, 0, NULL);
	gboolean has_cf = value_date(l->a->cover_from, l->in, &cf, &c_from);
	gboolean has_ct = value_date(l->a->cover_to, l->in, &ct, &c_to);

	if (period == NULL && !has_until && !has_from)
		return; /* letter_stated named it */
	if (!has_until && !open) {
		g_string_append_printf(l->unchecked,
				       "授权期限“%s”中未读出截止日期；",
				       period != NULL ? period : "");
		return;
	}
	if (has_from && has_cf && g_date_compare(&from, &c_from) > 0)
		cover_gap(l, &from, &cf, &c_from, TRUE);
	if (has_until && has_ct && g_date_compare(&until, &c_to) < 0)
		cover_gap(l, &until, &ct, &c_to, FALSE);
	if (!has_cf || !has_ct) {
		g_string_append_printf(
		    l->unchecked, "缺少%s，无法核对授权期限是否覆盖实施周期；",
		    !has_cf ? "合同签订日期" : "验收日期");
		return;
	}
	if (!has_from && !open)
		g_string_append(l->unchecked,
				"授权期限未读出起始日期，只核对了截止日期；");
	g_string_append_printf(l->passed, "授权期限“%s”覆盖实施周期；",
			       period != NULL ? period : until_text);
}

static void
auth_letter(Letter *l)
{
	const char *region = doc_value(l->a->region, l->in, l->doc);
	const char *scope = doc_value(l->a->scope, l->in, l->doc);
	const char *period = doc_value(l->a->period, l->in, l->doc);
	const char *from = doc_value(l->a->valid_from, l->in, l->doc);
	const char *until = doc_value(l->a->valid_until, l->in, l->doc);

	letter_stated(l, region, scope,
		      period != NULL || until != NULL || from != NULL);
	letter_region(l, region);
	letter_cover(l, period, from, until);
	if (scope != NULL)
		g_string_append_printf(l->passed, "授权范围“%s”；", scope);
}

static void
auth_run(const ChecksRule *rule, const ChecksInput *in, ChecksRun *run)
{
	const Authorization *a = rule->params;
	GPtrArray *letters = checks_documents_of(in, a->document);
	GString *unchecked = g_string_new(NULL);
	GString *passed = g_string_new(NULL);

	if (letters->len == 0) {
		checks_run_not_checked(
		    run, "未见授权委托书（%s），清单已列为缺失", a->document);
		goto out;
	}
	for (guint i = 0; i < letters->len; i++) {
		Letter l = {a,	       in,
			    run,       g_ptr_array_index(letters, i),
			    unchecked, passed};

		checks_run_ref(run, NULL, l.doc);
		auth_letter(&l);
	}
	if (run->outcome->status == CHECKS_FAILED)
		goto out;
	if (unchecked->len > 0)
		checks_run_not_checked(run, "%s", note_text(unchecked));
	else
		checks_run_pass(run, "%s", note_text(passed));
out:
	g_string_free(unchecked, TRUE);
	g_string_free(passed, TRUE);
	g_ptr_array_unref(letters);
}

static const char *const auth_keys[] = {
    "document",	       "region",      "scope",	    "period",
    "valid_from",      "valid_until", "cover_from", "cover_to",
    "region_includes", "open_ended",  NULL};

const ChecksKind checks_kind_authorization = {"authorization", auth_keys,
					      auth_parse, auth_free, auth_run};

/* ---- cert_valid --------------------------------------------------------- */

typedef struct {
	char **types;
	GHashTable *names; /* type -> Chinese name, from name.<type> */
	ChecksSource *during_from, *during_to;
	/* A later valid_from: an error, or a warning where a renewed
	 * certificate's issue date is the usual reason; and what to tell
	 * the reviewer then. */
	CoreSeverity from_severity;
	char *from_hint;
	char *from_hint_en; /* the same in English, or NULL */
} CertValid;

static void
cert_free(gpointer p)
{
	CertValid *c = p;

	g_strfreev(c->types);
	g_hash_table_unref(c->names);
	checks_source_free(c->during_from);
	checks_source_free(c->during_to);
	g_free(c->from_hint);
	g_free(c->from_hint_en);
	g_free(c);
}

static gboolean
cert_from_keys(GKeyFile *kf, const char *group, const char *where, CertValid *c,
	       GError **error)
{
	char *sev = g_key_file_get_string(kf, group, "from_severity", NULL);
	gboolean ok = TRUE;

	c->from_severity = CORE_SEVERITY_ERROR;
	if (sev != NULL && strcmp(g_strstrip(sev), "warning") == 0)
		c->from_severity = CORE_SEVERITY_WARNING;
	else if (sev != NULL && strcmp(sev, "error") != 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: from_severity must be error or warning, not "
			    "\"%s\"",
			    where, sev);
		ok = FALSE;
	}
	g_free(sev);
	c->from_hint = g_key_file_get_string(kf, group, "from_hint", NULL);
	if (c->from_hint != NULL)
		g_strstrip(c->from_hint);
	c->from_hint_en =
	    g_key_file_get_string(kf, group, "from_hint_en", NULL);
	if (c->from_hint_en != NULL)
		g_strstrip(c->from_hint_en);
	return ok;
}

static gpointer
cert_parse(GKeyFile *kf, const char *group, const char *where, GError **error)
{
	CertValid *c = g_new0(CertValid, 1);
	char *types = g_key_file_get_string(kf, group, "types", NULL);
	char **keys = g_key_file_get_keys(kf, group, NULL, NULL);

	c->names =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
		if (g_str_has_prefix(keys[i], "name."))
			g_hash_table_insert(c->names, g_strdup(keys[i] + 5),
					    g_strstrip(g_key_file_get_string(
						kf, group, keys[i], NULL)));
	g_strfreev(keys);
	if (types == NULL || *g_strstrip(types) == '\0') {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: key \"types\" is required", where);
		goto fail;
	}
	c->types = g_strsplit(types, ";", -1);
	for (guint i = 0; c->types[i] != NULL; i++)
		g_strstrip(c->types[i]);
	if (!cert_from_keys(kf, group, where, c, error) ||
	    !checks_key_source(kf, group, "during_from", where, TRUE,
			       &c->during_from, error) ||
	    !checks_key_source(kf, group, "during_to", where, TRUE,
			       &c->during_to, error))
		goto fail;
	g_free(types);
	return c;
fail:
	g_free(types);
	cert_free(c);
	return NULL;
}

/* The certificate as messages name it; in English (EN) by its type id. */
static char *
cert_name(const CertValid *c, const CoreDocument *doc, gboolean en)
{
	const char *name = g_hash_table_lookup(c->names, doc->type);
	const char *number = core_document_get_field(doc, "number");
	const char *holder = core_document_get_field(doc, "holder");
	GString *s = g_string_new(name != NULL && !en ? name : doc->type);

	if (en) {
		if (number != NULL || holder != NULL)
			g_string_append_printf(
			    s, " (%s%s%s%s)", number != NULL ? "no. " : "",
			    number != NULL ? number : "",
			    number != NULL && holder != NULL ? ", " : "",
			    holder != NULL ? holder : "");
		return g_string_free(s, FALSE);
	}

	if (number != NULL || holder != NULL) {
		g_string_append(s, "（");
		if (number != NULL)
			g_string_append_printf(s, "编号%s", number);
		if (holder != NULL)
			g_string_append_printf(
			    s, "%s%s", number != NULL ? "，" : "", holder);
		g_string_append(s, "）");
	}
	return g_string_free(s, FALSE);
}

typedef struct {
	const CertValid *c;
	ChecksRun *run;
	ChecksValue vf, vt; /* the service dates and where they came from */
	GDate from, to;
	GString *unchecked; /* certificates whose validity was not read */
	GString *results;   /* each certificate's result, for the note */
} CertRun;

static void cert_fail(CertRun *cr, const CoreDocument *doc,
		      const ChecksValue *when, CoreSeverity severity,
		      const char *msg_en, const char *fmt, ...)
    G_GNUC_PRINTF(6, 7);

/* A failure of certificate DOC on the service date WHEN; refs both.
 * MSG_EN: the same in English. */
static void
cert_fail(CertRun *cr, const CoreDocument *doc, const ChecksValue *when,
	  CoreSeverity severity, const char *msg_en, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	CoreFinding *f;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	f = checks_run_fail_as(cr->run, NULL, severity, "%s", msg);
	core_finding_set_english(f, "%s", msg_en);
	checks_run_ref(cr->run, f, doc);
	checks_run_ref(cr->run, f, when->doc);
	g_string_append_printf(cr->results, "%s；", msg);
	g_free(msg);
}

static void
cert_one(CertRun *cr, const CoreDocument *doc)
{
	char *name = cert_name(cr->c, doc, FALSE);
	char *name_en = cert_name(cr->c, doc, TRUE);
	GDate until, vfrom;
	gboolean has_until = checks_date_parse(
	    core_document_get_field(doc, "valid_until"), &until);
	gboolean has_from = checks_date_parse(
	    core_document_get_field(doc, "valid_from"), &vfrom);
	char *tu = has_until ? checks_date_text(&until) : NULL;
	char *tf = has_from ? checks_date_text(&vfrom) : NULL;
	char *sf = checks_date_text(&cr->from), *st = checks_date_text(&cr->to);
	gboolean bad = FALSE;

	checks_run_ref(cr->run, NULL, doc);
	if (!has_until) {
		g_string_append_printf(cr->unchecked,
				       "%s：未读出有效期截止日期；", name);
		g_string_append_printf(
		    cr->results, "%s：未读出有效期截止日期，未核对；", name);
	} else if (g_date_compare(&until, &cr->to) < 0) {
		/* Name the earliest service date it had already expired
		 * on: lapsed before the signing says more than at the
		 * acceptance. */
		gboolean before = g_date_compare(&until, &cr->from) < 0;

		const ChecksValue *when = before ? &cr->vf : &cr->vt;

		char *ue = checks_date_text_en(&until);
		char *we = checks_date_text_en(before ? &cr->from : &cr->to);
		char *en = g_strdup_printf(
		    "%s is valid until %s: it had expired by the %s (%s)",
		    name_en, ue, date_role_in(when, TRUE), we);

		cert_fail(cr, doc, when, cr->run->rule->severity, en,
			  "%s有效期至%s，%s（%s）时已过期", name, tu,
			  date_role(when), before ? sf : st);
		g_free(ue);
		g_free(we);
		g_free(en);
		bad = TRUE;
	}
	if (has_from && g_date_compare(&vfrom, &cr->from) > 0) {
		char *fe = checks_date_text_en(&vfrom);
		char *se = checks_date_text_en(&cr->from);
		char *en = g_strdup_printf(
		    "%s is valid from %s: it was not yet valid at the %s "
		    "(%s)%s%s",
		    name_en, fe, date_role_in(&cr->vf, TRUE), se,
		    cr->c->from_hint_en != NULL ? "; " : "",
		    cr->c->from_hint_en != NULL ? cr->c->from_hint_en : "");

		cert_fail(cr, doc, &cr->vf, cr->c->from_severity, en,
			  "%s自%s起有效，%s（%s）时尚未生效%s%s", name, tf,
			  date_role(&cr->vf), sf,
			  cr->c->from_hint != NULL ? "；" : "",
			  cr->c->from_hint != NULL ? cr->c->from_hint : "");
		g_free(fe);
		g_free(se);
		g_free(en);
		bad = TRUE;
	}
	if (has_until && !bad)
		g_string_append_printf(cr->results, "%s有效期至%s，%s时有效；",
				       name, tu, date_role(&cr->vt));
	g_free(name);
	g_free(name_en);
	g_free(tu);
	g_free(tf);
	g_free(sf);
	g_free(st);
}

static void
cert_run(const ChecksRule *rule, const ChecksInput *in, ChecksRun *run)
{
	const CertValid *c = rule->params;
	CertRun cr = {
	    c, run, {0}, {0}, {0}, {0}, g_string_new(NULL), g_string_new(NULL)};
	ChecksOutcome *o = run->outcome;
	GPtrArray *docs = g_ptr_array_new();
	GString *names = g_string_new(NULL);

	for (guint i = 0; c->types[i] != NULL; i++) {
		GPtrArray *of = checks_documents_of(in, c->types[i]);
		const char *n = g_hash_table_lookup(c->names, c->types[i]);

		g_string_append_printf(names, "%s%s", names->len ? "、" : "",
				       n != NULL ? n : c->types[i]);
		for (guint j = 0; j < of->len; j++)
			g_ptr_array_add(docs, g_ptr_array_index(of, j));
		g_ptr_array_unref(of);
	}
	if (docs->len == 0)
		checks_run_not_applicable(run, "本申报无%s", names->str);
	else if (!value_date(c->during_from, in, &cr.vf, &cr.from) ||
		 !value_date(c->during_to, in, &cr.vt, &cr.to))
		checks_run_not_checked(
		    run, "缺少服务日期，无法核对证书有效期（查找了 %s；%s）",
		    checks_source_text(c->during_from),
		    checks_source_text(c->during_to));
	else {
		for (guint i = 0; i < docs->len; i++)
			cert_one(&cr, g_ptr_array_index(docs, i));
		/* The note lists every certificate, also when one failed:
		 * the reviewer sees which were read and which were not. */
		if (o->status == CHECKS_FAILED) {
			g_free(o->note);
			o->note = g_strdup(note_text(cr.results));
		} else if (cr.unchecked->len > 0) {
			checks_run_not_checked(run, "%s",
					       note_text(cr.results));
		} else {
			checks_run_pass(run, "%s", note_text(cr.results));
		}
	}
	g_string_free(cr.unchecked, TRUE);
	g_string_free(cr.results, TRUE);
	g_string_free(names, TRUE);
	g_ptr_array_unref(docs);
}

static const char *const cert_keys[] = {
    "types",	     "during_from", "during_to",    "name.*",
    "from_severity", "from_hint",   "from_hint_en", NULL};

const ChecksKind checks_kind_cert_valid = {"cert_valid", cert_keys, cert_parse,
					   cert_free, cert_run};
