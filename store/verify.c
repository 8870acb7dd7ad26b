/* verify.c - the cache of second readings: what OCR read of the line where
 * a text layer puts a key field, so that a re-scan compares layer and
 * image without drawing or reading anything (schema version 4). */
#include "store/store_int.h"

gboolean
store_verify_lookup(Store *store, const char *sha256, int page,
		    const char *engine, const char *field, const char *layer,
		    StoreVerify *out)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT image, confidence, image2, confidence2 FROM page_verify "
	    "WHERE sha256 = ?1 AND page = ?2 AND engine = ?3 AND field = ?4 "
	    "AND layer = ?5",
	    NULL);
	gboolean found = FALSE;

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, sha256);
	sqlite3_bind_int(st, 2, page);
	store_bind_text(st, 3, engine);
	store_bind_text(st, 4, field);
	store_bind_text(st, 5, layer);
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->image = store_column_text(st, 0);
		out->confidence = sqlite3_column_double(st, 1);
		out->image2 = store_column_text(st, 2);
		out->confidence2 = sqlite3_column_double(st, 3);
		found = TRUE;
	}
	sqlite3_finalize(st);
	return found;
}

gboolean
store_verify_save(Store *store, const char *sha256, int page,
		  const char *engine, const char *field, const char *layer,
		  const StoreVerify *reading, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "INSERT OR REPLACE INTO page_verify(sha256, page, engine, field, "
	    "layer, image, confidence, image2, confidence2) "
	    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	    error);

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, sha256);
	sqlite3_bind_int(st, 2, page);
	store_bind_text(st, 3, engine);
	store_bind_text(st, 4, field);
	store_bind_text(st, 5, layer);
	store_bind_text(st, 6, reading->image);
	sqlite3_bind_double(st, 7, reading->confidence);
	store_bind_text(st, 8, reading->image2);
	sqlite3_bind_double(st, 9, reading->confidence2);
	return store_cache_step(store, st, error, "saving a second reading");
}
