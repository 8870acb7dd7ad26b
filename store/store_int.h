/* store_int.h - what the store's files share: the handle's insides and
 * small SQLite helpers that turn failures into GErrors naming the store. */
#ifndef EVIDCHECK_STORE_INT_H
#define EVIDCHECK_STORE_INT_H

#include <sqlite3.h>

#include <json-glib/json-glib.h>

#include "store/store.h"

struct Store {
	sqlite3 *db;
	char *path;
	char *rules_version; /* stamped on every scan saved; may be NULL */
	/* A cache write waited the whole timeout for another process's
	 * lock: the next ones do not wait (store_cache_step). */
	gboolean cache_locked;
	gboolean no_wait;   /* the statement running now does not wait */
	gint64 wait_start;  /* monotonic, of the wait in progress */
	gboolean wait_told; /* WAIT_NOTIFY called for it */
	StoreWaitFunc wait_notify;
	void *wait_data;
};

/* Set ERROR to "store PATH: WHAT failed: <sqlite message>"; FALSE. */
gboolean store_fail(Store *s, GError **error, const char *what);
/* A prepared statement the caller finalizes, or NULL with ERROR set. */
sqlite3_stmt *store_prepare(Store *s, const char *sql, GError **error);
/* Column I of ST's row as a new string; NULL stays NULL. */
char *store_column_text(sqlite3_stmt *st, int i);
/* Bind V (copied) or NULL to parameter I. */
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Run ST to completion and finalize it; FALSE with ERROR set on failure. */
gboolean store_step_done(Store *s, sqlite3_stmt *st, GError **error,
			 const char *what);
/* The same for a write to the caches (file, page, page_verify), which
 * only spares a re-read: once one has waited STORE_BUSY_TIMEOUT_MS for
 * another process's lock and failed, the next ones try without waiting
 * (each would cost the timeout, a page at a time) and, still locked,
 * return TRUE having written nothing: the failure was said once. */
gboolean store_cache_step(Store *s, sqlite3_stmt *st, GError **error,
			  const char *what);
/* ROOT as compact JSON; ROOT is unreffed. Caller owns the string. */
char *store_json_take(JsonNode *root);
/* The single integer SQL returns with ?1 = A and ?2 = B (B may be NULL);
 * -1 on error. */
int store_count(Store *s, const char *sql, const char *a, const char *b);

/* Save SCAN's facts and keys (history.c) under scan ID, inside the scan's
 * transaction. */
gboolean store_history_save(Store *s, gint64 id, const StoreScan *scan,
			    GError **error);

#endif
