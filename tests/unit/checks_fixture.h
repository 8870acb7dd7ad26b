/* checks_fixture.h - a claim built in memory for the checks/ unit tests
 * (test_checks_*.c): documents with their fields, pages with their text
 * and seals, one rule of the real rules/2026/checks.ini run on it. Each
 * test file sets POLICY and its own fx_init. */
#ifndef EVIDCHECK_TEST_CHECKS_FIXTURE_H
#define EVIDCHECK_TEST_CHECKS_FIXTURE_H

#include <stdio.h>

#include "checks/checks_int.h"

#ifndef EVIDCHECK_RULES_DIR
#define EVIDCHECK_RULES_DIR "rules"
#endif
#define CHECKS_2026 EVIDCHECK_RULES_DIR "/2026/checks.ini"

static ChecksPolicy *policy;

typedef struct {
	CoreClaim *claim;
	GPtrArray *documents;
	GPtrArray *pages;
	ChecksResult *result;
} Fixture;

/* A claim of DIRECTION declaring nothing else. */
G_GNUC_UNUSED static void
fx_init_bare(Fixture *fx, const char *direction)
{
	fx->claim = core_claim_new();
	fx->claim->direction = g_strdup(direction);
	fx->documents = core_ptr_array_new(core_document_free);
	fx->pages = core_ptr_array_new(core_page_free);
	fx->result = NULL;
}

G_GNUC_UNUSED static void
fx_clear(Fixture *fx)
{
	checks_result_free(fx->result);
	g_ptr_array_unref(fx->pages);
	g_ptr_array_unref(fx->documents);
	core_claim_free(fx->claim);
}

/* A one-page document of TYPE in FILE with fields "name=value" ... NULL,
 * read from a text layer. */
G_GNUC_UNUSED static CoreDocument *
add_doc(Fixture *fx, const char *file, const char *type, ...)
{
	CoreDocument *doc = core_document_new(file, type);
	va_list ap;
	const char *kv;

	core_document_add_page(doc, 1);
	doc->source = CORE_TEXT_PDF;
	va_start(ap, type);
	while ((kv = va_arg(ap, const char *)) != NULL) {
		char **p = g_strsplit(kv, "=", 2);

		core_document_set_field(doc, p[0], p[1]);
		g_strfreev(p);
	}
	va_end(ap);
	g_ptr_array_add(fx->documents, doc);
	return doc;
}

/* Rule RULE alone on the claim; the outcome (owned by FX). */
G_GNUC_UNUSED static const ChecksOutcome *
run_rule(Fixture *fx, const char *rule)
{
	ChecksInput in = {0};

	in.claim_id = "T";
	in.claim = fx->claim;
	in.documents = fx->documents;
	in.pages = fx->pages;
	checks_result_free(fx->result);
	fx->result = checks_evaluate_only(policy, &in, rule);
	g_assert_cmpuint(fx->result->outcomes->len, ==, 1);
	return g_ptr_array_index(fx->result->outcomes, 0);
}

G_GNUC_UNUSED static void
assert_status(const ChecksOutcome *o, ChecksStatus status)
{
	/* stdio, not g_error: GLib would turn the Chinese note into "?" in
	 * a C locale. */
	if (o->status != status)
		fprintf(stderr, "%s: %s\n", o->check, o->note);
	g_assert_cmpstr(checks_status_name(o->status), ==,
			checks_status_name(status));
}

#endif
