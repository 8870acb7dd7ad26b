/* check.h - what the tests' checker programs (e2e_check, html_check,
 * hostile_check, fault_check, serve_test, drop_test) share: failures said and
 * counted as they are found, so one run lists them all, and reading a JSON
 * report. */
#ifndef EVIDCHECK_TESTS_CHECK_H
#define EVIDCHECK_TESTS_CHECK_H

#include <json-glib/json-glib.h>

/* Print "FAIL: " and the message on stdout, and count it. */
void check_fail(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* How many check_fail calls so far. */
int check_failures(void);

/* The string member KEY of O, or NULL when it is absent, null or not a
 * value. Borrowed from O. */
const char *check_str_member(JsonObject *o, const char *key);

/* The array or object member KEY of O (O may be NULL), or NULL when it
 * is absent or of another kind. Borrowed from O. */
JsonArray *check_array_member(JsonObject *o, const char *key);
JsonObject *check_object_member(JsonObject *o, const char *key);

/* The findings of REPORT against an expected.json EXP (tests/e2e): each
 * finding it lists ("code", and when given "item", "severity", a
 * "document" a ref starts with, "message_contains") matches a distinct
 * one of the report's; with "only_these_findings" there is no other.
 * Failures are said with WHAT (may be NULL) in front. */
void check_findings(JsonObject *report, JsonObject *exp, const char *what);

#endif
