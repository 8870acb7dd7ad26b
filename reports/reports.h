/* reports.h - what a scan's result looks like to its readers: the JSON
 * report of CONTRACT.md §4 (other programs read it; names never change)
 * and a short summary for a terminal. */
#ifndef EVIDCHECK_REPORTS_H
#define EVIDCHECK_REPORTS_H

#include <glib.h>

#include "scan/scan.h"

G_BEGIN_DECLS

/* The JSON report of RESULT, pretty-printed, UTF-8, ending in a newline.
 * Returns a new string the caller owns. */
char *reports_json(const ScanResult *result, const ScanContext *ctx);

/* A summary for a terminal: verdict, checklist with marks, findings with
 * the pages that show them, and counts. COLOR adds ANSI colours. LANG
 * ("zh", "en"; NULL: "zh") is the language of the findings' messages.
 * Returns a new string the caller owns. */
char *reports_text(const ScanResult *result, const ScanContext *ctx,
		   gboolean color, const char *lang);

/* The report as one self-contained HTML page (inline CSS, thumbnails as
 * data: URIs, nothing loaded from elsewhere): verdict, checklist, rules,
 * each finding beside a thumbnail of its first page with the words it
 * quotes (or the seals) marked, and every document's fields. Every string
 * from the claim is escaped. Renders the pages findings point at (each
 * once, at low resolution) from RESULT's files. LANG as for reports_text.
 * Returns a new string the caller owns. */
char *reports_html(const ScanResult *result, const ScanContext *ctx,
		   const char *lang);

/* A page the HTML report shows beside a finding, as a JPEG. */
typedef struct {
	char *ref;    /* the report's "file#page"; owned */
	GBytes *jpeg; /* owned */
	int width, height;
} ReportsPageImage;

void reports_page_image_free(ReportsPageImage *image);

/* As reports_html, and when IMAGES is not NULL it gets a new array of
 * ReportsPageImage* (the caller owns it; it frees its elements): the
 * pages the report shows, each once, in the order first shown. */
char *reports_html_images(const ScanResult *result, const ScanContext *ctx,
			  const char *lang, GPtrArray **images);
/* ---- batch index (batch.c): one row per claim of `evidcheck batch` - */

typedef struct {
	char *claim_id;
	char *folder;	 /* as found under the batch's root */
	char *direction; /* NULL when unknown */
	char *verdict;	 /* "pass" or "flagged"; NULL when failed */
	int errors;	 /* findings of severity error */
	int warnings;
	char *codes; /* the report's distinct finding codes, sorted, joined
			by spaces; "" when none */
	int pages;
	double seconds;	    /* spent on the claim in this run */
	const char *status; /* static: "done", "skipped" or "failed" */
	char *reason;	    /* why scanned ("new", "rules changed", a file
				       changed), skipped or failed */
	char *report;	    /* the report's file name in the index's folder;
			       NULL when failed */
	char *html;	    /* its HTML page's file name there, or NULL */
} ReportsBatchRow;

/* A row for CLAIM_ID in FOLDER, status STATUS (static), everything else
 * unset. Caller owns; free with reports_batch_row_free. */
ReportsBatchRow *reports_batch_row_new(const char *claim_id, const char *folder,
				       const char *status);
void reports_batch_row_free(ReportsBatchRow *row);

/* Fill ROW's direction, verdict, counts, codes and pages from REPORT_JSON
 * (a report of reports_json). FALSE with ERROR set when it is not one. */
gboolean reports_batch_row_fill(ReportsBatchRow *row, const char *report_json,
				GError **error);

/* The index of ROWS (ReportsBatchRow*): summary.csv (RFC 4180, a header
 * line, codes space-separated), summary.json (an array of objects with
 * the same names as the CSV's header) and index.html (one self-contained
 * page: a table sortable by clicking a heading, each claim linking to its
 * report). Each returns a new UTF-8 string the caller owns. */
char *reports_batch_csv(GPtrArray *rows);
char *reports_batch_json(GPtrArray *rows);
char *reports_batch_html(GPtrArray *rows);

G_END_DECLS

#endif
