/* query.c - what a reviewer asks of the store: a claim's scans side by
 * side (what the provider re-uploaded, which findings went away), and the
 * findings of every claim's latest scan. Read-only; the rows are those
 * store.c writes (scan, scan_file, finding). */
#include <string.h>

#include "store/store_int.h"

const char *
store_file_change_name(StoreFileChange change)
{
	switch (change) {
	case STORE_FILE_FIRST:
		return "first";
	case STORE_FILE_UNCHANGED:
		return "unchanged";
	case STORE_FILE_ADDED:
		return "added";
	case STORE_FILE_CHANGED:
		return "changed";
	case STORE_FILE_REMOVED:
		break;
	}
	return "removed";
}

/* ---- history ----------------------------------------------------------- */

static void
history_file_free(StoreHistoryFile *f)
{
	if (f == NULL)
		return;
	g_free(f->path);
	g_free(f->sha256);
	g_free(f->before);
	g_free(f->error);
	g_free(f);
}

void
store_history_scan_free(StoreHistoryScan *scan)
{
	if (scan == NULL)
		return;
	g_free(scan->scanned_at);
	g_free(scan->policy);
	g_free(scan->direction);
	g_free(scan->verdict);
	g_ptr_array_unref(scan->codes);
	g_ptr_array_unref(scan->codes_fixed);
	g_ptr_array_unref(scan->files);
	g_free(scan);
}

static StoreHistoryScan *
history_scan_new(sqlite3_stmt *st)
{
	StoreHistoryScan *h = g_new0(StoreHistoryScan, 1);

	h->scan_id = sqlite3_column_int64(st, 0);
	h->scanned_at = store_column_text(st, 1);
	h->policy = store_column_text(st, 2);
	h->direction = store_column_text(st, 3);
	h->verdict = store_column_text(st, 4);
	h->codes = g_ptr_array_new_with_free_func(g_free);
	h->codes_fixed = g_ptr_array_new_with_free_func(g_free);
	h->files =
	    g_ptr_array_new_with_free_func((GDestroyNotify)history_file_free);
	return h;
}

/* Run ST to its end; FALSE with ERROR set when a step failed. */
static gboolean
step_end(Store *s, sqlite3_stmt *st, int rc, GError **error, const char *what)
{
	gboolean ok = rc == SQLITE_DONE;

	if (!ok)
		store_fail(s, error, what);
	sqlite3_finalize(st);
	return ok;
}

/* Severity counts and the distinct codes (sorted by the query). */
static gboolean
history_findings(Store *s, StoreHistoryScan *h, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "SELECT code, sum(severity = 'error'), sum(severity != 'error') "
	    "FROM finding WHERE scan_id = ?1 GROUP BY code ORDER BY code",
	    error);
	int rc;

	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, h->scan_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		g_ptr_array_add(h->codes, store_column_text(st, 0));
		h->n_errors += sqlite3_column_int(st, 1);
		h->n_warnings += sqlite3_column_int(st, 2);
	}
	return step_end(s, st, rc, error, "reading a scan's findings");
}

static gboolean
history_files(Store *s, StoreHistoryScan *h, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "SELECT path, sha256, error FROM scan_file WHERE scan_id = ?1 "
	    "ORDER BY path",
	    error);
	int rc;

	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, h->scan_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		StoreHistoryFile *f = g_new0(StoreHistoryFile, 1);

		f->path = store_column_text(st, 0);
		f->sha256 = store_column_text(st, 1);
		f->error = store_column_text(st, 2);
		if (f->sha256 == NULL)
			f->sha256 = g_strdup("");
		g_ptr_array_add(h->files, f);
	}
	return step_end(s, st, rc, error, "reading a scan's files");
}

static gint
file_by_path(gconstpointer a, gconstpointer b)
{
	const StoreHistoryFile *x = *(StoreHistoryFile *const *)a;
	const StoreHistoryFile *y = *(StoreHistoryFile *const *)b;

	return strcmp(x->path, y->path);
}

/* Mark each file of H against BEFORE (the claim's scan before it), and
 * add the files BEFORE had that H has not, as removed. */
static void
compare_files(StoreHistoryScan *h, const StoreHistoryScan *before)
{
	GHashTable *old = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *now = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < before->files->len; i++) {
		StoreHistoryFile *f = g_ptr_array_index(before->files, i);

		g_hash_table_insert(old, f->path, f);
	}
	for (guint i = 0; i < h->files->len; i++) {
		StoreHistoryFile *f = g_ptr_array_index(h->files, i);
		const StoreHistoryFile *o = g_hash_table_lookup(old, f->path);

		g_hash_table_add(now, f->path);
		if (o == NULL) {
			f->change = STORE_FILE_ADDED;
		} else if (strcmp(o->sha256, f->sha256) != 0) {
			f->change = STORE_FILE_CHANGED;
			f->before = g_strdup(o->sha256);
		} else {
			f->change = STORE_FILE_UNCHANGED;
		}
	}
	for (guint i = 0; i < before->files->len; i++) {
		const StoreHistoryFile *o = g_ptr_array_index(before->files, i);
		StoreHistoryFile *gone;

		if (g_hash_table_contains(now, o->path))
			continue;
		gone = g_new0(StoreHistoryFile, 1);
		gone->path = g_strdup(o->path);
		gone->sha256 = g_strdup(o->sha256);
		gone->change = STORE_FILE_REMOVED;
		g_ptr_array_add(h->files, gone);
	}
	g_ptr_array_sort(h->files, file_by_path);
	g_hash_table_unref(now);
	g_hash_table_unref(old);
}

static gboolean
has_code(GPtrArray *codes, const char *code)
{
	for (guint i = 0; i < codes->len; i++)
		if (strcmp(g_ptr_array_index(codes, i), code) == 0)
			return TRUE;
	return FALSE;
}

static void
compare_codes(StoreHistoryScan *h, const StoreHistoryScan *before)
{
	for (guint i = 0; i < before->codes->len; i++) {
		const char *c = g_ptr_array_index(before->codes, i);

		if (!has_code(h->codes, c))
			g_ptr_array_add(h->codes_fixed, g_strdup(c));
	}
}

/* Compare each scan with the next in SCANS (newest first, so the next is
 * the one before it). Newest first also means a scan is read as "the one
 * before" while it holds only its own files, before its removed entries
 * are added. The oldest keeps STORE_FILE_FIRST. */
static void
compare_scans(GPtrArray *scans)
{
	for (guint i = 0; i + 1 < scans->len; i++) {
		StoreHistoryScan *h = g_ptr_array_index(scans, i);
		const StoreHistoryScan *before =
		    g_ptr_array_index(scans, i + 1);

		compare_files(h, before);
		compare_codes(h, before);
	}
}

static gboolean
history_scans(Store *s, const char *claim_id, GPtrArray *out, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "SELECT id, scanned_at, policy, direction, verdict FROM scan "
	    "WHERE claim_id = ?1 ORDER BY id DESC",
	    error);
	int rc;

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, claim_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_ptr_array_add(out, history_scan_new(st));
	return step_end(s, st, rc, error, "reading a claim's scans");
}

GPtrArray *
store_query_history(Store *store, const char *claim_id, GError **error)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)store_history_scan_free);

	if (!history_scans(store, claim_id, out, error))
		goto fail;
	for (guint i = 0; i < out->len; i++) {
		StoreHistoryScan *h = g_ptr_array_index(out, i);

		if (!history_findings(store, h, error) ||
		    !history_files(store, h, error))
			goto fail;
	}
	compare_scans(out);
	return out;
fail:
	g_ptr_array_unref(out);
	return NULL;
}

/* ---- findings of the latest scans -------------------------------------- */

void
store_finding_row_free(StoreFindingRow *row)
{
	if (row == NULL)
		return;
	g_free(row->claim_id);
	g_free(row->scanned_at);
	g_free(row->code);
	g_free(row->severity);
	g_free(row->item);
	g_free(row->message);
	g_ptr_array_unref(row->refs);
	g_free(row);
}

/* The refs column's JSON array; a damaged one gives no refs rather than
 * losing the finding. */
static GPtrArray *
parse_refs(const char *json)
{
	GPtrArray *refs = g_ptr_array_new_with_free_func(g_free);
	JsonParser *p = json_parser_new();
	JsonNode *root;

	if (json != NULL && json_parser_load_from_data(p, json, -1, NULL) &&
	    (root = json_parser_get_root(p)) != NULL &&
	    JSON_NODE_HOLDS_ARRAY(root)) {
		JsonArray *a = json_node_get_array(root);

		for (guint i = 0; i < json_array_get_length(a); i++) {
			const char *r = json_array_get_string_element(a, i);

			if (r != NULL)
				g_ptr_array_add(refs, g_strdup(r));
		}
	}
	g_object_unref(p);
	return refs;
}

static StoreFindingRow *
finding_row_new(sqlite3_stmt *st)
{
	StoreFindingRow *r = g_new0(StoreFindingRow, 1);

	r->claim_id = store_column_text(st, 0);
	r->scan_id = sqlite3_column_int64(st, 1);
	r->scanned_at = store_column_text(st, 2);
	r->code = store_column_text(st, 3);
	r->severity = store_column_text(st, 4);
	r->item = store_column_text(st, 5);
	r->message = store_column_text(st, 6);
	r->refs = parse_refs((const char *)sqlite3_column_text(st, 7));
	return r;
}

/* A NULL parameter keeps every row, so one statement serves every
 * combination of filters. The latest scan is max(id) per claim_id, as the
 * cross-claim rules read it (history.c), found through scan_claim. */
static const char findings_sql[] =
    "SELECT s.claim_id, s.id, s.scanned_at, f.code, f.severity, f.item, "
    "f.message, f.refs_json FROM scan s JOIN finding f ON f.scan_id = s.id "
    "WHERE s.id = (SELECT max(id) FROM scan WHERE claim_id = s.claim_id) "
    "AND (?1 IS NULL OR f.code = ?1) AND (?2 IS NULL OR f.severity = ?2) "
    "AND (?3 IS NULL OR s.scanned_at >= ?3) "
    "ORDER BY s.claim_id, f.rowid";

GPtrArray *
store_query_findings(Store *store, const StoreFindingFilter *filter,
		     GError **error)
{
	sqlite3_stmt *st = store_prepare(store, findings_sql, error);
	GPtrArray *out;
	int rc;

	if (st == NULL)
		return NULL;
	store_bind_text(st, 1, filter != NULL ? filter->code : NULL);
	store_bind_text(st, 2, filter != NULL ? filter->severity : NULL);
	store_bind_text(st, 3, filter != NULL ? filter->since : NULL);
	out = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)store_finding_row_free);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_ptr_array_add(out, finding_row_new(st));
	if (!step_end(store, st, rc, error, "reading findings")) {
		g_ptr_array_unref(out);
		return NULL;
	}
	return out;
}
