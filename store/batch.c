/* batch.c - what `evidcheck batch` needs of the store: the rules version
 * stamped on each scan, a claim's latest scan with the files it saw, so an
 * unchanged claim under unchanged rules is not scanned again, and the
 * other claims scanned since that it must be compared with again. */
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
		g_hash_table_insert(last->files, store_column_text(st, 0),
				    store_column_text(st, 1));
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
		last->policy = store_column_text(st, 1);
		last->rules_version = store_column_text(st, 2);
		last->scanned_at = store_column_text(st, 3);
		last->report_json = store_column_text(st, 4);
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

/* ---- claims compared with a scan that is no longer the latest ------- */

/* Every other claim whose latest scan (now_id) came after ?1, the scan
 * of claim ?2 being asked about, with then_id: that claim's latest scan
 * when ?1 was made (NULL: none yet), i.e. what ?1 was compared with; and
 * the scans sharing a key with ?1, found by scan_key_value, so that the
 * many other claims sharing nothing cost one look-up each. Materialized:
 * then_id is read many times per claim. */
#define OTHERS                                                                 \
	"WITH others AS MATERIALIZED (SELECT s.claim_id AS claim_id, s.id AS " \
	"now_id, "                                                             \
	"(SELECT max(id) FROM scan WHERE claim_id = s.claim_id AND id < ?1) "  \
	"AS then_id FROM scan s WHERE s.claim_id <> ?2 AND s.id > ?1 AND "     \
	"s.id = (SELECT max(id) FROM scan WHERE claim_id = s.claim_id)), "     \
	"shared AS (SELECT DISTINCT k.scan_id AS id FROM scan_key m JOIN "     \
	"scan_key k ON k.kind = m.kind AND k.value = m.value WHERE "           \
	"m.scan_id = ?1) "

/* A key of scan A of KIND (a SQL condition on k) that scan B lacks; B's
 * found by value (scan_key_value), not by reading all of B's keys. */
#define KEY_GAINED(a, b, kind)                                                 \
	"EXISTS (SELECT 1 FROM scan_key k WHERE k.scan_id = " a " AND " kind   \
	" AND NOT EXISTS (SELECT 1 FROM scan_key t WHERE +t.scan_id = " b      \
	" AND t.kind = k.kind AND t.value = k.value))"

/* Of ?1's keys. */
#define MINE                                                                   \
	"EXISTS (SELECT 1 FROM scan_key m WHERE m.scan_id = ?1 AND m.kind = "  \
	"k.kind AND m.value = k.value)"

/* F's party is ?1's enterprise or provider, by credit code or name; wider
 * than the rules' normalised names, which only costs a re-check. */
#define SAME_PARTY(f)                                                          \
	"(" f ".enterprise_code = m.enterprise_code OR " f ".enterprise_name " \
	"= m.enterprise_name OR " f ".provider_code = m.provider_code OR " f   \
	".provider_name = m.provider_name)"

#define FACTS_DIFFER                                                           \
	"(t.scan_id IS NULL OR n.enterprise_name IS NOT t.enterprise_name OR " \
	"n.enterprise_code IS NOT t.enterprise_code OR n.enterprise_tier IS "  \
	"NOT t.enterprise_tier OR n.provider_name IS NOT t.provider_name OR "  \
	"n.provider_code IS NOT t.provider_code OR n.direction IS NOT "        \
	"t.direction OR n.scene IS NOT t.scene OR n.signed_on IS NOT "         \
	"t.signed_on OR n.contract_amount IS NOT t.contract_amount OR "        \
	"n.voucher_amount IS NOT t.voucher_amount OR n.accepted_on IS NOT "    \
	"t.accepted_on)"

/* A key shared with ?1 gained or lost between then and now. */
#define KEYS_CHANGED                                                           \
	"((o.now_id IN shared OR o.then_id IN shared) AND (" KEY_GAINED(       \
	    "o.now_id", "o.then_id",                                           \
	    MINE) " OR " KEY_GAINED("o.then_id", "o.now_id", MINE) "))"

/* Of the same party as ?1, then or now, and the facts changed. */
#define PARTY_CHANGED                                                          \
	"EXISTS (SELECT 1 FROM scan_fact n JOIN scan_fact m ON m.scan_id = "   \
	"?1 LEFT JOIN scan_fact t ON t.scan_id = o.then_id WHERE n.scan_id = " \
	"o.now_id AND (" SAME_PARTY("n") " OR " SAME_PARTY(                    \
	    "t") ") AND " FACTS_DIFFER ")"

static const char newer_exact_sql[] =
    OTHERS "SELECT o.claim_id FROM others o WHERE " KEYS_CHANGED
	   " OR " PARTY_CHANGED " ORDER BY o.now_id LIMIT 1";

/* The page hashes, then's (0) and now's (1), of the other claims whose
 * page hashes differ between then and now. */
#define PHASH "k.kind = '" STORE_KEY_PHASH "'"
#define PHASHES_CHANGED                                                        \
	"(" KEY_GAINED("o.now_id", "o.then_id", PHASH) " OR " KEY_GAINED(      \
	    "o.then_id", "o.now_id", PHASH) ")"

static const char newer_near_sql[] =
    OTHERS "SELECT o.claim_id, k.scan_id = o.now_id, k.value FROM others o "
	   "JOIN scan_key k ON k.scan_id IN (o.now_id, o.then_id) AND +" PHASH
	   " WHERE " PHASHES_CHANGED " ORDER BY o.now_id";

/* Exact keys and facts: SQL alone. */
static char *
newer_exact(Store *s, const char *claim_id, gint64 scan_id, GError **error)
{
	sqlite3_stmt *st = store_prepare(s, newer_exact_sql, error);
	char *other = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, scan_id);
	store_bind_text(st, 2, claim_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		other = store_column_text(st, 0);
	else if (rc != SQLITE_DONE)
		store_fail(s, error, "reading the claims scanned since");
	sqlite3_finalize(st);
	return other;
}

/* The page hashes of scan ?1; NULL with ERROR set on a read error. */
static GArray *
own_phashes(Store *s, gint64 scan_id, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "SELECT value FROM scan_key WHERE scan_id = ?1 AND kind = "
	    "'" STORE_KEY_PHASH "'",
	    error);
	GArray *out = g_array_new(FALSE, FALSE, sizeof(guint64));
	int rc;

	if (st == NULL) {
		g_array_unref(out);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, scan_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		guint64 h =
		    store_phash_parse((const char *)sqlite3_column_text(st, 0));

		g_array_append_val(out, h);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, error, "reading a scan's page hashes");
		g_array_unref(out);
		return NULL;
	}
	return out;
}

/* Which of MINE lie within DISTANCE of H, as bits (the first 64). */
static guint64
near_mask(const GArray *mine, guint64 h, int distance)
{
	guint64 mask = 0;

	for (guint i = 0; i < mine->len && i < 64; i++)
		if (store_phash_distance(g_array_index(mine, guint64, i), h) <=
		    distance)
			mask |= G_GUINT64_CONSTANT(1) << i;
	return mask;
}

/* Near page hashes: the other claims' now and then hashes read in one
 * query and compared in C, as the duplicate rule does. A claim whose
 * hashes near MINE differ between then and now is returned. */
static char *
newer_near(Store *s, const char *claim_id, gint64 scan_id, const GArray *mine,
	   int distance, GError **error)
{
	sqlite3_stmt *st = store_prepare(s, newer_near_sql, error);
	/* claim id -> [now mask, then mask] */
	GHashTable *seen =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GHashTableIter it;
	gpointer key, value;
	char *other = NULL;
	int rc;

	if (st == NULL) {
		g_hash_table_unref(seen);
		return NULL;
	}
	sqlite3_bind_int64(st, 1, scan_id);
	store_bind_text(st, 2, claim_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		guint64 *masks = g_hash_table_lookup(seen, id);
		guint64 h =
		    store_phash_parse((const char *)sqlite3_column_text(st, 2));

		if (masks == NULL) {
			masks = g_new0(guint64, 2);
			g_hash_table_insert(seen, g_strdup(id), masks);
		}
		masks[sqlite3_column_int(st, 1) ? 0 : 1] |=
		    near_mask(mine, h, distance);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		store_fail(s, error, "reading the page hashes scanned since");
	g_hash_table_iter_init(&it, seen);
	while (rc == SQLITE_DONE && other == NULL &&
	       g_hash_table_iter_next(&it, &key, &value))
		if (((guint64 *)value)[0] != ((guint64 *)value)[1])
			other = g_strdup(key);
	g_hash_table_unref(seen);
	return other;
}

char *
store_batch_newer_related(Store *store, const char *claim_id, gint64 scan_id,
			  int phash_distance, GError **error)
{
	GError *local = NULL;
	char *other = newer_exact(store, claim_id, scan_id, &local);
	GArray *mine = NULL;

	if (other == NULL && local == NULL)
		mine = own_phashes(store, scan_id, &local);
	if (mine != NULL && mine->len > 0)
		other = newer_near(store, claim_id, scan_id, mine,
				   phash_distance, &local);
	if (mine != NULL)
		g_array_unref(mine);
	if (local != NULL)
		g_propagate_error(error, local);
	return other;
}
