/* test_scan.c - choosing and loading a policy edition: the newest folder
 * is taken by default, and a rules file whose declared edition is not its
 * folder's is refused rather than reported under the wrong edition. */
#include <stdlib.h>
#include <string.h>

#include "scan/scan.h"

static char *
copy_rules_as(const char *edition)
{
	char *root = g_dir_make_tmp("evidcheck-rules-XXXXXX", NULL);
	char *dir = g_build_filename(root, edition, NULL);
	const char *names[] = {"types.ini", "evidence.ini"};

	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		char *src = g_build_filename(EVIDCHECK_RULES_DIR, "2026",
					     names[i], NULL);
		char *dst = g_build_filename(dir, names[i], NULL);
		char *data = NULL;
		gsize len = 0;

		g_assert_true(g_file_get_contents(src, &data, &len, NULL));
		g_assert_true(g_file_set_contents(dst, data, len, NULL));
		g_free(data);
		g_free(src);
		g_free(dst);
	}
	g_free(dir);
	return root;
}

static void
remove_rules(char *root)
{
	char *cmd = g_strdup_printf("rm -rf '%s'", root);

	g_assert_cmpint(system(cmd), ==, 0);
	g_free(cmd);
	g_free(root);
}

static void
test_newest_edition_loads(void)
{
	ScanOptions o = {EVIDCHECK_RULES_DIR, NULL, 1, NULL, NULL, 0};
	GError *error = NULL;
	ScanContext *ctx = scan_context_new(&o, &error);

	g_assert_no_error(error);
	g_assert_nonnull(scan_context_rules(ctx));
	scan_context_free(ctx);
}

/* Last year's files copied into a 2027 folder unchanged. */
static void
test_edition_mismatch_refused(void)
{
	char *root = copy_rules_as("2027");
	ScanOptions o = {root, NULL, 1, NULL, NULL, 0};
	GError *error = NULL;
	ScanContext *ctx = scan_context_new(&o, &error);

	g_assert_null(ctx);
	g_assert_error(error, CORE_ERROR, CORE_ERROR_RULES);
	g_assert_nonnull(strstr(error->message, "declares edition 2026"));
	g_assert_nonnull(strstr(error->message, "edition 2027"));
	g_clear_error(&error);
	remove_rules(root);
}

static void
test_unknown_edition(void)
{
	ScanOptions o = {EVIDCHECK_RULES_DIR, "1999", 1, NULL, NULL, 0};
	GError *error = NULL;
	ScanContext *ctx = scan_context_new(&o, &error);

	g_assert_null(ctx);
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, "1999"));
	g_clear_error(&error);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/scan/edition/newest", test_newest_edition_loads);
	g_test_add_func("/scan/edition/mismatch",
			test_edition_mismatch_refused);
	g_test_add_func("/scan/edition/unknown", test_unknown_edition);
	return g_test_run();
}
