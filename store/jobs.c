/* jobs.c - the jobs of `evidcheck serve` (schema version 7): one row per
 * accepted upload, from queued to done or failed, so that a restart loses
 * no accepted claim and starts again the ones it interrupted. */
#include "store/store_int.h"

void
store_job_free(StoreJob *job)
{
	if (job == NULL)
		return;
	g_free(job->id);
	g_free(job->scope);
	g_free(job->status);
	g_free(job->verdict);
	g_free(job->reason);
	g_free(job->reason_code);
	g_free(job);
}

gboolean
store_job_add(Store *store, const StoreJob *job, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "INSERT INTO job(id, scope, status, created_at, files, bytes) "
	    "VALUES(?1, ?2, 'queued', ?3, ?4, ?5)",
	    error);

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, job->id);
	store_bind_text(st, 2, job->scope != NULL ? job->scope : "");
	sqlite3_bind_int64(st, 3, job->created_at);
	sqlite3_bind_int(st, 4, job->files);
	sqlite3_bind_int64(st, 5, job->bytes);
	return store_step_done(store, st, error, "recording a job");
}

static StoreJob *
job_from_row(sqlite3_stmt *st)
{
	StoreJob *job = g_new0(StoreJob, 1);

	job->id = store_column_text(st, 0);
	job->scope = store_column_text(st, 1);
	job->status = store_column_text(st, 2);
	job->created_at = sqlite3_column_int64(st, 3);
	job->started_at = sqlite3_column_int64(st, 4);
	job->finished_at = sqlite3_column_int64(st, 5);
	job->files = sqlite3_column_int(st, 6);
	job->bytes = sqlite3_column_int64(st, 7);
	job->files_done = sqlite3_column_int(st, 8);
	job->pages_done = sqlite3_column_int(st, 9);
	job->pages_total = sqlite3_column_int(st, 10);
	job->attempts = sqlite3_column_int(st, 11);
	job->verdict = store_column_text(st, 12);
	job->reason = store_column_text(st, 13);
	job->reason_code = store_column_text(st, 14);
	return job;
}

StoreJob *
store_job_get(Store *store, const char *id, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT id, scope, status, created_at, started_at, finished_at, "
	    "files, bytes, files_done, pages_done, pages_total, attempts, "
	    "verdict, reason, reason_code FROM job WHERE id = ?1",
	    error);
	StoreJob *job = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	store_bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		job = job_from_row(st);
	else if (rc != SQLITE_DONE)
		store_fail(store, error, "reading a job");
	sqlite3_finalize(st);
	return job;
}

/* The first column of ST's rows, run to the end and finalized: a new
 * array of char*, or NULL with ERROR saying WHAT failed. */
static GPtrArray *
ids_of(Store *store, sqlite3_stmt *st, const char *what, GError **error)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_ptr_array_add(ids, store_column_text(st, 0));
	if (rc != SQLITE_DONE) {
		store_fail(store, error, what);
		g_clear_pointer(&ids, g_ptr_array_unref);
	}
	sqlite3_finalize(st);
	return ids;
}

GPtrArray *
store_job_ids(Store *store, const char *status, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT id FROM job WHERE status = ?1 ORDER BY created_at, rowid",
	    error);

	if (st == NULL)
		return NULL;
	store_bind_text(st, 1, status);
	return ids_of(store, st, "listing jobs", error);
}

int
store_job_count(Store *store, const char *status)
{
	return store_count(store, "SELECT count(*) FROM job WHERE status = ?1",
			   status, NULL);
}

gboolean
store_job_start(Store *store, const char *id, gint64 at, GError **error)
{
	sqlite3_stmt *st =
	    store_prepare(store,
			  "UPDATE job SET status = 'running', started_at = ?2, "
			  "attempts = attempts + 1 WHERE id = ?1",
			  error);

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	return store_step_done(store, st, error, "starting a job");
}

gboolean
store_job_finish(Store *store, const StoreJob *job, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "UPDATE job SET status = ?2, finished_at = ?3, files_done = ?4, "
	    "pages_done = ?5, pages_total = ?6, verdict = ?7, reason = ?8, "
	    "reason_code = ?9, files = CASE WHEN ?10 > 0 THEN ?10 ELSE files "
	    "END WHERE id = ?1",
	    error);

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, job->id);
	store_bind_text(st, 2, job->status);
	sqlite3_bind_int64(st, 3, job->finished_at);
	sqlite3_bind_int(st, 4, job->files_done);
	sqlite3_bind_int(st, 5, job->pages_done);
	sqlite3_bind_int(st, 6, job->pages_total);
	store_bind_text(st, 7, job->verdict);
	store_bind_text(st, 8, job->reason);
	store_bind_text(st, 9, job->reason_code);
	sqlite3_bind_int(st, 10, job->files);
	return store_step_done(store, st, error, "finishing a job");
}

GPtrArray *
store_job_expire(Store *store, gint64 before, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "DELETE FROM job WHERE status IN ('done', 'failed') AND "
	    "finished_at < ?1 RETURNING id",
	    error);

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, before);
	return ids_of(store, st, "expiring jobs", error);
}

gboolean
store_job_release(Store *store, const char *id, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "UPDATE job SET status = 'queued', started_at = NULL, "
	    "attempts = max(attempts - 1, 0) WHERE id = ?1 AND "
	    "status = 'running'",
	    error);

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, id);
	return store_step_done(store, st, error, "putting a job back");
}

int
store_job_requeue(Store *store, int max_attempts, const char *reason,
		  GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "UPDATE job SET status = CASE WHEN attempts >= ?1 THEN 'failed' "
	    "ELSE 'queued' END, reason = CASE WHEN attempts >= ?1 THEN ?2 "
	    "END, reason_code = CASE WHEN attempts >= ?1 THEN 'interrupted' "
	    "END, finished_at = CASE WHEN attempts >= ?1 THEN "
	    "CAST(strftime('%s', 'now') AS INTEGER) END "
	    "WHERE status = 'running'",
	    error);

	if (st == NULL)
		return -1;
	sqlite3_bind_int(st, 1, max_attempts);
	store_bind_text(st, 2, reason);
	if (!store_step_done(store, st, error, "re-queueing jobs"))
		return -1;
	return sqlite3_changes(store->db);
}
