/* json.c - the JSON report (CONTRACT.md §4). Required keys come first and
 * keep their names; the extra keys (policy, summary, claim, files, labels,
 * notes) only add. */
#include <json-glib/json-glib.h>

#include "reports/reports.h"

static void
add_str(JsonBuilder *b, const char *key, const char *value)
{
	json_builder_set_member_name(b, key);
	if (value != NULL)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

static void
add_int(JsonBuilder *b, const char *key, gint64 value)
{
	json_builder_set_member_name(b, key);
	json_builder_add_int_value(b, value);
}

/* Rounded so reports compare equal across runs and machines. */
static void
add_ratio(JsonBuilder *b, const char *key, double value)
{
	json_builder_set_member_name(b, key);
	json_builder_add_double_value(b, (double)(gint64)(value * 100 + 0.5) /
					     100.0);
}

static void
add_strings(JsonBuilder *b, const char *key, GPtrArray *strings)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_array(b);
	for (guint i = 0; strings != NULL && i < strings->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(strings, i));
	json_builder_end_array(b);
}

static void
add_stamped(JsonBuilder *b, int stamped)
{
	json_builder_set_member_name(b, "stamped");
	if (stamped < 0)
		json_builder_add_null_value(b);
	else
		json_builder_add_boolean_value(b, stamped > 0);
}

static void
add_fields(JsonBuilder *b, const CoreDocument *doc)
{
	json_builder_set_member_name(b, "fields");
	json_builder_begin_object(b);
	for (guint i = 0; i < doc->field_order->len; i++) {
		const char *k = g_ptr_array_index(doc->field_order, i);

		add_str(b, k, core_document_get_field(doc, k));
	}
	json_builder_end_object(b);
}

/* "verified": {"total": "agree", ...}: the key fields of a text-layer
 * document read again from the page image (scan/second.c). */
static void
add_verified(JsonBuilder *b, GPtrArray *entries)
{
	if (entries == NULL)
		return;
	json_builder_set_member_name(b, "verified");
	json_builder_begin_object(b);
	for (guint i = 0; i < entries->len; i++) {
		const ScanVerified *v = g_ptr_array_index(entries, i);

		add_str(b, v->field, scan_verify_status_name(v->status));
	}
	json_builder_end_object(b);
}

static void
add_document(JsonBuilder *b, const CoreDocument *doc,
	     const ClassifyRules *rules, GPtrArray *verified)
{
	json_builder_begin_object(b);
	add_str(b, "file", doc->file);
	json_builder_set_member_name(b, "pages");
	json_builder_begin_array(b);
	for (guint i = 0; i < doc->pages->len; i++)
		json_builder_add_int_value(b,
					   g_array_index(doc->pages, int, i));
	json_builder_end_array(b);
	add_str(b, "type", doc->type);
	add_str(b, "label", classify_type_label(rules, doc->type));
	add_ratio(b, "confidence", doc->confidence);
	add_str(b, "text_source", core_text_source_name(doc->source));
	add_stamped(b, doc->stamped);
	if (doc->stamped_page > 0)
		add_int(b, "stamped_page", doc->stamped_page);
	add_fields(b, doc);
	add_verified(b, verified);
	if (doc->notes->len > 0)
		add_strings(b, "notes", doc->notes);
	json_builder_end_object(b);
}

static void
add_documents(JsonBuilder *b, const ScanResult *r, const ClassifyRules *rules)
{
	json_builder_set_member_name(b, "documents");
	json_builder_begin_array(b);
	for (guint i = 0; i < r->documents->len; i++) {
		const CoreDocument *doc = g_ptr_array_index(r->documents, i);

		add_document(b, doc, rules,
			     r->verified != NULL
				 ? g_hash_table_lookup(r->verified, doc)
				 : NULL);
	}
	json_builder_end_array(b);
}

static void
add_checklist(JsonBuilder *b, const ChecklistResult *cl)
{
	json_builder_set_member_name(b, "checklist");
	json_builder_begin_array(b);
	for (guint i = 0; i < cl->items->len; i++) {
		const ChecklistItem *it = g_ptr_array_index(cl->items, i);

		json_builder_begin_object(b);
		add_str(b, "item", it->item);
		add_str(b, "number", it->number);
		add_str(b, "label", it->label);
		add_str(b, "status", checklist_status_name(it->status));
		add_strings(b, "documents", it->documents);
		if (it->note != NULL)
			add_str(b, "note", it->note);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

static void
add_checks(JsonBuilder *b, const ChecksResult *checks)
{
	json_builder_set_member_name(b, "checks");
	json_builder_begin_array(b);
	for (guint i = 0; checks != NULL && i < checks->outcomes->len; i++) {
		const ChecksOutcome *o = g_ptr_array_index(checks->outcomes, i);

		json_builder_begin_object(b);
		add_str(b, "check", o->check);
		add_str(b, "code", o->code);
		add_str(b, "label", o->label);
		add_str(b, "clause", o->clause);
		add_str(b, "status", checks_status_name(o->status));
		add_str(b, "note", o->note);
		add_strings(b, "documents", o->documents);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

static void
add_findings(JsonBuilder *b, GPtrArray *findings)
{
	json_builder_set_member_name(b, "findings");
	json_builder_begin_array(b);
	for (guint i = 0; i < findings->len; i++) {
		const CoreFinding *f = g_ptr_array_index(findings, i);

		json_builder_begin_object(b);
		add_str(b, "code", f->code);
		add_str(b, "severity", core_severity_name(f->severity));
		add_str(b, "message", f->message);
		if (f->message_en != NULL)
			add_str(b, "message_en", f->message_en);
		add_strings(b, "documents", f->documents);
		if (f->item != NULL)
			add_str(b, "item", f->item);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

/* [x, y, w, h], and NAME as a fifth element when it is not NULL. */
static void
add_box(JsonBuilder *b, const CoreBox *box, const char *name)
{
	json_builder_begin_array(b);
	json_builder_add_double_value(b, (double)(gint64)(box->x * 1e4) / 1e4);
	json_builder_add_double_value(b, (double)(gint64)(box->y * 1e4) / 1e4);
	json_builder_add_double_value(b, (double)(gint64)(box->w * 1e4) / 1e4);
	json_builder_add_double_value(b, (double)(gint64)(box->h * 1e4) / 1e4);
	if (name != NULL)
		json_builder_add_string_value(b, name);
	json_builder_end_array(b);
}

/* [x, y, w, h] per seal, with the organisation read from its ring as a
 * fifth element when there is one. */
static void
add_seals(JsonBuilder *b, const CorePage *p)
{
	json_builder_set_member_name(b, "seals");
	json_builder_begin_array(b);
	for (guint j = 0; j < p->seals->len; j++) {
		const char *org = j < p->seal_orgs->len
				      ? g_ptr_array_index(p->seal_orgs, j)
				      : NULL;

		add_box(b, &g_array_index(p->seals, CoreBox, j), org);
	}
	json_builder_end_array(b);
}

/* How each page was read, and where its seals are ([x, y, w, h] as
 * fractions of the upright page), so a reviewer can go to the ink. */
static void
add_pages(JsonBuilder *b, GPtrArray *pages)
{
	json_builder_set_member_name(b, "pages");
	json_builder_begin_array(b);
	for (guint i = 0; i < pages->len; i++) {
		const CorePage *p = g_ptr_array_index(pages, i);
		char *ref = core_ref(p->file, p->page);

		json_builder_begin_object(b);
		add_str(b, "page", ref);
		add_str(b, "type", p->type);
		if (p->type_guess != NULL)
			add_str(b, "type_guess", p->type_guess);
		add_str(b, "text_source", core_text_source_name(p->source));
		if (p->layer != NULL)
			add_str(b, "text_layer", p->layer);
		add_ratio(b, "confidence", p->confidence);
		add_int(b, "rotation", p->rotation);
		add_stamped(b, p->stamped);
		add_seals(b, p);
		if (p->codes->len > 0)
			add_strings(b, "codes", p->codes);
		json_builder_end_object(b);
		g_free(ref);
	}
	json_builder_end_array(b);
}

static void
add_files(JsonBuilder *b, GPtrArray *files)
{
	json_builder_set_member_name(b, "files");
	json_builder_begin_array(b);
	for (guint i = 0; i < files->len; i++) {
		const IngestFile *f = g_ptr_array_index(files, i);

		json_builder_begin_object(b);
		add_str(b, "file", f->path);
		add_str(b, "kind", ingest_kind_name(f->kind));
		add_str(b, "sha256", f->sha256[0] != '\0' ? f->sha256 : NULL);
		add_int(b, "size", f->size);
		add_int(b, "pages", f->n_pages);
		add_str(b, "error",
			f->error != NULL ? f->error->message : NULL);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

static void
add_summary(JsonBuilder *b, const ScanResult *r)
{
	int errors = 0;

	for (guint i = 0; i < r->findings->len; i++) {
		const CoreFinding *f = g_ptr_array_index(r->findings, i);

		errors += f->severity == CORE_SEVERITY_ERROR;
	}
	json_builder_set_member_name(b, "summary");
	json_builder_begin_object(b);
	add_int(b, "errors", errors);
	add_int(b, "warnings", (gint64)r->findings->len - errors);
	add_int(b, "files", r->stats.files);
	add_int(b, "pages", r->stats.pages);
	add_int(b, "pages_pdf_text", r->stats.pages_pdf_text);
	add_int(b, "pages_ocr", r->stats.pages_ocr);
	add_int(b, "pages_cached", r->stats.pages_cached);
	add_int(b, "verify_ocr", r->stats.verify_ocr);
	add_int(b, "verify_cached", r->stats.verify_cached);
	json_builder_end_object(b);
}

static void
add_party(JsonBuilder *b, const char *key, const CoreParty *p)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_object(b);
	add_str(b, "name", p->name);
	add_str(b, "credit_code", p->credit_code);
	json_builder_end_object(b);
}

/* The facts the checks used, after command-line overrides. */
static void
add_claim(JsonBuilder *b, const CoreClaim *c)
{
	json_builder_set_member_name(b, "claim");
	json_builder_begin_object(b);
	add_str(b, "scene", c->scene);
	add_str(b, "delivery", c->delivery);
	add_str(b, "product_name", c->product_name);
	add_str(b, "project_kind", c->project_kind);
	add_party(b, "enterprise", &c->enterprise);
	add_party(b, "provider", &c->provider);
	json_builder_set_member_name(b, "contract");
	json_builder_begin_object(b);
	add_str(b, "number", c->contract_number);
	add_str(b, "signed_on", c->contract_signed_on);
	add_str(b, "amount", c->contract_amount);
	add_str(b, "voucher_amount", c->voucher_amount);
	json_builder_end_object(b);
	if (c->accepted_on != NULL)
		add_str(b, "accepted_on", c->accepted_on);
	json_builder_end_object(b);
}

char *
reports_json(const ScanResult *result, const ScanContext *ctx)
{
	JsonBuilder *b = json_builder_new();
	JsonGenerator *gen = json_generator_new();
	JsonNode *root;
	char *body;
	char *out;

	json_builder_begin_object(b);
	add_str(b, "claim_id", result->claim_id);
	add_str(b, "direction", result->claim->direction);
	add_str(b, "direction_name", result->checklist->direction_name);
	add_str(b, "policy", result->policy);
	add_str(b, "verdict", scan_result_verdict(result));
	add_summary(b, result);
	add_claim(b, result->claim);
	add_documents(b, result, scan_context_rules(ctx));
	add_checklist(b, result->checklist);
	add_checks(b, result->checks);
	add_findings(b, result->findings);
	add_pages(b, result->pages);
	add_files(b, result->files);
	json_builder_end_object(b);

	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	json_generator_set_pretty(gen, TRUE);
	json_generator_set_indent(gen, 2);
	body = json_generator_to_data(gen, NULL);
	out = g_strconcat(body, "\n", NULL);
	g_free(body);
	json_node_unref(root);
	g_object_unref(gen);
	g_object_unref(b);
	return out;
}
