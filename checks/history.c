/* history.c - the rules across claims, against the store: the same
 * evidence in another claim (duplicate), too many contracts between the
 * same parties or in the same field (contract_limit), and yearly voucher
 * quotas and caps (quota). Another claim is another claim id, as its
 * LATEST scan recorded it: a claim scanned again is never its own
 * duplicate, and a superseded scan says nothing. The claim's facts and
 * keys are taken as the store records them (store_facts_collect,
 * store_keys_collect), so both sides of a comparison are read alike. */
#include <stdlib.h>
#include <string.h>

#include "checks/checks_int.h"

#define NO_STORE "未使用存储库，无法比对其他申报"

/* ---- shared ----------------------------------------------------------- */

static gboolean
get_int(GKeyFile *kf, const char *group, const char *key, const char *where,
	gboolean required, int min, int *out, GError **error)
{
	GError *e = NULL;
	int v;

	if (!g_key_file_has_key(kf, group, key, NULL)) {
		if (required)
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: key \"%s\" is required", where, key);
		return !required;
	}
	v = g_key_file_get_integer(kf, group, key, &e);
	if (e != NULL || v < min) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: %s must be a whole number of at least %d",
			    where, key, min);
		g_clear_error(&e);
		return FALSE;
	}
	*out = v;
	return TRUE;
}

/* The claim id compared on: every other claim id is another claim. */
static const char *
own_claim_id(const ChecksInput *in)
{
	if (in->claim_id != NULL)
		return in->claim_id;
	return in->claim != NULL ? in->claim->claim_id : NULL;
}

/* FALSE with the outcome not_checked when there is nothing to compare
 * with. */
static gboolean
history_ready(const ChecksInput *in, ChecksRun *run)
{
	if (in->store == NULL) {
		checks_run_not_checked(run, NO_STORE);
		return FALSE;
	}
	if (own_claim_id(in) == NULL) {
		checks_run_not_checked(run, "申报编号（claim_id）未知，"
					    "无法区分本申报与其他申报");
		return FALSE;
	}
	return TRUE;
}

static StoreFacts *
own_facts(const ChecksInput *in)
{
	CoreClaim *empty = NULL;
	StoreFacts *f;

	if (in->claim == NULL)
		empty = core_claim_new();
	f = store_facts_collect(in->claim != NULL ? in->claim : empty,
				in->documents);
	core_claim_free(empty);
	return f;
}

static gboolean
known(const char *v)
{
	return v != NULL && *v != '\0';
}

/* Whether two parties are the same: by credit code when both have one
 * (upper case, no spaces), else by name as checks_name_key compares
 * names. FALSE when either is unknown. */
static gboolean
same_party(const char *name_a, const char *code_a, const char *name_b,
	   const char *code_b)
{
	gboolean same = FALSE;

	if (known(code_a) && known(code_b)) {
		char *a = g_ascii_strup(code_a, -1);
		char *b = g_ascii_strup(code_b, -1);

		same = strcmp(g_strstrip(a), g_strstrip(b)) == 0;
		g_free(a);
		g_free(b);
	} else if (known(name_a) && known(name_b)) {
		char *a = checks_name_key(name_a);
		char *b = checks_name_key(name_b);

		same = *a != '\0' && strcmp(a, b) == 0;
		g_free(a);
		g_free(b);
	}
	return same;
}

static gboolean
has_party(const char *name, const char *code)
{
	return known(name) || known(code);
}

/* The contract documents of the claim, as refs of a finding about its
 * contract. */
static void
ref_contracts(ChecksRun *run, CoreFinding *finding, const ChecksInput *in)
{
	GPtrArray *docs = checks_documents_of(in, "contract");

	for (guint i = 0; i < docs->len; i++)
		checks_run_ref(run, finding, g_ptr_array_index(docs, i));
	g_ptr_array_unref(docs);
}

static void
list_append(GString *list, const char *sep, const char *item)
{
	if (list->len > 0)
		g_string_append(list, sep);
	g_string_append(list, item);
}

/* ---- duplicate ----------------------------------------------------------
 * Keys: phash_max_distance (bits a page image may differ by and still be
 * the same page), text_min_chars (a text-layer page with less text is not
 * compared), skip_types (document types a provider rightly gives every
 * claim, such as its own certificates: not compared), phash_types (the
 * types whose page images are compared; left out: every type). */

typedef struct {
	int phash_max;
	int text_min;
	char **skip_types;
	char **phash_types; /* NULL: every type */
} Duplicate;

static const char *const duplicate_keys[] = {
    "phash_max_distance", "text_min_chars", "skip_types", "phash_types", NULL};

static void
duplicate_free(gpointer p)
{
	Duplicate *d = p;

	if (d == NULL)
		return;
	g_strfreev(d->skip_types);
	g_strfreev(d->phash_types);
	g_free(d);
}

static gpointer
duplicate_parse(GKeyFile *kf, const char *group, const char *where,
		GError **error)
{
	Duplicate *d = g_new0(Duplicate, 1);

	if (!get_int(kf, group, "phash_max_distance", where, TRUE, 0,
		     &d->phash_max, error) ||
	    !get_int(kf, group, "text_min_chars", where, TRUE,
		     STORE_TEXT_KEY_MIN_CHARS, &d->text_min, error)) {
		duplicate_free(d);
		return NULL;
	}
	d->skip_types = checks_key_list(kf, group, "skip_types");
	d->phash_types = checks_key_list(kf, group, "phash_types");
	return d;
}

/* The comparison of one claim's keys, and what was already reported so
 * that one reused file is one finding, not one per page and key. */
typedef struct {
	const Duplicate *params;
	const ChecksInput *in;
	ChecksRun *run;
	GPtrArray *phashes; /* StoreKey* of other claims, fetched on need */
	GHashTable *told;   /* "other\037file" or "other\037file#page" */
	GError *error;
} Dup;

static const char *
key_label(const char *kind, gboolean en)
{
	if (strcmp(kind, STORE_KEY_INVOICE) == 0)
		return en ? "Invoice number" : "发票号码";
	if (strcmp(kind, STORE_KEY_SERIAL) == 0)
		return en ? "Bank transaction serial" : "银行流水号";
	return "";
}

static gboolean
told(Dup *d, const char *other, const char *file, int page)
{
	char *whole = g_strdup_printf("%s\037%s", other, file);
	char *one = g_strdup_printf("%s\037%s#%d", other, file, page);
	gboolean seen = g_hash_table_contains(d->told, whole) ||
			(page > 0 && g_hash_table_contains(d->told, one));

	g_free(whole);
	g_free(one);
	return seen;
}

/* Remember OWN reported against OTHER: a whole file, or one page (and
 * that its file was touched, so the whole file is not reported again). */
static void
tell(Dup *d, const char *other, const char *file, int page)
{
	g_hash_table_add(d->told, g_strdup_printf("%s\037%s", other, file));
	if (page > 0)
		g_hash_table_add(
		    d->told, g_strdup_printf("%s\037%s#%d", other, file, page));
}

static void
report(Dup *d, const StoreKey *own, const StoreKey *other, int distance)
{
	char *own_ref = core_ref(own->file, own->page);
	char *other_ref = core_ref(other->file, other->page);
	CoreFinding *f;

	if (strcmp(own->kind, STORE_KEY_FILE) == 0) {
		f = checks_run_fail(d->run,
				    "文件 %s 与申报 %s 的文件 %s 内容相同",
				    own_ref, other->claim_id, other_ref);
		core_finding_set_english(
		    f, "File %s has the same content as file %s of claim %s",
		    own_ref, other_ref, other->claim_id);
	} else if (strcmp(own->kind, STORE_KEY_TEXT) == 0) {
		/* Word for word is suspect, not proof: one enterprise's two
		 * projects may share a provider's boilerplate page. */
		f = checks_run_fail_as(d->run, NULL, CORE_SEVERITY_WARNING,
				       "页面 %s 的文字与申报 %s 的页面 %s "
				       "完全相同，请核实是否重复使用",
				       own_ref, other->claim_id, other_ref);
		core_finding_set_english(
		    f,
		    "The text of page %s is identical to page %s of claim %s; "
		    "check whether it was reused",
		    own_ref, other_ref, other->claim_id);
	} else if (strcmp(own->kind, STORE_KEY_PHASH) == 0) {
		f = checks_run_fail(
		    d->run,
		    "页面 %s 的图像与申报 %s 的页面 %s 为同一画面"
		    "（图像指纹 64 位中相差 %d 位：同一图片另存、压缩或"
		    "重新扫描）",
		    own_ref, other->claim_id, other_ref, distance);
		core_finding_set_english(
		    f,
		    "The image of page %s is the same picture as page %s of "
		    "claim %s (image fingerprints differ in %d of 64 bits: the "
		    "same image re-saved, compressed or rescanned)",
		    own_ref, other_ref, other->claim_id, distance);
	} else {
		f = checks_run_fail(d->run, "%s %s 已用于申报 %s（%s）",
				    key_label(own->kind, FALSE), own->value,
				    other->claim_id, other_ref);
		core_finding_set_english(f,
					 "%s %s was already used in claim "
					 "%s (%s)",
					 key_label(own->kind, TRUE), own->value,
					 other->claim_id, other_ref);
	}
	checks_run_ref_page(d->run, f, own->file, own->page);
	g_free(own_ref);
	g_free(other_ref);
}

/* Tell OWN against each of HITS, once per other claim. */
static void
report_hits(Dup *d, const StoreKey *own, GPtrArray *hits)
{
	for (guint i = 0; i < hits->len; i++) {
		const StoreKey *o = g_ptr_array_index(hits, i);

		if (told(d, o->claim_id, own->file, own->page))
			continue;
		report(d, own, o, 0);
		tell(d, o->claim_id, own->file, own->page);
	}
}

/* Whether pages of TYPE are compared by their image. */
static gboolean
phash_type(const Duplicate *p, const char *type)
{
	return p->phash_types == NULL ||
	       (type != NULL &&
		g_strv_contains((const char *const *)p->phash_types, type));
}

static void
compare_phash(Dup *d, const StoreKey *own)
{
	guint64 mine = store_phash_parse(own->value);

	if (d->phashes == NULL)
		d->phashes = store_history_phashes(
		    d->in->store, own_claim_id(d->in), &d->error);
	for (guint i = 0; d->phashes != NULL && i < d->phashes->len; i++) {
		const StoreKey *o = g_ptr_array_index(d->phashes, i);
		int dist =
		    store_phash_distance(mine, store_phash_parse(o->value));

		if (dist > d->params->phash_max ||
		    !phash_type(d->params, o->type) ||
		    told(d, o->claim_id, own->file, own->page))
			continue;
		report(d, own, o, dist);
		tell(d, o->claim_id, own->file, own->page);
	}
}

static gboolean
skipped(const Duplicate *p, const StoreKey *k)
{
	if (strcmp(k->kind, STORE_KEY_PHASH) == 0 && !phash_type(p, k->type))
		return TRUE;
	if (strcmp(k->kind, STORE_KEY_TEXT) == 0 && k->chars < p->text_min)
		return TRUE;
	return k->type != NULL && p->skip_types != NULL &&
	       g_strv_contains((const char *const *)p->skip_types, k->type);
}

static void
compare_key(Dup *d, const StoreKey *k)
{
	GPtrArray *hits;

	if (strcmp(k->kind, STORE_KEY_PHASH) == 0) {
		compare_phash(d, k);
		return;
	}
	hits = store_history_find_key(d->in->store, own_claim_id(d->in),
				      k->kind, k->value,
				      d->error == NULL ? &d->error : NULL);
	if (hits == NULL)
		return;
	report_hits(d, k, hits);
	g_ptr_array_unref(hits);
}

/* TEXT without its whitespace. Caller owns. */
static char *
squeeze(const char *text)
{
	GString *s = g_string_new(NULL);

	for (const char *c = text; *c != '\0'; c = g_utf8_next_char(c))
		if (!g_unichar_isspace(g_utf8_get_char(c)))
			g_string_append_unichar(s, g_utf8_get_char(c));
	return g_string_free(s, FALSE);
}

/* The "file#page" of the text-layer pages that name the enterprise (its
 * name or credit code). Only those are compared by their text: a page
 * written for this enterprise has no business in another claim, while a
 * page that names nobody (a contract's standard terms, the product's
 * description) is the provider's template and rightly the same in many
 * claims. */
static GHashTable *
naming_pages(const ChecksInput *in)
{
	GHashTable *set =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	StoreFacts *f = own_facts(in);
	char *norm = core_text_normalize(
	    f->enterprise_name != NULL ? f->enterprise_name : "");
	char *name = squeeze(norm);
	const char *code = f->enterprise_code;

	for (guint i = 0; in->pages != NULL && i < in->pages->len; i++) {
		const CorePage *p = g_ptr_array_index(in->pages, i);
		char *text;

		if (p->source != CORE_TEXT_PDF || p->text == NULL)
			continue;
		text = squeeze(p->text);
		if ((*name != '\0' && strstr(text, name) != NULL) ||
		    (known(code) && strstr(text, code) != NULL))
			g_hash_table_add(set, core_ref(p->file, p->page));
		g_free(text);
	}
	g_free(norm);
	g_free(name);
	store_facts_free(f);
	return set;
}

static gboolean
text_unnamed(GHashTable *naming, const StoreKey *k)
{
	char *ref;
	gboolean unnamed;

	if (strcmp(k->kind, STORE_KEY_TEXT) != 0)
		return FALSE;
	ref = core_ref(k->file, k->page);
	unnamed = !g_hash_table_contains(naming, ref);
	g_free(ref);
	return unnamed;
}

static void
duplicate_run(const ChecksRule *rule, const ChecksInput *in, ChecksRun *run)
{
	Dup d = {rule->params, in, run, NULL, NULL, NULL};
	GPtrArray *keys;
	GHashTable *naming;
	guint compared = 0;

	if (!history_ready(in, run))
		return;
	keys = store_keys_collect(in->documents, in->pages, in->files,
				  in->n_files);
	naming = naming_pages(in);
	d.told = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* Document keys first: "this invoice number is in claim X" is what
	 * a reviewer acts on, and it stands for its file's other keys. */
	for (guint i = 0; i < keys->len && d.error == NULL; i++) {
		const StoreKey *k = g_ptr_array_index(keys, i);

		if (skipped(d.params, k) || text_unnamed(naming, k))
			continue;
		compare_key(&d, k);
		compared++;
	}
	if (d.error != NULL)
		checks_run_not_checked(run, "读取存储库失败：%s",
				       d.error->message);
	else if (run->outcome->status != CHECKS_FAILED)
		checks_run_pass(run,
				"本申报的 %u 项证据（发票号码、银行流水号、"
				"文件、页面文字及图像指纹）均未见于其他申报",
				compared);
	g_clear_error(&d.error);
	g_hash_table_unref(d.told);
	g_hash_table_unref(naming);
	if (d.phashes != NULL)
		g_ptr_array_unref(d.phashes);
	g_ptr_array_unref(keys);
}

const ChecksKind checks_kind_duplicate = {"duplicate", duplicate_keys,
					  duplicate_parse, duplicate_free,
					  duplicate_run};

/* ---- contract_limit -----------------------------------------------------
 * Keys: same (what the other contracts share with this one: enterprise,
 * provider, direction, scene), max (contracts allowed, this one
 * included), within_months (only contracts signed that close to this
 * one's signing count; left out: any time). */

typedef enum {
	SAME_ENTERPRISE = 1 << 0,
	SAME_PROVIDER = 1 << 1,
	SAME_DIRECTION = 1 << 2,
	SAME_SCENE = 1 << 3
} Same;

typedef struct {
	guint same;
	int max;
	int within_months; /* 0: any time */
} Limit;

static const char *const limit_keys[] = {"same", "max", "within_months", NULL};

static gboolean
parse_same(GKeyFile *kf, const char *group, const char *where, guint *out,
	   GError **error)
{
	static const char *const names[] = {"enterprise", "provider",
					    "direction", "scene"};
	char **list = checks_key_list(kf, group, "same");
	gboolean ok = list != NULL && list[0] != NULL;

	*out = 0;
	if (!ok)
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: key \"same\" is required (enterprise; "
			    "provider; direction; scene)",
			    where);
	for (guint i = 0; ok && list[i] != NULL; i++) {
		guint j = 0;

		while (j < G_N_ELEMENTS(names) &&
		       strcmp(names[j], list[i]) != 0)
			j++;
		if (j == G_N_ELEMENTS(names)) {
			g_set_error(
			    error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: same: \"%s\" is not one of enterprise, "
			    "provider, direction, scene",
			    where, list[i]);
			ok = FALSE;
		}
		*out |= 1u << j;
	}
	g_strfreev(list);
	return ok;
}

static gpointer
limit_parse(GKeyFile *kf, const char *group, const char *where, GError **error)
{
	Limit *l = g_new0(Limit, 1);

	if (!parse_same(kf, group, where, &l->same, error) ||
	    !get_int(kf, group, "max", where, TRUE, 1, &l->max, error) ||
	    !get_int(kf, group, "within_months", where, FALSE, 1,
		     &l->within_months, error)) {
		g_free(l);
		return NULL;
	}
	return l;
}

/* What the rule needs of this claim and has not: "企业名称或统一社会信用
 * 代码、合同签订日期"; NULL when nothing is missing. Caller owns. */
static char *
limit_missing(const Limit *l, const StoreFacts *f)
{
	GString *m = g_string_new(NULL);

	if ((l->same & SAME_ENTERPRISE) &&
	    !has_party(f->enterprise_name, f->enterprise_code))
		list_append(m, "、", "企业名称或统一社会信用代码");
	if ((l->same & SAME_PROVIDER) &&
	    !has_party(f->provider_name, f->provider_code))
		list_append(m, "、", "服务商名称或统一社会信用代码");
	if ((l->same & (SAME_DIRECTION | SAME_SCENE)) && !known(f->direction))
		list_append(m, "、", "申报方向（direction）");
	if (l->within_months > 0 && !known(f->signed_on))
		list_append(m, "、", "合同签订日期");
	if (m->len == 0) {
		g_string_free(m, TRUE);
		return NULL;
	}
	return g_string_free(m, FALSE);
}

/* Whether OTHER's contract counts with this one's: -1 when it cannot be
 * told (a date it lacks), else TRUE or FALSE. A claim without a scene
 * is compared by its direction alone: a direction without scenes is its
 * own field (docs/rules.md). */
static int
limit_counts(const Limit *l, const StoreFacts *mine, const StoreFacts *o)
{
	GDate a, b, end;

	if ((l->same & SAME_ENTERPRISE) &&
	    !same_party(mine->enterprise_name, mine->enterprise_code,
			o->enterprise_name, o->enterprise_code))
		return FALSE;
	if ((l->same & SAME_PROVIDER) &&
	    !same_party(mine->provider_name, mine->provider_code,
			o->provider_name, o->provider_code))
		return FALSE;
	if ((l->same & SAME_DIRECTION) &&
	    g_strcmp0(mine->direction, o->direction) != 0)
		return FALSE;
	if ((l->same & SAME_SCENE) && known(mine->scene) && known(o->scene) &&
	    strcmp(mine->scene, o->scene) != 0)
		return FALSE;
	if (l->within_months == 0)
		return TRUE;
	if (!checks_date_parse(mine->signed_on, &a) ||
	    !checks_date_parse(o->signed_on, &b))
		return -1;
	/* Within N months of each other: the later is before the earlier
	 * plus N months. */
	if (g_date_compare(&a, &b) > 0) {
		GDate t = a;

		a = b;
		b = t;
	}
	checks_date_add_months(&a, l->within_months, &end);
	return g_date_compare(&b, &end) < 0;
}

static char *
party_text(const char *name, const char *code, gboolean en)
{
	if (known(name))
		return g_strdup(name);
	return g_strdup_printf(en ? "(credit code %s)" : "（信用代码 %s）",
			       code);
}

static char *
limit_scope(const Limit *l, const StoreFacts *f, gboolean en)
{
	GString *s = g_string_new(NULL);
	char *e = party_text(f->enterprise_name, f->enterprise_code, en);

	g_string_append_printf(s, en ? "Enterprise %s" : "企业 %s", e);
	g_free(e);
	if (l->same & SAME_PROVIDER) {
		char *p = party_text(f->provider_name, f->provider_code, en);

		g_string_append_printf(
		    s, en ? " with provider %s" : " 与服务商 %s", p);
		g_free(p);
	}
	if (l->same & (SAME_DIRECTION | SAME_SCENE))
		g_string_append_printf(s, en ? " in direction %s" : " 在方向%s",
				       f->direction);
	if ((l->same & SAME_SCENE) && known(f->scene))
		g_string_append_printf(s, en ? ", scene %s" : "场景%s",
				       f->scene);
	if (l->within_months > 0)
		g_string_append_printf(s,
				       en ? " within %d months" : " %d个月内",
				       l->within_months);
	return g_string_free(s, FALSE);
}

static void
limit_judge(const Limit *l, const ChecksInput *in, ChecksRun *run,
	    const StoreFacts *mine, GPtrArray *others)
{
	GString *hits = g_string_new(NULL), *hits_en = g_string_new(NULL);
	int n = 0, unknown = 0;
	char *scope = limit_scope(l, mine, FALSE);

	for (guint i = 0; i < others->len; i++) {
		const StoreOther *o = g_ptr_array_index(others, i);
		int c = limit_counts(l, mine, o->facts);

		if (c < 0) {
			unknown++;
		} else if (c) {
			char *item = g_strdup_printf(
			    "%s（签订于%s）", o->claim_id,
			    known(o->facts->signed_on) ? o->facts->signed_on
						       : "日期未知");

			list_append(hits, "、", item);
			g_free(item);
			item = g_strdup_printf("%s (signed %s)", o->claim_id,
					       known(o->facts->signed_on)
						   ? o->facts->signed_on
						   : "on an unknown date");
			list_append(hits_en, ", ", item);
			g_free(item);
			n++;
		}
	}
	if (n + 1 > l->max) {
		CoreFinding *f = checks_run_fail(
		    run, "%s已签订用券合同 %d 个（上限 %d 个）：本申报及 %s",
		    scope, n + 1, l->max, hits->str);
		char *scope_en = limit_scope(l, mine, TRUE);

		core_finding_set_english(
		    f,
		    "%s has signed %d voucher contracts (limit %d): this claim "
		    "and %s",
		    scope_en, n + 1, l->max, hits_en->str);
		g_free(scope_en);
		ref_contracts(run, f, in);
	} else if (unknown > 0) {
		checks_run_pass(run,
				"%s含本申报共 %d 个用券合同，未超上限 %d "
				"个；另有 %d 个申报无签订日期，未能比对",
				scope, n + 1, l->max, unknown);
	} else {
		checks_run_pass(run,
				"%s含本申报共 %d 个用券合同，未超上限 %d 个",
				scope, n + 1, l->max);
	}
	g_free(scope);
	g_string_free(hits, TRUE);
	g_string_free(hits_en, TRUE);
}

static void
limit_run(const ChecksRule *rule, const ChecksInput *in, ChecksRun *run)
{
	const Limit *l = rule->params;
	StoreFacts *mine;
	char *missing;
	GPtrArray *others;
	GError *error = NULL;

	if (!history_ready(in, run))
		return;
	mine = own_facts(in);
	missing = limit_missing(l, mine);
	if (missing != NULL) {
		checks_run_not_checked(run, "缺少%s，无法比对其他申报",
				       missing);
		goto out;
	}
	others = store_history_claims(in->store, own_claim_id(in), &error);
	if (others == NULL) {
		checks_run_not_checked(run, "读取存储库失败：%s",
				       error->message);
		g_clear_error(&error);
		goto out;
	}
	limit_judge(l, in, run, mine, others);
	g_ptr_array_unref(others);
out:
	g_free(missing);
	store_facts_free(mine);
}

const ChecksKind checks_kind_contract_limit = {"contract_limit", limit_keys,
					       limit_parse, g_free, limit_run};

/* ---- quota ----------------------------------------------------------------
 * Keys: party (enterprise or provider: whose vouchers are summed), year_of
 * (the date that puts a contract in a year: signed_on or accepted_on,
 * ";"-separated fallbacks), and either tier.NAME (the enterprise's yearly
 * quota per its declared tier) or cap (one amount for every party). */

typedef struct {
	gboolean provider;
	char **year_of;
	GHashTable *tiers; /* tier name -> gint64 fen; NULL: CAP */
	gint64 cap;	   /* fen */
} Quota;

static const char *const quota_keys[] = {"party", "year_of", "cap", "tier.*",
					 NULL};

static void
quota_free(gpointer p)
{
	Quota *q = p;

	if (q == NULL)
		return;
	g_strfreev(q->year_of);
	if (q->tiers != NULL)
		g_hash_table_unref(q->tiers);
	g_free(q);
}

static gboolean
parse_tiers(GKeyFile *kf, const char *group, const char *where, Quota *q,
	    GError **error)
{
	char **keys = g_key_file_get_keys(kf, group, NULL, NULL);
	gboolean ok = TRUE;

	q->tiers =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (guint i = 0; keys != NULL && keys[i] != NULL && ok; i++) {
		gint64 fen;

		if (!g_str_has_prefix(keys[i], "tier."))
			continue;
		ok = checks_key_amount(kf, group, keys[i], where, &fen, error);
		if (ok)
			g_hash_table_insert(q->tiers, g_strdup(keys[i] + 5),
					    g_memdup2(&fen, sizeof(fen)));
	}
	g_strfreev(keys);
	return ok;
}

static gboolean
parse_year_of(GKeyFile *kf, const char *group, const char *where, Quota *q,
	      GError **error)
{
	q->year_of = checks_key_list(kf, group, "year_of");
	if (q->year_of == NULL) {
		q->year_of = g_new0(char *, 2);
		q->year_of[0] = g_strdup("signed_on");
	}
	for (guint i = 0; q->year_of[i] != NULL; i++)
		if (strcmp(q->year_of[i], "signed_on") != 0 &&
		    strcmp(q->year_of[i], "accepted_on") != 0) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: year_of: \"%s\" is neither signed_on "
				    "nor accepted_on",
				    where, q->year_of[i]);
			return FALSE;
		}
	return TRUE;
}

static gpointer
quota_parse(GKeyFile *kf, const char *group, const char *where, GError **error)
{
	Quota *q = g_new0(Quota, 1);
	char *party = g_key_file_get_string(kf, group, "party", NULL);
	gboolean ok =
	    party != NULL && (strcmp(g_strstrip(party), "enterprise") == 0 ||
			      strcmp(party, "provider") == 0);

	if (!ok)
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: party must be enterprise or provider", where);
	else
		q->provider = strcmp(party, "provider") == 0;
	g_free(party);
	ok = ok && parse_year_of(kf, group, where, q, error);
	if (ok && g_key_file_has_key(kf, group, "cap", NULL))
		ok = checks_key_amount(kf, group, "cap", where, &q->cap, error);
	else if (ok)
		ok = parse_tiers(kf, group, where, q, error);
	if (ok && q->tiers != NULL && g_hash_table_size(q->tiers) == 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: either cap or tier.NAME keys are required",
			    where);
		ok = FALSE;
	}
	if (!ok) {
		quota_free(q);
		return NULL;
	}
	return q;
}

/* The date that puts F's contract in a year, or NULL. Borrowed. */
static const char *
year_date(const Quota *q, const StoreFacts *f, GDate *out)
{
	for (guint i = 0; q->year_of[i] != NULL; i++) {
		const char *v = strcmp(q->year_of[i], "signed_on") == 0
				    ? f->signed_on
				    : f->accepted_on;

		if (checks_date_parse(v, out))
			return v;
	}
	return NULL;
}

static const char *
year_of_text(const Quota *q)
{
	return strcmp(q->year_of[0], "signed_on") == 0 ? "合同签订日期"
						       : "验收日期";
}

static gboolean
quota_same_party(const Quota *q, const StoreFacts *a, const StoreFacts *b)
{
	if (q->provider)
		return same_party(a->provider_name, a->provider_code,
				  b->provider_name, b->provider_code);
	return same_party(a->enterprise_name, a->enterprise_code,
			  b->enterprise_name, b->enterprise_code);
}

/* The yearly amount for MINE in fen, or -1 with the outcome
 * not_checked. */
static gint64
quota_limit(const Quota *q, const StoreFacts *mine, ChecksRun *run)
{
	const gint64 *fen;

	if (q->tiers == NULL)
		return q->cap;
	if (!known(mine->enterprise_tier)) {
		checks_run_not_checked(run, "未声明企业划型（claim.json "
					    "enterprise.tier），无法确定年度"
					    "配额");
		return -1;
	}
	fen = g_hash_table_lookup(q->tiers, mine->enterprise_tier);
	if (fen == NULL) {
		checks_run_not_checked(
		    run,
		    "企业划型“%s”不在规则的划型配额中"
		    "（checks.ini tier.*），无法确定年度配额",
		    mine->enterprise_tier);
		return -1;
	}
	return *fen;
}

/* The sum of the vouchers of OTHERS of the same party and YEAR, in fen;
 * their ids into LIST, those without an amount or date counted in
 * *UNKNOWN. */
static gint64
quota_others(const Quota *q, const StoreFacts *mine, int year,
	     GPtrArray *others, GString *list, int *unknown)
{
	gint64 sum = 0;

	for (guint i = 0; i < others->len; i++) {
		const StoreOther *o = g_ptr_array_index(others, i);
		GDate d;
		gint64 fen;

		if (!quota_same_party(q, mine, o->facts))
			continue;
		if (year_date(q, o->facts, &d) == NULL ||
		    !checks_amount_parse(o->facts->voucher_amount, &fen)) {
			(*unknown)++;
			continue;
		}
		if (g_date_get_year(&d) != year)
			continue;
		sum += fen;
		list_append(list, "、", o->claim_id);
	}
	return sum;
}

static void
quota_judge(const Quota *q, const ChecksInput *in, ChecksRun *run,
	    const StoreFacts *mine, int year, gint64 own, gint64 limit,
	    GPtrArray *others)
{
	GString *list = g_string_new(NULL);
	int unknown = 0;
	gint64 rest = quota_others(q, mine, year, others, list, &unknown);
	char *party = q->provider ? party_text(mine->provider_name,
					       mine->provider_code, FALSE)
				  : party_text(mine->enterprise_name,
					       mine->enterprise_code, FALSE);
	char *total = checks_amount_text(own + rest);
	char *cap = checks_amount_text(limit);
	char *own_text = checks_amount_text(own);
	const char *who = q->provider ? "服务商" : "企业";

	if (own + rest > limit) {
		CoreFinding *f = checks_run_fail(
		    run,
		    "%s %s %d年用券合计 %s（本申报 %s；另有 %s），超过%s %s",
		    who, party, year, total, own_text, list->str,
		    q->provider ? "年度上限" : "年度配额", cap);
		char *party_en = q->provider
				     ? party_text(mine->provider_name,
						  mine->provider_code, TRUE)
				     : party_text(mine->enterprise_name,
						  mine->enterprise_code, TRUE);
		char *total_en = checks_amount_text_en(own + rest);
		char *cap_en = checks_amount_text_en(limit);
		char *own_en = checks_amount_text_en(own);
		char **ids = g_strsplit(list->str, "、", -1);
		char *list_en = g_strjoinv(", ", ids);

		core_finding_set_english(
		    f,
		    "%s %s used vouchers totalling %s in %d (this claim %s; "
		    "also %s), over the %s of %s",
		    q->provider ? "Provider" : "Enterprise", party_en, total_en,
		    year, own_en, list_en,
		    q->provider ? "annual limit" : "annual quota", cap_en);
		g_free(party_en);
		g_free(total_en);
		g_free(cap_en);
		g_free(own_en);
		g_free(list_en);
		g_strfreev(ids);
		ref_contracts(run, f, in);
	} else {
		checks_run_pass(run,
				"%s %s %d年用券合计 %s（本申报 %s%s%s），未超过"
				"%s %s%s",
				who, party, year, total, own_text,
				list->len > 0 ? "；另有 " : "", list->str,
				q->provider ? "年度上限" : "年度配额", cap,
				unknown > 0 ? "；另有申报缺少金额或日期，未计入"
					    : "");
	}
	g_free(party);
	g_free(total);
	g_free(cap);
	g_free(own_text);
	g_string_free(list, TRUE);
}

/* What MINE lacks for the rule, as a reviewer names it; NULL: nothing. */
static const char *
quota_missing(const Quota *q, const StoreFacts *mine, GDate *date, gint64 *own)
{
	if (q->provider && !has_party(mine->provider_name, mine->provider_code))
		return "服务商名称或统一社会信用代码";
	if (!q->provider &&
	    !has_party(mine->enterprise_name, mine->enterprise_code))
		return "企业名称或统一社会信用代码";
	if (year_date(q, mine, date) == NULL)
		return year_of_text(q);
	if (!checks_amount_parse(mine->voucher_amount, own))
		return "用券金额（contract.voucher_amount）";
	return NULL;
}

static void
quota_run(const ChecksRule *rule, const ChecksInput *in, ChecksRun *run)
{
	const Quota *q = rule->params;
	StoreFacts *mine;
	const char *missing;
	GPtrArray *others;
	GError *error = NULL;
	GDate date;
	gint64 own = 0, limit;

	if (!history_ready(in, run))
		return;
	mine = own_facts(in);
	missing = quota_missing(q, mine, &date, &own);
	if (missing != NULL) {
		checks_run_not_checked(run, "缺少%s，无法计算年度用券合计",
				       missing);
		goto out;
	}
	limit = quota_limit(q, mine, run);
	if (limit < 0)
		goto out;
	others = store_history_claims(in->store, own_claim_id(in), &error);
	if (others == NULL) {
		checks_run_not_checked(run, "读取存储库失败：%s",
				       error->message);
		g_clear_error(&error);
		goto out;
	}
	quota_judge(q, in, run, mine, g_date_get_year(&date), own, limit,
		    others);
	g_ptr_array_unref(others);
out:
	store_facts_free(mine);
}

const ChecksKind checks_kind_quota = {"quota", quota_keys, quota_parse,
				      quota_free, quota_run};
