/* test_store.c - the store keeps OCR'd text across runs, refuses a store
 * from a newer evidcheck, and saves a scan whole. */
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "store/store.h"

typedef struct {
	char *dir;
	char *path;
} Fixture;

static void
setup(Fixture *f, gconstpointer data)
{
	(void)data;
	f->dir = g_dir_make_tmp("evidcheck-store-XXXXXX", NULL);
	g_assert_nonnull(f->dir);
	/* A folder that does not exist yet: open must create it. */
	f->path = g_build_filename(f->dir, "sub", "evidcheck.db", NULL);
}

static void
teardown(Fixture *f, gconstpointer data)
{
	char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);

	(void)data;
	g_assert_cmpint(system(cmd), ==, 0);
	g_free(cmd);
	g_free(f->dir);
	g_free(f->path);
}

static const char sha[] =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

static void
test_page_cache_survives_reopen(Fixture *f, gconstpointer data)
{
	GError *error = NULL;
	Store *s = store_open(f->path, &error);
	CoreTextSource source;
	char *text = NULL;
	double conf = 0;

	(void)data;
	g_assert_no_error(error);
	g_assert_true(store_file_save(s, sha, 3, "jpeg", 1, &error));
	g_assert_true(store_page_save(s, sha, 1, "tess-A", CORE_TEXT_OCR,
				      "发票号码 123", 0.87, &error));
	g_assert_no_error(error);
	store_close(s);

	s = store_open(f->path, &error);
	g_assert_no_error(error);
	g_assert_true(
	    store_page_lookup(s, sha, 1, "tess-A", &source, &text, &conf));
	g_assert_cmpstr(text, ==, "发票号码 123");
	g_assert_cmpint(source, ==, CORE_TEXT_OCR);
	g_assert_cmpfloat_with_epsilon(conf, 0.87, 1e-9);
	g_free(text);
	/* Another engine setting must not see the old text. */
	g_assert_false(
	    store_page_lookup(s, sha, 1, "tess-B", &source, &text, &conf));
	g_assert_false(
	    store_page_lookup(s, sha, 2, "tess-A", &source, &text, &conf));
	g_assert_cmpint(store_page_count(s, sha, "tess-A"), ==, 1);
	store_close(s);
}

static void
test_newer_schema_refused(Fixture *f, gconstpointer data)
{
	GError *error = NULL;
	Store *s = store_open(f->path, &error);
	sqlite3 *db = NULL;

	(void)data;
	g_assert_no_error(error);
	store_close(s);
	g_assert_cmpint(sqlite3_open(f->path, &db), ==, SQLITE_OK);
	g_assert_cmpint(
	    sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==,
	    SQLITE_OK);
	sqlite3_close(db);
	s = store_open(f->path, &error);
	g_assert_null(s);
	g_assert_error(error, CORE_ERROR, CORE_ERROR_STORE);
	g_assert_nonnull(strstr(error->message, "newer"));
	g_clear_error(&error);
}

static void
test_scan_saved_whole(Fixture *f, gconstpointer data)
{
	GError *error = NULL;
	Store *s = store_open(f->path, &error);
	GPtrArray *docs =
	    g_ptr_array_new_with_free_func((GDestroyNotify)core_document_free);
	GPtrArray *finds =
	    g_ptr_array_new_with_free_func((GDestroyNotify)core_finding_free);
	StoreFileRef files[] = {{"发票/inv.pdf", sha, NULL},
				{"bad.pdf", "", "damaged"}};
	StoreScan scan = {"GXFWQ-1", "/claims/1", "2026", "4",	"flagged",
			  "{}",	     files,	  2,	  docs, finds};
	CoreDocument *d = core_document_new("发票/inv.pdf", "invoice");
	CoreFinding *fi = core_finding_new("MISSING_EVIDENCE",
					   CORE_SEVERITY_ERROR, "缺少验收单");

	(void)data;
	g_assert_no_error(error);
	core_document_add_page(d, 1);
	core_document_set_field(d, "number", "\"quoted\"");
	g_ptr_array_add(docs, d);
	g_ptr_array_add(finds, fi);
	g_assert_cmpint(store_scan_save(s, &scan, &error), >, 0);
	g_assert_no_error(error);
	g_assert_cmpint(store_scan_save(s, &scan, &error), >, 0);
	g_assert_cmpint(store_scan_count(s, "GXFWQ-1"), ==, 2);
	g_assert_cmpint(store_scan_count(s, "other"), ==, 0);
	store_close(s);
	g_ptr_array_unref(docs);
	g_ptr_array_unref(finds);
}

static void
test_unwritable_path(void)
{
	GError *error = NULL;
	Store *s = store_open("/proc/evidcheck/x.db", &error);

	g_assert_null(s);
	g_assert_error(error, CORE_ERROR, CORE_ERROR_STORE);
	g_assert_nonnull(strstr(error->message, "/proc/evidcheck/x.db"));
	g_clear_error(&error);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/store/page-cache", Fixture, NULL, setup,
		   test_page_cache_survives_reopen, teardown);
	g_test_add("/store/newer-schema", Fixture, NULL, setup,
		   test_newer_schema_refused, teardown);
	g_test_add("/store/scan", Fixture, NULL, setup, test_scan_saved_whole,
		   teardown);
	g_test_add_func("/store/unwritable", test_unwritable_path);
	return g_test_run();
}
