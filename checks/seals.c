/* seals.c - seals: the papers the guide wants sealed show a seal
 * (stamped), and the seal is the right party's (seal_owner: the
 * enterprise's on its acceptance form, both parties' on a mid-term
 * report). A seal whose ring could not be read proves nothing either
 * way: the rule is then not_checked for that paper, never passed. */
#include <stdlib.h>
#include <string.h>

#include "checks/checks_int.h"

/* The types listed for a direction spec ("3-8", "14.1", "1"). */
typedef struct {
	char *spec;
	char **types;
} ByDirection;

static void
by_direction_clear(ByDirection *b)
{
	g_free(b->spec);
	g_strfreev(b->types);
}

/* ---- stamped ----------------------------------------------------------- */

typedef struct {
	char **types;	    /* every direction */
	GArray *directions; /* ByDirection: types.SPEC */
	GHashTable *docs;   /* type -> Chinese */
} Stamped;

static void
stamped_free(gpointer p)
{
	Stamped *st = p;

	g_strfreev(st->types);
	g_array_unref(st->directions);
	g_hash_table_unref(st->docs);
	g_free(st);
}

static gpointer
stamped_parse(GKeyFile *kf, const char *group, const char *where,
	      GError **error)
{
	Stamped *st = g_new0(Stamped, 1);
	char **keys = g_key_file_get_keys(kf, group, NULL, NULL);
	char *types = g_key_file_get_string(kf, group, "types", NULL);
	gboolean ok = TRUE;

	st->docs = checks_key_labels(kf, group, "doc");
	st->directions = g_array_new(FALSE, TRUE, sizeof(ByDirection));
	g_array_set_clear_func(st->directions,
			       (GDestroyNotify)by_direction_clear);
	st->types = checks_split_list(types != NULL ? types : "");
	for (guint i = 0; keys != NULL && keys[i] != NULL && ok; i++) {
		ByDirection b;
		char *v;

		if (!g_str_has_prefix(keys[i], "types."))
			continue;
		if (!g_regex_match_simple(
			"^[0-9]{1,2}(\\.[0-9])?(-[0-9]{1,2})?$", keys[i] + 6, 0,
			0)) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: %s: \"%s\" is neither a direction "
				    "(4, 14.1) nor a range (3-8)",
				    where, keys[i], keys[i] + 6);
			ok = FALSE;
			break;
		}
		v = g_key_file_get_string(kf, group, keys[i], NULL);
		b.spec = g_strdup(keys[i] + 6);
		b.types = checks_split_list(v != NULL ? v : "");
		g_array_append_val(st->directions, b);
		g_free(v);
	}
	g_strfreev(keys);
	g_free(types);
	if (ok && st->types[0] == NULL && st->directions->len == 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: give \"types\" or \"types.<direction>\"",
			    where);
		ok = FALSE;
	}
	if (!ok) {
		stamped_free(st);
		return NULL;
	}
	return st;
}

/* Whether TYPE must be sealed in the claim's direction. */
static gboolean
stamped_wanted(const Stamped *st, const ChecksInput *in, const char *type)
{
	const char *direction = checks_claim_value(in->claim, "direction");

	if (type == NULL)
		return FALSE;
	if (g_strv_contains((const char *const *)st->types, type))
		return TRUE;
	for (guint i = 0; direction != NULL && i < st->directions->len; i++) {
		const ByDirection *b =
		    &g_array_index(st->directions, ByDirection, i);

		if (checks_direction_in(b->spec, direction) &&
		    g_strv_contains((const char *const *)b->types, type))
			return TRUE;
	}
	return FALSE;
}

static void
stamped_run(const ChecksRule *rule, const ChecksInput *in, ChecksRun *run)
{
	const Stamped *st = rule->params;
	guint sealed = 0;
	GString *unseen = g_string_new(NULL);

	for (guint i = 0; in->documents != NULL && i < in->documents->len;
	     i++) {
		const CoreDocument *doc = g_ptr_array_index(in->documents, i);
		const char *label = checks_label(st->docs, doc->type);
		char *ref;

		if (!stamped_wanted(st, in, doc->type))
			continue;
		checks_run_ref(run, NULL, doc);
		ref = core_document_ref(doc);
		if (doc->stamped > 0) {
			sealed++;
		} else if (doc->stamped == 0) {
			CoreFinding *f = checks_run_fail(
			    run, "%s（%s）未见印章：此件须加盖公章", label,
			    ref);

			core_finding_set_english(
			    f,
			    "No seal found on %s (%s): this document must bear "
			    "an official seal",
			    doc->type, ref);

			checks_run_ref(run, f, doc);
		} else {
			g_string_append_printf(unseen, "%s%s（%s）",
					       unseen->len > 0 ? "、" : "",
					       label, ref);
		}
		g_free(ref);
	}
	if (run->outcome->status == CHECKS_FAILED)
		;
	else if (unseen->len > 0)
		checks_run_not_checked(run, "未检查印章：%s", unseen->str);
	else if (sealed == 0)
		checks_run_not_checked(run, "未找到须盖章的材料，无从核对");
	else
		checks_run_pass(run, "%u份须盖章的材料均见印章", sealed);
	g_string_free(unseen, TRUE);
}

static const char *const stamped_keys[] = {"types", "types.*", "doc.*", NULL};

const ChecksKind checks_kind_stamped = {"stamped", stamped_keys, stamped_parse,
					stamped_free, stamped_run};

/* ---- seal_owner -------------------------------------------------------- */

enum { PARTY_ENTERPRISE, PARTY_PROVIDER, N_PARTIES };

static const char *const party_ids[N_PARTIES] = {"enterprise", "provider"};
static const char *const party_roles[N_PARTIES] = {"企业", "服务商"};
static const char *const party_roles_en[N_PARTIES] = {"the enterprise",
						      "the provider"};

typedef struct {
	char *type;
	gboolean required[N_PARTIES];
	ChecksSource *names[N_PARTIES];
	GHashTable *docs; /* type -> Chinese */
} SealOwner;

static void
seal_owner_free(gpointer p)
{
	SealOwner *so = p;

	g_free(so->type);
	for (int i = 0; i < N_PARTIES; i++)
		checks_source_free(so->names[i]);
	g_hash_table_unref(so->docs);
	g_free(so);
}

static gboolean
seal_owner_parties(GKeyFile *kf, const char *group, const char *where,
		   SealOwner *so, GError **error)
{
	char *text = g_key_file_get_string(kf, group, "parties", NULL);
	char **items = checks_split_list(text != NULL ? text : "");
	gboolean ok = items[0] != NULL;

	for (guint i = 0; items[i] != NULL && ok; i++) {
		ok = FALSE;
		for (int p = 0; p < N_PARTIES; p++)
			if (strcmp(items[i], party_ids[p]) == 0)
				ok = so->required[p] = TRUE;
		if (!ok)
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: parties: \"%s\" is neither enterprise "
				    "nor provider",
				    where, items[i]);
	}
	if (items[0] == NULL)
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: key \"parties\" is required", where);
	g_strfreev(items);
	g_free(text);
	return ok;
}

static gpointer
seal_owner_parse(GKeyFile *kf, const char *group, const char *where,
		 GError **error)
{
	SealOwner *so = g_new0(SealOwner, 1);

	so->docs = checks_key_labels(kf, group, "doc");
	so->type = g_key_file_get_string(kf, group, "type", NULL);
	if (so->type == NULL || *g_strstrip(so->type) == '\0') {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: key \"type\" is required", where);
		seal_owner_free(so);
		return NULL;
	}
	if (!seal_owner_parties(kf, group, where, so, error) ||
	    !checks_key_source(kf, group, "enterprise", where, TRUE,
			       &so->names[PARTY_ENTERPRISE], error) ||
	    !checks_key_source(kf, group, "provider", where, TRUE,
			       &so->names[PARTY_PROVIDER], error)) {
		seal_owner_free(so);
		return NULL;
	}
	return so;
}

/* Whose a seal is. */
typedef enum {
	OWNER_UNREAD = -2, /* the ring was not read, or reads near a party */
	OWNER_OTHER = -1   /* another organisation */
			   /* 0..N_PARTIES-1: that party */
} Owner;

/* The party ORG names: within OCR's one character in six of exactly one
 * party; a reading nearer a party than a third of its name is not taken
 * for another organisation (a worse misreading of the same seal). */
static int
seal_owner_of(const char *org, char *const keys[N_PARTIES])
{
	char *key;
	int owner = OWNER_OTHER, near = 0;

	if (org == NULL)
		return OWNER_UNREAD;
	key = checks_name_key(org);
	for (int p = 0; p < N_PARTIES; p++) {
		glong n;

		if (keys[p] == NULL)
			continue;
		n = g_utf8_strlen(keys[p], -1);
		if (strcmp(key, keys[p]) == 0 ||
		    checks_name_ocr_near(key, keys[p])) {
			owner = near++ == 0 ? p : OWNER_UNREAD;
		} else if (owner == OWNER_OTHER &&
			   checks_text_distance(key, keys[p]) <=
			       (guint)MAX(2, n / 3)) {
			owner = OWNER_UNREAD;
		}
	}
	g_free(key);
	return owner;
}

/* What the seals of one paper show. */
typedef struct {
	gboolean found[N_PARTIES];
	guint seals, unread;
	GString *others;    /* 「org」、「org」 */
	GString *others_en; /* "org", "org" */
	const char *other_file;
	int other_page;
} SealsSeen;

static void
seals_seen(const ChecksInput *in, const CoreDocument *doc,
	   char *const keys[N_PARTIES], ChecksRun *run, SealsSeen *seen)
{
	memset(seen, 0, sizeof *seen);
	seen->others = g_string_new(NULL);
	seen->others_en = g_string_new(NULL);
	for (guint i = 0; in->pages != NULL && i < in->pages->len; i++) {
		const CorePage *pg = g_ptr_array_index(in->pages, i);
		gboolean mine = FALSE;

		if (g_strcmp0(pg->file, doc->file) != 0 || pg->seals == NULL)
			continue;
		for (guint k = 0; k < doc->pages->len && !mine; k++)
			mine = g_array_index(doc->pages, int, k) == pg->page;
		if (!mine || pg->seals->len == 0)
			continue;
		checks_run_ref_page(run, NULL, pg->file, pg->page);
		for (guint s = 0; s < pg->seals->len; s++) {
			const char *org =
			    pg->seal_orgs != NULL && s < pg->seal_orgs->len
				? g_ptr_array_index(pg->seal_orgs, s)
				: NULL;
			int owner = seal_owner_of(org, keys);

			seen->seals++;
			if (owner == OWNER_UNREAD) {
				seen->unread++;
			} else if (owner == OWNER_OTHER) {
				g_string_append_printf(
				    seen->others, "%s「%s」",
				    seen->others->len > 0 ? "、" : "", org);
				g_string_append_printf(
				    seen->others_en, "%s\"%s\"",
				    seen->others_en->len > 0 ? ", " : "", org);
				seen->other_file = pg->file;
				seen->other_page = pg->page;
			} else {
				seen->found[owner] = TRUE;
			}
		}
	}
}

/* A seal of a party the paper should not carry alone (the provider's on
 * the enterprise's form): it counts as "other" where it stands in for a
 * missing required seal. */
static void
seals_wrong_party(const SealOwner *so, const ChecksInput *in,
		  const CoreDocument *doc, char *const names[N_PARTIES],
		  SealsSeen *seen)
{
	for (int p = 0; p < N_PARTIES; p++) {
		if (so->required[p] || !seen->found[p])
			continue;
		g_string_append_printf(seen->others, "%s%s「%s」",
				       seen->others->len > 0 ? "、" : "",
				       party_roles[p], names[p]);
		g_string_append_printf(seen->others_en, "%s%s \"%s\"",
				       seen->others_en->len > 0 ? ", " : "",
				       party_roles_en[p], names[p]);
		seen->other_file = doc->file;
		seen->other_page = doc->stamped_page;
	}
	(void)in;
}

/* What could be told of one paper. */
typedef enum { JUDGED, NO_SEAL, RING_UNREAD } Judged;

/* Judge one paper. */
static Judged
seal_owner_doc(const SealOwner *so, const ChecksInput *in, ChecksRun *run,
	       const CoreDocument *doc, char *const keys[N_PARTIES],
	       char *const names[N_PARTIES])
{
	const char *label = checks_label(so->docs, so->type);
	char *ref = core_document_ref(doc);
	GString *missing = g_string_new(NULL);
	GString *missing_en = g_string_new(NULL);
	SealsSeen seen;
	Judged told = JUDGED;
	CoreFinding *f = NULL;

	seals_seen(in, doc, keys, run, &seen);
	for (int p = 0; p < N_PARTIES; p++) {
		if (!so->required[p] || seen.found[p])
			continue;
		g_string_append_printf(missing, "%s%s「%s」",
				       missing->len > 0 ? "、" : "",
				       party_roles[p], names[p]);
		g_string_append_printf(missing_en, "%s%s \"%s\"",
				       missing_en->len > 0 ? " and " : "",
				       party_roles_en[p], names[p]);
	}
	if (missing->len == 0) {
		/* every required party's seal is there */
	} else if (seen.seals == 0) {
		told = NO_SEAL; /* the stamped rule reports it */
	} else if (seen.unread > 0) {
		told = RING_UNREAD; /* the unread one may be it */
	} else {
		seals_wrong_party(so, in, doc, names, &seen);
		if (seen.others->len > 0) {
			f = checks_run_fail(run,
					    "%s（%s）加盖的是%s的印章，应加盖%s"
					    "的公章",
					    label, ref, seen.others->str,
					    missing->str);
			core_finding_set_english(
			    f,
			    "The %s (%s) bears the seal of %s; it should bear "
			    "the official seal of %s",
			    so->type, ref, seen.others_en->str,
			    missing_en->str);
		} else {
			f = checks_run_fail_as(
			    run, "NOT_STAMPED", CORE_SEVERITY_WARNING,
			    "%s（%s）未见%s的印章（指南要求双方盖章确认）",
			    label, ref, missing->str);
			core_finding_set_english(
			    f,
			    "No seal of %s found on %s (%s) (the guide "
			    "requires both parties to seal it)",
			    missing_en->str, so->type, ref);
		}
		if (seen.other_file != NULL && seen.other_page > 0)
			checks_run_ref_page(run, f, seen.other_file,
					    seen.other_page);
		checks_run_ref(run, f, doc);
	}
	g_string_free(seen.others, TRUE);
	g_string_free(seen.others_en, TRUE);
	g_string_free(missing_en, TRUE);
	g_string_free(missing, TRUE);
	g_free(ref);
	return told;
}

static void
seal_owner_run(const ChecksRule *rule, const ChecksInput *in, ChecksRun *run)
{
	const SealOwner *so = rule->params;
	char *keys[N_PARTIES] = {NULL};
	char *names[N_PARTIES] = {NULL};
	GPtrArray *docs = checks_documents_of(in, so->type);
	const char *label = checks_label(so->docs, so->type);
	guint unread = 0, unsealed = 0;

	for (int p = 0; p < N_PARTIES; p++) {
		ChecksValue v;

		if (checks_source_first(so->names[p], in, &v)) {
			keys[p] = checks_name_key(v.value);
			names[p] = g_strdup(v.value);
		} else if (so->required[p]) {
			checks_run_not_checked(
			    run, "未声明%s名称（claim.json），无法核对%s的印章",
			    party_roles[p], label);
			goto out;
		}
	}
	if (docs->len == 0) {
		checks_run_not_checked(run, "未找到%s，无从核对其印章", label);
		goto out;
	}
	for (guint i = 0; i < docs->len; i++) {
		checks_run_ref(run, NULL, g_ptr_array_index(docs, i));
		switch (seal_owner_doc(so, in, run, g_ptr_array_index(docs, i),
				       keys, names)) {
		case NO_SEAL:
			unsealed++;
			break;
		case RING_UNREAD:
			unread++;
			break;
		default:
			break;
		}
	}
	if (run->outcome->status == CHECKS_FAILED)
		goto out;
	if (unread > 0 || unsealed > 0)
		checks_run_not_checked(
		    run, "%s%s%s%s%s，无法判断是谁的印章，请人工核对",
		    unread > 0 ? label : "",
		    unread > 0 ? "上印章的环文未能识读出单位名称" : "",
		    unread > 0 && unsealed > 0 ? "；" : "",
		    unsealed > 0 ? label : "", unsealed > 0 ? "未见印章" : "");
	else
		checks_run_pass(run, "%s加盖了%s%s%s的印章", label,
				so->required[PARTY_ENTERPRISE] ? "企业" : "",
				so->required[PARTY_ENTERPRISE] &&
					so->required[PARTY_PROVIDER]
				    ? "和"
				    : "",
				so->required[PARTY_PROVIDER] ? "服务商" : "");
out:
	for (int p = 0; p < N_PARTIES; p++) {
		g_free(keys[p]);
		g_free(names[p]);
	}
	g_ptr_array_unref(docs);
}

static const char *const seal_owner_keys[] = {
    "type", "parties", "enterprise", "provider", "doc.*", NULL};

const ChecksKind checks_kind_seal_owner = {"seal_owner", seal_owner_keys,
					   seal_owner_parse, seal_owner_free,
					   seal_owner_run};
