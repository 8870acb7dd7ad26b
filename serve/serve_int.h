/* serve_int.h - what the server's files share: the server, its jobs in
 * memory, and the answers every handler gives. */
#ifndef EVIDCHECK_SERVE_INT_H
#define EVIDCHECK_SERVE_INT_H

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "scan/scan.h"
#include "serve/serve.h"
#include "store/store.h"

typedef struct ServeTokens ServeTokens;

/* A job whose scan child runs. Pending reads and the wait each hold a
 * reference, so a callback after the job ended finds it still there. */
typedef struct {
	int refs;
	struct Server *server;
	char *id;
	char *dir; /* its outputs: DATA/jobs/ID */
	GSubprocess *child;
	GPid pid; /* its process group too */
	GCancellable *cancel;
	GDataInputStream *progress;
	GInputStream *err;
	GString *err_tail; /* the end of its stderr */
	char err_buf[1024];
	guint deadline_source, drain_source;
	gboolean timed_out, exited, err_done, finished;
	int status; /* wait status, once exited */
	int files_done, files, pages_done, pages;
} ServeRun;

typedef struct Server {
	const ServeOptions *options;
	int jobs, job_deadline, max_files, queue_max, keep_days;
	gint64 max_upload;
	char *data_dir, *claims_dir, *jobs_dir, *db_path;
	char *listen_host;
	int listen_port;
	Store *store;
	ScanContext *ctx; /* the rules: /v1/directions and the policy name */
	SoupServer *soup;
	GMainLoop *loop;
	ServeTokens *tokens; /* NULL: none needed */
	GHashTable *running; /* id -> ServeRun* (owned) */
	int queued;	     /* jobs waiting, as in the store */
	int scan_jobs;	     /* -j of each scan child */
	int live_runs;	     /* ServeRun not yet freed */
	gboolean stopping;
} Server;

/* ---- answers (server.c) ---- */
void serve_reply_json(SoupServerMessage *msg, guint status, JsonNode *root);
void serve_reply_error(SoupServerMessage *msg, guint status, const char *code,
		       const char *format, ...) G_GNUC_PRINTF(4, 5);
/* The caller's scope, or NULL (after answering 401) when the request may
 * not pass. "" without tokens. Borrowed. */
const char *serve_request_scope(Server *s, SoupServerMessage *msg);

/* ---- uploads (accept.c) ---- */
/* Before the body: refuse what is too large or lacks a length. */
void serve_claims_early(Server *s, SoupServerMessage *msg);
/* POST /v1/claims with its body read. */
void serve_claims_post(Server *s, SoupServerMessage *msg, const char *scope);
/* A new job id: 32 hex digits from the system's random source. */
char *serve_job_id_new(void);
/* Remove PATH and what it holds, never following a link out of it. */
void serve_remove_tree(const char *path);
/* Folders no job names (a crash between writing and recording, or in
 * an expiry), removed at start. */
void serve_claims_clean(Server *s);
/* Jobs finished more than --keep-days ago, and their files, removed. */
void serve_claims_expire(Server *s);

/* ---- jobs (queue.c) ---- */
gboolean serve_queue_start(Server *s, GError **error);
/* Start queued jobs while fewer than -j run. */
void serve_queue_kick(Server *s);
/* Kill every running scan and put its job back in the queue. */
void serve_queue_stop(Server *s);
ServeRun *serve_queue_running(Server *s, const char *id);

/* ---- tokens (tokens.c) ---- */
ServeTokens *serve_tokens_load(const char *path, GError **error);
void serve_tokens_free(ServeTokens *tokens);
/* The scope of TOKEN, or NULL when it is not one. Borrowed. */
const char *serve_tokens_scope(const ServeTokens *tokens, const char *token);

/* ---- the drop page (page.c) ---- */
void serve_page_get(SoupServerMessage *msg, const char *path);

#endif
