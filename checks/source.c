/* source.c - where a rule's values come from: "claim.KEY" (claim.json and
 * the command line) or "TYPE.FIELD" (a field types.ini reads from a
 * document), with alternatives tried in order, so one rule can take the
 * signing date from claim.json and else from the contract. */
#include <string.h>

#include "checks/checks_int.h"

typedef struct {
	char *type; /* NULL: the claim */
	char *key;  /* claim key or document field */
} Alternative;

struct ChecksSource {
	char *text;
	GArray *alts; /* Alternative */
};

static const char *const claim_keys[] = {"product_name",
					 "direction",
					 "scene",
					 "delivery",
					 "project_kind",
					 "enterprise.name",
					 "enterprise.credit_code",
					 "enterprise.tier",
					 "provider.name",
					 "provider.credit_code",
					 "contract.number",
					 "contract.signed_on",
					 "contract.amount",
					 "contract.voucher_amount",
					 "accepted_on",
					 "trainees",
					 NULL};

static void
alt_clear(Alternative *a)
{
	g_free(a->type);
	g_free(a->key);
}

void
checks_source_free(ChecksSource *source)
{
	if (source == NULL)
		return;
	g_free(source->text);
	g_array_unref(source->alts);
	g_free(source);
}

const char *
checks_source_text(const ChecksSource *source)
{
	return source->text;
}

static gboolean
parse_alternative(const char *part, Alternative *a, GError **error)
{
	const char *dot = strchr(part, '.');

	if (dot == NULL || dot == part || dot[1] == '\0' ||
	    !g_regex_match_simple("^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_.]*$", part,
				  0, 0)) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "\"%s\" is neither claim.KEY nor TYPE.FIELD", part);
		return FALSE;
	}
	if (g_str_has_prefix(part, "claim.")) {
		if (!g_strv_contains(claim_keys, dot + 1)) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "\"%s\": claim has no key \"%s\"", part,
				    dot + 1);
			return FALSE;
		}
		a->key = g_strdup(dot + 1);
		return TRUE;
	}
	a->type = g_strndup(part, dot - part);
	a->key = g_strdup(dot + 1);
	return TRUE;
}

ChecksSource *
checks_source_parse(const char *text, GError **error)
{
	ChecksSource *source = g_new0(ChecksSource, 1);
	char **parts = g_strsplit(text, "|", -1);

	source->text = g_strstrip(g_strdup(text));
	source->alts = g_array_new(FALSE, TRUE, sizeof(Alternative));
	g_array_set_clear_func(source->alts, (GDestroyNotify)alt_clear);
	for (guint i = 0; parts[i] != NULL; i++) {
		Alternative a = {0};

		if (!parse_alternative(g_strstrip(parts[i]), &a, error)) {
			g_strfreev(parts);
			checks_source_free(source);
			return NULL;
		}
		g_array_append_val(source->alts, a);
	}
	g_strfreev(parts);
	return source;
}

gboolean
checks_key_source(GKeyFile *kf, const char *group, const char *key,
		  const char *where, gboolean required, ChecksSource **out,
		  GError **error)
{
	char *text = g_key_file_get_string(kf, group, key, NULL);
	GError *local = NULL;

	*out = NULL;
	if (text == NULL || *g_strstrip(text) == '\0') {
		g_free(text);
		if (!required)
			return TRUE;
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: key \"%s\" is required", where, key);
		return FALSE;
	}
	*out = checks_source_parse(text, &local);
	g_free(text);
	if (*out == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES, "%s: %s: %s",
			    where, key, local->message);
		g_error_free(local);
		return FALSE;
	}
	return TRUE;
}

const char *
checks_claim_value(const CoreClaim *c, const char *key)
{
	static const struct {
		const char *key;
		gsize offset;
	} map[] = {
	    {"product_name", G_STRUCT_OFFSET(CoreClaim, product_name)},
	    {"direction", G_STRUCT_OFFSET(CoreClaim, direction)},
	    {"scene", G_STRUCT_OFFSET(CoreClaim, scene)},
	    {"delivery", G_STRUCT_OFFSET(CoreClaim, delivery)},
	    {"project_kind", G_STRUCT_OFFSET(CoreClaim, project_kind)},
	    {"enterprise.name", G_STRUCT_OFFSET(CoreClaim, enterprise.name)},
	    {"enterprise.credit_code",
	     G_STRUCT_OFFSET(CoreClaim, enterprise.credit_code)},
	    {"enterprise.tier", G_STRUCT_OFFSET(CoreClaim, enterprise.tier)},
	    {"provider.name", G_STRUCT_OFFSET(CoreClaim, provider.name)},
	    {"provider.credit_code",
	     G_STRUCT_OFFSET(CoreClaim, provider.credit_code)},
	    {"contract.number", G_STRUCT_OFFSET(CoreClaim, contract_number)},
	    {"contract.signed_on",
	     G_STRUCT_OFFSET(CoreClaim, contract_signed_on)},
	    {"contract.amount", G_STRUCT_OFFSET(CoreClaim, contract_amount)},
	    {"contract.voucher_amount",
	     G_STRUCT_OFFSET(CoreClaim, voucher_amount)},
	    {"accepted_on", G_STRUCT_OFFSET(CoreClaim, accepted_on)},
	};

	if (c == NULL)
		return NULL;
	for (guint i = 0; i < G_N_ELEMENTS(map); i++)
		if (strcmp(map[i].key, key) == 0) {
			const char *v =
			    G_STRUCT_MEMBER(const char *, c, map[i].offset);

			return v != NULL && *v != '\0' ? v : NULL;
		}
	return NULL;
}

/* claim.trainees is a number; kept as text so every source is a string. */
static const char *
claim_lookup(const ChecksInput *in, const char *key, char *buf, gsize size)
{
	if (strcmp(key, "trainees") == 0) {
		if (in->claim == NULL || in->claim->trainees < 0)
			return NULL;
		g_snprintf(buf, size, "%d", in->claim->trainees);
		return buf;
	}
	return checks_claim_value(in->claim, key);
}

GPtrArray *
checks_documents_of(const ChecksInput *in, const char *type)
{
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; in->documents != NULL && i < in->documents->len;
	     i++) {
		CoreDocument *doc = g_ptr_array_index(in->documents, i);

		if (g_strcmp0(doc->type, type) == 0)
			g_ptr_array_add(out, doc);
	}
	return out;
}

/* Every value of alternative A; claim values live in a per-input cache
 * so their pointers outlive the call. */
static void
alternative_values(const Alternative *a, const ChecksInput *in, GArray *out)
{
	if (a->type == NULL) {
		char buf[32];
		const char *v = claim_lookup(in, a->key, buf, sizeof buf);
		ChecksValue cv = {NULL, NULL, a->key};

		if (v == NULL)
			return;
		cv.value = g_intern_string(v);
		g_array_append_val(out, cv);
		return;
	}
	for (guint i = 0; in->documents != NULL && i < in->documents->len;
	     i++) {
		CoreDocument *doc = g_ptr_array_index(in->documents, i);
		const char *v;
		ChecksValue cv;

		if (g_strcmp0(doc->type, a->type) != 0)
			continue;
		v = core_document_get_field(doc, a->key);
		if (v == NULL || *v == '\0')
			continue;
		cv.value = v;
		cv.doc = doc;
		cv.field = a->key;
		g_array_append_val(out, cv);
	}
}

GArray *
checks_source_all(const ChecksSource *source, const ChecksInput *in)
{
	GArray *out = g_array_new(FALSE, TRUE, sizeof(ChecksValue));

	for (guint i = 0; i < source->alts->len && out->len == 0; i++)
		alternative_values(&g_array_index(source->alts, Alternative, i),
				   in, out);
	return out;
}

gboolean
checks_source_first(const ChecksSource *source, const ChecksInput *in,
		    ChecksValue *out)
{
	GArray *all = checks_source_all(source, in);
	gboolean found = all->len > 0;

	if (found)
		*out = g_array_index(all, ChecksValue, 0);
	g_array_unref(all);
	return found;
}
