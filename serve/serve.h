/* serve.h - evidcheck as a service: uploads of claim folders over HTTP,
 * queued as jobs in the store, each scanned by `evidcheck scan` in a
 * child process, and a drop page for browsers. docs/api.md is the
 * contract. */
#ifndef EVIDCHECK_SERVE_H
#define EVIDCHECK_SERVE_H

#include <glib.h>

G_BEGIN_DECLS

#define SERVE_DEFAULT_LISTEN "127.0.0.1:8080"
#define SERVE_DEFAULT_JOBS   2
/* A claim of a few hundred scanned pages OCRs in minutes; an hour-long
 * scan is a stuck one. */
#define SERVE_JOB_DEADLINE_SECONDS 1800
#define SERVE_MAX_UPLOAD_MB	   256
#define SERVE_MAX_FILES		   1000
#define SERVE_QUEUE		   100
/* claim.json is a handful of keys. */
#define SERVE_MAX_CLAIM_BYTES (64 * 1024)
/* Uploads hold invoices and contracts: a finished claim's files, report
 * and job are removed this many days after it ended. */
#define SERVE_KEEP_DAYS 30
/* A job the server was stopped during this many times fails. */
#define SERVE_MAX_ATTEMPTS 3

typedef struct {
	const char *listen;	/* "HOST:PORT"; NULL: SERVE_DEFAULT_LISTEN */
	const char *data_dir;	/* NULL: $XDG_DATA_HOME/evidcheck/serve */
	const char *db;		/* NULL: store_default_path() */
	int jobs;		/* claims scanned at once; <= 0: default */
	const char *token_file; /* NULL: no tokens (loopback only) */
	int job_deadline;	/* seconds; <= 0: the default */
	int max_upload_mb;	/* <= 0: the default */
	int max_files;		/* <= 0: the default */
	int queue;		/* jobs waiting; <= 0: the default */
	int keep_days;	       /* days a finished claim is kept; 0: the default,
				  < 0: for ever */
	const char *policy;    /* as scan's --policy; NULL: the newest */
	const char *rules_dir; /* as scan's --rules; NULL: built in */
	/* evidcheck itself, run as `evidcheck scan` for each job. */
	const char *executable;
} ServeOptions;

/* Listen, serve and scan until SIGINT or SIGTERM. Returns TRUE after a
 * signal, FALSE with ERROR when the server cannot start (the address is
 * taken, the store or the data folder cannot be opened, the token file
 * is bad). */
gboolean serve_run(const ServeOptions *options, GError **error);

/* Limits of an upload path: bytes of one component, and components. */
#define SERVE_MAX_NAME_BYTES 255
#define SERVE_MAX_PATH_DEPTH 32

/* NAME, the filename of an uploaded part, as a path inside the job's
 * claim folder: relative, '/'-separated, every component non-empty, not
 * "." nor "..", no backslash, NUL or control character, valid UTF-8,
 * within the limits above. Returns NAME with repeated or trailing
 * slashes dropped as a new string, or NULL with ERROR
 * (CORE_ERROR_USAGE) saying what is wrong with it; the caller refuses
 * the whole upload then, never writes the file elsewhere. */
char *serve_upload_path(const char *name, GError **error);

G_END_DECLS

#endif
