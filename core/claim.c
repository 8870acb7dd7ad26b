/* claim.c - read claim.json, the facts a claim declares about itself
 * (CONTRACT.md §1). Every key is optional; a key of the wrong type is an
 * error naming it, so a typo never silently turns a check off. */
#include <json-glib/json-glib.h>

#include "core/core.h"

CoreClaim *
core_claim_new(void)
{
	CoreClaim *c = g_new0(CoreClaim, 1);

	c->trainees = -1;
	return c;
}

static void
party_clear(CoreParty *p)
{
	g_free(p->name);
	g_free(p->credit_code);
	g_free(p->tier);
}

void
core_claim_free(CoreClaim *claim)
{
	if (claim == NULL)
		return;
	g_free(claim->claim_id);
	g_free(claim->direction);
	g_free(claim->scene);
	g_free(claim->delivery);
	g_free(claim->product_name);
	g_free(claim->project_kind);
	party_clear(&claim->enterprise);
	party_clear(&claim->provider);
	g_free(claim->contract_number);
	g_free(claim->contract_signed_on);
	g_free(claim->contract_amount);
	g_free(claim->voucher_amount);
	g_free(claim->accepted_on);
	g_free(claim);
}

/* A string member, or a number written as a string ("direction": 4 is
 * common in hand-written files and means "4"). */
static gboolean
get_string(JsonObject *obj, const char *key, const char *where, char **out,
	   GError **error)
{
	JsonNode *node = json_object_get_member(obj, key);
	GType type;

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	type = JSON_NODE_HOLDS_VALUE(node) ? json_node_get_value_type(node)
					   : G_TYPE_INVALID;
	g_free(*out);
	*out = NULL;
	if (type == G_TYPE_STRING) {
		*out = g_strstrip(g_strdup(json_node_get_string(node)));
	} else if (type == G_TYPE_INT64) {
		*out = g_strdup_printf("%" G_GINT64_FORMAT,
				       json_node_get_int(node));
	} else if (type == G_TYPE_DOUBLE) {
		char buf[G_ASCII_DTOSTR_BUF_SIZE];

		/* Shortest form: "direction": 14.1 means "14.1". */
		*out = g_strdup(g_ascii_dtostr(buf, sizeof buf,
					       json_node_get_double(node)));
	} else {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "%s: \"%s\" must be a string or a number", where,
			    key);
		return FALSE;
	}
	return TRUE;
}

/* "60,000" -> "60000.00"; NULL when RAW is not a plain amount. */
static char *
amount_normalize(const char *raw)
{
	GString *digits = g_string_new(NULL);
	char *end = NULL;
	char *out = NULL;
	double v;

	for (const char *p = raw; *p != '\0'; p++)
		if (*p != ',' && *p != ' ')
			g_string_append_c(digits, *p);
	v = g_ascii_strtod(digits->str, &end);
	if (digits->len > 0 && end != NULL && *end == '\0' && v >= 0 &&
	    v < 1e12)
		out = g_strdup_printf("%.2f", v);
	g_string_free(digits, TRUE);
	return out;
}

/* Amounts are kept as "60000.00" whether written 60000, 60000.0 or
 * "60,000.00", so they compare as strings with the invoices' totals. */
static gboolean
get_amount(JsonObject *obj, const char *key, const char *where, char **out,
	   GError **error)
{
	char *raw = NULL;
	gboolean ok = get_string(obj, key, where, &raw, error);

	if (ok && raw != NULL) {
		g_free(*out);
		*out = amount_normalize(raw);
		if (*out == NULL) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
				    "%s: \"%s\" must be an amount in yuan, "
				    "not '%s'",
				    where, key, raw);
			ok = FALSE;
		}
	}
	g_free(raw);
	return ok;
}

static gboolean
get_party(JsonObject *obj, const char *key, const char *where, CoreParty *p,
	  GError **error)
{
	JsonNode *node = json_object_get_member(obj, key);
	JsonObject *sub;

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "%s: \"%s\" must be an object with name and "
			    "credit_code",
			    where, key);
		return FALSE;
	}
	sub = json_node_get_object(node);
	return get_string(sub, "name", where, &p->name, error) &&
	       get_string(sub, "credit_code", where, &p->credit_code, error) &&
	       get_string(sub, "tier", where, &p->tier, error);
}

static gboolean
get_contract(JsonObject *obj, const char *where, CoreClaim *c, GError **error)
{
	JsonNode *node = json_object_get_member(obj, "contract");
	JsonObject *sub;

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "%s: \"contract\" must be an object", where);
		return FALSE;
	}
	sub = json_node_get_object(node);
	return get_string(sub, "number", where, &c->contract_number, error) &&
	       get_string(sub, "signed_on", where, &c->contract_signed_on,
			  error) &&
	       get_amount(sub, "amount", where, &c->contract_amount, error) &&
	       get_amount(sub, "voucher_amount", where, &c->voucher_amount,
			  error);
}

static gboolean
get_trainees(JsonObject *obj, const char *where, CoreClaim *c, GError **error)
{
	JsonNode *node = json_object_get_member(obj, "trainees");

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_INT64 ||
	    json_node_get_int(node) < 0 || json_node_get_int(node) > G_MAXINT) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "%s: \"trainees\" must be a whole number", where);
		return FALSE;
	}
	c->trainees = (int)json_node_get_int(node);
	return TRUE;
}

static gboolean
fill_claim(JsonObject *o, const char *where, CoreClaim *c, GError **error)
{
	return get_string(o, "claim_id", where, &c->claim_id, error) &&
	       get_string(o, "direction", where, &c->direction, error) &&
	       get_string(o, "scene", where, &c->scene, error) &&
	       get_string(o, "delivery", where, &c->delivery, error) &&
	       get_string(o, "product_name", where, &c->product_name, error) &&
	       get_string(o, "project_kind", where, &c->project_kind, error) &&
	       get_party(o, "enterprise", where, &c->enterprise, error) &&
	       get_party(o, "provider", where, &c->provider, error) &&
	       get_contract(o, where, c, error) &&
	       get_string(o, "accepted_on", where, &c->accepted_on, error) &&
	       get_trainees(o, where, c, error);
}

CoreClaim *
core_claim_parse(const char *data, gsize len, const char *name, GError **error)
{
	JsonParser *parser = json_parser_new_immutable();
	CoreClaim *claim = NULL;
	JsonNode *root;
	GError *local = NULL;

	if (!json_parser_load_from_data(parser, data, (gssize)len, &local)) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "%s is not valid JSON: %s", name, local->message);
		goto cleanup;
	}
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "%s must hold one JSON object", name);
		goto cleanup;
	}
	claim = core_claim_new();
	if (!fill_claim(json_node_get_object(root), name, claim, error)) {
		core_claim_free(claim);
		claim = NULL;
	}
cleanup:
	g_clear_error(&local);
	g_object_unref(parser);
	return claim;
}

/* claim.json is written by people; anything larger is not one. */
#define CLAIM_JSON_MAX_BYTES (1024 * 1024)

CoreClaim *
core_claim_load(const char *path, GError **error)
{
	char *data = NULL;
	gsize len = 0;
	CoreClaim *claim = NULL;
	char *name = g_filename_display_basename(path);

	if (core_file_read_small(path, CLAIM_JSON_MAX_BYTES, &data, &len,
				 error))
		claim = core_claim_parse(data, len, name, error);
	g_free(data);
	g_free(name);
	return claim;
}
