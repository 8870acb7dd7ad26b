/* test_serve.c - what an uploaded file may be called (serve/upload.c):
 * nothing a stranger names can land outside the job's claim folder; who
 * may use the API (serve/tokens.c). */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "core/core.h"
#include "serve/serve.h"
#include "serve/serve_int.h"

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

/* TEXT as a token file; its tokens, or NULL with ERROR. */
static ServeTokens *
tokens_from(const char *text, GError **error)
{
	char *path = NULL;
	int fd = g_file_open_tmp("evidcheck-tokens-XXXXXX", &path, NULL);
	ServeTokens *tokens;

	g_assert_cmpint(fd, >=, 0);
	close(fd);
	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	tokens = serve_tokens_load(path, error);
	g_remove(path);
	g_free(path);
	return tokens;
}

static void
test_tokens_scopes(void)
{
	GError *error = NULL;
	ServeTokens *t = tokens_from("# the platform\n"
				     "op-0123456789abcdef *\n\n"
				     "  prov-a-0123456789ab\tA  \n"
				     "prov-b-0123456789ab B\n"
				     "lonely-0123456789abc\n",
				     &error);

	g_assert_no_error(error);
	g_assert_cmpstr(serve_tokens_scope(t, "op-0123456789abcdef"), ==, "*");
	g_assert_cmpstr(serve_tokens_scope(t, "prov-a-0123456789ab"), ==, "A");
	g_assert_cmpstr(serve_tokens_scope(t, "prov-b-0123456789ab"), ==, "B");
	/* Without a scope a token is a scope of its own. */
	g_assert_cmpstr(serve_tokens_scope(t, "lonely-0123456789abc"), ==,
			"lonely-0123456789abc");
	g_assert_null(serve_tokens_scope(t, "prov-a-0123456789a"));
	g_assert_null(serve_tokens_scope(t, "prov-a-0123456789abc"));
	g_assert_null(serve_tokens_scope(t, ""));
	g_assert_null(serve_tokens_scope(t, "# the platform"));
	serve_tokens_free(t);
}

static void
test_tokens_refused(void)
{
	static const char *const bad[] = {"short A\n", "", "# none\n\n",
					  "abcdefghijklmnopqrst A extra\n"};

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		GError *error = NULL;

		g_assert_null(tokens_from(bad[i], &error));
		g_assert_nonnull(error);
		g_clear_error(&error);
	}
}

static void
test_job_ids(void)
{
	GHashTable *seen =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (int i = 0; i < 1000; i++) {
		char *id = serve_job_id_new();

		g_assert_cmpuint(strlen(id), ==, 32);
		g_assert_cmpuint(strspn(id, "0123456789abcdef"), ==, 32);
		g_assert_true(g_hash_table_add(seen, id));
	}
	g_hash_table_unref(seen);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/serve/paths-kept", test_paths_kept);
	g_test_add_func("/serve/paths-refused", test_paths_refused);
	g_test_add_func("/serve/paths-limits", test_paths_limits);
	g_test_add_func("/serve/tokens-scopes", test_tokens_scopes);
	g_test_add_func("/serve/tokens-refused", test_tokens_refused);
	g_test_add_func("/serve/job-ids", test_job_ids);
	return g_test_run();
}
