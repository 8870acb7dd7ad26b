/* main.c - the evidcheck command: pick the verb, and make sure Tesseract's
 * OpenMP runs one thread per page (pages are parallelised instead). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "cli/cli.h"

static const char usage[] =
    "usage: evidcheck <command> [options]\n"
    "\n"
    "Pre-screens the acceptance evidence of a Guangxi manufacturing "
    "service\nvoucher (服务券) claim before settlement.\n"
    "\n"
    "commands:\n"
    "  scan DIR     check one claim folder and report (see scan --help)\n"
    "  batch ROOT   check every claim folder under ROOT, skip unchanged "
    "ones,\n               write a report each and an index (see batch "
    "--help)\n"
    "  history ID   every scan of a claim in the store, newest first\n"
    "  findings     findings of each claim's latest scan (--code, "
    "--severity,\n               --since)\n"
    "  serve        an HTTP API and a drop page for providers' uploads "
    "(see\n               serve --help, docs/api.md)\n"
    "  version      print the version\n"
    "\n"
    "exit status: 0 pass, 1 flagged, 2 usage or fatal error\n";

/* libgomp reads OMP_THREAD_LIMIT once, when it is loaded, so setting it
 * from here is too late for this process: run ourselves again with it
 * set. Several Tesseract threads per page are slower than one per page on
 * each core (measured: 5.1 s vs 1.7 s per certificate photo). */
static void
limit_openmp(char **argv)
{
	if (getenv("OMP_THREAD_LIMIT") != NULL)
		return;
	setenv("OMP_THREAD_LIMIT", "1", 1);
	execv("/proc/self/exe", argv);
	/* Not fatal: we only run slower. */
}

void
cli_reader_options_add(GOptionContext *oc, CliReaderOptions *r)
{
	const GOptionEntry entries[] = {
	    {"deadline", 0, 0, G_OPTION_ARG_INT, &r->deadline,
	     "Seconds one page (or one file's text) may take to read before "
	     "it is given up as unreadable (default: 240)",
	     "SECONDS"},
	    {"in-process", 0, 0, G_OPTION_ARG_NONE, &r->in_process,
	     "Read files in this process instead of separate reading "
	     "processes: for debugging; a file that crashes a decoder then "
	     "stops the whole run",
	     NULL},
	    {NULL, 0, 0, 0, NULL, NULL, NULL}};
	GOptionGroup *group =
	    g_option_group_new("reading", "How files are read:",
			       "Show the options of file reading", NULL, NULL);

	g_option_group_add_entries(group, entries);
	g_option_context_add_group(oc, group);
}

gboolean
cli_reader_options_check(const CliReaderOptions *r, GError **error)
{
	/* Zero is the option left out: the default. */
	if (r->deadline >= 0 && r->deadline <= 24 * 3600)
		return TRUE;
	g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
		    "--deadline must be between 1 and 86400 seconds");
	return FALSE;
}

void
cli_reader_options_apply(const CliReaderOptions *r, ScanOptions *so)
{
	/* The running executable, even if it was replaced on disk since. */
	so->worker = r->in_process ? NULL : "/proc/self/exe";
	so->deadline = r->deadline;
}

int
cli_worker(int argc, char **argv)
{
	const char *tessdata = NULL;

	for (int i = 1; i < argc; i++)
		if (g_str_has_prefix(argv[i], "--tessdata="))
			tessdata = argv[i] + strlen("--tessdata=");
	return scan_worker_main(tessdata);
}

void
cli_tell_store_wait(const char *path, int timeout_ms, void *data)
{
	(void)data;
	fprintf(stderr,
		"evidcheck: store %s is locked by another process: waiting up "
		"to %d s for it\n",
		path, timeout_ms / 1000);
}

gboolean
cli_use_color(void)
{
	return isatty(STDOUT_FILENO) && g_getenv("NO_COLOR") == NULL;
}

int
main(int argc, char **argv)
{
	limit_openmp(argv);
	if (argc < 2) {
		fputs(usage, stderr);
		return CLI_EXIT_FATAL;
	}
	if (strcmp(argv[1], "scan") == 0)
		return cli_scan(argc - 1, argv + 1);
	if (strcmp(argv[1], "batch") == 0)
		return cli_batch(argc - 1, argv + 1);
	if (strcmp(argv[1], "history") == 0)
		return cli_history(argc - 1, argv + 1);
	if (strcmp(argv[1], "findings") == 0)
		return cli_findings(argc - 1, argv + 1);
	if (strcmp(argv[1], "serve") == 0)
		return cli_serve(argc - 1, argv + 1);
	if (strcmp(argv[1], "worker") == 0)
		return cli_worker(argc - 1, argv + 1);
	if (strcmp(argv[1], "version") == 0 ||
	    strcmp(argv[1], "--version") == 0) {
		printf("evidcheck %s\n", EVIDCHECK_VERSION);
		return CLI_EXIT_PASS;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(usage, stdout);
		return CLI_EXIT_PASS;
	}
	fprintf(stderr, "evidcheck: unknown command '%s'\n\n%s", argv[1],
		usage);
	return CLI_EXIT_FATAL;
}
