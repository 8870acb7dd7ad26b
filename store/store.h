/* store.h - the SQLite store: every file and page evidcheck has read (so an
 * unchanged file is never OCR'd twice) and every scan's documents, findings
 * and report. The schema is store/schema.sql; its version is
 * PRAGMA user_version. One Store per thread. */
#ifndef EVIDCHECK_STORE_H
#define EVIDCHECK_STORE_H

#include <glib.h>

#include "core/core.h"

G_BEGIN_DECLS

#define STORE_SCHEMA_VERSION 7
/* How long a writer waits for another process holding the store's write
 * lock (another evidcheck saving, a reviewer's sqlite3 shell inside a
 * transaction). Past it the write fails with an error saying the store
 * is locked by another process. */
#define STORE_BUSY_TIMEOUT_MS 10000
/* How long a writer waits before telling (store_set_wait_notify): a
 * moment's contention between two runs is not worth a line. */
#define STORE_BUSY_TELL_MS 500

typedef struct Store Store;

/* Told once per wait for another process's lock, after
 * STORE_BUSY_TELL_MS: the store's PATH and the most it will wait. */
typedef void (*StoreWaitFunc)(const char *path, int timeout_ms, void *data);

/* The default store path: $XDG_DATA_HOME/evidcheck/evidcheck.db (or
 * ~/.local/share/...). Caller owns. */
char *store_default_path(void);

/* Open (creating it and its folder when absent) the store at PATH and bring
 * its schema to STORE_SCHEMA_VERSION. A store from a newer evidcheck is
 * refused. Returns a new handle the caller owns (store_close), or NULL with
 * ERROR set. */
Store *store_open(const char *path, GError **error);
void store_close(Store *store);

/* Call NOTIFY (with DATA) when a write has waited STORE_BUSY_TELL_MS for
 * another process's lock, so a run that seems stuck says why; NULL: say
 * nothing. Only cli/ prints. */
void store_set_wait_notify(Store *store, StoreWaitFunc notify, void *data);

/* The caches (store_file_save, store_page_save, store_verify_save) only
 * spare a re-read: when one write has waited STORE_BUSY_TIMEOUT_MS for
 * another process's lock and failed (FALSE, the error says so), the next
 * cache writes of the run do not wait, and while the lock is still held
 * they return TRUE having written nothing: the failure is said once, and
 * a locked store costs a scan one timeout, not one per page. */

/* Crash points for the fault tests (tests/faults/kill_batch.sh): when
 * the environment has EVIDCHECK_TEST_KILL=POINT or POINT:N, the Nth call
 * (default the first) with that POINT kills the process with SIGKILL, as
 * kill -9 would at that instant, so a test can land a kill in a window
 * too short to hit from outside (between a scan's rows and its COMMIT).
 * Unset, a getenv and nothing else. */
void store_test_kill(const char *point);

/* Record a file's identity. Idempotent. */
gboolean store_file_save(Store *store, const char *sha256, gint64 size,
			 const char *kind, int n_pages, GError **error);

/* Fill PAGE (whose file has SHA256 and whose number is PAGE->page) from
 * what ENGINE ("pdf_text..." or an OCR engine key) read of it before: text,
 * source, confidence, words, seals (and stamped) and rotation. Returns TRUE
 * when cached; FALSE when not, or on a read error, which only costs a
 * re-read. */
gboolean store_page_lookup(Store *store, const char *sha256, const char *engine,
			   CorePage *page);

/* Cache what ENGINE read of PAGE; replaces an earlier row for the same
 * file, page and engine. */
gboolean store_page_save(Store *store, const char *sha256, const char *engine,
			 const CorePage *page, GError **error);

/* The second reading of a text-layer field (types.ini "verify"): what
 * OCR read from the page image where the layer holds the field, in one or
 * two looks. */
typedef struct {
	char *image;	   /* the first look's text; NULL: nothing legible */
	double confidence; /* Tesseract's, of its least sure character */
	char *image2;	   /* a second look's, or NULL when not taken */
	double confidence2;
} StoreVerify;

/* What ENGINE (the OCR engine key with the crop's version) read from the
 * image of page PAGE of the file SHA256 where the layer holds LAYER, the
 * words of field FIELD as written. TRUE when cached, with *OUT filled
 * (its strings new, the caller owns them). FALSE when not cached, or on
 * a read error (which only costs a re-read). */
gboolean store_verify_lookup(Store *store, const char *sha256, int page,
			     const char *engine, const char *field,
			     const char *layer, StoreVerify *out);

/* Cache such a reading. Replaces an earlier row with the same key. */
gboolean store_verify_save(Store *store, const char *sha256, int page,
			   const char *engine, const char *field,
			   const char *layer, const StoreVerify *reading,
			   GError **error);

/* A claim's facts for the cross-claim rules; see below. */
typedef struct StoreFacts StoreFacts;

typedef struct {
	const char *path;   /* relative to the claim folder */
	const char *sha256; /* "" when the file could not be read */
	const char *error;  /* why it could not be read, or NULL */
} StoreFileRef;

typedef struct {
	const char *claim_id;
	const char *folder;
	const char *policy;    /* rules edition */
	const char *direction; /* may be NULL */
	const char *verdict;
	const char *report_json;
	const StoreFileRef *files;
	guint n_files;
	GPtrArray *documents; /* CoreDocument*, borrowed */
	GPtrArray *findings;  /* CoreFinding*, borrowed */
	/* What later scans of other claims compare this one with (see
	 * store_facts_collect, store_keys_collect); NULL: none recorded. */
	const StoreFacts *facts; /* borrowed */
	GPtrArray *keys;	 /* StoreKey*, borrowed */
} StoreScan;

/* Save one scan and everything it found in a single transaction: after a
 * crash either all of it is there or none. Returns the scan's id, or -1
 * with ERROR set. */
gint64 store_scan_save(Store *store, const StoreScan *scan, GError **error);

/* ---- history: what the cross-claim rules compare (history.c) -------
 * Each scan records its claim's facts and evidence keys; a later scan of
 * another claim compares its own with those of the LATEST scan of every
 * other claim id (an earlier scan of a claim is superseded by its
 * re-scan, and a claim is never compared with itself). */

/* A claim's facts as the cross-claim rules read them: the declared value
 * (claim.json or the command line), else the document's. Strings owned,
 * NULL when unknown. */
struct StoreFacts {
	char *enterprise_name;
	char *enterprise_code; /* unified social credit code */
	char *enterprise_tier; /* claim.json enterprise.tier, as declared */
	char *provider_name;
	char *provider_code;
	char *direction;
	char *scene;
	char *signed_on;       /* ISO date */
	char *contract_amount; /* decimal yuan */
	char *voucher_amount;  /* decimal yuan */
	char *accepted_on;     /* ISO date */
};

/* CLAIM's facts, completed from DOCUMENTS (CoreDocument*, may be NULL):
 * parties from the contract (party_a, party_b) and the invoice (buyer and
 * seller credit codes), signing date and amounts from the contract, the
 * acceptance date from the acceptance form. Caller owns. */
StoreFacts *store_facts_collect(const CoreClaim *claim, GPtrArray *documents);
void store_facts_free(StoreFacts *facts);

/* Kinds of evidence key. */
#define STORE_KEY_INVOICE "invoice_number" /* invoice.number */
#define STORE_KEY_SERIAL  "bank_serial"	   /* payment_proof.serial */
#define STORE_KEY_FILE	  "sha256"	   /* a whole file's content */
#define STORE_KEY_TEXT	  "text_hash"	   /* a text-layer page's text */
#define STORE_KEY_PHASH	  "phash"	   /* a page image, 16 hex digits */
/* Text-layer pages with fewer non-space characters than this get no
 * text key: too little text to tell one page from another. */
#define STORE_TEXT_KEY_MIN_CHARS 50

/* One piece of evidence that must not appear in two claims. */
typedef struct {
	char *claim_id; /* the claim it was recorded for; NULL for one of
			   the claim being scanned */
	char *kind;	/* STORE_KEY_* */
	char *value;	/* normalised: no spaces, upper case */
	char *file;	/* the claim's own name for the file */
	int page;	/* 1-based; 0: the whole file */
	char *type;	/* the page's (or file's) document type, or NULL */
	int chars;	/* STORE_KEY_TEXT: the page's non-space characters */
} StoreKey;

void store_key_free(StoreKey *key);

/* The evidence keys of a claim: invoice numbers, bank serials, the hash
 * of each readable file, of each text-layer page's normalised text (at
 * least STORE_TEXT_KEY_MIN_CHARS) and each page image's perceptual hash
 * (CorePage.phash). DOCUMENTS and PAGES as scan_claim gives them (text
 * normalised), FILES[0..N_FILES). A new array of StoreKey* the caller
 * owns. */
GPtrArray *store_keys_collect(GPtrArray *documents, GPtrArray *pages,
			      const StoreFileRef *files, guint n_files);

/* One other claim as its latest scan recorded it. */
typedef struct {
	char *claim_id;
	gint64 scan_id;
	StoreFacts *facts; /* owned; never NULL, its fields may be */
} StoreOther;

void store_other_free(StoreOther *other);

/* The latest scan of every claim id but EXCLUDE_CLAIM_ID that recorded
 * facts. A new array of StoreOther* the caller owns, or NULL with ERROR
 * set. */
GPtrArray *store_history_claims(Store *store, const char *exclude_claim_id,
				GError **error);

/* Keys of KIND equal to VALUE in the latest scans of claims other than
 * EXCLUDE_CLAIM_ID, claim_id set. A new array of StoreKey* the caller
 * owns, or NULL with ERROR set. */
GPtrArray *store_history_find_key(Store *store, const char *exclude_claim_id,
				  const char *kind, const char *value,
				  GError **error);

/* Every STORE_KEY_PHASH key of those latest scans, for near matches
 * (store_phash_distance). Same ownership. */
GPtrArray *store_history_phashes(Store *store, const char *exclude_claim_id,
				 GError **error);

/* "%016x" of a page hash, and back (0 when TEXT is not one). */
char *store_phash_text(guint64 phash);
guint64 store_phash_parse(const char *text);
/* Bits that differ between two page hashes. */
int store_phash_distance(guint64 a, guint64 b);

/* How many scans of CLAIM_ID the store holds; -1 on error. */
int store_scan_count(Store *store, const char *claim_id);

/* How many pages are cached for SHA256 under ENGINE; -1 on error. */
int store_page_count(Store *store, const char *sha256, const char *engine);

/* ---- batch: what `evidcheck batch` skips (batch.c) ------------------ */

/* Record VERSION (scan_context_rules_version; copied, NULL: none) with
 * every scan saved through STORE from now on, in the scan's own
 * transaction, so a later batch can tell whether the rules changed. */
void store_set_rules_version(Store *store, const char *version);

/* A claim's latest scan, as a batch decides whether to scan it again.
 * Every string and table owned. */
typedef struct {
	gint64 scan_id;
	char *policy;
	char *rules_version; /* NULL: not recorded (before schema 6) */
	char *scanned_at;    /* ISO 8601 UTC */
	char *report_json;
	GHashTable *files; /* path -> sha256 ("" when it was unreadable) */
} StoreLastScan;

void store_last_scan_free(StoreLastScan *last);

/* The latest scan of CLAIM_ID (any folder, any policy). Returns a new
 * StoreLastScan the caller owns; NULL with ERROR unset when the claim was
 * never scanned, NULL with ERROR set when the store cannot be read. */
StoreLastScan *store_last_scan(Store *store, const char *claim_id,
			       GError **error);

/* A claim other than CLAIM_ID whose latest scan came after SCAN_ID (the
 * latest of CLAIM_ID) and differs, in what the cross-claim rules compare
 * CLAIM_ID's with, from that claim's scan SCAN_ID was compared with: an
 * evidence key of SCAN_ID's (a page hash within PHASH_DISTANCE bits)
 * gained or lost, or the facts of a claim of the same enterprise or
 * provider new or changed. Then SCAN_ID's cross-claim findings are stale
 * (e.g. claim B scanned after A reused A's invoice: B is flagged, A not
 * yet). A re-check that changed nothing of that claim's is no reason, so
 * two claims never re-check each other in turn. Returns the claim id
 * (caller owns); NULL with ERROR unset when there is none, NULL with
 * ERROR set when the store cannot be read. */
char *store_batch_newer_related(Store *store, const char *claim_id,
				gint64 scan_id, int phash_distance,
				GError **error);

/* ---- queries a reviewer runs (query.c) ------------------------------
 * Read-only views over scan, scan_file and finding for `evidcheck
 * history` and `evidcheck findings`. */

/* How a file of a scan differs from the claim's scan before it. */
typedef enum {
	STORE_FILE_FIRST,     /* the claim's first scan: nothing to compare */
	STORE_FILE_UNCHANGED, /* same path, same sha256 */
	STORE_FILE_ADDED,     /* path not in the scan before */
	STORE_FILE_CHANGED,   /* same path, another sha256 (re-uploaded) */
	STORE_FILE_REMOVED    /* in the scan before, not in this one */
} StoreFileChange;

/* "first", "unchanged", "added", "changed" or "removed". Static. */
const char *store_file_change_name(StoreFileChange change);

typedef struct {
	char *path;   /* the claim's own name for the file */
	char *sha256; /* "" when unreadable; REMOVED: the earlier scan's */
	char *before; /* CHANGED: the earlier scan's sha256, else NULL */
	char *error;  /* why it could not be read, or NULL */
	StoreFileChange change;
} StoreHistoryFile;

/* One scan of a claim. Every string and array owned. */
typedef struct {
	gint64 scan_id;
	char *scanned_at; /* ISO 8601 UTC */
	char *policy;
	char *direction; /* NULL when unknown */
	char *verdict;
	int n_errors;
	int n_warnings;
	GPtrArray *codes;	/* char*, this scan's distinct codes, sorted */
	GPtrArray *codes_fixed; /* char*, the scan before's codes absent here */
	GPtrArray *files; /* StoreHistoryFile*, by path, removed ones too */
} StoreHistoryScan;

void store_history_scan_free(StoreHistoryScan *scan);

/* Every scan of CLAIM_ID, newest first, each compared with the one
 * before it. A new array of StoreHistoryScan* the caller owns (empty
 * when the store has no scan of the claim), or NULL with ERROR set. */
GPtrArray *store_query_history(Store *store, const char *claim_id,
			       GError **error);

/* What store_query_findings keeps; a NULL member keeps everything. */
typedef struct {
	const char *code;     /* e.g. "NAME_MISMATCH" */
	const char *severity; /* "error" or "warning" */
	const char *since;    /* scans at or after this ISO date/time */
} StoreFindingFilter;

/* A finding of a claim's latest scan. Every string and array owned. */
typedef struct {
	char *claim_id;
	gint64 scan_id;
	char *scanned_at;
	char *code;
	char *severity;
	char *item; /* checklist item, or NULL */
	char *message;
	GPtrArray *refs; /* char* "file#page" */
} StoreFindingRow;

void store_finding_row_free(StoreFindingRow *row);

/* The findings FILTER keeps of the latest scan of each claim (a re-scan
 * supersedes the earlier scans' findings), by claim id then in report
 * order. A new array of StoreFindingRow* the caller owns (empty when none
 * match), or NULL with ERROR set. */
GPtrArray *store_query_findings(Store *store, const StoreFindingFilter *filter,
				GError **error);

/* ---- jobs of `evidcheck serve` (jobs.c, schema version 7) ----------- */

/* One uploaded claim. Strings owned; times Unix seconds, 0 when unset. */
typedef struct {
	char *id;
	char *scope;  /* of the token that made it ("" without tokens) */
	char *status; /* "queued", "running", "done" or "failed" */
	gint64 created_at, started_at, finished_at;
	int files;
	gint64 bytes;
	int files_done, pages_done, pages_total;
	int attempts;	   /* scans started */
	char *verdict;	   /* when done */
	char *reason;	   /* when failed */
	char *reason_code; /* when failed: docs/api.md */
} StoreJob;

void store_job_free(StoreJob *job);

/* Record JOB (its id, scope, created_at, files and bytes) as queued.
 * FALSE with ERROR set. */
gboolean store_job_add(Store *store, const StoreJob *job, GError **error);

/* The job ID. NULL without ERROR when there is none; NULL with ERROR when
 * the store fails. Caller owns. */
StoreJob *store_job_get(Store *store, const char *id, GError **error);

/* The ids of the jobs in STATUS, oldest first: a new array of char* the
 * caller owns, or NULL with ERROR set. */
GPtrArray *store_job_ids(Store *store, const char *status, GError **error);

/* Jobs in STATUS; -1 on error. */
int store_job_count(Store *store, const char *status);

/* Mark job ID running since AT, counting the attempt. */
gboolean store_job_start(Store *store, const char *id, gint64 at,
			 GError **error);

/* JOB's end: its status ("done" or "failed"), finished_at, progress,
 * verdict and reason; FILES, when above 0, the files the scan read (an
 * upload's claim.json and hidden files are not evidence). */
gboolean store_job_finish(Store *store, const StoreJob *job, GError **error);

/* Job ID back to queued, its attempt not counted: the server was asked
 * to stop while it ran. */
gboolean store_job_release(Store *store, const char *id, GError **error);

/* The ids of jobs done or failed before BEFORE (Unix seconds), removed
 * from the store: a new array of char* the caller owns (its files are
 * the caller's to remove), or NULL with ERROR set. */
GPtrArray *store_job_expire(Store *store, gint64 before, GError **error);

/* After a restart: jobs left running go back to queued, or to failed with
 * REASON when they have been started MAX_ATTEMPTS times already. Returns
 * how many were put back, or -1 with ERROR set. */
int store_job_requeue(Store *store, int max_attempts, const char *reason,
		      GError **error);

G_END_DECLS

#endif
