/* check.c - failures and report reading for the tests' checkers
 * (check.h). */
#include <stdio.h>

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
