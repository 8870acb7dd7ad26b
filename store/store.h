/* store.h - the SQLite store: every file and page evidcheck has read (so an
 * unchanged file is never OCR'd twice) and every scan's documents, findings
 * and report. The schema is store/schema.sql; its version is
 * PRAGMA user_version. One Store per thread. */
#ifndef EVIDCHECK_STORE_H
#define EVIDCHECK_STORE_H

#include <glib.h>

#include "core/core.h"

G_BEGIN_DECLS

#define STORE_SCHEMA_VERSION 4
/* How long a writer waits for another process holding the store. */
#define STORE_BUSY_TIMEOUT_MS 10000

typedef struct Store Store;

/* The default store path: $XDG_DATA_HOME/evidcheck/evidcheck.db (or
 * ~/.local/share/...). Caller owns. */
char *store_default_path(void);

/* Open (creating it and its folder when absent) the store at PATH and bring
 * its schema to STORE_SCHEMA_VERSION. A store from a newer evidcheck is
 * refused. Returns a new handle the caller owns (store_close), or NULL with
 * ERROR set. */
Store *store_open(const char *path, GError **error);
void store_close(Store *store);

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
} StoreScan;

/* Save one scan and everything it found in a single transaction: after a
 * crash either all of it is there or none. Returns the scan's id, or -1
 * with ERROR set. */
gint64 store_scan_save(Store *store, const StoreScan *scan, GError **error);

/* How many scans of CLAIM_ID the store holds; -1 on error. */
int store_scan_count(Store *store, const char *claim_id);

/* How many pages are cached for SHA256 under ENGINE; -1 on error. */
int store_page_count(Store *store, const char *sha256, const char *engine);

G_END_DECLS

#endif
