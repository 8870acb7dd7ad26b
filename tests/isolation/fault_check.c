/* fault_check.c - compare the report of a scan in which one file's reading
 * process was made to fail (EVIDCHECK_TEST_FAULT) with the report of the
 * same claim read cleanly: that file, and only it, must be an
 * UNREADABLE_FILE finding naming the cause, and every other page and
 * document must read exactly as before.
 * usage: fault_check CLEAN_JSON FAULTED_JSON FILE CAUSE */
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "tests/check.h"

static JsonObject *
load(JsonParser *p, const char *path)
{
	GError *error = NULL;

	if (!json_parser_load_from_file(p, path, &error)) {
		check_fail("%s is not JSON: %s", path, error->message);
		g_error_free(error);
		return NULL;
	}
	return json_node_get_object(json_parser_get_root(p));
}

/* KEY of O, "" when absent: every comparison below reads strings. */
static const char *
member(JsonObject *o, const char *key)
{
	const char *s = check_str_member(o, key);

	return s != NULL ? s : "";
}

/* "FILE#PAGE" or "FILE" belongs to FILE. */
static gboolean
of_file(const char *ref, const char *file)
{
	size_t n = strlen(file);

	return strncmp(ref, file, n) == 0 && (ref[n] == '\0' || ref[n] == '#');
}

static guint
count_unreadable(JsonObject *report, const char *file, const char *cause)
{
	JsonArray *findings = json_object_get_array_member(report, "findings");
	guint n = 0;

	for (guint i = 0; i < json_array_get_length(findings); i++) {
		JsonObject *f = json_array_get_object_element(findings, i);
		const char *msg = member(f, "message_en");

		if (strcmp(member(f, "code"), "UNREADABLE_FILE") != 0)
			continue;
		n++;
		if (file == NULL)
			continue;
		if (strstr(msg, file) == NULL)
			check_fail("UNREADABLE_FILE does not name %s: %s", file,
				   msg);
		if (strstr(msg, cause) == NULL)
			check_fail("UNREADABLE_FILE does not say '%s': %s",
				   cause, msg);
	}
	return n;
}

/* The entry of ARRAY whose KEY is VALUE, or NULL. */
static JsonObject *
find(JsonArray *array, const char *key, const char *value)
{
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonObject *o = json_array_get_object_element(array, i);

		if (strcmp(member(o, key), value) == 0)
			return o;
	}
	return NULL;
}

static void
same_pages(JsonObject *clean, JsonObject *faulted, const char *file)
{
	JsonArray *a = json_object_get_array_member(clean, "pages");
	JsonArray *b = json_object_get_array_member(faulted, "pages");

	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonObject *p = json_array_get_object_element(a, i);
		const char *ref = member(p, "page");
		JsonObject *q;

		if (of_file(ref, file))
			continue;
		q = find(b, "page", ref);
		if (q == NULL)
			check_fail("page %s is missing", ref);
		else if (strcmp(member(p, "type"), member(q, "type")) != 0 ||
			 strcmp(member(p, "text_source"),
				member(q, "text_source")) != 0)
			check_fail("page %s reads as %s/%s, was %s/%s", ref,
				   member(q, "type"), member(q, "text_source"),
				   member(p, "type"), member(p, "text_source"));
	}
}

static char *
fields_of(JsonObject *doc)
{
	JsonNode *n = json_object_get_member(doc, "fields");

	return n != NULL ? json_to_string(n, FALSE) : g_strdup("");
}

static void
same_documents(JsonObject *clean, JsonObject *faulted, const char *file)
{
	JsonArray *a = json_object_get_array_member(clean, "documents");
	JsonArray *b = json_object_get_array_member(faulted, "documents");

	for (guint i = 0; i < json_array_get_length(a); i++) {
		JsonObject *d = json_array_get_object_element(a, i);
		const char *name = member(d, "file");
		JsonObject *e;
		char *fa, *fb;

		if (of_file(name, file))
			continue;
		e = find(b, "file", name);
		if (e == NULL || strcmp(member(d, "type"), member(e, "type")))
			check_fail("document %s (%s) is missing or changed",
				   name, member(d, "type"));
		if (e == NULL)
			continue;
		fa = fields_of(d);
		fb = fields_of(e);
		if (strcmp(fa, fb) != 0)
			check_fail("fields of %s changed: %s -> %s", name, fa,
				   fb);
		g_free(fa);
		g_free(fb);
	}
}

int
main(int argc, char **argv)
{
	JsonParser *pa = json_parser_new(), *pb = json_parser_new();
	JsonObject *clean, *faulted;
	guint n;

	if (argc != 5) {
		fputs("usage: fault_check CLEAN FAULTED FILE CAUSE\n", stderr);
		return 2;
	}
	clean = load(pa, argv[1]);
	faulted = load(pb, argv[2]);
	if (clean != NULL && faulted != NULL) {
		if (count_unreadable(clean, NULL, NULL) != 0)
			check_fail(
			    "the clean run has UNREADABLE_FILE findings");
		n = count_unreadable(faulted, argv[3], argv[4]);
		if (n != 1)
			check_fail("%u UNREADABLE_FILE findings, expected 1",
				   n);
		if (find(json_object_get_array_member(faulted, "files"), "file",
			 argv[3]) == NULL)
			check_fail("%s is not among the report's files",
				   argv[3]);
		same_pages(clean, faulted, argv[3]);
		same_documents(clean, faulted, argv[3]);
	}
	g_object_unref(pa);
	g_object_unref(pb);
	if (check_failures() == 0)
		printf("ok: only %s is unreadable (%s)\n", argv[3], argv[4]);
	return check_failures() == 0 ? 0 : 1;
}
