/* scope.c - what the voucher may pay for: a count within its limit
 * (count_limit: trainees per enterprise and class), and no service the
 * guide excludes (excluded_service: patent agency, system O&M; consulting
 * alone in directions 9 and 11, which documents can only hint at, so a
 * warning). */
#include <stdlib.h>
#include <string.h>

#include "checks/checks_int.h"

/* ---- count_limit ------------------------------------------------------- */

typedef struct {
	ChecksSource *count;
	int max;
	char *subject; /* 参训人数 */
	char *unit;    /* 人 */
	GHashTable *docs;
} CountLimit;

static void
count_limit_free(gpointer p)
{
	CountLimit *cl = p;

	checks_source_free(cl->count);
	g_free(cl->subject);
	g_free(cl->unit);
	g_hash_table_unref(cl->docs);
	g_free(cl);
}

static gpointer
count_limit_parse(GKeyFile *kf, const char *group, const char *where,
		  GError **error)
{
	CountLimit *cl = g_new0(CountLimit, 1);
	char *max = g_key_file_get_string(kf, group, "max", NULL);
	char *end = NULL;
	long v = max != NULL ? strtol(g_strstrip(max), &end, 10) : -1;

	cl->docs = checks_key_labels(kf, group, "doc");
	cl->subject = checks_key_string(kf, group, "subject", "数量");
	cl->unit = checks_key_string(kf, group, "unit", "");
	if (max == NULL || end == max || *end != '\0' || v < 0 ||
	    v > G_MAXINT) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: key \"max\" must be a whole number, not "
			    "\"%s\"",
			    where, max != NULL ? max : "");
		g_free(max);
		count_limit_free(cl);
		return NULL;
	}
	g_free(max);
	cl->max = (int)v;
	if (!checks_key_source(kf, group, "count", where, TRUE, &cl->count,
			       error)) {
		count_limit_free(cl);
		return NULL;
	}
	return cl;
}

static gboolean
parse_count(const char *text, int *out)
{
	char *end = NULL;
	long v = strtol(text, &end, 10);

	if (end == text || *end != '\0' || v < 0 || v > 100000)
		return FALSE;
	*out = (int)v;
	return TRUE;
}

static void
count_limit_run(const ChecksRule *rule, const ChecksInput *in, ChecksRun *run)
{
	const CountLimit *cl = rule->params;
	GArray *all = checks_source_all(cl->count, in);
	const ChecksValue *worst = NULL;
	int most = -1;

	/* several papers may say it (the list, the sign-in sheet): the
	 * highest count is the one the limit is about */
	for (guint i = 0; i < all->len; i++) {
		const ChecksValue *v = &g_array_index(all, ChecksValue, i);
		int n;

		if (v->doc != NULL)
			checks_run_ref(run, NULL, v->doc);
		if (parse_count(v->value, &n) && n > most) {
			most = n;
			worst = v;
		}
	}
	if (worst == NULL) {
		checks_run_not_checked(run, "未声明%s，材料上也未读出（%s）",
				       cl->subject,
				       checks_source_text(cl->count));
	} else if (most > cl->max) {
		char *ref =
		    worst->doc != NULL ? core_document_ref(worst->doc) : NULL;
		CoreFinding *f = checks_run_fail(
		    run, "%s%d%s（%s%s%s）超过上限%d%s", cl->subject, most,
		    cl->unit,
		    worst->doc != NULL
			? checks_label(cl->docs, worst->doc->type)
			: "claim.json",
		    ref != NULL ? " " : "", ref != NULL ? ref : "", cl->max,
		    cl->unit);
		char *field_en = g_strdelimit(
		    g_strdup(worst->field != NULL ? worst->field : "items"),
		    "_.", ' ');

		core_finding_set_english(
		    f, "The number of %s, %d (%s%s%s), exceeds the limit of %d",
		    field_en, most,
		    worst->doc != NULL ? worst->doc->type : "claim.json",
		    ref != NULL ? " " : "", ref != NULL ? ref : "", cl->max);
		g_free(field_en);
		GPtrArray *docs = checks_source_documents(cl->count, in);

		/* the papers that list the people, where a reviewer counts */
		for (guint i = 0; i < docs->len; i++)
			checks_run_ref(run, f, g_ptr_array_index(docs, i));
		g_ptr_array_unref(docs);
		g_free(ref);
	} else {
		checks_run_pass(run, "%s%d%s，不超过%d%s", cl->subject, most,
				cl->unit, cl->max, cl->unit);
	}
	g_array_unref(all);
}

static const char *const count_limit_keys[] = {"count", "max",	 "subject",
					       "unit",	"doc.*", NULL};

const ChecksKind checks_kind_count_limit = {"count_limit", count_limit_keys,
					    count_limit_parse, count_limit_free,
					    count_limit_run};

/* ---- excluded_service -------------------------------------------------- */

typedef struct {
	char *name;
	GRegex *re;
	char *reason;	 /* Chinese: what it is and where the guide says so */
	char *reason_en; /* the same in English */
	char *only;	 /* direction spec, or NULL: every direction */
} Excluded;

typedef struct {
	GPtrArray *fields; /* ChecksSource* */
	char **line_types; /* documents whose labelled lines are read */
	GRegex *line_label;
	GHashTable *type_label; /* type -> GRegex: line_label.TYPE */
	GArray *excluded;	/* Excluded */
	/* consulting alone: a warning where the item only says consulting
	 * and the certificate the service was to obtain is not there */
	GRegex *consulting;
	ChecksSource *consulting_field;
	char *consulting_only;
	char **consulting_unless;
	char *consulting_reason;
	GHashTable *docs;
} ExcludedService;

static void
excluded_clear(Excluded *e)
{
	g_free(e->name);
	if (e->re != NULL)
		g_regex_unref(e->re);
	g_free(e->reason);
	g_free(e->reason_en);
	g_free(e->only);
}

static void
excluded_service_free(gpointer p)
{
	ExcludedService *es = p;

	g_clear_pointer(&es->fields, g_ptr_array_unref);
	g_strfreev(es->line_types);
	g_clear_pointer(&es->line_label, g_regex_unref);
	g_clear_pointer(&es->type_label, g_hash_table_unref);
	g_array_unref(es->excluded);
	g_clear_pointer(&es->consulting, g_regex_unref);
	checks_source_free(es->consulting_field);
	g_free(es->consulting_only);
	g_strfreev(es->consulting_unless);
	g_free(es->consulting_reason);
	g_hash_table_unref(es->docs);
	g_free(es);
}

static gboolean
excluded_read(GKeyFile *kf, const char *group, const char *where,
	      ExcludedService *es, GError **error)
{
	char **keys = g_key_file_get_keys(kf, group, NULL, NULL);
	gboolean ok = TRUE;

	for (guint i = 0; keys != NULL && keys[i] != NULL && ok; i++) {
		Excluded e = {0};
		char *k;

		if (!g_str_has_prefix(keys[i], "pattern."))
			continue;
		e.name = g_strdup(keys[i] + 8);
		e.re = checks_key_regex(kf, group, keys[i], where,
					G_REGEX_CASELESS, FALSE, error);
		k = g_strdup_printf("reason.%s", e.name);
		e.reason = checks_key_string(kf, group, k, e.name);
		g_free(k);
		k = g_strdup_printf("reason_en.%s", e.name);
		e.reason_en = checks_key_string(kf, group, k, NULL);
		if (e.reason_en == NULL)
			e.reason_en = g_strdup_printf(
			    "services of the excluded kind \"%s\" are not "
			    "supported",
			    e.name);
		g_free(k);
		k = g_strdup_printf("only.%s", e.name);
		e.only = g_key_file_get_string(kf, group, k, NULL);
		if (e.only != NULL)
			g_strstrip(e.only);
		g_free(k);
		ok = e.re != NULL;
		g_array_append_val(es->excluded, e);
	}
	g_strfreev(keys);
	if (ok && es->excluded->len == 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: give at least one \"pattern.<name>\"", where);
		ok = FALSE;
	}
	return ok;
}

static gboolean
consulting_read(GKeyFile *kf, const char *group, const char *where,
		ExcludedService *es, GError **error)
{
	char *unless;

	if (!g_key_file_has_key(kf, group, "consulting.pattern", NULL))
		return TRUE;
	es->consulting =
	    checks_key_regex(kf, group, "consulting.pattern", where,
			     G_REGEX_CASELESS, FALSE, error);
	if (es->consulting == NULL ||
	    !checks_key_source(kf, group, "consulting.field", where, TRUE,
			       &es->consulting_field, error))
		return FALSE;
	es->consulting_only =
	    g_key_file_get_string(kf, group, "consulting.only", NULL);
	if (es->consulting_only != NULL)
		g_strstrip(es->consulting_only);
	unless = g_key_file_get_string(kf, group, "consulting.unless", NULL);
	es->consulting_unless = checks_split_list(unless);
	g_free(unless);
	es->consulting_reason = checks_key_string(
	    kf, group, "consulting.reason", "仅业务咨询不在支持范围内");
	return TRUE;
}

static gpointer
excluded_service_parse(GKeyFile *kf, const char *group, const char *where,
		       GError **error)
{
	ExcludedService *es = g_new0(ExcludedService, 1);
	char *lines = g_key_file_get_string(kf, group, "lines", NULL);

	es->docs = checks_key_labels(kf, group, "doc");
	es->excluded = g_array_new(FALSE, TRUE, sizeof(Excluded));
	g_array_set_clear_func(es->excluded, (GDestroyNotify)excluded_clear);
	es->line_types = checks_split_list(lines);
	g_free(lines);
	if (!checks_key_source_list(kf, group, "fields", where, TRUE,
				    &es->fields, error) ||
	    !excluded_read(kf, group, where, es, error) ||
	    !consulting_read(kf, group, where, es, error))
		goto fail;
	es->type_label = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					       (GDestroyNotify)g_regex_unref);
	for (guint i = 0; es->line_types[i] != NULL; i++) {
		char *key = g_strdup_printf("line_label.%s", es->line_types[i]);
		GRegex *re = checks_key_regex(
		    kf, group, key, where, G_REGEX_CASELESS | G_REGEX_MULTILINE,
		    FALSE, error);

		g_free(key);
		if (re != NULL)
			g_hash_table_insert(es->type_label,
					    g_strdup(es->line_types[i]), re);
		else if (error != NULL && *error != NULL)
			goto fail;
	}
	if (es->line_types[0] != NULL &&
	    g_hash_table_size(es->type_label) < g_strv_length(es->line_types)) {
		es->line_label = checks_key_regex(
		    kf, group, "line_label", where,
		    G_REGEX_CASELESS | G_REGEX_MULTILINE, FALSE, error);
		if (es->line_label == NULL) {
			if (error != NULL && *error == NULL)
				g_set_error(
				    error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: \"lines\" needs \"line_label\"",
				    where);
			goto fail;
		}
	}
	return es;
fail:
	excluded_service_free(es);
	return NULL;
}

/* A text a service is named in, and where. */
typedef struct {
	char *text;
	char *where; /* 产品名称 / 发票（file#1）的 item */
	const CoreDocument *doc;
	char *where_en; /* the declared product name / invoice (file#1) */
} Named;

static void
named_clear(Named *n)
{
	g_free(n->text);
	g_free(n->where);
	g_free(n->where_en);
}

static void
collect_fields(const ExcludedService *es, const ChecksInput *in, GArray *out)
{
	for (guint i = 0; i < es->fields->len; i++) {
		GArray *all =
		    checks_source_all(g_ptr_array_index(es->fields, i), in);

		for (guint k = 0; k < all->len; k++) {
			const ChecksValue *v =
			    &g_array_index(all, ChecksValue, k);
			Named n = {core_text_normalize(v->value), NULL, v->doc,
				   NULL};
			char *ref =
			    v->doc != NULL ? core_document_ref(v->doc) : NULL;

			n.where =
			    v->doc != NULL
				? g_strdup_printf(
				      "%s（%s）",
				      checks_label(es->docs, v->doc->type), ref)
				: g_strdup(checks_label(es->docs, v->field));
			if (v->doc != NULL)
				n.where_en = g_strdup_printf("%s (%s)",
							     v->doc->type, ref);
			else
				n.where_en = g_strdelimit(
				    g_strdup_printf("the declared %s",
						    v->field),
				    "_.", ' ');
			g_array_append_val(out, n);
			g_free(ref);
		}
		g_array_unref(all);
	}
}

/* The labelled lines (项目名称：…) of the documents of LINE_TYPES. */
static void
collect_lines(const ExcludedService *es, const ChecksInput *in, GArray *out)
{
	for (guint d = 0; es->line_types[0] != NULL && in->documents != NULL &&
			  d < in->documents->len;
	     d++) {
		const CoreDocument *doc = g_ptr_array_index(in->documents, d);
		const GRegex *label;

		if (doc->type == NULL ||
		    !g_strv_contains((const char *const *)es->line_types,
				     doc->type))
			continue;
		label = g_hash_table_lookup(es->type_label, doc->type);
		if (label == NULL)
			label = es->line_label;
		for (guint i = 0; in->pages != NULL && i < in->pages->len;
		     i++) {
			const CorePage *pg = g_ptr_array_index(in->pages, i);
			gboolean mine = FALSE;
			char *text;
			GMatchInfo *mi = NULL;

			if (g_strcmp0(pg->file, doc->file) != 0)
				continue;
			for (guint k = 0; k < doc->pages->len && !mine; k++)
				mine = g_array_index(doc->pages, int, k) ==
				       pg->page;
			if (!mine)
				continue;
			text = core_text_normalize(pg->text);
			g_regex_match(label, text, 0, &mi);
			while (g_match_info_matches(mi)) {
				char *v = g_match_info_fetch_named(mi, "v");
				char *ref = core_ref(pg->file, pg->page);
				Named n = {
				    v != NULL ? v : g_strdup(""),
				    g_strdup_printf(
					"%s（%s）",
					checks_label(es->docs, doc->type), ref),
				    doc,
				    g_strdup_printf("%s (%s)", doc->type, ref)};

				g_array_append_val(out, n);
				g_free(ref);
				g_match_info_next(mi, NULL);
			}
			g_match_info_free(mi);
			g_free(text);
		}
	}
}

/* The consulting-only hint: every value of the field is consulting, and
 * none of the papers the service was to obtain is there. */
static void
consulting_check(const ExcludedService *es, const ChecksInput *in,
		 ChecksRun *run, const char *direction)
{
	GArray *all;
	gboolean only_consulting;
	GString *items, *items_en;

	if (es->consulting == NULL ||
	    !checks_direction_in(es->consulting_only, direction))
		return;
	for (guint i = 0; es->consulting_unless[i] != NULL; i++) {
		GPtrArray *docs =
		    checks_documents_of(in, es->consulting_unless[i]);
		guint n = docs->len;

		g_ptr_array_unref(docs);
		if (n > 0)
			return;
	}
	all = checks_source_all(es->consulting_field, in);
	only_consulting = all->len > 0;
	items = g_string_new(NULL);
	items_en = g_string_new(NULL);
	for (guint i = 0; i < all->len && only_consulting; i++) {
		const ChecksValue *v = &g_array_index(all, ChecksValue, i);

		only_consulting =
		    g_regex_match(es->consulting, v->value, 0, NULL);
		g_string_append_printf(items, "%s「%s」", i > 0 ? "、" : "",
				       v->value);
		g_string_append_printf(items_en, "%s\"%s\"", i > 0 ? ", " : "",
				       v->value);
	}
	if (only_consulting) {
		CoreFinding *f = checks_run_fail_as(
		    run, NULL, CORE_SEVERITY_WARNING,
		    "发票项目%s仅为咨询服务，且未见服务取得的证书或认定文件："
		    "%s，请核对服务是否帮助企业取得了最终认证",
		    items->str, es->consulting_reason);

		core_finding_set_english(
		    f,
		    "The invoice items %s are consulting services only, and no "
		    "certificate or recognition document the service was to "
		    "obtain was found: consulting alone is not supported, the "
		    "service must help the enterprise obtain the final "
		    "recognition or certification; please check whether it "
		    "did",
		    items_en->str);

		for (guint i = 0; i < all->len; i++)
			checks_run_ref(run, f,
				       g_array_index(all, ChecksValue, i).doc);
	}
	g_string_free(items_en, TRUE);
	g_string_free(items, TRUE);
	g_array_unref(all);
}

static void
excluded_service_run(const ChecksRule *rule, const ChecksInput *in,
		     ChecksRun *run)
{
	const ExcludedService *es = rule->params;
	const char *direction = checks_claim_value(in->claim, "direction");
	GArray *named = g_array_new(FALSE, TRUE, sizeof(Named));

	g_array_set_clear_func(named, (GDestroyNotify)named_clear);
	collect_fields(es, in, named);
	collect_lines(es, in, named);
	for (guint i = 0; i < named->len; i++) {
		const Named *n = &g_array_index(named, Named, i);

		if (n->doc != NULL)
			checks_run_ref(run, NULL, n->doc);
		for (guint k = 0; k < es->excluded->len; k++) {
			const Excluded *e =
			    &g_array_index(es->excluded, Excluded, k);
			GMatchInfo *mi = NULL;

			if (!checks_direction_in(e->only, direction))
				continue;
			if (g_regex_match(e->re, n->text, 0, &mi)) {
				char *hit = g_match_info_fetch(mi, 0);
				CoreFinding *f = checks_run_fail(
				    run, "%s「%s」含「%s」：%s", n->where,
				    n->text, hit, e->reason);

				core_finding_set_english(
				    f, "%s \"%s\" contains \"%s\": %s",
				    n->where_en, n->text, hit, e->reason_en);

				if (n->doc != NULL)
					checks_run_ref(run, f, n->doc);
				g_free(hit);
			}
			g_match_info_free(mi);
		}
	}
	consulting_check(es, in, run, direction);
	if (run->outcome->status != CHECKS_FAILED) {
		if (named->len == 0)
			checks_run_not_checked(
			    run, "未声明产品名称，发票、合同上也未"
				 "读出服务项目，无法核对");
		else
			checks_run_pass(run,
					"核对%u处服务名称（产品名称、发票项目、"
					"合同及验收单项目名称），未见不予支持的"
					"服务",
					named->len);
	}
	g_array_unref(named);
}

static const char *const excluded_service_keys[] = {"fields",
						    "lines",
						    "line_label",
						    "line_label.*",
						    "pattern.*",
						    "reason.*",
						    "reason_en.*",
						    "only.*",
						    "consulting.pattern",
						    "consulting.field",
						    "consulting.only",
						    "consulting.unless",
						    "consulting.reason",
						    "doc.*",
						    NULL};

const ChecksKind checks_kind_excluded_service = {
    "excluded_service", excluded_service_keys, excluded_service_parse,
    excluded_service_free, excluded_service_run};
