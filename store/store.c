/* store.c - SQLite behind store.h. WAL journal and one transaction per scan
 * keep the file consistent when a run is killed; the schema comes from
 * schema.sql, embedded at build time. */
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "store/store_int.h"
#include "store_migrations_002.h"
#include "store_migrations_003.h"
#include "store_migrations_004.h"
#include "store_migrations_005.h"
#include "store_migrations_006.h"
#include "store_migrations_007.h"
#include "store_schema.h"

/* SQLite's "database is locked" does not say by whom, nor that it
 * waited: a reviewer should read that another process holds the store. */
static gboolean
is_locked(Store *s)
{
	return (sqlite3_extended_errcode(s->db) & 0xff) == SQLITE_BUSY;
}

static void
set_locked_error(Store *s, GError **error, const char *what)
{
	g_set_error(error, CORE_ERROR, CORE_ERROR_STORE,
		    "store %s is locked by another process (waited %d s for "
		    "it): %s failed",
		    s->path, STORE_BUSY_TIMEOUT_MS / 1000, what);
}

/* SQLite's "disk I/O error" or "database or disk is full" with the
 * system's reason when there is one ("File too large", "No space left on
 * device"): what a reviewer can act on. */
static char *
os_reason(Store *s, const char *msg)
{
	int sys = sqlite3_system_errno(s->db);
	int code = sqlite3_extended_errcode(s->db) & 0xff;

	if (sys != 0 && (code == SQLITE_IOERR || code == SQLITE_FULL ||
			 code == SQLITE_CANTOPEN || code == SQLITE_READONLY))
		return g_strdup_printf("%s (%s)", msg, g_strerror(sys));
	return g_strdup(msg);
}

gboolean
store_fail(Store *s, GError **error, const char *what)
{
	char *why;

	if (is_locked(s)) {
		set_locked_error(s, error, what);
		return FALSE;
	}
	why = os_reason(s, sqlite3_errmsg(s->db));
	g_set_error(error, CORE_ERROR, CORE_ERROR_STORE,
		    "store %s: %s failed: %s", s->path, what, why);
	g_free(why);
	return FALSE;
}

static gboolean
exec(Store *s, const char *sql, GError **error)
{
	char *msg = NULL;
	char *why;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return TRUE;
	if (is_locked(s)) {
		/* The first statement names it well enough. */
		char *head = g_strndup(sql, strcspn(sql, ";\n"));

		set_locked_error(s, error, head);
		g_free(head);
	} else {
		why = os_reason(s, msg != NULL ? msg : sqlite3_errmsg(s->db));
		g_set_error(error, CORE_ERROR, CORE_ERROR_STORE, "store %s: %s",
			    s->path, why);
		g_free(why);
	}
	sqlite3_free(msg);
	return FALSE;
}

/* BEGIN IMMEDIATE, the write lock taken at once (waiting for another
 * process's), failing with what it was for. */
static gboolean
begin(Store *s, const char *what, GError **error)
{
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
	    SQLITE_OK)
		return TRUE;
	return store_fail(s, error, what);
}

/* SQLite's busy handler, instead of sqlite3_busy_timeout: the same wait
 * (STORE_BUSY_TIMEOUT_MS, in short sleeps), but it says once that it is
 * waiting, and a cache write after one that timed out does not wait. */
static int
busy_wait(void *data, int count)
{
	Store *s = data;
	gint64 now = g_get_monotonic_time();
	gint64 waited;

	if (s->no_wait)
		return 0;
	if (count == 0) {
		s->wait_start = now;
		s->wait_told = FALSE;
	}
	waited = (now - s->wait_start) / 1000;
	if (waited >= STORE_BUSY_TIMEOUT_MS)
		return 0;
	if (waited >= STORE_BUSY_TELL_MS && !s->wait_told &&
	    s->wait_notify != NULL) {
		s->wait_told = TRUE;
		s->wait_notify(s->path, STORE_BUSY_TIMEOUT_MS, s->wait_data);
	}
	/* Short at first, as sqlite3_busy_timeout does: most waits are
	 * another run's commit of a few milliseconds. */
	sqlite3_sleep(count < 10 ? 5 : 50);
	return 1;
}

void
store_set_wait_notify(Store *store, StoreWaitFunc notify, void *data)
{
	store->wait_notify = notify;
	store->wait_data = data;
}

static int
user_version(Store *s)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) ==
		SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Step N takes the store from version N to N + 1; the base schema is the
 * first step, so a new file and an old one follow the same path. */
static const char *const steps[] = {store_schema,	  store_migrations_002,
				    store_migrations_003, store_migrations_004,
				    store_migrations_005, store_migrations_006,
				    store_migrations_007};

G_STATIC_ASSERT(G_N_ELEMENTS(steps) == STORE_SCHEMA_VERSION);

/* One transaction per step, with its version bump: a kill between steps
 * leaves a store at a known version. Another process may have done the
 * step while we waited for the lock, hence the second look. */
static gboolean
migrate_step(Store *s, int from, GError **error)
{
	char *bump = g_strdup_printf("PRAGMA user_version = %d", from + 1);
	gboolean ok = FALSE;

	if (!begin(s, "updating the schema", error))
		goto cleanup;
	if (user_version(s) == from &&
	    (!exec(s, steps[from], error) || !exec(s, bump, error))) {
		exec(s, "ROLLBACK", NULL);
		goto cleanup;
	}
	ok = exec(s, "COMMIT", error);
cleanup:
	g_free(bump);
	return ok;
}

static gboolean
migrate(Store *s, GError **error)
{
	int v = user_version(s);

	if (v < 0)
		return store_fail(s, error, "reading the schema version");
	if (v > STORE_SCHEMA_VERSION) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_STORE,
			    "store %s has schema version %d, newer than this "
			    "evidcheck (%d): use a newer evidcheck or another "
			    "--db",
			    s->path, v, STORE_SCHEMA_VERSION);
		return FALSE;
	}
	for (; v < STORE_SCHEMA_VERSION; v++)
		if (!migrate_step(s, v, error))
			return FALSE;
	return TRUE;
}

char *
store_default_path(void)
{
	return g_build_filename(g_get_user_data_dir(), "evidcheck",
				"evidcheck.db", NULL);
}

Store *
store_open(const char *path, GError **error)
{
	Store *s = g_new0(Store, 1);
	char *dir = g_path_get_dirname(path);

	s->path = g_strdup(path);
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_STORE,
			    "cannot create the folder for store %s: %s", path,
			    g_strerror(errno));
		goto fail;
	}
	if (sqlite3_open_v2(path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		store_fail(s, error, "opening");
		goto fail;
	}
	sqlite3_busy_handler(s->db, busy_wait, s);
	if (!exec(s,
		  "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; "
		  "PRAGMA synchronous = NORMAL",
		  error) ||
	    !migrate(s, error))
		goto fail;
	g_free(dir);
	return s;
fail:
	g_free(dir);
	store_close(s);
	return NULL;
}

void
store_close(Store *store)
{
	if (store == NULL)
		return;
	sqlite3_close(store->db);
	g_free(store->path);
	g_free(store->rules_version);
	g_free(store);
}

sqlite3_stmt *
store_prepare(Store *s, const char *sql, GError **error)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail(s, error, "preparing a statement");
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

void
store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

char *
store_column_text(sqlite3_stmt *st, int i)
{
	return g_strdup((const char *)sqlite3_column_text(st, i));
}

gboolean
store_step_done(Store *s, sqlite3_stmt *st, GError **error, const char *what)
{
	gboolean ok = sqlite3_step(st) == SQLITE_DONE;

	if (!ok)
		store_fail(s, error, what);
	sqlite3_finalize(st);
	return ok;
}

void
store_test_kill(const char *point)
{
	static int calls; /* of the armed point: only one is armed a run */
	const char *want = g_getenv("EVIDCHECK_TEST_KILL");
	size_t n = strlen(point);
	int nth;

	if (want == NULL || strncmp(want, point, n) != 0 ||
	    (want[n] != '\0' && want[n] != ':'))
		return;
	nth = want[n] == ':' ? atoi(want + n + 1) : 1;
	if (++calls == nth)
		raise(SIGKILL);
}

gboolean
store_cache_step(Store *s, sqlite3_stmt *st, GError **error, const char *what)
{
	int rc;
	gboolean ok;

	s->no_wait = s->cache_locked;
	rc = sqlite3_step(st);
	ok = rc == SQLITE_DONE;
	if (ok)
		s->cache_locked = FALSE;
	else if (is_locked(s) && s->cache_locked)
		ok = TRUE; /* said when the lock was first met */
	else if (is_locked(s))
		s->cache_locked = TRUE;
	if (!ok)
		store_fail(s, error, what);
	s->no_wait = FALSE;
	sqlite3_finalize(st);
	return ok;
}

gboolean
store_file_save(Store *store, const char *sha256, gint64 size, const char *kind,
		int n_pages, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "INSERT INTO file(sha256, size, kind, n_pages) "
	    "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(sha256) DO UPDATE SET "
	    "n_pages = excluded.n_pages, kind = excluded.kind",
	    error);

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, sha256);
	sqlite3_bind_int64(st, 2, size);
	store_bind_text(st, 3, kind);
	sqlite3_bind_int(st, 4, n_pages);
	return store_cache_step(store, st, error, "saving a file");
}

char *
store_json_take(JsonNode *root)
{
	JsonGenerator *gen = json_generator_new();
	char *out;

	json_generator_set_root(gen, root);
	out = json_generator_to_data(gen, NULL);
	json_node_unref(root);
	g_object_unref(gen);
	return out;
}

static char *
fields_json(const CoreDocument *doc)
{
	JsonBuilder *b = json_builder_new();
	char *out;

	json_builder_begin_object(b);
	for (guint i = 0; i < doc->field_order->len; i++) {
		const char *k = g_ptr_array_index(doc->field_order, i);

		json_builder_set_member_name(b, k);
		json_builder_add_string_value(b,
					      core_document_get_field(doc, k));
	}
	json_builder_end_object(b);
	out = store_json_take(json_builder_get_root(b));
	g_object_unref(b);
	return out;
}

static char *
refs_json(GPtrArray *refs)
{
	JsonArray *arr = json_array_new();
	char *out;

	for (guint i = 0; i < refs->len; i++)
		json_array_add_string_element(arr, g_ptr_array_index(refs, i));
	/* The node takes a reference of its own. */
	out = store_json_take(json_node_init_array(json_node_alloc(), arr));
	json_array_unref(arr);
	return out;
}

static gboolean
save_files(Store *s, gint64 id, const StoreScan *scan, GError **error)
{
	for (guint i = 0; i < scan->n_files; i++) {
		sqlite3_stmt *st = store_prepare(
		    s,
		    "INSERT OR REPLACE INTO scan_file(scan_id, path, "
		    "sha256, error) VALUES(?1, ?2, ?3, ?4)",
		    error);

		if (st == NULL)
			return FALSE;
		sqlite3_bind_int64(st, 1, id);
		store_bind_text(st, 2, scan->files[i].path);
		store_bind_text(st, 3, scan->files[i].sha256);
		store_bind_text(st, 4, scan->files[i].error);
		if (!store_step_done(s, st, error, "saving a scanned file"))
			return FALSE;
	}
	return TRUE;
}

static gboolean
save_document(Store *s, gint64 id, const CoreDocument *d, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "INSERT INTO document(scan_id, file, first_page, last_page, "
	    "type, confidence, fields_json) VALUES(?1,?2,?3,?4,?5,?6,?7)",
	    error);
	char *fields;
	int last = d->pages->len > 0
		       ? g_array_index(d->pages, int, d->pages->len - 1)
		       : 0;

	if (st == NULL)
		return FALSE;
	fields = fields_json(d);
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, d->file);
	sqlite3_bind_int(
	    st, 3, d->pages->len > 0 ? g_array_index(d->pages, int, 0) : 0);
	sqlite3_bind_int(st, 4, last);
	store_bind_text(st, 5, d->type);
	sqlite3_bind_double(st, 6, d->confidence);
	store_bind_text(st, 7, fields);
	g_free(fields);
	return store_step_done(s, st, error, "saving a document");
}

static gboolean
save_finding(Store *s, gint64 id, const CoreFinding *f, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "INSERT INTO finding(scan_id, code, severity, item, message, "
	    "refs_json) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	    error);
	char *refs;

	if (st == NULL)
		return FALSE;
	refs = refs_json(f->documents);
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, f->code);
	store_bind_text(st, 3, core_severity_name(f->severity));
	store_bind_text(st, 4, f->item);
	store_bind_text(st, 5, f->message);
	store_bind_text(st, 6, refs);
	g_free(refs);
	return store_step_done(s, st, error, "saving a finding");
}

static gint64
insert_scan(Store *s, const StoreScan *scan, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "INSERT INTO scan(claim_id, folder, policy, direction, "
	    "verdict, scanned_at, report_json, rules_version) "
	    "VALUES(?1, ?2, ?3, ?4, ?5, "
	    "strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?6, ?7)",
	    error);

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, scan->claim_id);
	store_bind_text(st, 2, scan->folder);
	store_bind_text(st, 3, scan->policy);
	store_bind_text(st, 4, scan->direction);
	store_bind_text(st, 5, scan->verdict);
	store_bind_text(st, 6, scan->report_json);
	store_bind_text(st, 7, s->rules_version);
	if (!store_step_done(s, st, error, "saving a scan"))
		return -1;
	return sqlite3_last_insert_rowid(s->db);
}

static gboolean
save_scan_rows(Store *s, gint64 id, const StoreScan *scan, GError **error)
{
	if (!save_files(s, id, scan, error))
		return FALSE;
	for (guint i = 0; i < scan->documents->len; i++)
		if (!save_document(s, id, g_ptr_array_index(scan->documents, i),
				   error))
			return FALSE;
	for (guint i = 0; i < scan->findings->len; i++)
		if (!save_finding(s, id, g_ptr_array_index(scan->findings, i),
				  error))
			return FALSE;
	return store_history_save(s, id, scan, error);
}

gint64
store_scan_save(Store *store, const StoreScan *scan, GError **error)
{
	gint64 id;

	if (!begin(store, "saving a scan", error))
		return -1;
	id = insert_scan(store, scan, error);
	if (id < 0 || !save_scan_rows(store, id, scan, error)) {
		exec(store, "ROLLBACK", NULL);
		return -1;
	}
	store_test_kill("scan-rows");
	if (!exec(store, "COMMIT", error)) {
		exec(store, "ROLLBACK", NULL);
		return -1;
	}
	return id;
}

int
store_count(Store *s, const char *sql, const char *a, const char *b)
{
	sqlite3_stmt *st = store_prepare(s, sql, NULL);
	int n = -1;

	if (st == NULL)
		return -1;
	store_bind_text(st, 1, a);
	if (b != NULL)
		store_bind_text(st, 2, b);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
store_scan_count(Store *store, const char *claim_id)
{
	return store_count(store,
			   "SELECT count(*) FROM scan WHERE claim_id = ?1",
			   claim_id, NULL);
}
