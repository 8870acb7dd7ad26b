/* scan_int.h - what the scan module's files share: the context's insides
 * and the page tasks run in parallel (OCR a page; or only look for seals
 * on a page whose text came from the PDF layer). */
#ifndef EVIDCHECK_SCAN_INT_H
#define EVIDCHECK_SCAN_INT_H

#include "ocr/ocr.h"
#include "scan/scan.h"

/* Cache key of text-layer pages: the layer is read again every time (it is
 * cheap), the seal search at INGEST_SEAL_DPI is not. Bump the version
 * when the seal detector changes. */
#define SCAN_LAYER_KEY "pdf_text/seals-v1"

struct ScanContext {
	ClassifyRules *rules;
	ChecklistPolicy *policy;
	char *edition;
	char *tessdata;
	char *engine_key; /* what OCR'd text is cached under */
	int jobs;
	GAsyncQueue *idle_engines; /* OcrEngine* not in use */
	GMutex lock;		   /* guards n_engines */
	int n_engines;
};

typedef enum {
	SCAN_TASK_OCR,	/* render, find seals, OCR */
	SCAN_TASK_SEALS /* render small, find seals */
} ScanTaskKind;

typedef struct ScanTask {
	ScanTaskKind kind;
	const IngestFile *file; /* borrowed */
	CorePage *out;		/* borrowed; written by DONE only */
	/* What the worker found, for DONE to move into OUT. */
	char *text; /* raw OCR text, owned */
	double confidence;
	GArray *words; /* CoreWord, owned */
	GArray *seals; /* CoreBox on the upright page, owned */
	int rotation;
	GError *error;	/* this page could not be read */
	gboolean fatal; /* OCR could not start: the whole scan fails */
	/* Seal tasks of consecutive pages of one file run as one batch, so
	 * the file is parsed once: the head is run, the members follow it. */
	struct ScanTask *batch_next;
	gboolean batch_member;
} ScanTask;

/* Pages in one seal batch: long enough to share a parse, short enough
 * that a long PDF still spreads over every worker. */
#define SCAN_SEAL_BATCH 16

/* Run every task of TASKS (ScanTask*) on ctx->jobs workers. DONE is called
 * in the calling thread as each finishes, so results can be stored while
 * others still run. */
void scan_tasks_run(ScanContext *ctx, GPtrArray *tasks,
		    void (*done)(ScanTask *task, gpointer data), gpointer data);

#endif
