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
 * the pages that show them, and counts. COLOR adds ANSI colours. Returns a
 * new string the caller owns. */
char *reports_text(const ScanResult *result, const ScanContext *ctx,
		   gboolean color);

G_END_DECLS

#endif
