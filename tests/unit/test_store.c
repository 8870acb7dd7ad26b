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

static CorePage *
sample_page(void)
{
	CorePage *p = core_page_new("证书/cert.jpg", 1);
	CoreWord w = {
	    g_strdup("软著登字第5439203号"), {0.1, 0.2, 0.5, 0.03}, 0.91};
	CoreBox seals[] = {{0.6, 0.7, 0.2, 0.14}, {0.1, 0.8, 0.15, 0.1}};

	core_page_set_text(p, "发票号码 123", CORE_TEXT_OCR, 0.87);
	g_array_append_val(p->words, w);
	/* The first seal's ring was read, the second's not. */
	core_page_set_seals(p, seals, G_N_ELEMENTS(seals));
	p->seal_orgs->pdata[0] = g_strdup("广西某某科技有限公司");
	g_ptr_array_add(p->codes, g_strdup("01,32,,26452000000012345678,"
					   "60000.00,20260310,,A1B2"));
	p->rotation = 90;
	return p;
}

static void
test_page_cache_survives_reopen(Fixture *f, gconstpointer data)
{
	GError *error = NULL;
	Store *s = store_open(f->path, &error);
	CorePage *saved = sample_page();
	CorePage *got = core_page_new("证书/cert.jpg", 1);
	CorePage *other = core_page_new("证书/cert.jpg", 2);
	const CoreWord *w;

	(void)data;
	g_assert_no_error(error);
	g_assert_true(store_file_save(s, sha, 3, "jpeg", 1, &error));
	g_assert_true(store_page_save(s, sha, "tess-A", saved, &error));
	g_assert_no_error(error);
	store_close(s);

	s = store_open(f->path, &error);
	g_assert_no_error(error);
	g_assert_true(store_page_lookup(s, sha, "tess-A", got));
	g_assert_cmpstr(got->text, ==, "发票号码 123");
	g_assert_cmpint(got->source, ==, CORE_TEXT_OCR);
	g_assert_cmpfloat_with_epsilon(got->confidence, 0.87, 1e-9);
	g_assert_cmpint(got->rotation, ==, 90);
	g_assert_cmpint(got->stamped, ==, 1);
	g_assert_cmpuint(got->seals->len, ==, 2);
	g_assert_cmpfloat_with_epsilon(g_array_index(got->seals, CoreBox, 0).y,
				       0.7, 1e-4);
	g_assert_cmpuint(got->seal_orgs->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(got->seal_orgs, 0), ==,
			"广西某某科技有限公司");
	g_assert_null(g_ptr_array_index(got->seal_orgs, 1));
	g_assert_cmpuint(got->codes->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(got->codes, 0), ==,
			"01,32,,26452000000012345678,60000.00,20260310,,A1B2");
	g_assert_cmpuint(got->words->len, ==, 1);
	w = &g_array_index(got->words, CoreWord, 0);
	g_assert_cmpstr(w->text, ==, "软著登字第5439203号");
	g_assert_cmpfloat_with_epsilon(w->box.w, 0.5, 1e-4);
	g_assert_cmpfloat_with_epsilon(w->confidence, 0.91, 1e-4);
	/* Another engine setting, or another page, is not the cached one. */
	g_assert_false(store_page_lookup(s, sha, "tess-B", got));
	g_assert_false(store_page_lookup(s, sha, "tess-A", other));
	g_assert_cmpint(store_page_count(s, sha, "tess-A"), ==, 1);
	store_close(s);
	core_page_free(saved);
	core_page_free(got);
	core_page_free(other);
}

/* A store written by the first release (schema version 1) is brought to
 * the current version and keeps its cached text. */
static void
test_migration_keeps_pages(Fixture *f, gconstpointer data)
{
	char *src = g_path_get_dirname(EVIDCHECK_RULES_DIR);
	char *schema_path = g_build_filename(src, "store", "schema.sql", NULL);
	char *schema = NULL;
	char *dir = g_path_get_dirname(f->path);
	sqlite3 *db = NULL;
	GError *error = NULL;
	CorePage *page = core_page_new("a.jpg", 1);
	Store *s;
	sqlite3_stmt *st = NULL;

	(void)data;
	g_assert_true(g_file_get_contents(schema_path, &schema, NULL, NULL));
	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	g_assert_cmpint(sqlite3_open(f->path, &db), ==, SQLITE_OK);
	g_assert_cmpint(sqlite3_exec(db, schema, NULL, NULL, NULL), ==,
			SQLITE_OK);
	g_assert_cmpint(
	    sqlite3_exec(db,
			 "PRAGMA user_version = 1;"
			 "INSERT INTO file VALUES('abc', 1, 'jpeg', 1);"
			 "INSERT INTO page VALUES('abc', 1, 'tess-A', 'ocr', "
			 "'旧的文字', 0.5);",
			 NULL, NULL, NULL),
	    ==, SQLITE_OK);
	sqlite3_close(db);

	s = store_open(f->path, &error);
	g_assert_no_error(error);
	g_assert_true(store_page_lookup(s, "abc", "tess-A", page));
	g_assert_cmpstr(page->text, ==, "旧的文字");
	g_assert_cmpuint(page->words->len, ==, 0);
	g_assert_cmpint(page->stamped, ==, 0);
	store_close(s);

	g_assert_cmpint(sqlite3_open(f->path, &db), ==, SQLITE_OK);
	g_assert_cmpint(
	    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), ==,
	    SQLITE_OK);
	g_assert_cmpint(sqlite3_step(st), ==, SQLITE_ROW);
	g_assert_cmpint(sqlite3_column_int(st, 0), ==, STORE_SCHEMA_VERSION);
	sqlite3_finalize(st);
	sqlite3_close(db);
	core_page_free(page);
	g_free(schema);
	g_free(schema_path);
	g_free(src);
	g_free(dir);
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
	StoreScan scan = {"GXFWQ-1", "/claims/1", "2026", "4",
			  "flagged", "{}",	  files,  2,
			  docs,	     finds,	  NULL,	  NULL};
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

static void
add_job(Store *s, const char *id, gint64 created_at)
{
	StoreJob job = {.id = (char *)id,
			.scope = "A",
			.created_at = created_at,
			.files = 3,
			.bytes = 1000};
	GError *error = NULL;

	g_assert_true(store_job_add(s, &job, &error));
	g_assert_no_error(error);
}

static void
assert_job(Store *s, const char *id, const char *status, int attempts)
{
	GError *error = NULL;
	StoreJob *job = store_job_get(s, id, &error);

	g_assert_no_error(error);
	g_assert_nonnull(job);
	g_assert_cmpstr(job->status, ==, status);
	g_assert_cmpint(job->attempts, ==, attempts);
	store_job_free(job);
}

/* A server killed while scanning finds its jobs queued again at the
 * next start; the third interrupted start fails the job; a stop asked
 * for does not count; a finished job keeps its verdict. */
static void
test_jobs_survive_restarts(Fixture *f, gconstpointer data)
{
	GError *error = NULL;
	Store *s = store_open(f->path, &error);
	GPtrArray *ids;
	StoreJob done = {.id = "j2",
			 .status = "done",
			 .finished_at = 50,
			 .files_done = 3,
			 .pages_done = 7,
			 .pages_total = 7,
			 .verdict = "flagged"};
	StoreJob *got;

	(void)data;
	g_assert_no_error(error);
	add_job(s, "j2", 20);
	add_job(s, "j1", 10);
	g_assert_null(store_job_get(s, "nope", &error));
	g_assert_no_error(error);
	ids = store_job_ids(s, "queued", &error);
	g_assert_cmpint(ids->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(ids, 0), ==, "j1");
	g_ptr_array_unref(ids);

	for (int i = 1; i <= 2; i++) {
		g_assert_true(store_job_start(s, "j1", 30, &error));
		g_assert_cmpint(store_job_requeue(s, 3, "stopped", &error), ==,
				1);
		assert_job(s, "j1", "queued", i);
	}
	g_assert_true(store_job_start(s, "j1", 30, &error));
	g_assert_true(store_job_release(s, "j1", &error));
	assert_job(s, "j1", "queued", 2);
	g_assert_true(store_job_start(s, "j1", 30, &error));
	g_assert_cmpint(store_job_requeue(s, 3, "stopped 3 times", &error), ==,
			1);
	assert_job(s, "j1", "failed", 3);
	got = store_job_get(s, "j1", &error);
	g_assert_cmpstr(got->reason, ==, "stopped 3 times");
	g_assert_cmpstr(got->reason_code, ==, "interrupted");
	store_job_free(got);

	g_assert_true(store_job_start(s, "j2", 40, &error));
	g_assert_true(store_job_finish(s, &done, &error));
	store_close(s);
	s = store_open(f->path, &error);
	got = store_job_get(s, "j2", &error);
	g_assert_cmpstr(got->status, ==, "done");
	g_assert_cmpstr(got->verdict, ==, "flagged");
	g_assert_cmpstr(got->scope, ==, "A");
	g_assert_cmpint(got->pages_total, ==, 7);
	g_assert_cmpint(got->started_at, ==, 40);
	g_assert_cmpint(store_job_count(s, "queued"), ==, 0);
	g_assert_cmpint(store_job_count(s, "failed"), ==, 1);
	g_assert_no_error(error);
	store_job_free(got);

	/* Expiry: j2 ended at 50, j1 failed now; a queued job never goes. */
	add_job(s, "j3", 60);
	ids = store_job_expire(s, 51, &error);
	g_assert_no_error(error);
	g_assert_cmpint(ids->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(ids, 0), ==, "j2");
	g_ptr_array_unref(ids);
	g_assert_null(store_job_get(s, "j2", &error));
	assert_job(s, "j1", "failed", 3);
	ids = store_job_expire(s, G_MAXINT64, &error);
	g_assert_cmpint(ids->len, ==, 1);
	g_ptr_array_unref(ids);
	assert_job(s, "j3", "queued", 0);
	store_close(s);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/store/page-cache", Fixture, NULL, setup,
		   test_page_cache_survives_reopen, teardown);
	g_test_add("/store/migration", Fixture, NULL, setup,
		   test_migration_keeps_pages, teardown);
	g_test_add("/store/newer-schema", Fixture, NULL, setup,
		   test_newer_schema_refused, teardown);
	g_test_add("/store/scan", Fixture, NULL, setup, test_scan_saved_whole,
		   teardown);
	g_test_add_func("/store/unwritable", test_unwritable_path);
	g_test_add("/store/jobs", Fixture, NULL, setup,
		   test_jobs_survive_restarts, teardown);
	return g_test_run();
}
