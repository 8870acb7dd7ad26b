/* cmd_batch.c - `evidcheck batch ROOT`: every claim folder under ROOT,
 * one after another through one ScanContext (OCR engines are started once
 * and kept across claims), a JSON report per claim and an index
 * (summary.csv, summary.json, index.html) in the output folder.
 *
 * A claim folder is a folder holding claim.json, at any depth under ROOT
 * (never below another claim folder), or a direct sub-folder of ROOT that
 * holds files but no claim.json anywhere in it. Hidden folders and the
 * output folder are skipped.
 *
 * Incremental: a claim whose latest scan in the store saw the same files
 * (paths and SHA-256), under the same policy edition and rules version,
 * with claim.json not modified since, is skipped and its stored report
 * reused. Each scan is saved in its own transaction as it ends, after
 * its report and page are on disk (written beside and renamed, so never
 * half), so a killed batch rerun goes on with the claims not yet saved
 * and finds every saved claim's files. A claim that cannot be scanned is
 * a failed row, never the end of the batch; it counts as flagged for the
 * exit status (it has not been shown to pass). A report folder or a store
 * that cannot be written is the end (exit 2): every claim after would
 * fail the same way, or be scanned again by every later run.
 *
 * Across claims: the cross-claim rules compare a scan with the latest
 * scans of the other claims as they are when it is made, so of two claims
 * sharing an invoice only the later one would be flagged. After the pass
 * over all claims, each claim of the batch that another claim's newer
 * scan bears on (store_batch_newer_related) is scanned again: re-checked,
 * from the OCR cache. An unchanged claim in that case is not skipped, so
 * a claim scanned before a later run's claims catches up.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cli/cli.h"
#include "reports/reports.h"

/* Page hashes this near count as shared when deciding to re-check: at
 * least checks.ini's phash_max_distance (6), which the batch does not
 * read; a wider net only costs a re-check from the OCR cache. */
#define RECHECK_PHASH_DISTANCE 10

/* The command line; strings owned (options_clear). */
typedef struct {
	char *out;
	char *since;
	char *db;
	char *policy;
	char *rules;
	char *lang;
	gboolean no_html;
	int jobs;
	CliReaderOptions reader;
} Options;

/* A claim folder found under ROOT; strings owned (claim_free). */
typedef struct {
	char *folder; /* as scan_claim is given it */
	char *rel;    /* relative to ROOT, for the index */
} Claim;

/* One run; everything but O owned (batch_clear). */
typedef struct {
	const Options *o;
	char *root;
	char *out_dir;
	gint64 since; /* Unix seconds; 0: every claim */
	ScanContext *ctx;
	Store *store;
	GPtrArray *claims;   /* Claim* */
	GPtrArray *rows;     /* ReportsBatchRow*, in CLAIMS' order */
	GHashTable *ids;     /* claim id -> folder (borrowed from CLAIMS) */
	GHashTable *names;   /* report file names taken, owned */
	gboolean tty;	     /* progress bar rather than log lines */
	gint64 start;	     /* monotonic */
	int pages;	     /* pages of the claims handled so far */
	int pages_scanned;   /* of those, pages read in this run */
	double scan_seconds; /* time spent scanning them */
	GError *fatal;	     /* the report folder or store failed: stop */
	guint saved;	     /* scans saved by this run */
} Batch;

static void
claim_free(Claim *c)
{
	g_free(c->folder);
	g_free(c->rel);
	g_free(c);
}

static void
options_clear(Options *o)
{
	g_free(o->out);
	g_free(o->since);
	g_free(o->db);
	g_free(o->policy);
	g_free(o->rules);
	g_free(o->lang);
}

static GOptionContext *
option_context(Options *o)
{
	const GOptionEntry entries[] = {
	    {"jobs", 'j', 0, G_OPTION_ARG_INT, &o->jobs,
	     "Pages OCR'd at once within a claim (default: one per core)", "N"},
	    {"since", 0, 0, G_OPTION_ARG_STRING, &o->since,
	     "Only claims with a file modified after TIME (2026-03-01 or "
	     "2026-03-01T08:00:00, local time unless a zone is given)",
	     "TIME"},
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &o->out,
	     "Folder for the reports and the index (default: "
	     "evidcheck-reports next to ROOT)",
	     "DIR"},
	    {"db", 0, 0, G_OPTION_ARG_FILENAME, &o->db,
	     "Store file (default: ~/.local/share/evidcheck/evidcheck.db)",
	     "FILE"},
	    {"policy", 0, 0, G_OPTION_ARG_STRING, &o->policy,
	     "Policy edition (default: the newest in the rules folder)",
	     "EDITION"},
	    {"rules", 0, 0, G_OPTION_ARG_FILENAME, &o->rules,
	     "Rules folder holding <edition>/types.ini, evidence.ini and "
	     "checks.ini",
	     "DIR"},
	    {"no-html", 0, 0, G_OPTION_ARG_NONE, &o->no_html,
	     "Write JSON reports only (no HTML page per scanned claim)", NULL},
	    {"lang", 0, 0, G_OPTION_ARG_STRING, &o->lang,
	     "Language of the findings in the HTML pages: zh (default) or en",
	     "LANG"},
	    {NULL, 0, 0, 0, NULL, NULL, NULL}};
	GOptionContext *oc =
	    g_option_context_new("ROOT - check every claim folder under ROOT");

	g_option_context_add_main_entries(oc, entries, NULL);
	cli_reader_options_add(oc, &o->reader);
	g_option_context_set_description(
	    oc, "A claim folder holds claim.json, or is a sub-folder of ROOT "
		"holding files.\nUnchanged claims (same files, policy and "
		"rules) are skipped,\nunless a claim scanned since shares "
		"evidence or a party with them:\nthose are re-checked.\nExit "
		"status: 0 every claim passed, 1 "
		"any flagged or failed, 2 usage or fatal error\n(ROOT, the "
		"rules, the store or the report folder unusable: the batch "
		"stops, a rerun goes on).");
	return oc;
}

/* "2026-03-01" is midnight; a time without a zone is local time. */
static gboolean
parse_since(const char *text, gint64 *out, GError **error)
{
	GTimeZone *local = g_time_zone_new_local();
	char *full = strlen(text) == 10 ? g_strconcat(text, "T00:00:00", NULL)
					: g_strdup(text);
	GDateTime *dt;

	g_strdelimit(full, " ", 'T');
	dt = g_date_time_new_from_iso8601(full, local);
	if (dt != NULL)
		*out = g_date_time_to_unix(dt);
	else
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "--since wants an ISO date or date and time "
			    "(2026-03-01, 2026-03-01T08:00:00), not '%s'",
			    text);
	g_free(full);
	g_time_zone_unref(local);
	if (dt != NULL)
		g_date_time_unref(dt);
	return dt != NULL;
}

static gboolean
options_check(const Options *o, int argc, gint64 *since, GError **error)
{
	if (argc != 2) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "batch takes exactly one root folder");
		return FALSE;
	}
	if (!cli_reader_options_check(&o->reader, error))
		return FALSE;
	if (o->jobs < 0 || o->jobs > 256) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "--jobs must be between 1 and 256");
		return FALSE;
	}
	if (o->lang != NULL && strcmp(o->lang, "zh") != 0 &&
	    strcmp(o->lang, "en") != 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "--lang must be zh or en, not '%s'", o->lang);
		return FALSE;
	}
	*since = 0;
	return o->since == NULL || parse_since(o->since, since, error);
}

/* ---- finding the claim folders -------------------------------------- */

static gboolean
is_dir(const char *path)
{
	return g_file_test(path, G_FILE_TEST_IS_DIR) &&
	       !g_file_test(path, G_FILE_TEST_IS_SYMLINK);
}

static gboolean
holds_claim_json(const char *dir)
{
	char *p = g_build_filename(dir, "claim.json", NULL);
	gboolean yes = g_file_test(p, G_FILE_TEST_IS_REGULAR);

	g_free(p);
	return yes;
}

/* For g_ptr_array_sort, whose items come by pointer. */
static int
compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The non-hidden sub-folders of DIR, sorted (NULL entries never). A
 * folder that cannot be read has none. */
static GPtrArray *
sub_folders(const char *dir)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		char *p = g_build_filename(dir, name, NULL);

		if (name[0] != '.' && is_dir(p))
			g_ptr_array_add(out, p);
		else
			g_free(p);
	}
	if (d != NULL)
		g_dir_close(d);
	g_ptr_array_sort(out, compare_strings);
	return out;
}

static gboolean
claim_json_below(const char *dir)
{
	GPtrArray *subs = sub_folders(dir);
	gboolean yes = FALSE;

	for (guint i = 0; !yes && i < subs->len; i++) {
		const char *s = g_ptr_array_index(subs, i);

		yes = holds_claim_json(s) || claim_json_below(s);
	}
	g_ptr_array_unref(subs);
	return yes;
}

/* The newest modification time (Unix seconds) of a non-hidden file in
 * DIR or below; 0 when it holds none. */
static gint64
newest_mtime(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	gint64 newest = 0;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		char *p = g_build_filename(dir, name, NULL);
		GStatBuf st;
		gint64 t = 0;

		if (name[0] != '.' && g_lstat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				t = newest_mtime(p);
			else if (S_ISREG(st.st_mode))
				t = (gint64)st.st_mtime;
		}
		newest = MAX(newest, t);
		g_free(p);
	}
	if (d != NULL)
		g_dir_close(d);
	return newest;
}

static gboolean
is_out_dir(const Batch *b, const char *dir)
{
	char *c = g_canonicalize_filename(dir, NULL);
	gboolean yes = g_str_equal(c, b->out_dir);

	g_free(c);
	return yes;
}

static void
add_claim(Batch *b, const char *dir)
{
	Claim *c = g_new0(Claim, 1);
	size_t n = strlen(b->root);

	c->folder = g_strdup(dir);
	c->rel = g_str_has_prefix(dir, b->root) && dir[n] == '/'
		     ? g_strdup(dir + n + 1)
		     : g_path_get_basename(dir);
	g_ptr_array_add(b->claims, c);
}

/* A folder holding claim.json is a claim; one with a claim.json below
 * groups claims; any other direct sub-folder of ROOT holding files is a
 * claim named by its folder. */
static void
collect(Batch *b, const char *dir, gboolean top)
{
	GPtrArray *subs = sub_folders(dir);

	for (guint i = 0; i < subs->len; i++) {
		const char *s = g_ptr_array_index(subs, i);

		if (is_out_dir(b, s))
			continue;
		if (holds_claim_json(s))
			add_claim(b, s);
		else if (claim_json_below(s))
			collect(b, s, FALSE);
		else if (top && newest_mtime(s) > 0)
			add_claim(b, s);
	}
	g_ptr_array_unref(subs);
}

/* --since: drop the claims with no file modified after it. */
static guint
drop_older(Batch *b)
{
	guint dropped = 0;

	for (guint i = b->claims->len; b->since > 0 && i-- > 0;) {
		Claim *c = g_ptr_array_index(b->claims, i);

		if (newest_mtime(c->folder) <= b->since) {
			g_ptr_array_remove_index(b->claims, i);
			dropped++;
		}
	}
	return dropped;
}

static gboolean
find_claims(Batch *b, GError **error)
{
	if (!is_dir(b->root) || g_access(b->root, R_OK | X_OK) != 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_IO,
			    "cannot read the root folder %s: %s", b->root,
			    is_dir(b->root) ? g_strerror(errno)
					    : "not a folder");
		return FALSE;
	}
	if (holds_claim_json(b->root))
		add_claim(b, b->root);
	else
		collect(b, b->root, TRUE);
	if (b->claims->len == 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "no claim folder under %s (a folder holding "
			    "claim.json, or a sub-folder holding files)",
			    b->root);
		return FALSE;
	}
	return TRUE;
}

/* ---- is the last scan still good? ----------------------------------- */

static char *
file_sha256(const char *path)
{
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	FILE *f = g_fopen(path, "rb");
	guchar buf[65536];
	size_t n;
	char *out = NULL;

	while (f != NULL && (n = fread(buf, 1, sizeof buf, f)) > 0)
		g_checksum_update(sum, buf, (gssize)n);
	if (f != NULL && !ferror(f))
		out = g_strdup(g_checksum_get_string(sum));
	if (f != NULL)
		fclose(f);
	g_checksum_free(sum);
	return out;
}

/* Whether claim.json was modified after the scan (ISO 8601 UTC, whole
 * seconds: the same second counts as after, to never skip wrongly). */
static gboolean
claim_json_newer(const char *claim_json, const char *scanned_at)
{
	GDateTime *at = scanned_at != NULL
			    ? g_date_time_new_from_iso8601(scanned_at, NULL)
			    : NULL;
	GStatBuf st;
	gboolean newer = TRUE;

	if (at != NULL && g_stat(claim_json, &st) == 0)
		newer = (gint64)st.st_mtime >= g_date_time_to_unix(at);
	if (at != NULL)
		g_date_time_unref(at);
	return newer;
}

/* NULL when FOLDER holds exactly the files LAST saw, same bytes; else
 * what differs. */
static char *
files_differ(const char *folder, const StoreLastScan *last)
{
	char *claim_json = NULL;
	GPtrArray *files = ingest_claim_list(folder, &claim_json, NULL);
	char *why = NULL;

	if (files == NULL)
		return g_strdup("folder unreadable");
	if (files->len != g_hash_table_size(last->files))
		why = g_strdup_printf("%u files, %u before", files->len,
				      g_hash_table_size(last->files));
	for (guint i = 0; why == NULL && i < files->len; i++) {
		const IngestFile *f = g_ptr_array_index(files, i);
		const char *before = g_hash_table_lookup(last->files, f->path);
		char *now = f->error == NULL ? file_sha256(f->abs_path) : NULL;

		if (before == NULL || now == NULL || !g_str_equal(before, now))
			why = g_strdup_printf("%s changed", f->path);
		g_free(now);
	}
	if (why == NULL && claim_json != NULL &&
	    claim_json_newer(claim_json, last->scanned_at))
		why = g_strdup("claim.json changed");
	g_free(claim_json);
	g_ptr_array_unref(files);
	return why;
}

/* The types.ini of the edition loaded declares it (the context checks). */
static const char *
edition(const Batch *b)
{
	return classify_rules_edition(scan_context_rules(b->ctx));
}

/* NULL when LAST can stand for a scan of FOLDER now; else why not. */
static char *
rescan_reason(const Batch *b, const char *folder, const StoreLastScan *last)
{
	if (last == NULL)
		return g_strdup("new");
	if (g_strcmp0(last->policy, edition(b)) != 0)
		return g_strdup_printf("policy %s before", last->policy);
	if (g_strcmp0(last->rules_version,
		      scan_context_rules_version(b->ctx)) != 0)
		return g_strdup("rules changed");
	return files_differ(folder, last);
}

/* claim.json's claim_id, else the folder's name, as scan_claim names it;
 * known before scanning so the store can say whether to scan. */
static char *
claim_id_of(const char *folder)
{
	char *path = g_build_filename(folder, "claim.json", NULL);
	CoreClaim *claim = g_file_test(path, G_FILE_TEST_IS_REGULAR)
			       ? core_claim_load(path, NULL)
			       : NULL;
	char *id = claim != NULL && claim->claim_id != NULL
		       ? g_strdup(claim->claim_id)
		       : g_path_get_basename(folder);

	core_claim_free(claim);
	g_free(path);
	return id;
}

/* ---- one claim ------------------------------------------------------ */

/* A file name for ID's report: letters, digits, '-', '_' and '.' kept,
 * anything else '_', made unique within the batch. Caller owns. */
static char *
report_name(Batch *b, const char *id)
{
	GString *s = g_string_new(NULL);
	char *name;

	for (const char *p = id; *p != '\0'; p++)
		g_string_append_c(s, g_ascii_isalnum(*p) || *p == '-' ||
					     *p == '_' || (*p == '.' && p != id)
					 ? *p
					 : '_');
	name = g_strdup_printf("%s.json", s->str);
	for (int n = 2; g_hash_table_contains(b->names, name); n++) {
		g_free(name);
		name = g_strdup_printf("%s-%d.json", s->str, n);
	}
	g_hash_table_add(b->names, g_strdup(name));
	g_string_free(s, TRUE);
	return name;
}

static void
fail_row(ReportsBatchRow *row, const char *reason)
{
	row->status = "failed";
	g_free(row->reason);
	row->reason = g_strdup(reason);
}

/* Write TEXT to NAME in the report folder (cli_write_file: a full disk
 * or a kill never leaves half a report, or half an index, that the next
 * run links). FALSE with ERROR naming the file and the system's reason. */
static gboolean
write_out(const Batch *b, const char *name, const char *text, GError **error)
{
	char *path = g_build_filename(b->out_dir, name, NULL);
	gboolean ok = cli_write_file(path, text, error);

	g_free(path);
	return ok;
}

/* The report folder failed: the claims after would fail alike. */
static void
stop_for_folder(Batch *b, GError *error)
{
	g_set_error(&b->fatal, CORE_ERROR, CORE_ERROR_IO,
		    "%s (the report folder %s cannot be written: free space "
		    "or fix it, or choose another with --out, and rerun)",
		    error->message, b->out_dir);
	g_error_free(error);
}

/* Beside the JSON report NAME: its HTML page, written now (HTML not
 * NULL) or by an earlier run of a claim now skipped, when it is there.
 * FALSE when it cannot be written (B->fatal set). */
static gboolean
write_page(Batch *b, ReportsBatchRow *row, const char *name, const char *html)
{
	char *page = g_strdup_printf("%.*s.html", (int)strlen(name) - 5, name);
	char *path = g_build_filename(b->out_dir, page, NULL);
	GError *error = NULL;
	gboolean ok = TRUE;

	g_clear_pointer(&row->html, g_free);
	if (html != NULL && !write_out(b, page, html, &error)) {
		stop_for_folder(b, error);
		ok = FALSE;
	} else if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		row->html = g_steal_pointer(&page);
	}
	g_free(page);
	g_free(path);
	return ok;
}

/* Write JSON as ROW's report, and HTML (or NULL) as its page: a re-check
 * replaces the files written for it earlier in the run, under the same
 * names. FALSE when ROW failed (a report that is not one) or the folder
 * cannot be written (B->fatal set). */
static gboolean
write_report(Batch *b, ReportsBatchRow *row, const char *json, const char *html)
{
	GError *error = NULL;
	char *name = row->report != NULL ? g_steal_pointer(&row->report)
					 : report_name(b, row->claim_id);

	if (!reports_batch_row_fill(row, json, &error)) {
		fail_row(row, error->message);
		g_clear_error(&error);
		g_free(name);
		return FALSE;
	}
	if (!write_out(b, name, json, &error)) {
		stop_for_folder(b, error);
		g_free(name);
		return FALSE;
	}
	row->report = name;
	return b->o->no_html || write_page(b, row, name, html);
}

/* Scan the claim, write its report and page, then record it: a scan in
 * the store always has its files, so a kill in between costs a re-check
 * from the OCR cache, never a skipped claim without a report. TRUE when
 * recorded; FALSE with ROW failed (the claim cannot be scanned) or
 * B->fatal set (the folder or the store cannot be written: a batch that
 * cannot save would scan every claim again on every rerun). */
static gboolean
scan_one(Batch *b, const Claim *c, ReportsBatchRow *row)
{
	ScanRequest req = {.store = b->store};
	GError *error = NULL;
	ScanResult *r = scan_claim(b->ctx, c->folder, &req, &error);
	char *json, *html = NULL;
	gboolean ok;

	if (r == NULL) {
		fail_row(row, error->message);
		g_clear_error(&error);
		return FALSE;
	}
	json = reports_json(r, b->ctx);
	if (!b->o->no_html)
		html = reports_html(r, b->ctx, b->o->lang);
	ok = write_report(b, row, json, html);
	if (ok)
		store_test_kill("report");
	if (ok && scan_result_save(r, json, b->store, &error) < 0) {
		g_propagate_prefixed_error(
		    &b->fatal, error, "claim %s not recorded: ", row->claim_id);
		ok = FALSE;
	}
	b->saved += ok;
	b->pages_scanned += r->stats.pages;
	b->scan_seconds += r->stats.seconds;
	scan_result_free(r);
	g_free(html);
	g_free(json);
	return ok;
}

/* NULL when no other claim's scan since SCAN_ID (CLAIM_ID's latest)
 * bears on it; else why it is re-checked ("rechecked: ...", which the
 * summary counts). */
static char *
recheck_reason(Batch *b, const char *claim_id, gint64 scan_id)
{
	GError *error = NULL;
	char *other = store_batch_newer_related(b->store, claim_id, scan_id,
						RECHECK_PHASH_DISTANCE, &error);
	char *why = NULL;

	if (error != NULL) {
		/* Only costs a re-check that might have been skipped. */
		why = g_strdup_printf("rechecked: store unreadable: %s",
				      error->message);
		g_clear_error(&error);
	} else if (other != NULL) {
		why = g_strdup_printf("rechecked: %s scanned since", other);
	}
	g_free(other);
	return why;
}

/* The stored report when the last scan still holds, else a new scan;
 * either is written to the report folder. */
static void
report_of(Batch *b, const Claim *c, ReportsBatchRow *row)
{
	GError *error = NULL;
	StoreLastScan *last = store_last_scan(b->store, row->claim_id, &error);

	if (error != NULL) {
		/* Only costs a scan that might have been skipped. */
		row->reason =
		    g_strdup_printf("store unreadable: %s", error->message);
		g_clear_error(&error);
	} else {
		row->reason = rescan_reason(b, c->folder, last);
	}
	if (row->reason == NULL)
		row->reason = recheck_reason(b, row->claim_id, last->scan_id);
	if (row->reason == NULL) {
		row->status = "skipped";
		row->reason =
		    g_strdup_printf("unchanged since %s", last->scanned_at);
		write_report(b, row, last->report_json, NULL);
	} else {
		scan_one(b, c, row);
	}
	store_last_scan_free(last);
}

static ReportsBatchRow *
run_claim(Batch *b, const Claim *c)
{
	char *id = claim_id_of(c->folder);
	ReportsBatchRow *row = reports_batch_row_new(id, c->rel, "done");
	const char *other = g_hash_table_lookup(b->ids, id);
	gint64 start = g_get_monotonic_time();

	if (other != NULL) {
		char *why = g_strdup_printf(
		    "claim id %s is also that of folder %s: give each "
		    "claim.json its own claim_id",
		    id, other);

		fail_row(row, why);
		g_free(why);
	} else {
		g_hash_table_insert(b->ids, g_strdup(id), c->rel);
		report_of(b, c, row);
	}
	row->seconds =
	    (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	b->pages += row->pages;
	g_free(id);
	return row;
}

/* ---- progress (stderr) ---------------------------------------------- */

static char *
duration(double s)
{
	int t = (int)(s + 0.5);

	return t >= 3600 ? g_strdup_printf("%dh%02dm", t / 3600, t / 60 % 60)
	       : t >= 60 ? g_strdup_printf("%dm%02ds", t / 60, t % 60)
			 : g_strdup_printf("%ds", t);
}

/* One line redrawn in place: claims, pages, reading speed, and the time
 * left at the pace so far. NEXT is the claim being started, or NULL. */
static void
progress_bar(const Batch *b, const char *next)
{
	guint done = b->rows->len, total = b->claims->len;
	double elapsed =
	    (double)(g_get_monotonic_time() - b->start) / G_USEC_PER_SEC;
	char bar[21];
	char *eta = duration(done > 0 ? elapsed / done * (total - done) : 0);
	guint fill = total > 0 ? done * 20 / total : 0;

	for (guint i = 0; i < 20; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[20] = '\0';
	fprintf(stderr,
		"\r\033[K[%s] %u/%u claims, %d pages, %.1f pages/s, ETA %s%s%s",
		bar, done, total, b->pages,
		b->scan_seconds > 0 ? b->pages_scanned / b->scan_seconds : 0.0,
		done > 0 ? eta : "-", next != NULL ? "  " : "",
		next != NULL ? next : "");
	g_free(eta);
}

static void
progress_line(const Batch *b, const ReportsBatchRow *row)
{
	fprintf(stderr, "evidcheck: [%u/%u] %s %s %s %.1f s%s%s\n",
		b->rows->len, b->claims->len, row->claim_id, row->status,
		row->verdict != NULL ? row->verdict : "-", row->seconds,
		row->reason != NULL ? ": " : "",
		row->reason != NULL ? row->reason : "");
}

static void
run_all(Batch *b)
{
	for (guint i = 0; i < b->claims->len && b->fatal == NULL; i++) {
		const Claim *c = g_ptr_array_index(b->claims, i);
		ReportsBatchRow *row;

		if (b->tty)
			progress_bar(b, c->rel);
		row = run_claim(b, c);
		g_ptr_array_add(b->rows, row);
		if (!b->tty)
			progress_line(b, row);
	}
	if (b->tty) {
		progress_bar(b, NULL);
		fputc('\n', stderr);
	}
}

/* ---- re-checks: claims another claim's newer scan bears on ---------- */

/* Scan C again when a scan of another claim saved after its latest one
 * bears on it (the claims after it in this batch, or those of another
 * run); ROW, done or skipped, becomes the re-check's. TRUE when scanned
 * again. */
static gboolean
recheck_claim(Batch *b, const Claim *c, ReportsBatchRow *row)
{
	GError *error = NULL;
	StoreLastScan *last = store_last_scan(b->store, row->claim_id, &error);
	char *why = last != NULL
			? recheck_reason(b, row->claim_id, last->scan_id)
			: NULL;
	gint64 start = g_get_monotonic_time();

	/* Unreadable or unsaved: nothing newer can be told apart. */
	g_clear_error(&error);
	store_last_scan_free(last);
	if (why == NULL)
		return FALSE;
	row->status = "done";
	g_free(row->reason);
	row->reason = why;
	if (!scan_one(b, c, row) && g_str_equal(row->status, "failed"))
		g_clear_pointer(&row->report, g_free);
	row->seconds +=
	    (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	fprintf(stderr, "evidcheck: %s %s %s %.1f s: %s\n", row->claim_id,
		row->status, row->verdict != NULL ? row->verdict : "-",
		row->seconds, row->reason);
	return TRUE;
}

/* In CLAIMS' order, so a claim re-checked here is the newer scan the
 * claims after it are asked about, and two claims sharing an invoice are
 * each re-checked at most once. Pass one asked every claim it skipped
 * about the store as it was then, so only a claim decided before a scan
 * of this run (one done after it, or a re-check) is asked again: a rerun
 * with nothing changed asks nothing here. */
static void
recheck_all(Batch *b)
{
	guint last_done = 0; /* one past the last row scanned by pass one */
	gboolean rechecked = FALSE;

	for (guint i = 0; i < b->rows->len; i++) {
		const ReportsBatchRow *row = g_ptr_array_index(b->rows, i);

		if (g_str_equal(row->status, "done"))
			last_done = i + 1;
	}
	for (guint i = 0; i < b->rows->len && b->fatal == NULL; i++) {
		ReportsBatchRow *row = g_ptr_array_index(b->rows, i);

		if (g_str_equal(row->status, "failed") ||
		    (i + 1 >= last_done && !rechecked))
			continue;
		rechecked |=
		    recheck_claim(b, g_ptr_array_index(b->claims, i), row);
	}
}

/* ---- the index and the end ------------------------------------------ */

static gboolean
write_one(const Batch *b, const char *name, char *text, GError **error)
{
	gboolean ok = write_out(b, name, text, error);

	g_free(text);
	return ok;
}

static gboolean
write_index(const Batch *b, GError **error)
{
	if (!write_one(b, "summary.csv", reports_batch_csv(b->rows), error))
		return FALSE;
	store_test_kill("index");
	return write_one(b, "summary.json", reports_batch_json(b->rows),
			 error) &&
	       write_one(b, "index.html", reports_batch_html(b->rows), error);
}

/* What a reviewer reads at the end: the counts, then every failure and
 * why. The exit status: a failed claim counts as flagged. */
static int
summarize(const Batch *b)
{
	guint pass = 0, flagged = 0, failed = 0, skipped = 0, rechecked = 0;
	double elapsed =
	    (double)(g_get_monotonic_time() - b->start) / G_USEC_PER_SEC;
	char *took = duration(elapsed);

	for (guint i = 0; i < b->rows->len; i++) {
		const ReportsBatchRow *r = g_ptr_array_index(b->rows, i);

		failed += g_str_equal(r->status, "failed");
		skipped += g_str_equal(r->status, "skipped");
		rechecked += g_str_equal(r->status, "done") &&
			     g_str_has_prefix(r->reason, "rechecked: ");
		pass += g_strcmp0(r->verdict, "pass") == 0;
		flagged += g_strcmp0(r->verdict, "flagged") == 0;
	}
	fprintf(stderr,
		"evidcheck: %u claims in %s: %u pass, %u flagged, %u failed "
		"(%u skipped as unchanged, %u rechecked for claims scanned "
		"since); index: %s/index.html\n",
		b->rows->len, took, pass, flagged, failed, skipped, rechecked,
		b->out_dir);
	for (guint i = 0; i < b->rows->len; i++) {
		const ReportsBatchRow *r = g_ptr_array_index(b->rows, i);

		if (g_str_equal(r->status, "failed"))
			fprintf(stderr, "  failed: %s: %s\n", r->folder,
				r->reason);
	}
	g_free(took);
	return flagged + failed > 0 ? CLI_EXIT_FLAGGED : CLI_EXIT_PASS;
}

/* --out, else evidcheck-reports beside ROOT. Canonical, created. */
static char *
out_folder(const Options *o, const char *root, GError **error)
{
	char *parent = g_path_get_dirname(root);
	char *dir = o->out != NULL
			? g_canonicalize_filename(o->out, NULL)
			: g_build_filename(parent, "evidcheck-reports", NULL);

	g_free(parent);
	if (g_mkdir_with_parents(dir, 0755) != 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_IO,
			    "cannot create the report folder %s: %s (choose "
			    "another with --out)",
			    dir, g_strerror(errno));
		g_free(dir);
		return NULL;
	}
	return dir;
}

/* Write and remove a small file in the report folder: a read-only or
 * full folder is said before the first claim is scanned, not after an
 * hour of OCR. */
static gboolean
probe_out(const Batch *b, GError **error)
{
	static const char name[] = ".evidcheck-probe";
	char *path = g_build_filename(b->out_dir, name, NULL);
	gboolean ok = write_out(b, name, "evidcheck can write here\n", error);

	if (ok)
		g_unlink(path);
	else
		g_prefix_error(error,
			       "the report folder %s cannot be written "
			       "(choose another with --out): ",
			       b->out_dir);
	g_free(path);
	return ok;
}

static gboolean
batch_open(Batch *b, GError **error)
{
	ScanOptions so = {b->o->rules, b->o->policy, b->o->jobs, NULL, NULL, 0};
	char *db = b->o->db != NULL ? g_strdup(b->o->db) : store_default_path();

	cli_reader_options_apply(&b->o->reader, &so);
	b->out_dir = out_folder(b->o, b->root, error);
	if (b->out_dir != NULL && probe_out(b, error) && find_claims(b, error))
		b->ctx = scan_context_new(&so, error);
	if (b->ctx != NULL)
		b->store = store_open(db, error);
	if (b->store != NULL) {
		store_set_rules_version(b->store,
					scan_context_rules_version(b->ctx));
		store_set_wait_notify(b->store, cli_tell_store_wait, NULL);
	}
	g_free(db);
	return b->store != NULL;
}

static void
batch_clear(Batch *b)
{
	g_clear_error(&b->fatal);
	store_close(b->store);
	scan_context_free(b->ctx);
	g_ptr_array_unref(b->rows);
	g_ptr_array_unref(b->claims);
	g_hash_table_unref(b->ids);
	g_hash_table_unref(b->names);
	g_free(b->out_dir);
	g_free(b->root);
}

static int
run(const Options *o, const char *root, gint64 since)
{
	Batch b = {
	    .o = o,
	    .root = g_canonicalize_filename(root, NULL),
	    .since = since,
	    .claims = core_ptr_array_new(claim_free),
	    .rows = core_ptr_array_new(reports_batch_row_free),
	    .ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	    .names =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	    .tty = isatty(STDERR_FILENO),
	    .start = g_get_monotonic_time()};
	GError *error = NULL;
	int code = CLI_EXIT_FATAL;
	guint dropped;

	if (!batch_open(&b, &error))
		goto cleanup;
	dropped = drop_older(&b);
	if (dropped > 0)
		fprintf(stderr,
			"evidcheck: %u claims have no file modified since "
			"%s: left out\n",
			dropped, o->since);
	run_all(&b);
	recheck_all(&b);
	if (b.fatal != NULL) {
		/* No index: it would list only the claims before the stop. */
		fprintf(stderr,
			"evidcheck batch: %s\nevidcheck batch: stopped at "
			"claim %u of %u; the %u scans saved by this run stay "
			"in the store, and a rerun goes on from there\n",
			b.fatal->message, b.rows->len, b.claims->len, b.saved);
		goto cleanup;
	}
	if (!write_index(&b, &error))
		goto cleanup;
	code = summarize(&b);
cleanup:
	if (error != NULL)
		fprintf(stderr, "evidcheck batch: %s\n", error->message);
	g_clear_error(&error);
	batch_clear(&b);
	return code;
}

int
cli_batch(int argc, char **argv)
{
	Options o = {0};
	GOptionContext *oc = option_context(&o);
	GError *error = NULL;
	gint64 since = 0;
	int code = CLI_EXIT_FATAL;

	/* Over a file size limit (ulimit -f) a write fails with EFBIG, said
	 * with the file's name, rather than the signal killing us silently. */
	signal(SIGXFSZ, SIG_IGN);
	if (!g_option_context_parse(oc, &argc, &argv, &error) ||
	    !options_check(&o, argc, &since, &error)) {
		fprintf(stderr,
			"evidcheck batch: %s\n(see evidcheck batch --help)\n",
			error->message);
		goto cleanup;
	}
	code = run(&o, argv[1], since);
cleanup:
	g_clear_error(&error);
	g_option_context_free(oc);
	options_clear(&o);
	return code;
}
