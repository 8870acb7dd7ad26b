/* batch.c - what `evidcheck batch` needs of the store: the rules version
 * stamped on each scan, and a claim's latest scan with the files it saw,
 * so an unchanged claim under unchanged rules is not scanned again. */
#include "store/store_int.h"

void
store_set_rules_version(Store *store, const char *version)
{
	g_free(store->rules_version);
	store->rules_version = g_strdup(version);
}

void
store_last_scan_free(StoreLastScan *last)
{
	if (last == NULL)
		return;
	g_free(last->policy);
	g_free(last->rules_version);
	g_free(last->scanned_at);
	g_free(last->report_json);
	if (last->files != NULL)
		g_hash_table_unref(last->files);
	g_free(last);
}

static char *
column_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	return v != NULL ? g_strdup((const char *)v) : NULL;
}

static gboolean
read_files(Store *s, StoreLastScan *last, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    s, "SELECT path, sha256 FROM scan_file WHERE scan_id = ?1", error);
	int rc;

	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, last->scan_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_hash_table_insert(last->files, column_dup(st, 0),
				    column_dup(st, 1));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, error, "reading a scan's files");
	return TRUE;
}

/* The scan row alone; FALSE with ERROR unset when there is none. */
static gboolean
read_scan(Store *s, const char *claim_id, StoreLastScan *last, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "SELECT id, policy, rules_version, scanned_at, report_json "
	    "FROM scan WHERE claim_id = ?1 ORDER BY id DESC LIMIT 1",
	    error);
	int rc;

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, claim_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		last->scan_id = sqlite3_column_int64(st, 0);
		last->policy = column_dup(st, 1);
		last->rules_version = column_dup(st, 2);
		last->scanned_at = column_dup(st, 3);
		last->report_json = column_dup(st, 4);
	} else if (rc != SQLITE_DONE) {
		store_fail(s, error, "reading a claim's latest scan");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW;
}

StoreLastScan *
store_last_scan(Store *store, const char *claim_id, GError **error)
{
	StoreLastScan *last = g_new0(StoreLastScan, 1);

	last->files =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (!read_scan(store, claim_id, last, error) ||
	    !read_files(store, last, error)) {
		store_last_scan_free(last);
		return NULL;
	}
	return last;
}
