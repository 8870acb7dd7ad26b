/* check.c - failures and report reading for the tests' checkers
 * (check.h). */
#include <stdio.h>
#include <string.h>

#include "tests/check.h"

static int failures;

void
check_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("FAIL: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	failures++;
}

int
check_failures(void)
{
	return failures;
}

const char *
check_str_member(JsonObject *o, const char *key)
{
	JsonNode *n = json_object_get_member(o, key);

	return n != NULL && JSON_NODE_HOLDS_VALUE(n) ? json_node_get_string(n)
						     : NULL;
}

/* One of the finding's documents starts with expected.json's
 * "document", when it gives one. */
static gboolean
refs_contain(JsonObject *actual, JsonObject *expected)
{
	const char *want = check_str_member(expected, "document");
	JsonArray *refs =
	    json_object_has_member(actual, "documents")
		? json_object_get_array_member(actual, "documents")
		: NULL;

	if (want == NULL)
		return TRUE;
	for (guint i = 0; refs != NULL && i < json_array_get_length(refs); i++)
		if (g_str_has_prefix(json_array_get_string_element(refs, i),
				     want))
			return TRUE;
	return FALSE;
}

/* "message_contains": ["text", ...]: each is part of the message. */
static gboolean
message_contains(JsonObject *actual, JsonObject *expected)
{
	const char *msg = check_str_member(actual, "message");
	JsonArray *want;

	if (!json_object_has_member(expected, "message_contains"))
		return TRUE;
	want = json_object_get_array_member(expected, "message_contains");
	for (guint i = 0; i < json_array_get_length(want); i++)
		if (msg == NULL ||
		    strstr(msg, json_array_get_string_element(want, i)) == NULL)
			return FALSE;
	return TRUE;
}

static gboolean
finding_matches(JsonObject *a, JsonObject *e)
{
	const char *item = check_str_member(e, "item");
	const char *sev = check_str_member(e, "severity");

	return g_strcmp0(check_str_member(a, "code"),
			 check_str_member(e, "code")) == 0 &&
	       (item == NULL ||
		g_strcmp0(check_str_member(a, "item"), item) == 0) &&
	       (sev == NULL ||
		g_strcmp0(check_str_member(a, "severity"), sev) == 0) &&
	       refs_contain(a, e) && message_contains(a, e);
}

JsonArray *
check_array_member(JsonObject *o, const char *key)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, key) : NULL;

	return n != NULL && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n)
						     : NULL;
}

JsonObject *
check_object_member(JsonObject *o, const char *key)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, key) : NULL;

	return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n)
						      : NULL;
}

void
check_findings(JsonObject *report, JsonObject *exp, const char *what)
{
	JsonArray *actual = check_array_member(report, "findings");
	JsonArray *want = check_array_member(exp, "findings");
	guint n = actual != NULL ? json_array_get_length(actual) : 0;
	gboolean *used = g_new0(gboolean, n + 1);
	gboolean only =
	    json_object_has_member(exp, "only_these_findings") &&
	    json_object_get_boolean_member(exp, "only_these_findings");
	const char *sep = what != NULL ? ": " : "";

	what = what != NULL ? what : "";
	for (guint i = 0; want != NULL && i < json_array_get_length(want);
	     i++) {
		JsonObject *e = json_array_get_object_element(want, i);
		gboolean found = FALSE;

		for (guint j = 0; j < n && !found; j++)
			if (!used[j] &&
			    finding_matches(
				json_array_get_object_element(actual, j), e))
				used[j] = found = TRUE;
		if (!found)
			check_fail("%s%sexpected finding %s (item %s, document "
				   "%s) not raised",
				   what, sep, check_str_member(e, "code"),
				   check_str_member(e, "item"),
				   check_str_member(e, "document"));
	}
	for (guint j = 0; only && j < n; j++) {
		JsonObject *a = json_array_get_object_element(actual, j);

		if (!used[j])
			check_fail("%s%sunexpected finding %s: %s", what, sep,
				   check_str_member(a, "code"),
				   check_str_member(a, "message"));
	}
	g_free(used);
}
