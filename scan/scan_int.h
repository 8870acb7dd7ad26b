/* scan_int.h - what the scan module's files share: the context's insides
 * and the parallel OCR of pages. */
#ifndef EVIDCHECK_SCAN_INT_H
#define EVIDCHECK_SCAN_INT_H

#include "ocr/ocr.h"
#include "scan/scan.h"

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

typedef struct {
	const IngestFile *file; /* borrowed */
	int page;		/* 1-based */
	CorePage *out;		/* borrowed: where the text goes */
	char *text;		/* result, owned */
	double confidence;
	GError *error;	/* this page could not be read */
	gboolean fatal; /* OCR could not start: the whole scan fails */
} ScanOcrTask;

/* OCR every task of TASKS (ScanOcrTask*) on ctx->jobs workers. DONE is
 * called in the calling thread as each task finishes, so results can be
 * stored while others are still running. */
void scan_ocr_run(ScanContext *ctx, GPtrArray *tasks,
		  void (*done)(ScanOcrTask *task, gpointer data),
		  gpointer data);

#endif
