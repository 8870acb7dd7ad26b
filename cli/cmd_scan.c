/* cmd_scan.c - `evidcheck scan DIR`: check one claim folder, print the
 * summary (or the JSON or HTML report), optionally write the JSON report
 * (--out) and the HTML report (--html) to files, record the scan in the
 * store, and exit 0 pass / 1 flagged (2 when a report file cannot be
 * written). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cli/cli.h"
#include "reports/reports.h"

typedef struct {
	char *format;
	char *lang;
	char *out;
	char *html;
	char *direction;
	char *scene;
	char *delivery;
	char *product_name;
	char *project_kind;
	char *db;
	gboolean no_store;
	gboolean no_record;
	char *pages;
	int progress_fd;
	char *policy;
	char *rules;
	int jobs;
	CliReaderOptions reader;
} Options;

static void
options_clear(Options *o)
{
	g_free(o->format);
	g_free(o->lang);
	g_free(o->out);
	g_free(o->html);
	g_free(o->direction);
	g_free(o->scene);
	g_free(o->delivery);
	g_free(o->product_name);
	g_free(o->project_kind);
	g_free(o->db);
	g_free(o->pages);
	g_free(o->policy);
	g_free(o->rules);
}

static GOptionContext *
option_context(Options *o)
{
	const GOptionEntry entries[] = {
	    {"lang", 0, 0, G_OPTION_ARG_STRING, &o->lang,
	     "Language of the findings in text and html: zh (default) or en "
	     "(the JSON report carries both: message and message_en)",
	     "LANG"},
	    {"format", 'f', 0, G_OPTION_ARG_STRING, &o->format,
	     "What goes to stdout: text (default), json or html", "FORMAT"},
	    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &o->out,
	     "Also write the JSON report to FILE (whatever the format)",
	     "FILE"},
	    {"html", 0, 0, G_OPTION_ARG_FILENAME, &o->html,
	     "Also write the HTML report to FILE", "FILE"},
	    {"direction", 'd', 0, G_OPTION_ARG_STRING, &o->direction,
	     "Direction 1..20 (14.1.., 15.1..); overrides claim.json", "N"},
	    {"scene", 0, 0, G_OPTION_ARG_STRING, &o->scene,
	     "Scene number within the direction", "N"},
	    {"delivery", 0, 0, G_OPTION_ARG_STRING, &o->delivery,
	     "self or agency", "HOW"},
	    {"product-name", 0, 0, G_OPTION_ARG_STRING, &o->product_name,
	     "Product name as listed on the platform", "NAME"},
	    {"project-kind", 0, 0, G_OPTION_ARG_STRING, &o->project_kind,
	     "single_line_mes, multi_system or other", "KIND"},
	    {"db", 0, 0, G_OPTION_ARG_FILENAME, &o->db,
	     "Store file (default: ~/.local/share/evidcheck/evidcheck.db)",
	     "FILE"},
	    {"no-store", 0, 0, G_OPTION_ARG_NONE, &o->no_store,
	     "Neither use nor record anything in the store", NULL},
	    {"no-record", 0, 0, G_OPTION_ARG_NONE, &o->no_record,
	     "Use the store (OCR cache, other claims) but do not record "
	     "this scan: a provider's check before submitting",
	     NULL},
	    {"pages", 0, 0, G_OPTION_ARG_FILENAME, &o->pages,
	     "Write the page images the HTML report shows to DIR (N.jpg and "
	     "index.json)",
	     "DIR"},
	    {"progress-fd", 0, 0, G_OPTION_ARG_INT, &o->progress_fd,
	     "Write 'progress FILES_DONE FILES PAGES_DONE PAGES' lines to "
	     "file descriptor FD",
	     "FD"},
	    {"policy", 0, 0, G_OPTION_ARG_STRING, &o->policy,
	     "Policy edition (default: the newest in the rules folder)",
	     "EDITION"},
	    {"rules", 0, 0, G_OPTION_ARG_FILENAME, &o->rules,
	     "Rules folder holding <edition>/types.ini, evidence.ini and "
	     "checks.ini",
	     "DIR"},
	    {"jobs", 'j', 0, G_OPTION_ARG_INT, &o->jobs,
	     "Pages OCR'd at once (default: one per core)", "N"},
	    {NULL, 0, 0, 0, NULL, NULL, NULL}};
	GOptionContext *oc =
	    g_option_context_new("DIR - check one claim folder");

	g_option_context_add_main_entries(oc, entries, NULL);
	cli_reader_options_add(oc, &o->reader);
	g_option_context_set_description(
	    oc, "Exit status: 0 pass, 1 flagged, 2 usage or fatal error.");
	return oc;
}

static gboolean
options_check(const Options *o, int argc, GError **error)
{
	if (argc != 2) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "scan takes exactly one claim folder");
		return FALSE;
	}
	if (!cli_reader_options_check(&o->reader, error))
		return FALSE;
	if (o->format != NULL && strcmp(o->format, "text") != 0 &&
	    strcmp(o->format, "json") != 0 && strcmp(o->format, "html") != 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "--format must be text, json or html, not '%s'",
			    o->format);
		return FALSE;
	}
	if (o->lang != NULL && strcmp(o->lang, "zh") != 0 &&
	    strcmp(o->lang, "en") != 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "--lang must be zh or en, not '%s'", o->lang);
		return FALSE;
	}
	if (o->delivery != NULL && strcmp(o->delivery, "self") != 0 &&
	    strcmp(o->delivery, "agency") != 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "--delivery must be self or agency, not '%s'",
			    o->delivery);
		return FALSE;
	}
	if (o->progress_fd != 0 &&
	    (o->progress_fd < 3 || fcntl(o->progress_fd, F_GETFD) < 0)) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "--progress-fd %d is not an open file descriptor "
			    "above 2",
			    o->progress_fd);
		return FALSE;
	}
	if (o->jobs < 0 || o->jobs > 256) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "--jobs must be between 1 and 256");
		return FALSE;
	}
	return TRUE;
}

static Store *
open_store(const Options *o, GError **error)
{
	char *path;
	Store *store;

	if (o->no_store)
		return NULL;
	path = o->db != NULL ? g_strdup(o->db) : store_default_path();
	store = store_open(path, error);
	if (store != NULL)
		store_set_wait_notify(store, cli_tell_store_wait, NULL);
	g_free(path);
	return store;
}

static gboolean
format_is(const Options *o, const char *format)
{
	return o->format != NULL && strcmp(o->format, format) == 0;
}

/* Write REPORT (WHAT names it in the message) to PATH; FALSE on failure,
 * said on stderr with the path and the system's reason. */
static gboolean
write_report(const char *path, const char *report, const char *what)
{
	GError *error = NULL;

	if (cli_write_file(path, report, &error))
		return TRUE;
	fprintf(stderr, "evidcheck: the %s report: %s\n", what, error->message);
	g_error_free(error);
	return FALSE;
}

/* IMAGES (ReportsPageImage*) as DIR/1.jpg … and DIR/index.json listing
 * each one's ref, file and size; the index last, so a reader that finds
 * it finds the images. FALSE when one cannot be written, said. */
static gboolean
write_pages(const char *dir, GPtrArray *images)
{
	JsonBuilder *b = json_builder_new();
	GError *error = NULL;
	char *index = NULL, *path = NULL;
	gboolean ok = g_mkdir_with_parents(dir, 0755) == 0;

	if (!ok)
		g_set_error(&error, G_FILE_ERROR,
			    g_file_error_from_errno(errno), "%s: %s", dir,
			    g_strerror(errno));
	json_builder_begin_array(b);
	for (guint i = 0; ok && i < images->len; i++) {
		const ReportsPageImage *im = g_ptr_array_index(images, i);
		char *name = g_strdup_printf("%u.jpg", i + 1);

		g_free(path);
		path = g_build_filename(dir, name, NULL);
		ok = g_file_set_contents(path, g_bytes_get_data(im->jpeg, NULL),
					 (gssize)g_bytes_get_size(im->jpeg),
					 &error);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "ref");
		json_builder_add_string_value(b, im->ref);
		json_builder_set_member_name(b, "file");
		json_builder_add_string_value(b, name);
		json_builder_set_member_name(b, "width");
		json_builder_add_int_value(b, im->width);
		json_builder_set_member_name(b, "height");
		json_builder_add_int_value(b, im->height);
		json_builder_end_object(b);
		g_free(name);
	}
	json_builder_end_array(b);
	if (ok) {
		JsonNode *root = json_builder_get_root(b);

		index = json_to_string(root, FALSE);
		json_node_unref(root);
		g_free(path);
		path = g_build_filename(dir, "index.json", NULL);
		ok = g_file_set_contents(path, index, -1, &error);
	}
	if (!ok)
		fprintf(stderr, "evidcheck: the page images: %s\n",
			error->message);
	g_clear_error(&error);
	g_free(index);
	g_free(path);
	g_object_unref(b);
	return ok;
}

/* Output, then the record: a store that fails to save must not cost the
 * reviewer the report, so it only warns. The HTML report is made once,
 * for stdout and --html alike: it renders page thumbnails. */
static int
emit(const Options *o, ScanResult *r, ScanContext *ctx, Store *store)
{
	char *json = reports_json(r, ctx);
	char *html = NULL;
	GPtrArray *images = NULL;
	GError *error = NULL;
	int code = g_str_equal(scan_result_verdict(r), "pass")
		       ? CLI_EXIT_PASS
		       : CLI_EXIT_FLAGGED;

	/* tests/serve: a scan that dies fails its job, not the server. */
	store_test_kill("scan-report");
	if (format_is(o, "html") || o->html != NULL || o->pages != NULL)
		html = reports_html_images(r, ctx, o->lang,
					   o->pages != NULL ? &images : NULL);
	if (format_is(o, "json")) {
		fputs(json, stdout);
	} else if (format_is(o, "html")) {
		fputs(html, stdout);
	} else {
		char *text = reports_text(r, ctx, cli_use_color(), o->lang);

		fputs(text, stdout);
		g_free(text);
	}
	/* `scan --format json > report.json` on a full disk: said, not a
	 * truncated report and exit 0. */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr,
			"evidcheck: cannot write the report to stdout: "
			"%s\n",
			g_strerror(errno));
		code = CLI_EXIT_FATAL;
	}
	if (o->out != NULL && !write_report(o->out, json, "JSON"))
		code = CLI_EXIT_FATAL;
	if (o->html != NULL && !write_report(o->html, html, "HTML"))
		code = CLI_EXIT_FATAL;
	if (images != NULL && !write_pages(o->pages, images))
		code = CLI_EXIT_FATAL;
	/* So that a batch later knows this scan used today's rules. */
	if (store != NULL)
		store_set_rules_version(store, scan_context_rules_version(ctx));
	if (store != NULL && !o->no_record &&
	    scan_result_save(r, json, store, &error) < 0) {
		fprintf(stderr, "evidcheck: warning: scan not recorded: %s\n",
			error->message);
		g_clear_error(&error);
	}
	if (images != NULL)
		g_ptr_array_unref(images);
	g_free(html);
	g_free(json);
	return code;
}

/* One line per step to the server's pipe; a server gone away is no
 * reason to stop the scan (SIGPIPE is ignored by the caller). */
static void
tell_progress(int files_done, int files, int pages_done, int pages, void *data)
{
	int fd = GPOINTER_TO_INT(data);
	char line[96];
	int n = g_snprintf(line, sizeof line, "progress %d %d %d %d\n",
			   files_done, files, pages_done, pages);

	if (write(fd, line, (size_t)n) < 0)
		g_debug("progress not told: %s", g_strerror(errno));
}

static int
run(const Options *o, const char *dir)
{
	ScanOptions so = {o->rules, o->policy, o->jobs, NULL, NULL, 0};
	ScanRequest req = {.direction = o->direction,
			   .scene = o->scene,
			   .delivery = o->delivery,
			   .product_name = o->product_name,
			   .project_kind = o->project_kind};
	ScanContext *ctx = NULL;
	ScanResult *r = NULL;
	GError *error = NULL;
	int code = CLI_EXIT_FATAL;

	if (o->progress_fd > 0) {
		signal(SIGPIPE, SIG_IGN);
		req.progress = tell_progress;
		req.progress_data = GINT_TO_POINTER(o->progress_fd);
	}
	cli_reader_options_apply(&o->reader, &so);
	ctx = scan_context_new(&so, &error);
	if (ctx == NULL)
		goto cleanup;
	req.store = open_store(o, &error);
	if (req.store == NULL && !o->no_store)
		goto cleanup;
	r = scan_claim(ctx, dir, &req, &error);
	if (r != NULL)
		code = emit(o, r, ctx, req.store);
cleanup:
	if (error != NULL)
		fprintf(stderr, "evidcheck: %s\n", error->message);
	g_clear_error(&error);
	scan_result_free(r);
	store_close(req.store);
	scan_context_free(ctx);
	return code;
}

int
cli_scan(int argc, char **argv)
{
	Options o = {0};
	GOptionContext *oc = option_context(&o);
	GError *error = NULL;
	int code = CLI_EXIT_FATAL;

	/* Over a file size limit (ulimit -f) a write fails with EFBIG, said
	 * with the file's name, rather than the signal killing us silently. */
	signal(SIGXFSZ, SIG_IGN);
	if (!g_option_context_parse(oc, &argc, &argv, &error) ||
	    !options_check(&o, argc, &error)) {
		fprintf(stderr,
			"evidcheck scan: %s\n(see evidcheck scan "
			"--help)\n",
			error->message);
		goto cleanup;
	}
	code = run(&o, argv[1]);
cleanup:
	g_clear_error(&error);
	g_option_context_free(oc);
	options_clear(&o);
	return code;
}
