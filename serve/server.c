/* server.c - `evidcheck serve`: listen, route each request, and answer
 * the reads (health, directions, a job, its report and page images); the
 * uploads are accept.c's, the scans queue.c's. docs/api.md is the
 * contract. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "checklist/checklist.h"
#include "core/core.h"
#include "ingest/ingest.h"
#include "serve/serve_int.h"

/* ---- answers ---------------------------------------------------------- */

/* What every answer carries: the API's data must not be framed, sniffed
 * or cached by a proxy between a provider and the server. */
static void
common_headers(SoupServerMessage *msg)
{
	SoupMessageHeaders *h = soup_server_message_get_response_headers(msg);

	soup_message_headers_replace(h, "X-Content-Type-Options", "nosniff");
	soup_message_headers_replace(h, "X-Frame-Options", "DENY");
	soup_message_headers_replace(h, "Cache-Control", "no-store");
	soup_message_headers_replace(h, "Referrer-Policy", "no-referrer");
}

static void
reply_bytes(SoupServerMessage *msg, guint status, const char *type, char *data,
	    gsize len)
{
	common_headers(msg);
	soup_server_message_set_status(msg, status, NULL);
	soup_server_message_set_response(msg, type, SOUP_MEMORY_TAKE, data,
					 len);
}

void
serve_reply_json(SoupServerMessage *msg, guint status, JsonNode *root)
{
	gsize len = 0;
	char *text = json_to_string(root, FALSE);

	len = strlen(text);
	json_node_unref(root);
	reply_bytes(msg, status, "application/json; charset=utf-8", text, len);
}

void
serve_reply_error(SoupServerMessage *msg, guint status, const char *code,
		  const char *format, ...)
{
	JsonBuilder *b = json_builder_new();
	va_list ap;
	char *text;

	va_start(ap, format);
	text = g_strdup_vprintf(format, ap);
	va_end(ap);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "error");
	json_builder_add_string_value(b, code);
	json_builder_set_member_name(b, "message");
	json_builder_add_string_value(b, text);
	json_builder_end_object(b);
	serve_reply_json(msg, status, json_builder_get_root(b));
	g_object_unref(b);
	g_free(text);
}

const char *
serve_request_scope(Server *s, SoupServerMessage *msg)
{
	SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
	const char *auth = soup_message_headers_get_one(h, "Authorization");
	const char *scope = NULL;

	if (s->tokens == NULL)
		return "";
	if (auth != NULL && g_ascii_strncasecmp(auth, "Bearer ", 7) == 0)
		scope = serve_tokens_scope(s->tokens, auth + 7);
	if (scope == NULL) {
		soup_message_headers_replace(
		    soup_server_message_get_response_headers(msg),
		    "WWW-Authenticate", "Bearer realm=\"evidcheck\"");
		serve_reply_error(msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
				  "this server needs 'Authorization: Bearer "
				  "TOKEN' with a token it was given");
	}
	return scope;
}

/* ---- reads ------------------------------------------------------------ */

static void
add_int(JsonBuilder *b, const char *name, gint64 value)
{
	json_builder_set_member_name(b, name);
	json_builder_add_int_value(b, value);
}

static void
get_health(Server *s, SoupServerMessage *msg)
{
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "status");
	json_builder_add_string_value(b, "ok");
	json_builder_set_member_name(b, "queued");
	json_builder_add_int_value(b, s->queued);
	json_builder_set_member_name(b, "running");
	json_builder_add_int_value(b, g_hash_table_size(s->running));
	json_builder_set_member_name(b, "policy");
	json_builder_add_string_value(
	    b, checklist_policy_edition(scan_context_policy(s->ctx)));
	/* So a page can refuse what would be refused before sending it. */
	add_int(b, "max_upload_mb", s->max_upload >> 20);
	add_int(b, "max_files", s->max_files);
	add_int(b, "max_file_mb", INGEST_MAX_FILE_BYTES >> 20);
	json_builder_end_object(b);
	serve_reply_json(msg, SOUP_STATUS_OK, json_builder_get_root(b));
	g_object_unref(b);
}

static void
add_scenes(JsonBuilder *b, const ChecklistPolicy *p, const char *dir)
{
	const GPtrArray *scenes = checklist_direction_scenes(p, dir);

	json_builder_set_member_name(b, "scenes");
	json_builder_begin_array(b);
	for (guint i = 0; i < scenes->len; i++) {
		const char *id = g_ptr_array_index(scenes, i);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "id");
		json_builder_add_string_value(b, id);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(
		    b, checklist_direction_scene_name(p, dir, id));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
}

/* The directions of the loaded rules, so the page offers what the
 * scan will check against. */
static void
get_directions(Server *s, SoupServerMessage *msg)
{
	const ChecklistPolicy *p = scan_context_policy(s->ctx);
	const char *const *ids = checklist_policy_directions(p);
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "policy");
	json_builder_add_string_value(b, checklist_policy_edition(p));
	json_builder_set_member_name(b, "directions");
	json_builder_begin_array(b);
	for (int i = 0; ids[i] != NULL; i++) {
		int agency = checklist_direction_agency(p, ids[i]);

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "id");
		json_builder_add_string_value(b, ids[i]);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(
		    b, checklist_direction_name(p, ids[i]));
		json_builder_set_member_name(b, "agency_allowed");
		json_builder_add_boolean_value(b, agency != 0);
		add_scenes(b, p, ids[i]);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
	serve_reply_json(msg, SOUP_STATUS_OK, json_builder_get_root(b));
	g_object_unref(b);
}

static void
add_time(JsonBuilder *b, const char *name, gint64 unix_seconds)
{
	GDateTime *t;
	char *text;

	if (unix_seconds <= 0)
		return;
	t = g_date_time_new_from_unix_utc(unix_seconds);
	text = g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ");
	json_builder_set_member_name(b, name);
	json_builder_add_string_value(b, text);
	g_free(text);
	g_date_time_unref(t);
}

/* The JSON file PATH, or NULL (said at debug level: a job's outputs are
 * the scan child's, which may have died writing them). */
static JsonNode *
read_json(const char *path)
{
	JsonParser *parser = json_parser_new();
	GError *error = NULL;
	JsonNode *root = NULL;

	if (json_parser_load_from_mapped_file(parser, path, &error))
		root = json_parser_steal_root(parser);
	else
		g_debug("%s: %s", path, error->message);
	g_clear_error(&error);
	g_object_unref(parser);
	return root;
}

static void
add_page_images(Server *s, JsonBuilder *b, const char *id)
{
	char *path =
	    g_build_filename(s->jobs_dir, id, "pages", "index.json", NULL);
	JsonNode *root = read_json(path);
	JsonArray *list = root != NULL && JSON_NODE_HOLDS_ARRAY(root)
			      ? json_node_get_array(root)
			      : NULL;

	json_builder_set_member_name(b, "page_images");
	json_builder_begin_array(b);
	for (guint i = 0; list != NULL && i < json_array_get_length(list);
	     i++) {
		JsonObject *o = json_array_get_object_element(list, i);
		char *url;

		if (o == NULL)
			continue;
		url = g_strdup_printf(
		    "/v1/claims/%s/pages/%s", id,
		    json_object_get_string_member_with_default(o, "file", ""));
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "ref");
		json_builder_add_string_value(
		    b,
		    json_object_get_string_member_with_default(o, "ref", ""));
		json_builder_set_member_name(b, "url");
		json_builder_add_string_value(b, url);
		add_int(b, "width",
			json_object_get_int_member_with_default(o, "width", 0));
		add_int(
		    b, "height",
		    json_object_get_int_member_with_default(o, "height", 0));
		json_builder_end_object(b);
		g_free(url);
	}
	json_builder_end_array(b);
	if (root != NULL)
		json_node_unref(root);
	g_free(path);
}

static void
add_done(Server *s, JsonBuilder *b, const StoreJob *job)
{
	char *path =
	    g_build_filename(s->jobs_dir, job->id, "report.json", NULL);
	JsonNode *report = read_json(path);
	char *url = g_strdup_printf("/v1/claims/%s/report.html", job->id);

	json_builder_set_member_name(b, "verdict");
	json_builder_add_string_value(b, job->verdict);
	json_builder_set_member_name(b, "report");
	if (report != NULL)
		json_builder_add_value(b, report);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "report_html_url");
	json_builder_add_string_value(b, url);
	add_page_images(s, b, job->id);
	g_free(url);
	g_free(path);
}

static void
add_progress(JsonBuilder *b, const StoreJob *job, const ServeRun *run)
{
	add_int(b, "files",
		run != NULL && run->files > 0 ? run->files : job->files);
	add_int(b, "files_done",
		run != NULL ? run->files_done : job->files_done);
	add_int(b, "pages_done",
		run != NULL ? run->pages_done : job->pages_done);
	add_int(b, "pages_total", run != NULL ? run->pages : job->pages_total);
}

static JsonNode *
job_json(Server *s, const StoreJob *job)
{
	JsonBuilder *b = json_builder_new();
	JsonNode *root;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "id");
	json_builder_add_string_value(b, job->id);
	json_builder_set_member_name(b, "status");
	json_builder_add_string_value(b, job->status);
	add_time(b, "created_at", job->created_at);
	add_time(b, "started_at", job->started_at);
	add_time(b, "finished_at", job->finished_at);
	add_progress(b, job, serve_queue_running(s, job->id));
	if (strcmp(job->status, "done") == 0)
		add_done(s, b, job);
	if (job->reason != NULL) {
		json_builder_set_member_name(b, "reason");
		json_builder_add_string_value(b, job->reason);
		json_builder_set_member_name(b, "reason_code");
		json_builder_add_string_value(b, job->reason_code);
	}
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	g_object_unref(b);
	return root;
}

static gboolean
id_ok(const char *id, gsize len)
{
	if (len != 32)
		return FALSE;
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isxdigit(id[i]) || g_ascii_isupper(id[i]))
			return FALSE;
	return TRUE;
}

/* Job ID as SCOPE may see it, or NULL having answered 404 (another
 * scope's job is as unknown as no job) or 500. */
static StoreJob *
job_for(Server *s, SoupServerMessage *msg, const char *id, const char *scope)
{
	GError *error = NULL;
	StoreJob *job = store_job_get(s->store, id, &error);

	if (error != NULL) {
		serve_reply_error(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
				  "store", "%s", error->message);
		g_error_free(error);
		return NULL;
	}
	if (job != NULL && s->tokens != NULL && strcmp(scope, "*") != 0 &&
	    strcmp(job->scope, scope) != 0)
		g_clear_pointer(&job, store_job_free);
	if (job == NULL)
		serve_reply_error(msg, SOUP_STATUS_NOT_FOUND, "not_found",
				  "no claim %s", id);
	return job;
}

static void
send_file(SoupServerMessage *msg, const char *path, const char *type)
{
	char *data = NULL;
	gsize len = 0;
	GError *error = NULL;

	if (!g_file_get_contents(path, &data, &len, &error)) {
		serve_reply_error(msg, SOUP_STATUS_NOT_FOUND, "not_found", "%s",
				  error->message);
		g_error_free(error);
		return;
	}
	reply_bytes(msg, SOUP_STATUS_OK, type, data, len);
}

static void
get_report_html(Server *s, SoupServerMessage *msg, const StoreJob *job)
{
	char *path;

	if (strcmp(job->status, "done") != 0) {
		serve_reply_error(msg, SOUP_STATUS_CONFLICT, "not_done",
				  "claim %s is %s: its report comes when it is "
				  "done",
				  job->id, job->status);
		return;
	}
	path = g_build_filename(s->jobs_dir, job->id, "report.html", NULL);
	send_file(msg, path, "text/html; charset=utf-8");
	/* The report holds the claim's names and OCR text: no script of
	 * anyone's may run in it. */
	soup_message_headers_replace(
	    soup_server_message_get_response_headers(msg),
	    "Content-Security-Policy",
	    "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
	g_free(path);
}

static void
get_page_image(Server *s, SoupServerMessage *msg, const StoreJob *job,
	       const char *name)
{
	char *path;
	gsize digits = strspn(name, "0123456789");

	if (digits == 0 || digits > 6 || strcmp(name + digits, ".jpg") != 0 ||
	    strcmp(job->status, "done") != 0) {
		serve_reply_error(msg, SOUP_STATUS_NOT_FOUND, "not_found",
				  "claim %s has no page image %s", job->id,
				  name);
		return;
	}
	path = g_build_filename(s->jobs_dir, job->id, "pages", name, NULL);
	send_file(msg, path, "image/jpeg");
	g_free(path);
}

/* /v1/claims/ID[/report.html | /pages/N.jpg] */
static void
route_claim(Server *s, SoupServerMessage *msg, const char *rest,
	    const char *scope)
{
	const char *slash = strchr(rest, '/');
	gsize len = slash != NULL ? (gsize)(slash - rest) : strlen(rest);
	char *id = g_strndup(rest, len);
	StoreJob *job = NULL;

	if (!id_ok(id, len)) {
		serve_reply_error(msg, SOUP_STATUS_NOT_FOUND, "not_found",
				  "no such claim");
		goto out;
	}
	job = job_for(s, msg, id, scope);
	if (job == NULL)
		goto out;
	if (slash == NULL)
		serve_reply_json(msg, SOUP_STATUS_OK, job_json(s, job));
	else if (strcmp(slash, "/report.html") == 0)
		get_report_html(s, msg, job);
	else if (g_str_has_prefix(slash, "/pages/"))
		get_page_image(s, msg, job, slash + strlen("/pages/"));
	else
		serve_reply_error(msg, SOUP_STATUS_NOT_FOUND, "not_found",
				  "no such resource of a claim");
out:
	store_job_free(job);
	g_free(id);
}

static gboolean
method_is(SoupServerMessage *msg, const char *method)
{
	return strcmp(soup_server_message_get_method(msg), method) == 0;
}

static void
route_api(Server *s, SoupServerMessage *msg, const char *path)
{
	const char *scope = serve_request_scope(s, msg);
	gboolean post = strcmp(path, "/v1/claims") == 0;

	if (scope == NULL)
		return;
	if (post ? !method_is(msg, "POST") : !method_is(msg, "GET")) {
		soup_message_headers_replace(
		    soup_server_message_get_response_headers(msg), "Allow",
		    post ? "POST" : "GET");
		serve_reply_error(msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
				  "method_not_allowed", "%s takes %s", path,
				  post ? "POST" : "GET");
	} else if (post)
		serve_claims_post(s, msg, scope);
	else if (strcmp(path, "/v1/health") == 0)
		get_health(s, msg);
	else if (strcmp(path, "/v1/directions") == 0)
		get_directions(s, msg);
	else if (g_str_has_prefix(path, "/v1/claims/"))
		route_claim(s, msg, path + strlen("/v1/claims/"), scope);
	else
		serve_reply_error(msg, SOUP_STATUS_NOT_FOUND, "not_found",
				  "no such endpoint: %s (docs/api.md)", path);
}

static void
handle(SoupServer *soup, SoupServerMessage *msg, const char *path,
       GHashTable *query, gpointer data)
{
	Server *s = data;

	(void)soup;
	(void)query;
	if (g_str_has_prefix(path, "/v1/"))
		route_api(s, msg, path);
	else if (!method_is(msg, "GET") && !method_is(msg, "HEAD"))
		serve_reply_error(msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
				  "method_not_allowed", "%s takes GET", path);
	else
		serve_page_get(msg, path);
}

/* A client that sends half a request and then nothing would hold its
 * connection (and a file descriptor) for ever: after this long without a
 * byte either way the socket's sources fire with a timeout and libsoup
 * drops it. */
#define SERVE_IDLE_SECONDS 60

static void
on_request_started(SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
	GSocket *sock = soup_server_message_get_socket(msg);

	(void)soup;
	(void)data;
	if (sock != NULL)
		g_socket_set_timeout(sock, SERVE_IDLE_SECONDS);
}

static void
handle_early(SoupServer *soup, SoupServerMessage *msg, const char *path,
	     GHashTable *query, gpointer data)
{
	Server *s = data;

	(void)soup;
	(void)query;
	if (strcmp(path, "/v1/claims") == 0 && method_is(msg, "POST"))
		serve_claims_early(s, msg);
}

/* ---- start and stop --------------------------------------------------- */

static gboolean
parse_listen(Server *s, const char *listen, GError **error)
{
	const char *colon = strrchr(listen, ':');
	char *end = NULL;
	gint64 port = colon != NULL ? g_ascii_strtoll(colon + 1, &end, 10) : -1;

	if (colon == NULL || colon == listen || end == colon + 1 ||
	    *end != '\0' || port < 0 || port > 65535) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "--listen takes HOST:PORT, not '%s'", listen);
		return FALSE;
	}
	s->listen_host = g_strndup(listen, (gsize)(colon - listen));
	if (s->listen_host[0] == '[' &&
	    s->listen_host[strlen(s->listen_host) - 1] == ']') {
		char *bare =
		    g_strndup(s->listen_host + 1, strlen(s->listen_host) - 2);

		g_free(s->listen_host);
		s->listen_host = bare;
	}
	s->listen_port = (int)port;
	return TRUE;
}

static gboolean
start_listening(Server *s, GError **error)
{
	GInetAddress *ip = g_inet_address_new_from_string(s->listen_host);
	GSocketAddress *addr;
	gboolean ok;
	GSList *uris;
	char *uri;

	if (ip == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "--listen: '%s' is not an IP address",
			    s->listen_host);
		return FALSE;
	}
	if (!g_inet_address_get_is_loopback(ip) && s->tokens == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "--listen %s is reachable from other machines: "
			    "give --token-file so that only holders of a "
			    "token can upload and read claims",
			    s->listen_host);
		g_object_unref(ip);
		return FALSE;
	}
	addr = g_inet_socket_address_new(ip, (guint16)s->listen_port);
	ok = soup_server_listen(s->soup, addr, 0, error);
	g_object_unref(addr);
	g_object_unref(ip);
	if (!ok)
		return FALSE;
	uris = soup_server_get_uris(s->soup);
	uri = uris != NULL ? g_uri_to_string(uris->data) : g_strdup("?");
	/* Tests and scripts read this line for the port 0 picked. */
	fprintf(stderr, "evidcheck serve: listening on %s\n", uri);
	fflush(stderr);
	g_free(uri);
	g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
	return TRUE;
}

static gboolean
on_sweep(gpointer data)
{
	serve_claims_expire(data);
	return G_SOURCE_CONTINUE;
}

static gboolean
on_signal(gpointer data)
{
	Server *s = data;

	fprintf(stderr, "evidcheck serve: stopping; running claims are "
			"queued again for the next start\n");
	s->stopping = TRUE;
	g_main_loop_quit(s->loop);
	return G_SOURCE_CONTINUE;
}

static int
option_or(int value, int fallback)
{
	return value > 0 ? value : fallback;
}

static gboolean
prepare_dirs(Server *s, GError **error)
{
	const ServeOptions *o = s->options;

	s->data_dir = o->data_dir != NULL
			  ? g_strdup(o->data_dir)
			  : g_build_filename(g_get_user_data_dir(), "evidcheck",
					     "serve", NULL);
	s->claims_dir = g_build_filename(s->data_dir, "claims", NULL);
	s->jobs_dir = g_build_filename(s->data_dir, "jobs", NULL);
	if (g_mkdir_with_parents(s->claims_dir, 0700) != 0 ||
	    g_mkdir_with_parents(s->jobs_dir, 0700) != 0) {
		int saved = errno;

		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
			    "--data %s: %s", s->data_dir, g_strerror(saved));
		return FALSE;
	}
	return TRUE;
}

static gboolean
server_open(Server *s, GError **error)
{
	const ServeOptions *o = s->options;
	ScanOptions so = {.rules_dir = o->rules_dir, .policy = o->policy};
	int cores = (int)g_get_num_processors();

	s->jobs = option_or(o->jobs, SERVE_DEFAULT_JOBS);
	s->scan_jobs = MAX(1, cores / s->jobs);
	s->job_deadline =
	    option_or(o->job_deadline, SERVE_JOB_DEADLINE_SECONDS);
	s->max_upload = (gint64)option_or(o->max_upload_mb, SERVE_MAX_UPLOAD_MB)
			<< 20;
	s->max_files = option_or(o->max_files, SERVE_MAX_FILES);
	s->queue_max = option_or(o->queue, SERVE_QUEUE);
	s->keep_days =
	    o->keep_days < 0 ? 0 : option_or(o->keep_days, SERVE_KEEP_DAYS);
	s->running = g_hash_table_new(g_str_hash, g_str_equal);
	if (!parse_listen(
		s, o->listen != NULL ? o->listen : SERVE_DEFAULT_LISTEN, error))
		return FALSE;
	if (o->token_file != NULL &&
	    (s->tokens = serve_tokens_load(o->token_file, error)) == NULL)
		return FALSE;
	s->ctx = scan_context_new(&so, error);
	if (s->ctx == NULL || !prepare_dirs(s, error))
		return FALSE;
	s->db_path = o->db != NULL ? g_strdup(o->db) : store_default_path();
	s->store = store_open(s->db_path, error);
	if (s->store == NULL)
		return FALSE;
	s->soup = soup_server_new("server-header", "evidcheck", NULL);
	g_signal_connect(s->soup, "request-started",
			 G_CALLBACK(on_request_started), NULL);
	soup_server_add_early_handler(s->soup, NULL, handle_early, s, NULL);
	soup_server_add_handler(s->soup, NULL, handle, s, NULL);
	return serve_queue_start(s, error) && start_listening(s, error);
}

static void
server_close(Server *s)
{
	if (s->soup != NULL) {
		soup_server_disconnect(s->soup);
		g_object_unref(s->soup);
	}
	if (s->running != NULL) {
		serve_queue_stop(s);
		g_hash_table_unref(s->running);
	}
	store_close(s->store);
	scan_context_free(s->ctx);
	serve_tokens_free(s->tokens);
	if (s->loop != NULL)
		g_main_loop_unref(s->loop);
	g_free(s->listen_host);
	g_free(s->data_dir);
	g_free(s->claims_dir);
	g_free(s->jobs_dir);
	g_free(s->db_path);
}

gboolean
serve_run(const ServeOptions *options, GError **error)
{
	Server s = {.options = options};
	gboolean ok;
	guint sigint, sigterm, sweep;

	/* A client that goes away mid-answer is not a reason to stop. */
	signal(SIGPIPE, SIG_IGN);
	s.loop = g_main_loop_new(NULL, FALSE);
	ok = server_open(&s, error);
	if (ok) {
		sigint = g_unix_signal_add(SIGINT, on_signal, &s);
		sigterm = g_unix_signal_add(SIGTERM, on_signal, &s);
		serve_claims_expire(&s);
		sweep = g_timeout_add_seconds(3600, on_sweep, &s);
		serve_queue_kick(&s);
		g_main_loop_run(s.loop);
		g_source_remove(sigint);
		g_source_remove(sigterm);
		g_source_remove(sweep);
	}
	server_close(&s);
	return ok;
}
