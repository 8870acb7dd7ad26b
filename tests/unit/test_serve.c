/* test_serve.c - what an uploaded file may be called (serve/upload.c):
 * nothing a stranger names can land outside the job's claim folder. */
#include "core/core.h"
#include "serve/serve.h"

static void
accepted(const char *name, const char *want)
{
	GError *error = NULL;
	char *got = serve_upload_path(name, &error);

	g_assert_no_error(error);
	g_assert_cmpstr(got, ==, want);
	g_free(got);
}

static void
refused(const char *name)
{
	GError *error = NULL;
	char *got = serve_upload_path(name, &error);

	g_assert_null(got);
	g_assert_error(error, CORE_ERROR, CORE_ERROR_USAGE);
	g_error_free(error);
}

static void
test_paths_kept(void)
{
	accepted("发票/电子发票.pdf", "发票/电子发票.pdf");
	accepted("a.pdf", "a.pdf");
	accepted("合同//技术服务合同.pdf", "合同/技术服务合同.pdf");
	accepted("合同/", "合同");
	accepted("..a/b..", "..a/b..");
}

static void
test_paths_refused(void)
{
	refused("../x.pdf");
	refused("a/../../x.pdf");
	refused("a/./b.pdf");
	refused("/etc/passwd");
	refused("");
	refused("/");
	refused("a\\..\\b.pdf");
	refused("a\nb.pdf");
	refused("\xff\xfe.pdf");
	refused(NULL);
}

static void
test_paths_limits(void)
{
	GString *deep = g_string_new(NULL);
	char *long_name = g_strnfill(SERVE_MAX_NAME_BYTES + 1, 'a');

	for (int i = 0; i < SERVE_MAX_PATH_DEPTH; i++)
		g_string_append(deep, "d/");
	g_string_append(deep, "f.pdf");
	refused(deep->str);
	refused(long_name);
	long_name[SERVE_MAX_NAME_BYTES] = '\0';
	accepted(long_name, long_name);
	g_free(long_name);
	g_string_free(deep, TRUE);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/serve/paths-kept", test_paths_kept);
	g_test_add_func("/serve/paths-refused", test_paths_refused);
	g_test_add_func("/serve/paths-limits", test_paths_limits);
	return g_test_run();
}
