/* check.h - what the tests' checker programs (e2e_check, html_check,
 * hostile_check, fault_check) share: failures said and counted as they
 * are found, so one run lists them all, and reading a JSON report. */
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

#endif
