/* cli.h - the verbs of the evidcheck command. Only cli/ prints to the
 * terminal and chooses exit codes. */
#ifndef EVIDCHECK_CLI_H
#define EVIDCHECK_CLI_H

#include "scan/scan.h"
#include "store/store.h"

/* Exit codes, documented in the README and `evidcheck --help`. */
enum {
	CLI_EXIT_PASS = 0,    /* every checked claim passed */
	CLI_EXIT_FLAGGED = 1, /* at least one error finding */
	CLI_EXIT_FATAL = 2    /* bad usage, or nothing could be checked */
};

/* For store_set_wait_notify: a store held by another process makes a
 * write wait up to STORE_BUSY_TIMEOUT_MS; say so on stderr, or the run
 * looks stuck. */
void cli_tell_store_wait(const char *path, int timeout_ms, void *data);

/* Whether stdout takes ANSI colours: a terminal, and NO_COLOR unset. */
gboolean cli_use_color(void);

/* How files are read, shared by scan and batch: --deadline SECONDS and
 * --in-process (main.c). */
typedef struct {
	int deadline;
	gboolean in_process;
} CliReaderOptions;

/* Add the reading options to OC, filling R when it is parsed. */
void cli_reader_options_add(GOptionContext *oc, CliReaderOptions *r);

/* Set SO's reading processes (this executable's "worker" verb unless
 * --in-process) and deadline from R. */
void cli_reader_options_apply(const CliReaderOptions *r, ScanOptions *so);
/* FALSE with ERROR when R's values are out of range (--deadline: 1 to
 * 86400 seconds). */
gboolean cli_reader_options_check(const CliReaderOptions *r, GError **error);

/* `evidcheck worker`: a reading process (scan_worker_main), started by
 * scan and batch; not for people. ARGV[0] is "worker". */
int cli_worker(int argc, char **argv);

/* Write TEXT to PATH. A regular file (or a new one) is written beside it
 * as .NAME.tmp, flushed and renamed over it, so a full disk or a kill
 * never leaves half a file where a reader would trust it; the fixed name
 * means the next run reuses what a killed one left. Anything else that
 * exists (/dev/stdout, a pipe, /dev/full) is written in place. FALSE with
 * ERROR naming PATH and the system's reason. */
gboolean cli_write_file(const char *path, const char *text, GError **error);

/* `evidcheck scan DIR [options]`. ARGV[0] is "scan". */
int cli_scan(int argc, char **argv);

/* `evidcheck batch ROOT [options]`: every claim folder under ROOT, with
 * an index. ARGV[0] is "batch". */
int cli_batch(int argc, char **argv);

/* `evidcheck history CLAIM_ID [options]`: every scan of a claim. ARGV[0]
 * is "history". */
int cli_history(int argc, char **argv);
/* `evidcheck findings [options]`: findings of each claim's latest scan.
 * ARGV[0] is "findings". */
int cli_findings(int argc, char **argv);
/* `evidcheck serve [options]`: the HTTP API of docs/api.md until SIGINT
 * or SIGTERM. ARGV[0] is "serve". */
int cli_serve(int argc, char **argv);

/* The store the query verbs read (cmd_history.c): DB, or the default. One
 * that does not exist is an error, not created empty. Caller owns
 * (store_close), or NULL with ERROR set naming the file. */
Store *cli_query_store(const char *db, GError **error);

#endif
