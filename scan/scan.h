/* scan.h - one claim folder through the whole pipeline: ingest, OCR of the
 * pages without a text layer (in parallel, one Tesseract per worker, cached
 * in the store), classification, fields and the evidence checklist. The
 * CLI's scan, and later batch and serve, all call scan_claim. */
#ifndef EVIDCHECK_SCAN_H
#define EVIDCHECK_SCAN_H

#include <glib.h>

#include "checklist/checklist.h"
#include "checks/checks.h"
#include "classify/classify.h"
#include "core/core.h"
#include "ingest/ingest.h"
#include "store/store.h"

G_BEGIN_DECLS

typedef struct {
	/* Holds <edition>/types.ini, evidence.ini and checks.ini; NULL: the
	 * built-in default. */
	const char *rules_dir;
	const char *policy;   /* edition such as "2026"; NULL: the newest */
	int jobs;	      /* OCR workers; <= 0: one per core */
	const char *tessdata; /* NULL: Tesseract's default */
	/* The evidcheck executable, run as "evidcheck worker" to read the
	 * files (scan_worker_main): decoding, drawing and OCR happen in
	 * those processes, each under SCAN_WORKER_MAX_MEMORY_MB and a
	 * deadline, so a file that crashes or exhausts a decoder costs that
	 * file only. NULL: read in this process (tests, benchmarks). */
	const char *worker;
	int deadline; /* seconds a reading task may take; <= 0: the default,
			 SCAN_WORKER_DEADLINE_SECONDS */
} ScanOptions;

/* Address space of one reading process: a 120-megapixel page (the
 * largest INGEST_MAX_PIXELS allows) drawn, turned and binarised, with
 * Tesseract's engines loaded, fits with room (docs/limits.md). */
#define SCAN_WORKER_MAX_MEMORY_MB 3072
/* One task of a reading process: a page's OCR (Tesseract stops itself
 * at OCR_PAGE_DEADLINE_SECONDS), a batch of seal searches, a file's text
 * layer. */
#define SCAN_WORKER_DEADLINE_SECONDS 240

/* The reading process: serve requests from standard input until it
 * closes; what evidcheck's hidden "worker" verb runs. TESSDATA as
 * ScanOptions.tessdata. Returns the exit status. */
int scan_worker_main(const char *tessdata);

typedef struct ScanContext ScanContext;

/* Load the rules of the chosen edition. Returns a new context the caller
 * owns, or NULL with ERROR naming the rules file and the problem. OCR
 * engines are started on first use and kept for later claims. */
ScanContext *scan_context_new(const ScanOptions *options, GError **error);
void scan_context_free(ScanContext *ctx);

/* The classification rules of the loaded edition. Borrowed. */
const ClassifyRules *scan_context_rules(const ScanContext *ctx);

/* The evidence lists of the loaded edition. Borrowed. */
const ChecklistPolicy *scan_context_policy(const ScanContext *ctx);

/* The version of the loaded rules: lowercase hex SHA-256 over the
 * edition's types.ini, evidence.ini and checks.ini as read, so a batch
 * re-checks claims when any rule (even a comment) changed. Borrowed. */
const char *scan_context_rules_version(const ScanContext *ctx);

/* How far a scan is, told after every task: FILES_DONE of FILES read,
 * PAGES_DONE of PAGES (the pages of the files read so far; a page is done
 * when its text is read, from its layer, the cache or OCR). */
typedef void (*ScanProgressFunc)(int files_done, int files, int pages_done,
				 int pages, void *data);

/* Values given on the command line; each overrides claim.json. */
typedef struct {
	const char *direction;
	const char *scene;
	const char *delivery;
	const char *product_name;
	const char *project_kind;
	Store *store;		   /* cache and record; NULL: neither */
	ScanProgressFunc progress; /* NULL: not told */
	void *progress_data;
} ScanRequest;

typedef struct {
	int files;
	int pages;
	int pages_pdf_text; /* read from a PDF text layer */
	int pages_ocr;	    /* OCR'd in this run */
	int pages_cached;   /* OCR text reused from the store */
	/* Key fields of text-layer pages read again from the page image
	 * (types.ini "verify"): by OCR in this run, or from the store. */
	int verify_ocr;
	int verify_cached;
	double seconds;
} ScanStats;

/* What the page image says of a key field its text layer holds. */
typedef enum {
	SCAN_VERIFY_AGREE,    /* the image shows the layer's value */
	SCAN_VERIFY_DISAGREE, /* the image shows another value */
	SCAN_VERIFY_UNREAD    /* no second reading: the value was not found
				 among the layer's words, or OCR could not
				 read it from the image */
} ScanVerifyStatus;

/* "agree", "disagree" or "unread". Static. */
const char *scan_verify_status_name(ScanVerifyStatus status);

/* One key field of a text-layer document read a second time. */
typedef struct {
	char *field; /* field name, as in the document's fields; owned */
	ScanVerifyStatus status;
	int page;    /* where the layer holds it; 0 when not found */
	char *layer; /* the layer's words there, as written, or NULL */
	char *image; /* what OCR read there, as read, or NULL */
	char *seen;  /* that as a value of the field (normalised) when it
			agrees or disagrees, else NULL */
} ScanVerified;

typedef struct {
	char *folder;	      /* as given */
	char *claim_id;	      /* claim.json's, else the folder's name */
	CoreClaim *claim;     /* declared facts after overrides */
	char *policy;	      /* rules edition used */
	GPtrArray *files;     /* IngestFile* */
	GPtrArray *pages;     /* CorePage*, by file then page */
	GPtrArray *documents; /* CoreDocument* */
	ChecklistResult *checklist;
	ChecksResult *checks; /* the cross-document and cross-claim rules */
	GPtrArray *findings;  /* CoreFinding*: every finding of the claim */
	/* CoreDocument* (borrowed from DOCUMENTS) -> GPtrArray of
	 * ScanVerified*, in the rules' order (owned): the documents with key
	 * fields on a text layer. NULL in a result not made by scan_claim. */
	GHashTable *verified;
	ScanStats stats;
} ScanResult;

/* Scan the claim folder DIR. A file or page that cannot be read (damaged,
 * over a limit, or crashing, exhausting or outlasting its reading
 * process) becomes an UNREADABLE_FILE finding and the rest is still
 * checked. Returns NULL with ERROR set only when DIR cannot be read, or
 * OCR or a reading process cannot start at all. The caller owns the
 * result. */
ScanResult *scan_claim(ScanContext *ctx, const char *dir,
		       const ScanRequest *request, GError **error);
void scan_result_free(ScanResult *result);

/* "pass" when no finding is an error, else "flagged". Static. */
const char *scan_result_verdict(const ScanResult *result);

/* Draw page PAGE of FILE (a file of a scan's result) at DPI, as
 * ingest_page_render_at does, in one of CTX's reading processes when it
 * has them (a file that crashed its reader once is drawn by another, not
 * by this process). Returns a new image the caller owns, or NULL with
 * ERROR set. Thread-safe. */
IngestImage *scan_page_draw(const ScanContext *ctx, const IngestFile *file,
			    int page, int dpi, GError **error);

/* Record RESULT and its rendered REPORT_JSON in STORE. Returns the scan id,
 * or -1 with ERROR set. */
gint64 scan_result_save(const ScanResult *result, const char *report_json,
			Store *store, GError **error);

G_END_DECLS

#endif
