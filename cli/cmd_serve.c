/* cmd_serve.c - `evidcheck serve`: the options of docs/api.md, then
 * serve_run until a signal. */
#include <stdio.h>

#include "cli/cli.h"
#include "serve/serve.h"

typedef struct {
	char *listen;
	char *data;
	char *db;
	int jobs;
	char *token_file;
	int job_deadline;
	int max_upload_mb;
	int max_files;
	int queue;
	int keep_days;
	char *policy;
	char *rules;
} Options;

static void
options_clear(Options *o)
{
	g_free(o->listen);
	g_free(o->data);
	g_free(o->db);
	g_free(o->token_file);
	g_free(o->policy);
	g_free(o->rules);
}

static GOptionContext *
option_context(Options *o)
{
	const GOptionEntry entries[] = {
	    {"listen", 0, 0, G_OPTION_ARG_STRING, &o->listen,
	     "Address to listen on (default " SERVE_DEFAULT_LISTEN
	     "; port 0 picks one)",
	     "HOST:PORT"},
	    {"data", 0, 0, G_OPTION_ARG_FILENAME, &o->data,
	     "Uploads and job outputs (default: "
	     "~/.local/share/evidcheck/serve)",
	     "DIR"},
	    {"db", 0, 0, G_OPTION_ARG_FILENAME, &o->db,
	     "Store file: jobs, OCR cache (default: as scan)", "FILE"},
	    {"jobs", 'j', 0, G_OPTION_ARG_INT, &o->jobs,
	     "Claims scanned at once (default 2)", "N"},
	    {"token-file", 0, 0, G_OPTION_ARG_FILENAME, &o->token_file,
	     "Require 'Authorization: Bearer TOKEN'; FILE has a 'TOKEN "
	     "[SCOPE]' a line",
	     "FILE"},
	    {"job-deadline", 0, 0, G_OPTION_ARG_INT, &o->job_deadline,
	     "Seconds a claim's scan may take (default 1800)", "SECONDS"},
	    {"max-upload-mb", 0, 0, G_OPTION_ARG_INT, &o->max_upload_mb,
	     "Largest upload (default 256)", "MB"},
	    {"max-files", 0, 0, G_OPTION_ARG_INT, &o->max_files,
	     "Most files an upload (default 1000)", "N"},
	    {"queue", 0, 0, G_OPTION_ARG_INT, &o->queue,
	     "Most claims waiting before uploads get 429 (default 100)", "N"},
	    {"keep-days", 0, 0, G_OPTION_ARG_INT, &o->keep_days,
	     "Days a finished claim's files and report are kept (default "
	     "30; -1: for ever)",
	     "N"},
	    {"policy", 0, 0, G_OPTION_ARG_STRING, &o->policy,
	     "Policy edition (default: the newest)", "EDITION"},
	    {"rules", 0, 0, G_OPTION_ARG_FILENAME, &o->rules,
	     "Rules folder, as for scan", "DIR"},
	    {NULL, 0, 0, 0, NULL, NULL, NULL}};
	GOptionContext *oc = g_option_context_new(
	    "- an HTTP API and a drop page for claims (docs/api.md)");

	g_option_context_add_main_entries(oc, entries, NULL);
	return oc;
}

static gboolean
in_range(int value, int lo, int hi, const char *name, GError **error)
{
	if (value == 0 || (value >= lo && value <= hi))
		return TRUE;
	g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
		    "--%s must be between %d and %d", name, lo, hi);
	return FALSE;
}

static gboolean
options_check(const Options *o, int argc, GError **error)
{
	if (argc != 1) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "serve takes options only");
		return FALSE;
	}
	return in_range(o->jobs, 1, 64, "jobs", error) &&
	       in_range(o->job_deadline, 1, 7 * 24 * 3600, "job-deadline",
			error) &&
	       in_range(o->max_upload_mb, 1, 4096, "max-upload-mb", error) &&
	       in_range(o->max_files, 1, 100000, "max-files", error) &&
	       in_range(o->queue, 1, 100000, "queue", error) &&
	       (o->keep_days == -1 ||
		in_range(o->keep_days, 1, 36500, "keep-days", error));
}

int
cli_serve(int argc, char **argv)
{
	Options o = {0};
	GOptionContext *oc = option_context(&o);
	GError *error = NULL;
	int code = CLI_EXIT_FATAL;
	ServeOptions so;

	if (!g_option_context_parse(oc, &argc, &argv, &error) ||
	    !options_check(&o, argc, &error)) {
		fprintf(stderr,
			"evidcheck serve: %s\n(see evidcheck serve --help)\n",
			error->message);
		goto cleanup;
	}
	so = (ServeOptions){.listen = o.listen,
			    .data_dir = o.data,
			    .db = o.db,
			    .jobs = o.jobs,
			    .token_file = o.token_file,
			    .job_deadline = o.job_deadline,
			    .max_upload_mb = o.max_upload_mb,
			    .max_files = o.max_files,
			    .queue = o.queue,
			    .keep_days = o.keep_days,
			    .policy = o.policy,
			    .rules_dir = o.rules,
			    .executable = "/proc/self/exe"};
	if (serve_run(&so, &error))
		code = CLI_EXIT_PASS;
	else
		fprintf(stderr, "evidcheck serve: %s\n", error->message);
cleanup:
	g_clear_error(&error);
	g_option_context_free(oc);
	options_clear(&o);
	return code;
}
