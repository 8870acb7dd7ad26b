/* test_checks.c - checks/ framework: the 2026 rules file loads; a typo in
 * a rules file is an error naming the rule and key; rules apply to the
 * directions and deliveries they name; value sources take claim.json
 * before the documents; calendar months are counted as docs/rules.md
 * says. The kinds' own tests are test_checks_periods.c, test_checks_docs.c
 * and test_history.c. */
#include <string.h>

#include <glib/gstdio.h>

#include "checks/checks_int.h"

#ifndef EVIDCHECK_RULES_DIR
#define EVIDCHECK_RULES_DIR "rules"
#endif
#define CHECKS_2026 EVIDCHECK_RULES_DIR "/2026/checks.ini"

static ChecksPolicy *
load_text(const char *text, GError **error)
{
	char *path = NULL;
	int fd = g_file_open_tmp("checks-XXXXXX.ini", &path, NULL);
	ChecksPolicy *p;

	g_assert_cmpint(fd, >=, 0);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	close(fd);
	p = checks_policy_load(path, error);
	g_unlink(path);
	g_free(path);
	return p;
}

static void
test_2026_loads(void)
{
	GError *error = NULL;
	ChecksPolicy *p = checks_policy_load(CHECKS_2026, &error);

	g_assert_no_error(error);
	g_assert_cmpstr(checks_policy_edition(p), ==, "2026");
	checks_policy_free(p);
}

static void
assert_load_error(const char *text, const char *needle)
{
	GError *error = NULL;
	ChecksPolicy *p = load_text(text, &error);

	if (p != NULL)
		g_error("loaded, expected an error about \"%s\"", needle);
	g_assert_error(error, CORE_ERROR, CORE_ERROR_RULES);
	if (strstr(error->message, needle) == NULL)
		g_error("\"%s\" does not say \"%s\"", error->message, needle);
	g_error_free(error);
}

#define HEAD "[edition]\nedition = 2099\n"
#define RULE                                                                   \
	"[check c]\nkind = period\ncode = CYCLE_TOO_SHORT\nseverity = "        \
	"error\nlabel = l\nclause = c\nfrom = contract.signed_on\nto = "       \
	"acceptance_form.accepted_on\nmonths = 6\n"

static void
test_typos_refused(void)
{
	assert_load_error(HEAD "[chek c]\nkind = period\n", "unknown group");
	assert_load_error(HEAD "[check c]\nkind = periods\n", "unknown kind");
	assert_load_error(HEAD RULE "severty = error\n", "severty");
	assert_load_error(HEAD RULE "directions = 3..8\n", "3..8");
	assert_load_error(HEAD RULE "delivery = proxy\n", "delivery");
	assert_load_error(
	    HEAD "[check c]\nkind = period\ncode = X\nseverity = error\n"
		 "label = l\nclause = c\nfrom = claim.signed_on\nto = "
		 "acceptance_form.accepted_on\nmonths = 6\n",
	    "claim has no key \"signed_on\"");
	assert_load_error(HEAD "[check c]\nkind = period\nseverity = error\n",
			  "\"code\" is required");
}

static CoreDocument *
doc_with(const char *file, const char *type, const char *field,
	 const char *value)
{
	CoreDocument *d = core_document_new(file, type);

	core_document_add_page(d, 1);
	core_document_set_field(d, field, value);
	return d;
}

static void
test_sources(void)
{
	GError *error = NULL;
	ChecksSource *s = checks_source_parse(
	    "claim.contract.signed_on | contract.signed_on", &error);
	CoreClaim *claim = core_claim_new();
	GPtrArray *docs = core_ptr_array_new(core_document_free);
	ChecksInput in = {"c", claim, docs, NULL, NULL, 0, NULL, NULL};
	ChecksValue v;

	g_assert_no_error(error);
	g_assert_false(checks_source_first(s, &in, &v));
	g_ptr_array_add(
	    docs, doc_with("合同.pdf", "contract", "signed_on", "2025-06-01"));
	g_assert_true(checks_source_first(s, &in, &v));
	g_assert_cmpstr(v.value, ==, "2025-06-01");
	g_assert_nonnull(v.doc);
	/* claim.json comes first when it has the value */
	claim->contract_signed_on = g_strdup("2025-05-20");
	g_assert_true(checks_source_first(s, &in, &v));
	g_assert_cmpstr(v.value, ==, "2025-05-20");
	g_assert_null(v.doc);
	checks_source_free(s);
	g_ptr_array_unref(docs);
	core_claim_free(claim);
}

static void
add_months(const char *from, int months, const char *expect)
{
	GDate a, b, want;

	g_assert_true(checks_date_parse(from, &a));
	g_assert_true(checks_date_parse(expect, &want));
	checks_date_add_months(&a, months, &b);
	g_assert_cmpint(g_date_compare(&b, &want), ==, 0);
}

static void
assert_period(const char *from, const char *to, int months, gboolean ok,
	      const char *text)
{
	GDate a, b;
	char *t;

	g_assert_true(checks_date_parse(from, &a));
	g_assert_true(checks_date_parse(to, &b));
	g_assert_cmpint(checks_period_at_least(&a, &b, months), ==, ok);
	t = checks_period_text(&a, &b);
	g_assert_cmpstr(t, ==, text);
	g_free(t);
}

static void
test_months(void)
{
	GDate d;

	add_months("2025-06-01", 6, "2025-12-01");
	add_months("2025-08-31", 6, "2026-02-28");
	add_months("2023-08-31", 6, "2024-02-29");
	add_months("2025-11-30", 3, "2026-02-28");
	add_months("2026-01-10", -12, "2025-01-10");
	assert_period("2025-06-01", "2025-12-01", 6, TRUE, "6个月");
	assert_period("2025-06-01", "2025-11-30", 6, FALSE, "5个月29天");
	assert_period("2025-08-31", "2026-02-28", 6, TRUE, "6个月");
	assert_period("2025-10-01", "2026-01-10", 6, FALSE, "3个月9天");
	assert_period("2026-01-01", "2026-01-20", 1, FALSE, "19天");
	g_assert_false(checks_date_parse("2026-02-30", &d));
	g_assert_false(checks_date_parse("2026-01-05x", &d));
	g_assert_false(checks_date_parse(NULL, &d));
}

static void
test_amounts_and_names(void)
{
	gint64 fen;
	char *t, *a, *b;

	g_assert_true(checks_amount_parse("60,000.00", &fen));
	g_assert_cmpint(fen, ==, 6000000);
	g_assert_true(checks_amount_parse("30000.5", &fen));
	g_assert_cmpint(fen, ==, 3000050);
	g_assert_false(checks_amount_parse("3万", &fen));
	g_assert_false(checks_amount_parse("1.234", &fen));
	g_assert_false(checks_amount_parse("", &fen));
	t = checks_amount_text(123456789);
	g_assert_cmpstr(t, ==, "1,234,567.89元");
	g_free(t);
	a = checks_name_key("广西桂鑫机械制造有限公司");
	b = checks_name_key(" 广西 桂鑫机械制造（有限公司） ");
	g_assert_cmpstr(a, ==, b);
	g_free(b);
	b = checks_name_key("广西桂鑫精密机械制造有限公司");
	g_assert_cmpstr(a, !=, b);
	g_free(a);
	g_free(b);
	a = checks_name_key("智能质检云平台 V1.0");
	b = checks_name_key("智能质检云平台ｖ１．０");
	g_assert_cmpstr(a, ==, b);
	g_free(a);
	g_free(b);
}

/* A rule's outcome for a claim of DIRECTION. The cycle rule applies to 3-8
 * only, 14.1 falls in a range of whole numbers, a claim without a direction is
 * not_checked, not passed. */
static ChecksStatus
rule_status(ChecksPolicy *p, const char *id, const char *direction,
	    const char **note)
{
	CoreClaim *claim = core_claim_new();
	ChecksInput in = {"c", claim, NULL, NULL, NULL, 0, NULL, "2026-11-25"};
	ChecksResult *r;
	ChecksStatus s;
	static char buf[256];

	claim->direction = g_strdup(direction);
	r = checks_evaluate_only(p, &in, id);
	g_assert_cmpuint(r->outcomes->len, ==, 1);
	s = ((ChecksOutcome *)g_ptr_array_index(r->outcomes, 0))->status;
	g_strlcpy(buf,
		  ((ChecksOutcome *)g_ptr_array_index(r->outcomes, 0))->note,
		  sizeof buf);
	*note = buf;
	checks_result_free(r);
	core_claim_free(claim);
	return s;
}

static void
test_applicability(void)
{
	GError *error = NULL;
	ChecksPolicy *p = checks_policy_load(CHECKS_2026, &error);
	ChecksPolicy *q = load_text(
	    HEAD RULE "directions = 3-20\n[check d]\nkind = period\ncode = "
		      "X\nseverity = warning\nlabel = l\nclause = c\nfrom = "
		      "contract.signed_on\nto = acceptance_form.accepted_on\n"
		      "months = 6\ndirections = 14.1\ndelivery = agency\n",
	    &error);
	const char *note;

	g_assert_no_error(error);
	g_assert_cmpint(rule_status(p, "cycle", "2", &note), ==,
			CHECKS_NOT_APPLICABLE);
	g_assert_cmpint(rule_status(p, "cycle", NULL, &note), ==,
			CHECKS_NOT_CHECKED);
	g_assert_nonnull(strstr(note, "direction"));
	g_assert_cmpint(rule_status(p, "cycle", "4", &note), !=,
			CHECKS_NOT_APPLICABLE);
	g_assert_cmpint(rule_status(q, "c", "14.1", &note), !=,
			CHECKS_NOT_APPLICABLE);
	g_assert_cmpint(rule_status(q, "c", "14.10", &note), !=,
			CHECKS_NOT_APPLICABLE);
	g_assert_cmpint(rule_status(q, "c", "21", &note), ==,
			CHECKS_NOT_APPLICABLE);
	/* d: 14.1 and agency only */
	g_assert_cmpint(rule_status(q, "d", "14.2", &note), ==,
			CHECKS_NOT_APPLICABLE);
	g_assert_cmpint(rule_status(q, "d", "14.1", &note), ==,
			CHECKS_NOT_APPLICABLE);
	g_assert_nonnull(strstr(note, "未声明交付方式"));
	checks_policy_free(p);
	checks_policy_free(q);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/checks/2026-loads", test_2026_loads);
	g_test_add_func("/checks/typos-refused", test_typos_refused);
	g_test_add_func("/checks/sources", test_sources);
	g_test_add_func("/checks/months", test_months);
	g_test_add_func("/checks/amounts-and-names", test_amounts_and_names);
	g_test_add_func("/checks/applicability", test_applicability);
	return g_test_run();
}
