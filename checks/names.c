/* names.c - names across documents: the product name against the software
 * name on the copyright certificate (name_match), and the parties on
 * invoices, receipts, the contract and the acceptance form against the
 * claim's enterprise and provider (party_match). Names are compared by
 * checks_name_key; a difference OCR could have made is a warning, since a
 * reviewer must look at the page, not reject the claim. */
#include <string.h>

#include "checks/checks_int.h"

/* ---- name_match -------------------------------------------------------- */

typedef struct {
	ChecksSource *expected;
	GPtrArray *compare; /* ChecksSource*; the first is the certificate */
	GPtrArray *ignore;  /* GRegex*: parts of a name that are not the name */
	GHashTable *docs;   /* type -> Chinese */
} NameMatch;

static void
name_match_free(gpointer p)
{
	NameMatch *nm = p;

	checks_source_free(nm->expected);
	if (nm->compare != NULL)
		g_ptr_array_unref(nm->compare);
	g_ptr_array_unref(nm->ignore);
	g_hash_table_unref(nm->docs);
	g_free(nm);
}

/* ignore.NAME = pattern, each compiled caseless against the NFKC name. */
static gboolean
read_ignore(GKeyFile *kf, const char *group, const char *where, GPtrArray *out,
	    GError **error)
{
	char **keys = g_key_file_get_keys(kf, group, NULL, NULL);
	gboolean ok = TRUE;

	for (guint i = 0; keys != NULL && keys[i] != NULL && ok; i++) {
		char *v;
		GRegex *re;
		GError *local = NULL;

		if (!g_str_has_prefix(keys[i], "ignore."))
			continue;
		v = g_key_file_get_string(kf, group, keys[i], NULL);
		re = g_regex_new(g_strstrip(v), G_REGEX_CASELESS, 0, &local);
		if (re == NULL) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: %s: %s", where, keys[i],
				    local->message);
			g_error_free(local);
			ok = FALSE;
		} else {
			g_ptr_array_add(out, re);
		}
		g_free(v);
	}
	g_strfreev(keys);
	return ok;
}

static gpointer
name_match_parse(GKeyFile *kf, const char *group, const char *where,
		 GError **error)
{
	NameMatch *nm = g_new0(NameMatch, 1);

	nm->ignore = core_ptr_array_new(g_regex_unref);
	nm->docs = checks_key_labels(kf, group, "doc");
	if (!checks_key_source(kf, group, "expected", where, TRUE,
			       &nm->expected, error) ||
	    !checks_key_source_list(kf, group, "compare", where, TRUE,
				    &nm->compare, error) ||
	    !read_ignore(kf, group, where, nm->ignore, error)) {
		name_match_free(nm);
		return NULL;
	}
	return nm;
}

/* NAME as compared: NFKC, the ignored parts (a trailing version, a
 * bracketed short name) cut out until none is left, then the name key. */
static char *
name_core(const NameMatch *nm, const char *name)
{
	char *text = core_text_normalize(name);
	char *key;

	for (int round = 0; round < 4; round++) {
		gboolean changed = FALSE;

		for (guint i = 0; i < nm->ignore->len; i++) {
			char *next = g_regex_replace_literal(
			    g_ptr_array_index(nm->ignore, i), text, -1, 0, "",
			    0, NULL);

			if (next != NULL && strcmp(next, text) != 0) {
				g_free(text);
				text = next;
				changed = TRUE;
			} else {
				g_free(next);
			}
		}
		if (!changed)
			break;
	}
	key = checks_name_key(text);
	g_free(text);
	if (*key == '\0') { /* all of it looked like a version: keep it */
		g_free(key);
		key = checks_name_key(name);
	}
	return key;
}

/* Compare one software name V with the product name; returns TRUE when
 * they are the same name. */
static gboolean
name_compare_one(const NameMatch *nm, ChecksRun *run, const char *product,
		 const char *product_key, const ChecksValue *v)
{
	char *key = name_core(nm, v->value);
	char *ref = core_document_ref(v->doc);
	const char *label = checks_label(nm->docs, v->doc->type);
	gboolean same = strcmp(key, product_key) == 0;
	CoreFinding *f = NULL;

	checks_run_ref(run, NULL, v->doc);
	if (same) {
		/* nothing to say */
	} else if (v->doc->source == CORE_TEXT_OCR &&
		   g_utf8_strlen(key, -1) == g_utf8_strlen(product_key, -1) &&
		   checks_name_ocr_near(key, product_key)) {
		/* OCR misreads a character; a character more or fewer in a
		 * product name is a word added or dropped (智能质检平台 for
		 * 智能质检云平台): the guide's mismatch, an error. */
		f = checks_run_fail_as(run, NULL, CORE_SEVERITY_WARNING,
				       "产品名称「%s」与%s（%s）上 OCR "
				       "读出的软件名称「%s」相差 %u "
				       "个字，可能是 OCR 误读，请对照原件核对",
				       product, label, ref, v->value,
				       checks_text_distance(key, product_key));
		core_finding_set_english(
		    f,
		    "The product name \"%s\" differs by %u character(s) from "
		    "the software name \"%s\" read by OCR on %s (%s); this may "
		    "be an OCR misreading, please check against the original",
		    product, checks_text_distance(key, product_key), v->value,
		    v->doc->type, ref);
	} else {
		f = checks_run_fail(run,
				    "产品名称「%s」与%s（%s）上的软件名称「%s」"
				    "不一致（指南要求产品名称与软件著作权登记"
				    "证书中的软件名称一致）",
				    product, label, ref, v->value);
		core_finding_set_english(
		    f,
		    "The product name \"%s\" does not match the software name "
		    "\"%s\" on %s (%s) (the guide requires the product name to "
		    "match the software name in the software copyright "
		    "registration certificate)",
		    product, v->value, v->doc->type, ref);
	}
	if (f != NULL)
		checks_run_ref(run, f, v->doc);
	g_free(ref);
	g_free(key);
	return same;
}

/* Why the certificate's name could not be compared. */
static void
name_not_checked(const NameMatch *nm, const ChecksInput *in, ChecksRun *run)
{
	ChecksSource *first = g_ptr_array_index(nm->compare, 0);
	char *type = checks_source_type(first);
	GPtrArray *docs =
	    type != NULL ? checks_documents_of(in, type) : g_ptr_array_new();
	const char *label = type != NULL ? checks_label(nm->docs, type)
					 : checks_source_text(first);

	for (guint i = 0; i < docs->len; i++)
		checks_run_ref(run, NULL, g_ptr_array_index(docs, i));
	if (docs->len == 0)
		checks_run_not_checked(run, "未找到%s，无法核对产品名称",
				       label);
	else
		checks_run_not_checked(run,
				       "%s上未能读出软件名称（%s），请人工核对"
				       "产品名称",
				       label, checks_source_text(first));
	g_ptr_array_unref(docs);
	g_free(type);
}

static void
name_match_run(const ChecksRule *rule, const ChecksInput *in, ChecksRun *run)
{
	const NameMatch *nm = rule->params;
	ChecksValue product;
	char *product_key;
	guint same = 0, certs = 0;

	if (!checks_source_first(nm->expected, in, &product)) {
		checks_run_not_checked(
		    run, "未声明产品名称（product_name），无法与软件著作权登记"
			 "证书核对：请在 claim.json 或 --product-name 中写明");
		return;
	}
	product_key = name_core(nm, product.value);
	for (guint i = 0; i < nm->compare->len; i++) {
		GArray *all =
		    checks_source_all(g_ptr_array_index(nm->compare, i), in);

		if (i == 0)
			certs = all->len;
		for (guint k = 0; k < all->len; k++)
			same += name_compare_one(
			    nm, run, product.value, product_key,
			    &g_array_index(all, ChecksValue, k));
		g_array_unref(all);
	}
	g_free(product_key);
	if (run->outcome->status == CHECKS_FAILED)
		return;
	if (certs == 0)
		name_not_checked(nm, in, run);
	else
		checks_run_pass(run,
				"产品名称「%s」与%u处软件名称一致（版本号、"
				"简称、全半角及空格不计）",
				product.value, same);
}

static const char *const name_match_keys[] = {"expected", "compare", "ignore.*",
					      "doc.*", NULL};

const ChecksKind checks_kind_name_match = {"name_match", name_match_keys,
					   name_match_parse, name_match_free,
					   name_match_run};

/* ---- party_match ------------------------------------------------------- */

typedef struct {
	ChecksSource *enterprise, *provider;
	ChecksSource *enterprise_code, *provider_code;
	GPtrArray *enterprise_fields, *provider_fields; /* ChecksSource* */
	GPtrArray *enterprise_code_fields, *provider_code_fields;
	GHashTable *fields; /* "invoice.buyer_name" -> 发票购买方 */
	GHashTable *docs;   /* "invoice" -> 发票 */
} PartyMatch;

static void
party_match_free(gpointer p)
{
	PartyMatch *pm = p;

	checks_source_free(pm->enterprise);
	checks_source_free(pm->provider);
	checks_source_free(pm->enterprise_code);
	checks_source_free(pm->provider_code);
	g_clear_pointer(&pm->enterprise_fields, g_ptr_array_unref);
	g_clear_pointer(&pm->provider_fields, g_ptr_array_unref);
	g_clear_pointer(&pm->enterprise_code_fields, g_ptr_array_unref);
	g_clear_pointer(&pm->provider_code_fields, g_ptr_array_unref);
	g_hash_table_unref(pm->fields);
	g_hash_table_unref(pm->docs);
	g_free(pm);
}

static gpointer
party_match_parse(GKeyFile *kf, const char *group, const char *where,
		  GError **error)
{
	PartyMatch *pm = g_new0(PartyMatch, 1);

	pm->fields = checks_key_labels(kf, group, "field");
	pm->docs = checks_key_labels(kf, group, "doc");
	if (!checks_key_source(kf, group, "enterprise", where, TRUE,
			       &pm->enterprise, error) ||
	    !checks_key_source(kf, group, "provider", where, TRUE,
			       &pm->provider, error) ||
	    !checks_key_source(kf, group, "enterprise_code", where, FALSE,
			       &pm->enterprise_code, error) ||
	    !checks_key_source(kf, group, "provider_code", where, FALSE,
			       &pm->provider_code, error) ||
	    !checks_key_source_list(kf, group, "enterprise_fields", where, TRUE,
				    &pm->enterprise_fields, error) ||
	    !checks_key_source_list(kf, group, "provider_fields", where, TRUE,
				    &pm->provider_fields, error) ||
	    !checks_key_source_list(kf, group, "enterprise_code_fields", where,
				    FALSE, &pm->enterprise_code_fields,
				    error) ||
	    !checks_key_source_list(kf, group, "provider_code_fields", where,
				    FALSE, &pm->provider_code_fields, error)) {
		party_match_free(pm);
		return NULL;
	}
	return pm;
}

/* One party as the claim declares it. */
typedef struct {
	const char *role;	  /* 申报企业 / 服务商 */
	const char *role_en;	  /* the same in English */
	const char *value;	  /* as declared, or NULL */
	char *key;		  /* compared form */
	const CoreDocument *from; /* the document it was taken from, or NULL */
} Party;

/* A field naming the other party where this one belongs. */
typedef struct {
	const CoreDocument *doc;
	const char *field; /* "invoice.buyer_name" */
	const char *value;
	gboolean enterprise_side;
	gboolean reported;
} Swap;

typedef struct {
	const PartyMatch *pm;
	ChecksRun *run;
	guint compared;
	guint skipped; /* values with no declared party to compare with */
	GArray *swaps; /* Swap */
} PartyRun;

static char *
code_key(const char *code)
{
	char *k = g_ascii_strup(code, -1);

	g_strstrip(k);
	return k;
}

static void
party_init(Party *p, const char *role, const ChecksSource *src,
	   const ChecksInput *in, gboolean is_code)
{
	ChecksValue v;

	p->role = role;
	p->role_en = strcmp(role, "服务商") == 0 ? "the provider"
						 : "the applicant enterprise";
	p->value = NULL;
	p->key = NULL;
	p->from = NULL;
	if (src == NULL || !checks_source_first(src, in, &v))
		return;
	p->value = v.value;
	p->from = v.doc;
	p->key = is_code ? code_key(v.value) : checks_name_key(v.value);
}

static char *
field_label(const PartyMatch *pm, const CoreDocument *doc, const char *field)
{
	char *full = g_strdup_printf("%s.%s", doc->type, field);
	char *label = g_strdup(checks_label(pm->fields, full));

	g_free(full);
	return label;
}

/* VALUE read from DOC's FIELD against SIDE (and OTHER, the other party). */
static void
party_compare_one(PartyRun *pr, const ChecksValue *v, const Party *side,
		  const Party *other, gboolean enterprise_side,
		  gboolean is_code)
{
	char *key = is_code ? code_key(v->value) : checks_name_key(v->value);
	char *what = field_label(pr->pm, v->doc, v->field);
	char *ref = core_document_ref(v->doc);
	const char *kind = is_code ? "统一社会信用代码" : "名称";
	const char *kind_en = is_code ? "unified social credit code" : "name";
	CoreFinding *f = NULL;

	checks_run_ref(pr->run, NULL, v->doc);
	if (side->key == NULL) {
		pr->skipped++;
	} else if (strcmp(key, side->key) == 0) {
		pr->compared++;
	} else if (other->key != NULL && strcmp(key, other->key) == 0) {
		Swap s = {v->doc, v->field, v->value, enterprise_side, FALSE};

		g_array_append_val(pr->swaps, s);
	} else if (v->doc->source == CORE_TEXT_OCR &&
		   checks_name_ocr_near(key, side->key)) {
		f = checks_run_fail_as(
		    pr->run, NULL, CORE_SEVERITY_WARNING,
		    "%s（%s）OCR 读出的%s「%s」与%s「%s」相差 %u 个字，可能是 "
		    "OCR 误读，请对照原件核对",
		    what, ref, kind, v->value, side->role, side->value,
		    checks_text_distance(key, side->key));
		core_finding_set_english(
		    f,
		    "The %s \"%s\" read by OCR from %s.%s (%s) differs by %u "
		    "character(s) from %s \"%s\"; this may be an OCR "
		    "misreading, please check against the original",
		    kind_en, v->value, v->doc->type, v->field, ref,
		    checks_text_distance(key, side->key), side->role_en,
		    side->value);
	} else {
		f = checks_run_fail(
		    pr->run, "%s（%s）的%s「%s」与%s「%s」不一致", what, ref,
		    kind, v->value, side->role, side->value);
		core_finding_set_english(
		    f, "The %s \"%s\" in %s.%s (%s) does not match %s \"%s\"",
		    kind_en, v->value, v->doc->type, v->field, ref,
		    side->role_en, side->value);
	}
	if (f != NULL)
		checks_run_ref(pr->run, f, v->doc);
	g_free(ref);
	g_free(what);
	g_free(key);
}

static void
party_compare_list(PartyRun *pr, const ChecksInput *in, GPtrArray *list,
		   const Party *side, const Party *other,
		   gboolean enterprise_side, gboolean is_code)
{
	for (guint i = 0; list != NULL && i < list->len; i++) {
		GArray *all = checks_source_all(g_ptr_array_index(list, i), in);

		for (guint k = 0; k < all->len; k++) {
			const ChecksValue *v =
			    &g_array_index(all, ChecksValue, k);

			/* the declared party itself, taken from this field */
			if (v->doc != NULL && v->doc == side->from &&
			    v->value == side->value) {
				pr->compared++;
				continue;
			}
			if (v->doc != NULL)
				party_compare_one(pr, v, side, other,
						  enterprise_side, is_code);
		}
		g_array_unref(all);
	}
}

/* Swapped parties: one finding per document, naming both fields when both
 * are swapped (the usual case: an invoice issued the wrong way round). */
static void
party_report_swaps(PartyRun *pr, const Party *ent, const Party *prov)
{
	for (guint i = 0; i < pr->swaps->len; i++) {
		Swap *s = &g_array_index(pr->swaps, Swap, i);
		Swap *pair = NULL;
		char *ref, *what, *pair_what = NULL;
		CoreFinding *f;

		if (s->reported)
			continue;
		s->reported = TRUE;
		for (guint k = i + 1; k < pr->swaps->len && pair == NULL; k++) {
			Swap *t = &g_array_index(pr->swaps, Swap, k);

			if (!t->reported && t->doc == s->doc &&
			    t->enterprise_side != s->enterprise_side)
				pair = t;
		}
		ref = core_document_ref(s->doc);
		what = field_label(pr->pm, s->doc, s->field);
		if (pair != NULL) {
			pair->reported = TRUE;
			pair_what = field_label(pr->pm, pair->doc, pair->field);
			f = checks_run_fail(
			    pr->run,
			    "%s（%s）双方颠倒：%s为「%s」，%s为「%"
			    "s」；申报企业为"
			    "「%s」，服务商为「%s」",
			    checks_label(pr->pm->docs, s->doc->type), ref, what,
			    s->value, pair_what, pair->value, ent->value,
			    prov->value);
			core_finding_set_english(
			    f,
			    "The parties on %s (%s) are swapped: %s.%s is "
			    "\"%s\" and %s.%s is \"%s\"; the applicant "
			    "enterprise is \"%s\" and the provider is \"%s\"",
			    s->doc->type, ref, s->doc->type, s->field, s->value,
			    pair->doc->type, pair->field, pair->value,
			    ent->value, prov->value);
		} else {
			f = checks_run_fail(
			    pr->run,
			    "%s（%s）为%s「%s」，应为%s「%s」（双方颠倒）",
			    what, ref,
			    s->enterprise_side ? prov->role : ent->role,
			    s->value,
			    s->enterprise_side ? ent->role : prov->role,
			    s->enterprise_side ? ent->value : prov->value);
			core_finding_set_english(
			    f,
			    "%s.%s (%s) is %s \"%s\" but should be %s "
			    "\"%s\" (the parties are swapped)",
			    s->doc->type, s->field, ref,
			    s->enterprise_side ? prov->role_en : ent->role_en,
			    s->value,
			    s->enterprise_side ? ent->role_en : prov->role_en,
			    s->enterprise_side ? ent->value : prov->value);
		}
		checks_run_ref(pr->run, f, s->doc);
		g_free(pair_what);
		g_free(what);
		g_free(ref);
	}
}

static void
party_match_run(const ChecksRule *rule, const ChecksInput *in, ChecksRun *run)
{
	const PartyMatch *pm = rule->params;
	Party ent, prov, ent_code, prov_code;
	PartyRun pr = {pm, run, 0, 0, g_array_new(FALSE, FALSE, sizeof(Swap))};

	party_init(&ent, "申报企业", pm->enterprise, in, FALSE);
	party_init(&prov, "服务商", pm->provider, in, FALSE);
	party_init(&ent_code, "申报企业", pm->enterprise_code, in, TRUE);
	party_init(&prov_code, "服务商", pm->provider_code, in, TRUE);
	if (ent.key == NULL && prov.key == NULL) {
		checks_run_not_checked(
		    run, "未声明企业和服务商名称（claim.json 的 enterprise、"
			 "provider），合同上也未读出甲乙双方，无法核对");
		goto out;
	}
	party_compare_list(&pr, in, pm->enterprise_fields, &ent, &prov, TRUE,
			   FALSE);
	party_compare_list(&pr, in, pm->provider_fields, &prov, &ent, FALSE,
			   FALSE);
	party_compare_list(&pr, in, pm->enterprise_code_fields, &ent_code,
			   &prov_code, TRUE, TRUE);
	party_compare_list(&pr, in, pm->provider_code_fields, &prov_code,
			   &ent_code, FALSE, TRUE);
	party_report_swaps(&pr, &ent, &prov);
	if (run->outcome->status == CHECKS_FAILED)
		goto out;
	if (pr.compared == 0)
		checks_run_not_checked(
		    run,
		    "发票、支付凭证、合同、验收单上均未读出%s的名称，"
		    "无法核对",
		    ent.key == NULL    ? "服务商"
		    : prov.key == NULL ? "申报企业"
				       : "双方");
	else if (ent.key == NULL || prov.key == NULL)
		checks_run_not_checked(
		    run, "已核对%u处与%s「%s」一致；未声明%s名称，另%u处未核对",
		    pr.compared, ent.key != NULL ? ent.role : prov.role,
		    ent.key != NULL ? ent.value : prov.value,
		    ent.key == NULL ? ent.role : prov.role, pr.skipped);
	else
		checks_run_pass(run,
				"%u处名称及代码与申报企业「%s」、服务商「%s」"
				"一致",
				pr.compared, ent.value, prov.value);
out:
	g_array_unref(pr.swaps);
	g_free(ent.key);
	g_free(prov.key);
	g_free(ent_code.key);
	g_free(prov_code.key);
}

static const char *const party_match_keys[] = {"enterprise",
					       "provider",
					       "enterprise_code",
					       "provider_code",
					       "enterprise_fields",
					       "provider_fields",
					       "enterprise_code_fields",
					       "provider_code_fields",
					       "field.*",
					       "doc.*",
					       NULL};

const ChecksKind checks_kind_party_match = {"party_match", party_match_keys,
					    party_match_parse, party_match_free,
					    party_match_run};
