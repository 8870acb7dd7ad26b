/* e2e_check.c - run `evidcheck scan` on a generated claim folder and
 * compare its JSON report with the case's expected.json: the verdict and
 * exit status, the findings a reviewer must see (and no others), checklist
 * statuses, document types and, where named, their fields, notes, the
 * second reading of their text-layer fields ("verified"), the
 * organisations read from seal rings ("seal_orgs") and words the
 * findings' messages must hold, and the statuses of the cross-document
 * checks ("checks"). Optionally scans twice to check caching. Claims
 * named after WORK_DIR (BEFORE...) are scanned first, in order, into the
 * same store, so that checks across claims (DUPLICATE_EVIDENCE) see them;
 * only CLAIM_DIR's report is compared.
 * usage: e2e_check EVIDCHECK CLAIM_DIR EXPECTED_JSON WORK_DIR [BEFORE...] */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tests/check.h"

static JsonNode *
parse(const char *data, const char *what)
{
	JsonParser *p = json_parser_new();
	GError *error = NULL;
	JsonNode *root = NULL;

	/* An empty stdout parses as no document at all: a failed scan too. */
	if (!json_parser_load_from_data(p, data, -1, &error))
		check_fail("%s is not JSON: %s", what, error->message);
	else if (json_parser_get_root(p) == NULL)
		check_fail("%s is empty", what);
	else
		root = json_node_copy(json_parser_get_root(p));
	g_clear_error(&error);
	g_object_unref(p);
	return root;
}

/* Run evidcheck; returns the parsed report and sets *STATUS. */
static JsonNode *
run_scan(char **argv, int *status)
{
	char *out = NULL;
	char *err = NULL;
	GError *error = NULL;
	JsonNode *report = NULL;

	if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
			  &err, status, &error)) {
		check_fail("cannot run evidcheck: %s", error->message);
		goto cleanup;
	}
	*status = WIFEXITED(*status) ? WEXITSTATUS(*status) : 128;
	if (err != NULL && *err != '\0')
		printf("evidcheck stderr:\n%s\n", err);
	report = parse(out, "evidcheck's stdout");
	if (report != NULL)
		printf("%s\n", out);
cleanup:
	g_clear_error(&error);
	g_free(out);
	g_free(err);
	return report;
}

static void
check_checklist(JsonObject *report, JsonObject *exp)
{
	JsonArray *items = json_object_get_array_member(report, "checklist");
	JsonObject *want;
	GList *keys;

	if (json_object_has_member(exp, "checklist_items") &&
	    json_array_get_length(items) !=
		(guint)json_object_get_int_member(exp, "checklist_items"))
		check_fail("checklist has %u items, expected %" G_GINT64_FORMAT,
			   json_array_get_length(items),
			   json_object_get_int_member(exp, "checklist_items"));
	if (!json_object_has_member(exp, "checklist"))
		return;
	want = json_object_get_object_member(exp, "checklist");
	keys = json_object_get_members(want);
	for (GList *k = keys; k != NULL; k = k->next) {
		const char *status =
		    json_object_get_string_member(want, k->data);
		const char *got = NULL;

		for (guint i = 0; i < json_array_get_length(items); i++) {
			JsonObject *it =
			    json_array_get_object_element(items, i);

			if (g_strcmp0(check_str_member(it, "item"), k->data) ==
			    0)
				got = check_str_member(it, "status");
		}
		if (g_strcmp0(got, status) != 0)
			check_fail("checklist item %s: expected %s, got %s",
				   (char *)k->data, status,
				   got ? got : "(absent)");
	}
	g_list_free(keys);
}

static void
check_documents(JsonObject *report, JsonObject *exp)
{
	JsonArray *docs = json_object_get_array_member(report, "documents");
	JsonObject *want;
	GList *keys;

	if (!json_object_has_member(exp, "documents"))
		return;
	want = json_object_get_object_member(exp, "documents");
	keys = json_object_get_members(want);
	for (GList *k = keys; k != NULL; k = k->next) {
		const char *type = json_object_get_string_member(want, k->data);
		gboolean found = FALSE;

		for (guint i = 0; i < json_array_get_length(docs); i++) {
			JsonObject *d = json_array_get_object_element(docs, i);

			found |=
			    g_strcmp0(check_str_member(d, "file"), k->data) ==
				0 &&
			    g_strcmp0(check_str_member(d, "type"), type) == 0;
		}
		if (!found)
			check_fail("no document of type %s in %s", type,
				   (char *)k->data);
	}
	g_list_free(keys);
}

/* "stamped": {"file": true | false | null}: what the report says of the
 * first document in FILE (null: not searched for a seal). */
static void
check_stamped(JsonObject *report, JsonObject *exp)
{
	JsonArray *docs = json_object_get_array_member(report, "documents");
	JsonObject *want;
	GList *keys;

	if (!json_object_has_member(exp, "stamped"))
		return;
	want = json_object_get_object_member(exp, "stamped");
	keys = json_object_get_members(want);
	for (GList *k = keys; k != NULL; k = k->next) {
		JsonNode *w = json_object_get_member(want, k->data);
		JsonNode *got = NULL;

		for (guint i = 0; i < json_array_get_length(docs) && !got;
		     i++) {
			JsonObject *d = json_array_get_object_element(docs, i);

			if (g_strcmp0(check_str_member(d, "file"), k->data) ==
			    0)
				got = json_object_get_member(d, "stamped");
		}
		if (got == NULL ||
		    JSON_NODE_HOLDS_NULL(w) != JSON_NODE_HOLDS_NULL(got) ||
		    (!JSON_NODE_HOLDS_NULL(w) &&
		     json_node_get_boolean(w) != json_node_get_boolean(got)))
			check_fail("%s: stamped is not as expected",
				   (char *)k->data);
	}
	g_list_free(keys);
}

/* The first document in FILE, or NULL. */
static JsonObject *
first_document(JsonObject *report, const char *file)
{
	JsonArray *docs = json_object_get_array_member(report, "documents");

	for (guint i = 0; i < json_array_get_length(docs); i++) {
		JsonObject *d = json_array_get_object_element(docs, i);

		if (g_strcmp0(check_str_member(d, "file"), file) == 0)
			return d;
	}
	return NULL;
}

/* "fields": {"file": {"name": "value" | null}}: fields of the first
 * document in FILE (null: the field is absent). */
static void
check_fields(JsonObject *report, JsonObject *exp, const char *run)
{
	JsonObject *want;
	GList *files;

	if (!json_object_has_member(exp, "fields"))
		return;
	want = json_object_get_object_member(exp, "fields");
	files = json_object_get_members(want);
	for (GList *f = files; f != NULL; f = f->next) {
		JsonObject *d = first_document(report, f->data);
		JsonObject *wf = json_object_get_object_member(want, f->data);
		JsonObject *got =
		    d != NULL && json_object_has_member(d, "fields")
			? json_object_get_object_member(d, "fields")
			: NULL;
		GList *names = json_object_get_members(wf);

		for (GList *n = names; n != NULL; n = n->next) {
			JsonNode *w = json_object_get_member(wf, n->data);
			const char *g =
			    got != NULL ? check_str_member(got, n->data) : NULL;
			const char *v = JSON_NODE_HOLDS_NULL(w)
					    ? NULL
					    : json_node_get_string(w);

			if (g_strcmp0(g, v) != 0)
				check_fail(
				    "%s run: %s: field %s is %s, expected %s",
				    run, (char *)f->data, (char *)n->data,
				    g ? g : "absent", v ? v : "absent");
		}
		g_list_free(names);
	}
	g_list_free(files);
}

/* "verified": {"file": {"field": "agree" | "disagree" | "unread"}}: the
 * second reading of the first document in FILE; {"file": null}: it has
 * none. */
static void
check_verified(JsonObject *report, JsonObject *exp, const char *run)
{
	JsonObject *want;
	GList *files;

	if (!json_object_has_member(exp, "verified"))
		return;
	want = json_object_get_object_member(exp, "verified");
	files = json_object_get_members(want);
	for (GList *f = files; f != NULL; f = f->next) {
		JsonObject *d = first_document(report, f->data);
		JsonNode *wn = json_object_get_member(want, f->data);
		JsonObject *got =
		    d != NULL && json_object_has_member(d, "verified")
			? json_object_get_object_member(d, "verified")
			: NULL;
		GList *names =
		    JSON_NODE_HOLDS_NULL(wn)
			? NULL
			: json_object_get_members(json_node_get_object(wn));

		if (JSON_NODE_HOLDS_NULL(wn) && got != NULL)
			check_fail("%s run: %s: unexpected \"verified\"", run,
				   (char *)f->data);
		for (GList *n = names; n != NULL; n = n->next) {
			const char *w = json_object_get_string_member(
			    json_node_get_object(wn), n->data);
			const char *g =
			    got != NULL ? check_str_member(got, n->data) : NULL;

			if (g_strcmp0(g, w) != 0)
				check_fail(
				    "%s run: %s: verified.%s is %s, expected "
				    "%s",
				    run, (char *)f->data, (char *)n->data,
				    g ? g : "absent", w);
		}
		g_list_free(names);
	}
	g_list_free(files);
}

/* "notes": {"file": ["text", ...]}: each text is part of a note of the
 * first document in FILE; an empty list means no notes at all. */
static void
check_notes(JsonObject *report, JsonObject *exp, const char *run)
{
	JsonObject *want;
	GList *files;

	if (!json_object_has_member(exp, "notes"))
		return;
	want = json_object_get_object_member(exp, "notes");
	files = json_object_get_members(want);
	for (GList *f = files; f != NULL; f = f->next) {
		JsonObject *d = first_document(report, f->data);
		JsonArray *wn = json_object_get_array_member(want, f->data);
		JsonArray *got = d != NULL && json_object_has_member(d, "notes")
				     ? json_object_get_array_member(d, "notes")
				     : NULL;
		guint n_got = got != NULL ? json_array_get_length(got) : 0;

		if (json_array_get_length(wn) == 0 && n_got > 0)
			check_fail("%s run: %s: unexpected note %s", run,
				   (char *)f->data,
				   json_array_get_string_element(got, 0));
		for (guint i = 0; i < json_array_get_length(wn); i++) {
			const char *w = json_array_get_string_element(wn, i);
			gboolean found = FALSE;

			for (guint k = 0; k < n_got && !found; k++)
				found = strstr(json_array_get_string_element(
						   got, k),
					       w) != NULL;
			if (!found)
				check_fail("%s run: %s: no note with \"%s\"",
					   run, (char *)f->data, w);
		}
	}
	g_list_free(files);
}

/* Whether SEALS ([x, y, w, h(, org)] per seal) has one naming ORG. */
static gboolean
seal_named(JsonArray *seals, const char *org)
{
	gboolean found = FALSE;

	for (guint i = 0; seals != NULL && i < json_array_get_length(seals);
	     i++) {
		JsonArray *seal = json_array_get_array_element(seals, i);

		found |=
		    json_array_get_length(seal) > 4 &&
		    g_strcmp0(json_array_get_string_element(seal, 4), org) == 0;
	}
	return found;
}

/* "seal_orgs": {"file#page": ["organisation", ...]}: each organisation
 * is read from the ring of one of the page's seals (others may be
 * unread). */
static void
check_seal_orgs(JsonObject *report, JsonObject *exp, const char *run)
{
	JsonArray *pages = json_object_get_array_member(report, "pages");
	JsonObject *want;
	GList *keys;

	if (!json_object_has_member(exp, "seal_orgs"))
		return;
	want = json_object_get_object_member(exp, "seal_orgs");
	keys = json_object_get_members(want);
	for (GList *k = keys; k != NULL; k = k->next) {
		JsonArray *orgs = json_object_get_array_member(want, k->data);
		JsonArray *seals = NULL;

		for (guint i = 0; i < json_array_get_length(pages); i++) {
			JsonObject *p = json_array_get_object_element(pages, i);

			if (g_strcmp0(check_str_member(p, "page"), k->data) ==
				0 &&
			    json_object_has_member(p, "seals"))
				seals =
				    json_object_get_array_member(p, "seals");
		}
		for (guint i = 0; i < json_array_get_length(orgs); i++) {
			const char *org =
			    json_array_get_string_element(orgs, i);

			if (!seal_named(seals, org))
				check_fail("%s run: no seal of %s names %s",
					   run, (char *)k->data, org);
		}
	}
	g_list_free(keys);
}

/* "summary": {"pages_ocr": 0, ...}: exact counts. */
static void
check_summary(JsonObject *report, JsonObject *want, const char *run)
{
	JsonObject *got = json_object_get_object_member(report, "summary");
	GList *keys = json_object_get_members(want);

	for (GList *k = keys; k != NULL; k = k->next) {
		gint64 w = json_object_get_int_member(want, k->data);
		gint64 g = json_object_get_int_member(got, k->data);

		if (w != g)
			check_fail("%s run: summary.%s is %" G_GINT64_FORMAT
				   ", expected %" G_GINT64_FORMAT,
				   run, (char *)k->data, g, w);
	}
	g_list_free(keys);
}

/* The status of check ID in the report's "checks" array, or NULL. */
static const char *
check_status(JsonObject *report, const char *id)
{
	JsonArray *checks;

	if (!json_object_has_member(report, "checks"))
		return NULL;
	checks = json_object_get_array_member(report, "checks");
	for (guint i = 0; checks != NULL && i < json_array_get_length(checks);
	     i++) {
		JsonObject *c = json_array_get_object_element(checks, i);

		if (c != NULL &&
		    g_strcmp0(check_str_member(c, "check"), id) == 0)
			return check_str_member(c, "status");
	}
	return NULL;
}

/* "checks": {"id": "passed" | "failed" | "not_checked" |
 * "not_applicable"}: each named check is in the report with that status;
 * "checks_not": ["id", ...]: none of these failed (absent is fine, so a
 * case can rule out a false alarm without pinning how far it got). */
static void
check_checks(JsonObject *report, JsonObject *exp, const char *run)
{
	if (json_object_has_member(exp, "checks")) {
		JsonObject *want = json_object_get_object_member(exp, "checks");
		GList *keys = json_object_get_members(want);

		for (GList *k = keys; k != NULL; k = k->next) {
			const char *w =
			    json_object_get_string_member(want, k->data);
			const char *g = check_status(report, k->data);

			if (g_strcmp0(g, w) != 0)
				check_fail(
				    "%s run: check %s is %s, expected %s", run,
				    (char *)k->data, g ? g : "absent", w);
		}
		g_list_free(keys);
	}
	if (json_object_has_member(exp, "checks_not")) {
		JsonArray *ids =
		    json_object_get_array_member(exp, "checks_not");

		for (guint i = 0; i < json_array_get_length(ids); i++) {
			const char *id = json_array_get_string_element(ids, i);

			if (g_strcmp0(check_status(report, id), "failed") == 0)
				check_fail("%s run: check %s failed", run, id);
		}
	}
}

static void
check_report(JsonObject *report, int status, JsonObject *exp)
{
	const char *verdict = check_str_member(exp, "verdict");

	if (g_strcmp0(check_str_member(report, "verdict"), verdict) != 0)
		check_fail("verdict %s, expected %s",
			   check_str_member(report, "verdict"), verdict);
	if (status != (g_strcmp0(verdict, "pass") == 0 ? 0 : 1))
		check_fail("exit status %d does not match verdict %s", status,
			   verdict);
	check_findings(report, exp, NULL);
	check_checklist(report, exp);
	check_documents(report, exp);
	check_stamped(report, exp);
	check_fields(report, exp, "first");
	check_notes(report, exp, "first");
	check_verified(report, exp, "first");
	check_seal_orgs(report, exp, "first");
	check_checks(report, exp, "first");
	if (json_object_has_member(exp, "summary"))
		check_summary(report,
			      json_object_get_object_member(exp, "summary"),
			      "first");
}

/* Each run of the case starts from an empty store. */
static void
fresh_store(const char *dir)
{
	static const char *const names[] = {"store.db", "store.db-wal",
					    "store.db-shm"};

	g_mkdir_with_parents(dir, 0700);
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		char *path = g_build_filename(dir, names[i], NULL);

		g_unlink(path);
		g_free(path);
	}
}

/* The command line scanning CLAIM; EXP's "args" apply to the case's own
 * claim only (EXP NULL: a claim scanned before it, which declares itself
 * in its claim.json). */
static GPtrArray *
scan_argv(char **argv, const char *claim, JsonObject *exp)
{
	GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
	JsonArray *extra = exp != NULL && json_object_has_member(exp, "args")
			       ? json_object_get_array_member(exp, "args")
			       : NULL;

	g_ptr_array_add(a, g_strdup(argv[1]));
	g_ptr_array_add(a, g_strdup("scan"));
	g_ptr_array_add(a, g_strdup(claim));
	g_ptr_array_add(a, g_strdup("--format=json"));
	g_ptr_array_add(a, g_strconcat("--db=", argv[4], "/store.db", NULL));
	for (guint i = 0; extra != NULL && i < json_array_get_length(extra);
	     i++)
		g_ptr_array_add(
		    a, g_strdup(json_array_get_string_element(extra, i)));
	g_ptr_array_add(a, NULL);
	return a;
}

/* Scan each earlier claim into the store; their reports are not compared,
 * but a scan that fails outright (status 2, no JSON) fails the case. */
static void
scan_before(char **argv, int argc)
{
	for (int i = 5; i < argc; i++) {
		GPtrArray *args = scan_argv(argv, argv[i], NULL);
		int status = -1;
		JsonNode *report;

		printf("scanning earlier claim %s\n", argv[i]);
		report = run_scan((char **)args->pdata, &status);
		if (report == NULL || status > 1)
			check_fail("earlier claim %s: scan failed (status %d)",
				   argv[i], status);
		if (report != NULL)
			json_node_unref(report);
		g_ptr_array_unref(args);
	}
}

int
main(int argc, char **argv)
{
	char *text = NULL;
	JsonNode *exp_node = NULL;
	JsonNode *report = NULL;
	JsonObject *exp;
	GPtrArray *args;
	int status = -1;

	if (argc < 5) {
		fprintf(stderr, "usage: e2e_check EVIDCHECK CLAIM EXPECTED "
				"WORKDIR [BEFORE...]\n");
		return 2;
	}
	if (!g_file_get_contents(argv[3], &text, NULL, NULL) ||
	    (exp_node = parse(text, argv[3])) == NULL)
		return 2;
	exp = json_node_get_object(exp_node);
	fresh_store(argv[4]);
	scan_before(argv, argc);
	args = scan_argv(argv, argv[2], exp);
	report = run_scan((char **)args->pdata, &status);
	if (report != NULL)
		check_report(json_node_get_object(report), status, exp);
	if (report != NULL && json_object_has_member(exp, "second_run")) {
		json_node_unref(report);
		report = run_scan((char **)args->pdata, &status);
		if (report != NULL) {
			check_summary(
			    json_node_get_object(report),
			    json_object_get_object_member(exp, "second_run"),
			    "second");
			/* What was read comes back from the cache too. */
			check_fields(json_node_get_object(report), exp,
				     "second");
			check_notes(json_node_get_object(report), exp,
				    "second");
			check_verified(json_node_get_object(report), exp,
				       "second");
			check_seal_orgs(json_node_get_object(report), exp,
					"second");
			check_checks(json_node_get_object(report), exp,
				     "second");
		}
	}
	if (report != NULL)
		json_node_unref(report);
	json_node_unref(exp_node);
	g_ptr_array_unref(args);
	g_free(text);
	printf("%s\n", check_failures() == 0 ? "ok" : "FAILED");
	return check_failures() == 0 ? 0 : 1;
}
