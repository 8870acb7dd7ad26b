/* test_query.c - the reviewer's queries over a store filled through
 * store_scan_save: a claim's scans newest first with what changed between
 * them, and the findings of each claim's latest scan only. */
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

typedef struct {
	char *dir;
	Store *store;
} Fixture;

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define SHA_C "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
#define SHA_D "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"

static CoreFinding *
finding(const char *code, CoreSeverity severity, const char *ref)
{
	CoreFinding *f = core_finding_new(code, severity, "说明");

	core_finding_add_ref(f, ref, 1);
	return f;
}

/* Save one scan of CLAIM with FILES and FINDINGS (taken). */
static void
save(Store *s, const char *claim, const StoreFileRef *files, guint n_files,
     GPtrArray *findings)
{
	GPtrArray *docs = g_ptr_array_new();
	StoreScan scan = {claim,
			  "/claims/x",
			  "2026",
			  "4",
			  findings->len > 0 ? "flagged" : "pass",
			  "{}",
			  files,
			  n_files,
			  docs,
			  findings,
			  NULL,
			  NULL};
	GError *error = NULL;

	g_assert_cmpint(store_scan_save(s, &scan, &error), >, 0);
	g_assert_no_error(error);
	g_ptr_array_unref(docs);
	g_ptr_array_unref(findings);
}

static GPtrArray *
findings_new(void)
{
	return g_ptr_array_new_with_free_func(
	    (GDestroyNotify)core_finding_free);
}

/* GXFWQ-1 scanned twice: the provider replaced the invoice, dropped a
 * file and added the acceptance form, fixing MISSING_EVIDENCE but not
 * NAME_MISMATCH. GXFWQ-2 scanned once. */
static void
setup(Fixture *f, gconstpointer data)
{
	StoreFileRef first[] = {{"发票.pdf", SHA_A, NULL},
				{"合同.pdf", SHA_B, NULL},
				{"旧.jpg", "", "damaged"}};
	StoreFileRef second[] = {{"发票.pdf", SHA_C, NULL},
				 {"合同.pdf", SHA_B, NULL},
				 {"验收单.pdf", SHA_D, NULL}};
	StoreFileRef other[] = {{"发票.pdf", SHA_A, NULL}};
	GPtrArray *fs;
	char *path;
	GError *error = NULL;

	(void)data;
	f->dir = g_dir_make_tmp("evidcheck-query-XXXXXX", NULL);
	path = g_build_filename(f->dir, "evidcheck.db", NULL);
	f->store = store_open(path, &error);
	g_assert_no_error(error);
	g_free(path);

	fs = findings_new();
	g_ptr_array_add(
	    fs, finding("MISSING_EVIDENCE", CORE_SEVERITY_ERROR, "合同.pdf"));
	g_ptr_array_add(
	    fs, finding("NAME_MISMATCH", CORE_SEVERITY_ERROR, "发票.pdf"));
	g_ptr_array_add(
	    fs, finding("UNREADABLE_FILE", CORE_SEVERITY_WARNING, "旧.jpg"));
	save(f->store, "GXFWQ-1", first, G_N_ELEMENTS(first), fs);

	fs = findings_new();
	g_ptr_array_add(
	    fs, finding("NAME_MISMATCH", CORE_SEVERITY_ERROR, "发票.pdf"));
	g_ptr_array_add(fs, finding("TEXT_LAYER_MISMATCH",
				    CORE_SEVERITY_WARNING, "发票.pdf"));
	save(f->store, "GXFWQ-1", second, G_N_ELEMENTS(second), fs);

	fs = findings_new();
	g_ptr_array_add(
	    fs, finding("NAME_MISMATCH", CORE_SEVERITY_ERROR, "发票.pdf"));
	save(f->store, "GXFWQ-2", other, G_N_ELEMENTS(other), fs);
}

static void
teardown(Fixture *f, gconstpointer data)
{
	char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);

	(void)data;
	store_close(f->store);
	g_assert_cmpint(system(cmd), ==, 0);
	g_free(cmd);
	g_free(f->dir);
}

static const StoreHistoryFile *
file_named(const StoreHistoryScan *h, const char *path)
{
	for (guint i = 0; i < h->files->len; i++) {
		const StoreHistoryFile *f = g_ptr_array_index(h->files, i);

		if (strcmp(f->path, path) == 0)
			return f;
	}
	g_assert_not_reached();
	return NULL;
}

static void
test_history_newest_first(Fixture *f, gconstpointer data)
{
	GError *error = NULL;
	GPtrArray *scans = store_query_history(f->store, "GXFWQ-1", &error);
	const StoreHistoryScan *now, *before;

	(void)data;
	g_assert_no_error(error);
	g_assert_cmpuint(scans->len, ==, 2);
	now = g_ptr_array_index(scans, 0);
	before = g_ptr_array_index(scans, 1);
	g_assert_cmpint(now->scan_id, >, before->scan_id);
	g_assert_cmpstr(now->policy, ==, "2026");
	g_assert_cmpstr(now->verdict, ==, "flagged");
	g_assert_cmpint(now->n_errors, ==, 1);
	g_assert_cmpint(now->n_warnings, ==, 1);
	g_assert_cmpint(before->n_errors, ==, 2);
	g_assert_cmpint(before->n_warnings, ==, 1);
	g_assert_cmpuint(now->codes->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(now->codes, 0), ==, "NAME_MISMATCH");
	g_assert_cmpstr(g_ptr_array_index(now->codes, 1), ==,
			"TEXT_LAYER_MISMATCH");
	/* Fixed by the re-upload: gone from the newer scan. */
	g_assert_cmpuint(now->codes_fixed->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(now->codes_fixed, 0), ==,
			"MISSING_EVIDENCE");
	g_assert_cmpstr(g_ptr_array_index(now->codes_fixed, 1), ==,
			"UNREADABLE_FILE");
	g_assert_cmpuint(before->codes_fixed->len, ==, 0);
	g_ptr_array_unref(scans);
}

static void
test_history_file_changes(Fixture *f, gconstpointer data)
{
	GError *error = NULL;
	GPtrArray *scans = store_query_history(f->store, "GXFWQ-1", &error);
	const StoreHistoryScan *now, *before;
	const StoreHistoryFile *inv;

	(void)data;
	g_assert_no_error(error);
	now = g_ptr_array_index(scans, 0);
	before = g_ptr_array_index(scans, 1);
	/* Three files now, plus the one removed. */
	g_assert_cmpuint(now->files->len, ==, 4);
	inv = file_named(now, "发票.pdf");
	g_assert_cmpint(inv->change, ==, STORE_FILE_CHANGED);
	g_assert_cmpstr(inv->sha256, ==, SHA_C);
	g_assert_cmpstr(inv->before, ==, SHA_A);
	g_assert_cmpint(file_named(now, "合同.pdf")->change, ==,
			STORE_FILE_UNCHANGED);
	g_assert_cmpint(file_named(now, "验收单.pdf")->change, ==,
			STORE_FILE_ADDED);
	g_assert_cmpint(file_named(now, "旧.jpg")->change, ==,
			STORE_FILE_REMOVED);
	/* The first scan has nothing to be compared with. */
	g_assert_cmpuint(before->files->len, ==, 3);
	for (guint i = 0; i < before->files->len; i++) {
		const StoreHistoryFile *bf =
		    g_ptr_array_index(before->files, i);

		g_assert_cmpint(bf->change, ==, STORE_FILE_FIRST);
	}
	g_assert_cmpstr(file_named(before, "旧.jpg")->error, ==, "damaged");
	g_assert_cmpstr(store_file_change_name(STORE_FILE_CHANGED), ==,
			"changed");
	g_ptr_array_unref(scans);
}

static void
test_history_unknown_claim(Fixture *f, gconstpointer data)
{
	GError *error = NULL;
	GPtrArray *scans = store_query_history(f->store, "nope", &error);

	(void)data;
	g_assert_no_error(error);
	g_assert_cmpuint(scans->len, ==, 0);
	g_ptr_array_unref(scans);
}

static GPtrArray *
query(Fixture *f, const char *code, const char *severity, const char *since)
{
	StoreFindingFilter filter = {code, severity, since};
	GError *error = NULL;
	GPtrArray *rows = store_query_findings(f->store, &filter, &error);

	g_assert_no_error(error);
	g_assert_nonnull(rows);
	return rows;
}

static void
test_findings_latest_only(Fixture *f, gconstpointer data)
{
	GPtrArray *rows = query(f, NULL, NULL, NULL);
	const StoreFindingRow *r;

	(void)data;
	/* GXFWQ-1's second scan (2) and GXFWQ-2's (1); the first scan's
	 * MISSING_EVIDENCE is superseded. */
	g_assert_cmpuint(rows->len, ==, 3);
	r = g_ptr_array_index(rows, 0);
	g_assert_cmpstr(r->claim_id, ==, "GXFWQ-1");
	g_assert_cmpstr(r->code, ==, "NAME_MISMATCH");
	g_assert_cmpstr(r->severity, ==, "error");
	g_assert_cmpstr(r->message, ==, "说明");
	g_assert_cmpuint(r->refs->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(r->refs, 0), ==, "发票.pdf#1");
	for (guint i = 0; i < rows->len; i++) {
		r = g_ptr_array_index(rows, i);
		g_assert_cmpstr(r->code, !=, "MISSING_EVIDENCE");
		g_assert_cmpstr(r->code, !=, "UNREADABLE_FILE");
	}
	g_assert_cmpstr(
	    ((StoreFindingRow *)g_ptr_array_index(rows, 2))->claim_id, ==,
	    "GXFWQ-2");
	g_ptr_array_unref(rows);
}

static void
test_findings_filters(Fixture *f, gconstpointer data)
{
	GPtrArray *rows;

	(void)data;
	rows = query(f, "NAME_MISMATCH", NULL, NULL);
	g_assert_cmpuint(rows->len, ==, 2);
	g_ptr_array_unref(rows);

	rows = query(f, NULL, "warning", NULL);
	g_assert_cmpuint(rows->len, ==, 1);
	g_assert_cmpstr(((StoreFindingRow *)g_ptr_array_index(rows, 0))->code,
			==, "TEXT_LAYER_MISMATCH");
	g_ptr_array_unref(rows);

	rows = query(f, "MISSING_EVIDENCE", NULL, NULL);
	g_assert_cmpuint(rows->len, ==, 0);
	g_ptr_array_unref(rows);

	rows = query(f, "NAME_MISMATCH", "warning", NULL);
	g_assert_cmpuint(rows->len, ==, 0);
	g_ptr_array_unref(rows);

	/* Scanned just now: on or after 2000, none after 9999. */
	rows = query(f, NULL, NULL, "2000-01-01");
	g_assert_cmpuint(rows->len, ==, 3);
	g_ptr_array_unref(rows);
	rows = query(f, NULL, NULL, "9999-12-31");
	g_assert_cmpuint(rows->len, ==, 0);
	g_ptr_array_unref(rows);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/query/history/newest-first", Fixture, NULL, setup,
		   test_history_newest_first, teardown);
	g_test_add("/query/history/file-changes", Fixture, NULL, setup,
		   test_history_file_changes, teardown);
	g_test_add("/query/history/unknown-claim", Fixture, NULL, setup,
		   test_history_unknown_claim, teardown);
	g_test_add("/query/findings/latest-only", Fixture, NULL, setup,
		   test_findings_latest_only, teardown);
	g_test_add("/query/findings/filters", Fixture, NULL, setup,
		   test_findings_filters, teardown);
	return g_test_run();
}
