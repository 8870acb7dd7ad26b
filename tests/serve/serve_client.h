/* serve_client.h - what the tests of `evidcheck serve` stand on: the
 * server as a child process (started, its listening line read, killed,
 * stopped), HTTP requests through libsoup with their answer read whole,
 * multipart/form-data bodies built by hand (so a test can send what a
 * browser sends, or what no browser would), and claim folders walked
 * into them. */
#ifndef EVIDCHECK_TESTS_SERVE_CLIENT_H
#define EVIDCHECK_TESTS_SERVE_CLIENT_H

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

/* ---- the server ---------------------------------------------------------
 */

typedef struct {
	GSubprocess *proc;
	char *log;  /* its standard error, in a file */
	char *base; /* "http://127.0.0.1:PORT", from its listening line */
	guint16 port;
} Server;

/* Start `EVIDCHECK serve --listen 127.0.0.1:0 ARGS...` with its standard
 * error going to the file LOG (truncated), and wait (up to TIMEOUT_S seconds)
 * for its listening line. FALSE with ERROR when it exits first or never
 * says it listens; S is left stopped then. */
gboolean server_start(Server *s, const char *evidcheck, const char *const *args,
		      const char *log, double timeout_s, GError **error);

/* SIGKILL, and wait for it. */
void server_kill(Server *s);

/* SIGTERM, and wait up to TIMEOUT_S seconds: TRUE when it exited by
 * itself with status 0 (else killed, and FALSE with ERROR). */
gboolean server_stop(Server *s, double timeout_s, GError **error);

/* Free what S holds (the process must be stopped). */
void server_clear(Server *s);

/* Print S's log on stdout (after a failure). */
void server_dump_log(const Server *s);

/* ---- HTTP ---------------------------------------------------------------
 */

typedef struct {
	guint status; /* 0: no answer (ERROR says why) */
	char *error;
	GBytes *body;
	char *content_type; /* without parameters */
	char *location;
	char *retry_after;
	JsonNode *json; /* the body parsed when it is JSON, else NULL */
} Reply;

typedef struct {
	SoupSession *session;
	const char *base;
	const char *token; /* sent as a Bearer token when set */
} Client;

Client *client_new(const char *base, guint timeout_s);
void client_free(Client *c);

/* GET BASE PATH. Never NULL. */
Reply *http_get(Client *c, const char *path);

/* POST BODY to BASE PATH as CONTENT_TYPE; EXPECT_CONTINUE sends
 * `Expect: 100-continue` (the server may answer before the body is
 * sent). Never NULL. */
Reply *http_post(Client *c, const char *path, const char *content_type,
		 GBytes *body, gboolean expect_continue);

/* The same with BODY sent in chunks (Transfer-Encoding: chunked: no
 * Content-Length to judge it by before it is read). */
Reply *http_post_chunked(Client *c, const char *path, const char *content_type,
			 GBytes *body);

void reply_free(Reply *r);

/* The JSON object of R, or NULL. Borrowed. */
JsonObject *reply_object(const Reply *r);

/* The error code of R's JSON body ({"error": CODE}), or "". */
const char *reply_error_code(const Reply *r);

/* R's body as a NUL-terminated string (caller owns). */
char *reply_text(const Reply *r);

/* ---- multipart/form-data ------------------------------------------------
 */

typedef struct {
	GByteArray *body;
	char *boundary;
	char *content_type;
} Form;

Form *form_new(void);

/* A part named NAME holding DATA; FILENAME (may be NULL) is written as a
 * browser writes it: raw UTF-8 in quotes, '"' as %22, CR and LF as %0D
 * %0A; a backslash is doubled (a quoted-pair) so that an RFC 2183 reader
 * and a browser-minded one both see one. */
void form_add(Form *f, const char *name, const char *filename, const void *data,
	      gsize len);

/* The body; CLOSE FALSE leaves the closing boundary out (a truncated
 * upload). F is freed. */
GBytes *form_finish(Form *f, gboolean close, char **content_type);

/* The files under DIR, as paths relative to it ('/'-separated), sorted
 * folder by folder; NULL with ERROR. */
GPtrArray *claim_files(const char *dir, GError **error);

/* Every file under DIR as a `files` part named by its path relative to
 * DIR ('/'-separated, sub-folders kept), except claim.json, which goes as
 * the `claim` part. Returns the number of `files` parts, or -1 with
 * ERROR. */
int form_add_claim_dir(Form *f, const char *dir, GError **error);

/* ---- misc ---------------------------------------------------------------
 */

/* The JSON in FILE, or NULL with ERROR. */
JsonNode *json_load_file(const char *file, GError **error);

/* Seconds on the monotonic clock. */
double now_s(void);

/* Sleep MS milliseconds. */
void sleep_ms(guint ms);

#endif
