/* serve_client.c - the server as a child process, HTTP through libsoup,
 * multipart bodies by hand (serve_client.h). */
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "tests/serve/serve_client.h"

#define LISTEN_PREFIX "evidcheck serve: listening on "

/* ---- the server ---------------------------------------------------------
 */

/* The base URL of S's listening line in its log, or NULL. */
static char *
listening_base(const char *log)
{
	char *text = NULL;
	char *base = NULL;
	const char *at;

	if (!g_file_get_contents(log, &text, NULL, NULL))
		return NULL;
	at = strstr(text, LISTEN_PREFIX);
	if (at != NULL && strchr(at, '\n') != NULL) {
		const char *url = at + strlen(LISTEN_PREFIX);
		const char *end = strchr(url, '\n');

		while (end > url && (end[-1] == '/' || end[-1] == '\r'))
			end--;
		base = g_strndup(url, (gsize)(end - url));
	}
	g_free(text);
	return base;
}

static guint16
base_port(const char *base)
{
	const char *colon = strrchr(base, ':');

	return colon != NULL ? (guint16)g_ascii_strtoull(colon + 1, NULL, 10)
			     : 0;
}

gboolean
server_start(Server *s, const char *evidcheck, const char *const *args,
	     const char *log, double timeout_s, GError **error)
{
	GSubprocessLauncher *l = g_subprocess_launcher_new(0);
	GPtrArray *argv = g_ptr_array_new();
	double until = now_s() + timeout_s;
	gboolean ok = FALSE;

	memset(s, 0, sizeof *s);
	s->log = g_strdup(log);
	g_ptr_array_add(argv, (char *)evidcheck);
	g_ptr_array_add(argv, (char *)"serve");
	g_ptr_array_add(argv, (char *)"--listen");
	g_ptr_array_add(argv, (char *)"127.0.0.1:0");
	for (const char *const *a = args; *a != NULL; a++)
		g_ptr_array_add(argv, (char *)*a);
	g_ptr_array_add(argv, NULL);
	g_subprocess_launcher_set_stderr_file_path(l, log);
	s->proc = g_subprocess_launcher_spawnv(
	    l, (const char *const *)argv->pdata, error);
	if (s->proc == NULL)
		goto done;
	while (s->base == NULL && now_s() < until &&
	       g_subprocess_get_identifier(s->proc) != NULL) {
		sleep_ms(20);
		s->base = listening_base(log);
	}
	if (s->base == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "the server did not say it listens within %.0f s",
			    timeout_s);
		server_kill(s);
		goto done;
	}
	s->port = base_port(s->base);
	ok = TRUE;
done:
	g_ptr_array_unref(argv);
	g_object_unref(l);
	return ok;
}

static void
waited(GObject *proc, GAsyncResult *res, gpointer data)
{
	g_subprocess_wait_finish(G_SUBPROCESS(proc), res, NULL);
	*(gboolean *)data = TRUE;
}

/* Wait up to TIMEOUT_S seconds for S to end: TRUE when it did. */
static gboolean
server_wait(Server *s, double timeout_s)
{
	gboolean over = FALSE;
	double until = now_s() + timeout_s;

	g_subprocess_wait_async(s->proc, NULL, waited, &over);
	while (!over && now_s() < until) {
		while (g_main_context_iteration(NULL, FALSE))
			;
		if (!over)
			sleep_ms(10);
	}
	if (!over) {
		g_subprocess_force_exit(s->proc);
		while (!over)
			g_main_context_iteration(NULL, TRUE);
		return FALSE;
	}
	return TRUE;
}

void
server_kill(Server *s)
{
	if (s->proc == NULL)
		return;
	g_subprocess_force_exit(s->proc);
	server_wait(s, 60);
}

gboolean
server_stop(Server *s, double timeout_s, GError **error)
{
	if (s->proc == NULL)
		return TRUE;
	g_subprocess_send_signal(s->proc, SIGTERM);
	if (!server_wait(s, timeout_s)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
			    "the server did not exit within %.0f s of SIGTERM",
			    timeout_s);
		return FALSE;
	}
	if (!g_subprocess_get_if_exited(s->proc)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "after SIGTERM the server died of signal %d",
			    g_subprocess_get_term_sig(s->proc));
		return FALSE;
	}
	if (g_subprocess_get_exit_status(s->proc) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "after SIGTERM the server exited with status %d",
			    g_subprocess_get_exit_status(s->proc));
		return FALSE;
	}
	return TRUE;
}

void
server_clear(Server *s)
{
	g_clear_object(&s->proc);
	g_clear_pointer(&s->log, g_free);
	g_clear_pointer(&s->base, g_free);
}

void
server_dump_log(const Server *s)
{
	char *text = NULL;

	if (s->log != NULL && g_file_get_contents(s->log, &text, NULL, NULL))
		printf("---- %s\n%s---- end of the server's log\n", s->log,
		       text);
	g_free(text);
}

/* ---- HTTP ---------------------------------------------------------------
 */

Client *
client_new(const char *base, guint timeout_s)
{
	Client *c = g_new0(Client, 1);

	c->session = soup_session_new_with_options("timeout", timeout_s, NULL);
	c->base = base;
	return c;
}

void
client_free(Client *c)
{
	if (c == NULL)
		return;
	g_object_unref(c->session);
	g_free(c);
}

static void
reply_parse(Reply *r, SoupMessage *msg)
{
	SoupMessageHeaders *h = soup_message_get_response_headers(msg);
	const char *type = soup_message_headers_get_content_type(h, NULL);
	JsonParser *p;

	r->status = soup_message_get_status(msg);
	r->content_type = g_strdup(type);
	r->location = g_strdup(soup_message_headers_get_one(h, "Location"));
	r->retry_after =
	    g_strdup(soup_message_headers_get_one(h, "Retry-After"));
	if (type == NULL || strcmp(type, "application/json") != 0)
		return;
	p = json_parser_new();
	if (json_parser_load_from_data(p, g_bytes_get_data(r->body, NULL),
				       (gssize)g_bytes_get_size(r->body),
				       NULL) &&
	    json_parser_get_root(p) != NULL)
		r->json = json_node_copy(json_parser_get_root(p));
	g_object_unref(p);
}

static Reply *
request_send(Client *c, SoupMessage *msg)
{
	Reply *r = g_new0(Reply, 1);
	GError *error = NULL;

	if (c->token != NULL) {
		char *auth = g_strdup_printf("Bearer %s", c->token);

		soup_message_headers_replace(
		    soup_message_get_request_headers(msg), "Authorization",
		    auth);
		g_free(auth);
	}
	r->body = soup_session_send_and_read(c->session, msg, NULL, &error);
	if (r->body == NULL) {
		r->error = g_strdup(error->message);
		r->body = g_bytes_new(NULL, 0);
		g_clear_error(&error);
	} else {
		reply_parse(r, msg);
	}
	g_object_unref(msg);
	return r;
}

static SoupMessage *
message(Client *c, const char *method, const char *path)
{
	char *uri = g_strconcat(c->base, path, NULL);
	SoupMessage *msg = soup_message_new(method, uri);

	g_free(uri);
	return msg;
}

Reply *
http_get(Client *c, const char *path)
{
	return request_send(c, message(c, "GET", path));
}

Reply *
http_post(Client *c, const char *path, const char *content_type, GBytes *body,
	  gboolean expect_continue)
{
	SoupMessage *msg = message(c, "POST", path);

	soup_message_set_request_body_from_bytes(msg, content_type, body);
	if (expect_continue)
		soup_message_headers_set_expectations(
		    soup_message_get_request_headers(msg),
		    SOUP_EXPECTATION_CONTINUE);
	return request_send(c, msg);
}

Reply *
http_post_chunked(Client *c, const char *path, const char *content_type,
		  GBytes *body)
{
	SoupMessage *msg = message(c, "POST", path);
	GInputStream *in = g_memory_input_stream_new_from_bytes(body);

	soup_message_set_request_body(msg, content_type, in, -1);
	g_object_unref(in);
	return request_send(c, msg);
}

void
reply_free(Reply *r)
{
	if (r == NULL)
		return;
	g_free(r->error);
	g_bytes_unref(r->body);
	g_free(r->content_type);
	g_free(r->location);
	g_free(r->retry_after);
	if (r->json != NULL)
		json_node_unref(r->json);
	g_free(r);
}

JsonObject *
reply_object(const Reply *r)
{
	return r->json != NULL && JSON_NODE_HOLDS_OBJECT(r->json)
		   ? json_node_get_object(r->json)
		   : NULL;
}

const char *
reply_error_code(const Reply *r)
{
	JsonObject *o = reply_object(r);
	JsonNode *n = o != NULL ? json_object_get_member(o, "error") : NULL;

	return n != NULL && JSON_NODE_HOLDS_VALUE(n) &&
		       json_node_get_value_type(n) == G_TYPE_STRING
		   ? json_node_get_string(n)
		   : "";
}

char *
reply_text(const Reply *r)
{
	gsize n;
	const char *data = g_bytes_get_data(r->body, &n);

	return g_strndup(data != NULL ? data : "", n);
}

/* ---- multipart/form-data ------------------------------------------------
 */

Form *
form_new(void)
{
	Form *f = g_new0(Form, 1);
	char *uuid = g_uuid_string_random();

	f->body = g_byte_array_new();
	f->boundary = g_strdup_printf("----evidcheckTest%s", uuid);
	f->content_type =
	    g_strdup_printf("multipart/form-data; boundary=%s", f->boundary);
	g_free(uuid);
	return f;
}

static void
append(Form *f, const char *s)
{
	g_byte_array_append(f->body, (const guint8 *)s, (guint)strlen(s));
}

/* FILENAME as a quoted string, the way browsers escape it. */
static void
append_filename(Form *f, const char *filename)
{
	GString *q = g_string_new("\"");

	for (const char *p = filename; *p != '\0'; p++)
		if (*p == '"')
			g_string_append(q, "%22");
		else if (*p == '\r')
			g_string_append(q, "%0D");
		else if (*p == '\n')
			g_string_append(q, "%0A");
		else if (*p == '\\')
			g_string_append(q, "\\\\");
		else
			g_string_append_c(q, *p);
	g_string_append_c(q, '"');
	append(f, q->str);
	g_string_free(q, TRUE);
}

void
form_add(Form *f, const char *name, const char *filename, const void *data,
	 gsize len)
{
	append(f, "--");
	append(f, f->boundary);
	append(f, "\r\nContent-Disposition: form-data; name=\"");
	append(f, name);
	append(f, "\"");
	if (filename != NULL) {
		append(f, "; filename=");
		append_filename(f, filename);
		append(f, "\r\nContent-Type: application/octet-stream");
	} else {
		append(f, "\r\nContent-Type: application/json");
	}
	append(f, "\r\n\r\n");
	g_byte_array_append(f->body, data, (guint)len);
	append(f, "\r\n");
}

GBytes *
form_finish(Form *f, gboolean close, char **content_type)
{
	GBytes *body;

	if (close) {
		append(f, "--");
		append(f, f->boundary);
		append(f, "--\r\n");
	}
	*content_type = f->content_type;
	body = g_byte_array_free_to_bytes(f->body);
	g_free(f->boundary);
	g_free(f);
	return body;
}

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of DIR, sorted (the upload's order is the same each run). */
static GPtrArray *
dir_names(const char *dir, GError **error)
{
	GDir *d = g_dir_open(dir, 0, error);
	GPtrArray *names;
	const char *name;

	if (d == NULL)
		return NULL;
	names = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(d)) != NULL)
		g_ptr_array_add(names, g_strdup(name));
	g_dir_close(d);
	g_ptr_array_sort(names, cmp_str);
	return names;
}

static gboolean
add_tree(GPtrArray *out, const char *top, const char *rel, GError **error)
{
	char *dir =
	    rel[0] != '\0' ? g_build_filename(top, rel, NULL) : g_strdup(top);
	GPtrArray *names = dir_names(dir, error);
	gboolean ok = names != NULL;

	for (guint i = 0; ok && i < names->len; i++) {
		const char *name = g_ptr_array_index(names, i);
		char *sub = rel[0] != '\0' ? g_strconcat(rel, "/", name, NULL)
					   : g_strdup(name);
		char *path = g_build_filename(top, sub, NULL);

		if (g_file_test(path, G_FILE_TEST_IS_DIR))
			ok = add_tree(out, top, sub, error);
		else
			g_ptr_array_add(out, g_strdup(sub));
		g_free(path);
		g_free(sub);
	}
	if (names != NULL)
		g_ptr_array_unref(names);
	g_free(dir);
	return ok;
}

GPtrArray *
claim_files(const char *dir, GError **error)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	if (!add_tree(out, dir, "", error)) {
		g_ptr_array_unref(out);
		return NULL;
	}
	return out;
}

int
form_add_claim_dir(Form *f, const char *dir, GError **error)
{
	GPtrArray *files = claim_files(dir, error);
	int n = files != NULL ? 0 : -1;

	for (guint i = 0; files != NULL && i < files->len && n >= 0; i++) {
		const char *rel = g_ptr_array_index(files, i);
		char *path = g_build_filename(dir, rel, NULL);
		char *data = NULL;
		gsize len = 0;

		if (!g_file_get_contents(path, &data, &len, error)) {
			n = -1;
		} else if (strcmp(rel, "claim.json") == 0) {
			form_add(f, "claim", NULL, data, len);
		} else {
			form_add(f, "files", rel, data, len);
			n++;
		}
		g_free(data);
		g_free(path);
	}
	if (files != NULL)
		g_ptr_array_unref(files);
	return n;
}

/* ---- misc ---------------------------------------------------------------
 */

JsonNode *
json_load_file(const char *file, GError **error)
{
	JsonParser *p = json_parser_new();
	JsonNode *root = NULL;

	if (json_parser_load_from_file(p, file, error)) {
		if (json_parser_get_root(p) != NULL)
			root = json_node_copy(json_parser_get_root(p));
		else
			g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
				    "%s is empty", file);
	}
	g_object_unref(p);
	return root;
}

double
now_s(void)
{
	return (double)g_get_monotonic_time() / 1e6;
}

void
sleep_ms(guint ms)
{
	g_usleep((gulong)ms * 1000);
}
