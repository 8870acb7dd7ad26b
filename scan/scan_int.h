/* scan_int.h - what the scan module's files share: the context's insides
 * and the page tasks run in parallel (OCR a page; or only look for seals
 * on a page whose text came from the PDF layer; or read a text-layer
 * page's key fields again from its image). */
#ifndef EVIDCHECK_SCAN_INT_H
#define EVIDCHECK_SCAN_INT_H

#include "ocr/ocr.h"
#include "scan/scan.h"

/* Cache key of text-layer pages: the layer is read again every time (it is
 * cheap), the seal search at INGEST_SEAL_DPI is not, nor the QR codes of
 * invoice pages (v3), nor the seal rings (v4). Bump the version when the
 * seal detector, the decoding or the ring reading changes. */
#define SCAN_LAYER_KEY "pdf_text/seals-v4"

/* The seals found on a text-layer page are drawn alone at this resolution
 * to read their rings (v4): within the 200-300 dpi ocr_seal_read was
 * tuned at; of 11 generated text-layer rings it read 4 at 200 dpi, 3 at
 * 300, 1 at 400 (docs/accuracy.md, "Seal ring text"). */
#define SCAN_SEAL_READ_DPI 200

/* Text-layer pages of documents that carry a QR code (the rules' "codes")
 * are drawn at this resolution for their seal search, so that the code
 * decodes from the same image: an invoice's 19 mm code has 3 pixels per
 * module at 150 dpi, and the seal detector downscales by itself. */
#define SCAN_CODES_DPI 150

/* The second reading of text-layer key fields (scan/second.c) draws each
 * value's words alone at SCAN_VERIFY_DPI with SCAN_VERIFY_MARGIN_PT of
 * paper around them (Tesseract wants a border; wider reaches the
 * neighbouring cell). Cached under the OCR engine key followed by
 * SCAN_VERIFY_KEY: bump it when the crop or the comparison changes. */
#define SCAN_VERIFY_DPI	      300
#define SCAN_VERIFY_DPI2      250 /* the second look, when the first differs */
#define SCAN_VERIFY_MARGIN_PT 3.0
#define SCAN_VERIFY_KEY	      "verify-v2"

struct ScanContext {
	ClassifyRules *rules;
	ChecklistPolicy *policy;
	ChecksPolicy *checks; /* checks.ini */
	char *edition;
	char *tessdata;
	char *engine_key;    /* what OCR'd text is cached under */
	char *rules_version; /* SHA-256 of the edition's rules files */
	int jobs;
	GAsyncQueue *idle_engines; /* OcrEngine* not in use */
	GMutex lock;		   /* guards n_engines, n_rings and n_lines */
	int n_engines;
	/* Seal-ring-only engines (ocr_engine_new_rings) not in use, for the
	 * seals of text-layer pages, and how many were started. */
	GAsyncQueue *idle_rings;
	int n_rings;
	/* OcrLineReader* not in use, and how many were started, per
	 * ScanLineKind. */
	GAsyncQueue *idle_lines[2];
	int n_lines[2];
	/* Reading processes (scan/worker.c): the executable run as
	 * "evidcheck worker", NULL to read in this process; the deadline of
	 * one task in seconds; idle ScanWorker*. */
	char *worker_exe;
	int deadline;
	GAsyncQueue *idle_workers;
};

/* The line readers of the second reading: Chinese with English for what
 * is written with Han characters (2026年01月15日) and for every second
 * look, English alone for the rest, three times as fast. */
typedef enum { SCAN_LINE_FULL, SCAN_LINE_LATIN } ScanLineKind;

typedef enum {
	SCAN_TASK_LOAD,	  /* read a file: kind, hash, text layer; classify the
			     layer pages */
	SCAN_TASK_OCR,	  /* render, find seals, OCR */
	SCAN_TASK_SEALS,  /* render small, find seals */
	SCAN_TASK_VERIFY, /* draw a text-layer page's key fields alone and
			     read each as one line */
	SCAN_TASK_DRAW	  /* draw one page (scan_page_draw) */
} ScanTaskKind;

/* A key field to read again from the image of a text-layer page. */
typedef struct {
	ScanVerified *out; /* borrowed: written by the main thread only */
	const char *kind;  /* static: classify_field_kind */
	char *value;	   /* the document's value, owned */
	CoreBox box;	   /* where the layer holds it */
	/* Written without Han characters (scan_verify_latin): the first look
	 * is the Latin reader's. */
	gboolean latin;
	/* VERIFY: written by the worker. */
	char *image; /* what OCR read there, owned; NULL: nothing */
	double confidence;
	gboolean read; /* IMAGE is a reading, from OCR or the store */
	/* The second look, at SCAN_VERIFY_DPI2, when the first did not show
	 * the layer's value; owned, NULL when not taken. */
	char *image2;
	double confidence2;
} ScanNeedle;

/* Free a ScanNeedle and what it owns (not OUT). */
void scan_needle_free(ScanNeedle *n);
/* Free a ScanVerified and its strings. */
void scan_verified_free(ScanVerified *v);

typedef struct ScanTask {
	ScanTaskKind kind;
	IngestFile *file; /* borrowed; written by a LOAD task only */
	CorePage *out;	  /* OCR, SEALS: borrowed; written by DONE only */
	/* LOAD: the file's pages, layer pages read and classified (owned),
	 * and the file's place in the claim. */
	GPtrArray *pages;
	guint index;
	const ClassifyRules *rules; /* LOAD: borrowed */
	/* What the worker found, for DONE to move into OUT. */
	char *text; /* raw OCR text, owned */
	double confidence;
	GArray *words; /* CoreWord, owned */
	GArray *seals; /* CoreBox on the upright page, owned */
	/* char* per seal, the organisation on its ring (ocr_seal_read) or
	 * NULL; owned. NULL for a seal task that found no seal. */
	GPtrArray *seal_orgs;
	GPtrArray *codes; /* char* QR payloads (ingest_image_find_codes), owned;
			     NULL when not looked for */
	int dpi;	  /* SEALS: render resolution, same for a batch */
	/* SEALS of a text-layer page: read the rings of the seals found too
	 * (its document's type has "seal_names"). */
	gboolean read_rings;
	int rotation;
	guint64 phash;	/* OCR: the upright page image's (CorePage.phash) */
	GError *error;	/* this page could not be read */
	gboolean fatal; /* OCR could not start: the whole scan fails */
	/* Seal tasks of consecutive pages of one file run as one batch, so
	 * the file is parsed once: the head is run, the members follow it. */
	struct ScanTask *batch_next;
	gboolean batch_member;
	/* VERIFY: the page's ScanNeedle* (borrowed, array owned); OUT is the
	 * page, only read. */
	GPtrArray *needles;
	double cost; /* OCR: a guess of its time, to start the longest first */
	/* DRAW: the page and, once drawn, its image (owned). */
	int draw_page;
	IngestImage *image;
	/* The reading process died on this task (crash, memory, deadline):
	 * the page is unreadable even where a failed task would only mean
	 * "not read" (a verify task). */
	gboolean died;
} ScanTask;

/* ---- reading processes ------------------------------------------------- */

/* Largest message either side accepts: a LOAD reply carries the text
 * layer and words of up to INGEST_MAX_PAGES pages. */
#define SCAN_WIRE_MAX_MESSAGE (256u * 1024 * 1024)
/* Most entries (words, seals, codes, pages) taken from one list of a
 * reply; more is a broken reader. */
#define SCAN_WIRE_MAX_ITEMS 200000

/* A context with engines only, no rules: a reading process's. */
ScanContext *scan_context_new_reader(const char *tessdata);

/* Run TASK (with its batch members) in this process: decode, draw, OCR,
 * look for seals. A LOAD task only reads the file (ingest_file_load);
 * its pages are made by scan_load_pages. In a pool worker, or in a
 * reading process. */
void scan_task_read(ScanContext *ctx, ScanTask *task);

/* Run TASK in one of CTX's reading processes, starting one if none is
 * idle, and move what it found into TASK as scan_task_read would. A
 * process that crashes, runs out of memory or overruns CTX->deadline is
 * replaced; TASK (each member of a batch) then holds an error naming
 * the cause and ->died, or, for a LOAD, the file's ->error. Thread-safe. */
void scan_worker_run(ScanContext *ctx, ScanTask *task);

/* Close every idle reading process and wait for it to exit. */
void scan_workers_close(ScanContext *ctx);

/* The request for TASK (its batch members too), deadline DEADLINE
 * seconds. A new floating-free reference. */
GVariant *scan_wire_request(const ScanTask *task, int deadline);

/* Move the reply of a reading process into TASK. FALSE with ERROR set
 * when the reply is broken; TASK may be partly filled then. */
gboolean scan_wire_take(ScanTask *task, GVariant *reply, GError **error);

/* The reading process's side: a request as tasks to run (the first is
 * scan_wire_job_task, batch members chained to it), and their results as
 * the reply. */
typedef struct ScanWireJob ScanWireJob;

ScanWireJob *scan_wire_job_new(GVariant *request, GError **error);
ScanTask *scan_wire_job_task(ScanWireJob *job);
const char *scan_wire_job_path(const ScanWireJob *job);
int scan_wire_job_deadline(const ScanWireJob *job);
GVariant *scan_wire_reply(const ScanWireJob *job);
void scan_wire_job_free(ScanWireJob *job);

/* Ring engines started for the seals of text-layer pages: a claim's few
 * sealed text-layer pages are read on one (a start costs about 0.3 s of
 * CPU, a seal 50-300 ms), and a worker that finds it busy waits rather
 * than start its own. */
#define SCAN_RING_ENGINES 1

/* Pages in one seal batch: long enough to share a parse, short enough
 * that a long PDF still spreads over every worker. */
#define SCAN_SEAL_BATCH 16

/* The tasks of one claim on ctx->jobs workers, fed while they run: a
 * finished LOAD brings its file's OCR, seal and verify tasks. Waiting
 * workers take verify tasks first (second.c lets one at a time in while
 * other work waits, so one worker reads key fields beside the rest), then
 * loads (they make the other work), then OCR from the longest guess down,
 * so the last page to finish is a short one, then seals. */
typedef struct ScanRun ScanRun;

ScanRun *scan_run_new(ScanContext *ctx);

/* Queue TASK (and the batch members that follow it). The run borrows it
 * until scan_run_wait hands it back. */
void scan_run_push(ScanRun *run, ScanTask *task);

/* The next finished task, in the calling thread, or NULL when none is
 * queued or running. Batch members come back one by one. */
ScanTask *scan_run_wait(ScanRun *run);

/* Waits for the workers to stop; every task must have been waited for. */
void scan_run_free(ScanRun *run);

/* Make a LOAD task's pages from its read file: layer pages read and
 * classified; in a pool worker. */
void scan_load_pages(ScanTask *task);

/* Draw and read a VERIFY task's needles; in a worker. */
void scan_verify_read(ScanContext *ctx, ScanTask *task);

/* How many tasks were pushed to RUN and not yet waited for. */
guint scan_run_pending(const ScanRun *run);

/* The second reader of a claim (scan/second.c). Each key field (types.ini
 * "verify") of each document with text-layer pages is found among the
 * layer's words, read again from the page image on RUN's workers (or
 * taken from STORE, which may be NULL), and compared. */
typedef struct ScanSecond ScanSecond;

ScanSecond *scan_second_new(ScanContext *ctx, ScanRun *run, Store *store);
void scan_second_free(ScanSecond *sec);

/* FILE's PAGES were read and classified, all from its text layer: plan
 * its key fields now and queue their reading on RUN, one page at a time
 * while RUN has other work. */
void scan_second_add_file(ScanSecond *sec, IngestFile *file, GPtrArray *pages);

/* A VERIFY task of SEC came back from RUN (the main loop hands it here). */
void scan_second_task_done(ScanSecond *sec, ScanTask *task);

/* Any task came back: push waiting VERIFY tasks if a lane is free. */
void scan_second_feed(ScanSecond *sec);

/* After the documents are known: plan every document's key fields, take
 * the early readings of those planned at the same place, read the rest.
 * Sets RESULT->verified and the verify stats; a disagreement adds a
 * TEXT_LAYER_MISMATCH warning to RESULT->findings and a note to the
 * document. Waits for every task it queued; call when RUN is idle but
 * for SEC's own tasks. */
void scan_verify_documents(ScanSecond *sec, ScanResult *result);

/* Replace PAGE->text by its core_text_normalize form. */
void scan_page_normalize(CorePage *page);

#endif
