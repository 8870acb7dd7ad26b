/* accept.c - POST /v1/claims: an upload becomes a job. Limits are checked
 * on the headers before the body is read; every part's name is checked
 * before anything is written; the files go to a hidden folder renamed
 * into place, then the job is recorded; only then is 202 sent, so an
 * accepted claim survives any crash. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/core.h"
#include "ingest/ingest.h"
#include "serve/serve_int.h"

/* libsoup 3.2 names no 429 (RFC 6585). */
#define SERVE_STATUS_TOO_MANY_REQUESTS 429

/* A part of the upload, checked. */
typedef struct {
	char *path; /* in the claim folder */
	GBytes *data;
} Upload;

typedef struct {
	GPtrArray *files; /* Upload* */
	GBytes *claim;	  /* the claim part, or NULL */
	gint64 bytes;
	guint status; /* the refusal, or 0 */
	const char *code;
	char *message;
} Parts;

static void
upload_free(gpointer p)
{
	Upload *u = p;

	g_free(u->path);
	g_bytes_unref(u->data);
	g_free(u);
}

char *
serve_job_id_new(void)
{
	guint8 raw[16];
	GString *id = g_string_sized_new(32);
	gsize got = 0;

	while (got < sizeof raw) {
		ssize_t n = getrandom(raw + got, sizeof raw - got, 0);

		if (n < 0 && errno != EINTR)
			g_error("no random source for job ids: %s",
				g_strerror(errno));
		got += n > 0 ? (gsize)n : 0;
	}
	for (gsize i = 0; i < sizeof raw; i++)
		g_string_append_printf(id, "%02x", raw[i]);
	return g_string_free(id, FALSE);
}

/* ---- before the body -------------------------------------------------- */

static void
refuse_early(SoupServerMessage *msg, guint status, const char *code,
	     const char *message)
{
	/* The body is not read: the connection cannot carry another
	 * request after it. */
	soup_message_headers_replace(
	    soup_server_message_get_response_headers(msg), "Connection",
	    "close");
	serve_reply_error(msg, status, code, "%s", message);
}

/* An upload's body, written to an unlinked file as it arrives: the
 * server's memory does not grow with the uploads it is receiving, and
 * the parts are read back through a mapping. */
typedef struct {
	int fd;
	int error; /* errno of a failed write, or 0 */
} Body;

#define BODY_KEY "evidcheck-body"

static void
body_free(gpointer data)
{
	Body *b = data;

	close(b->fd);
	g_free(b);
}

static void
on_chunk(SoupServerMessage *msg, GBytes *chunk, gpointer data)
{
	Body *b = data;
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(chunk, &len);

	(void)msg;
	while (len > 0 && b->error == 0) {
		ssize_t n = write(b->fd, p, len);

		if (n < 0 && errno != EINTR)
			b->error = errno;
		if (n > 0) {
			p += n;
			len -= (gsize)n;
		}
	}
}

/* Spool MSG's body to disk instead of memory. Should no file be made,
 * libsoup keeps the body in memory, as it does by default. */
static void
spool_body(Server *s, SoupServerMessage *msg)
{
	char *path = g_build_filename(s->claims_dir, ".body-XXXXXX", NULL);
	int fd = g_mkstemp_full(path, O_RDWR | O_CLOEXEC, 0600);
	Body *b;

	if (fd < 0) {
		g_warning("%s: %s; this upload is held in memory", path,
			  g_strerror(errno));
		g_free(path);
		return;
	}
	g_unlink(path);
	g_free(path);
	b = g_new0(Body, 1);
	b->fd = fd;
	g_object_set_data_full(G_OBJECT(msg), BODY_KEY, b, body_free);
	soup_message_body_set_accumulate(
	    soup_server_message_get_request_body(msg), FALSE);
	g_signal_connect(msg, "got-chunk", G_CALLBACK(on_chunk), b);
}

void
serve_claims_early(Server *s, SoupServerMessage *msg)
{
	SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
	const char *type = soup_message_headers_get_content_type(h, NULL);
	char *text = NULL;

	if (serve_request_scope(s, msg) == NULL) {
		soup_message_headers_replace(
		    soup_server_message_get_response_headers(msg), "Connection",
		    "close");
		return;
	}
	if (s->queued >= s->queue_max) {
		soup_message_headers_replace(
		    soup_server_message_get_response_headers(msg),
		    "Retry-After", "30");
		text = g_strdup_printf("%d claims are waiting already; try "
				       "again in 30 seconds",
				       s->queued);
		refuse_early(msg, SERVE_STATUS_TOO_MANY_REQUESTS, "queue_full",
			     text);
	} else if (soup_message_headers_get_encoding(h) !=
		   SOUP_ENCODING_CONTENT_LENGTH) {
		refuse_early(msg, SOUP_STATUS_LENGTH_REQUIRED,
			     "length_required",
			     "an upload needs a Content-Length header");
	} else if (soup_message_headers_get_content_length(h) >
		   (goffset)s->max_upload) {
		text = g_strdup_printf(
		    "the upload is %" G_GINT64_FORMAT
		    " bytes; this server takes at most "
		    "%" G_GINT64_FORMAT " MB a claim",
		    (gint64)soup_message_headers_get_content_length(h),
		    s->max_upload >> 20);
		refuse_early(msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
			     "too_large", text);
	} else if (type == NULL ||
		   g_ascii_strcasecmp(type, "multipart/form-data") != 0) {
		refuse_early(msg, SOUP_STATUS_BAD_REQUEST, "bad_multipart",
			     "an upload is multipart/form-data, with a part "
			     "'files' per file");
	} else {
		spool_body(s, msg);
	}
	g_free(text);
}

/* ---- the parts -------------------------------------------------------- */

static gboolean refuse(Parts *p, guint status, const char *code,
		       const char *format, ...) G_GNUC_PRINTF(4, 5);

static gboolean
refuse(Parts *p, guint status, const char *code, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	p->status = status;
	p->code = code;
	p->message = g_strdup_vprintf(format, ap);
	va_end(ap);
	return FALSE;
}

static gboolean
take_claim(Parts *p, GBytes *body)
{
	JsonParser *parser = json_parser_new();
	gsize len = g_bytes_get_size(body);
	gboolean ok =
	    len <= SERVE_MAX_CLAIM_BYTES &&
	    json_parser_load_from_data(parser, g_bytes_get_data(body, NULL),
				       (gssize)len, NULL) &&
	    JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser));

	g_object_unref(parser);
	if (!ok)
		return refuse(p, SOUP_STATUS_BAD_REQUEST, "bad_claim",
			      "the 'claim' part must be claim.json: a JSON "
			      "object of at most %d KiB (CONTRACT.md §1)",
			      SERVE_MAX_CLAIM_BYTES / 1024);
	p->claim = g_bytes_ref(body);
	return TRUE;
}

static gboolean
same_path(Parts *p, const char *path)
{
	for (guint i = 0; i < p->files->len; i++) {
		const Upload *u = g_ptr_array_index(p->files, i);

		if (strcmp(u->path, path) == 0)
			return TRUE;
	}
	return FALSE;
}

static gboolean
take_file(Server *s, Parts *p, const char *filename, GBytes *body)
{
	GError *error = NULL;
	char *path;
	Upload *u;

	if (filename == NULL)
		return refuse(p, SOUP_STATUS_BAD_REQUEST, "bad_multipart",
			      "a 'files' part has no filename: it must be "
			      "the file's path in the claim folder");
	path = serve_upload_path(filename, &error);
	if (path == NULL) {
		refuse(p, SOUP_STATUS_BAD_REQUEST, "unsafe_path",
		       "file name refused: %s", error->message);
		g_error_free(error);
		return FALSE;
	}
	if (same_path(p, path)) {
		refuse(p, SOUP_STATUS_BAD_REQUEST, "bad_multipart",
		       "two files are named %s", path);
		g_free(path);
		return FALSE;
	}
	if ((int)p->files->len >= s->max_files) {
		g_free(path);
		return refuse(
		    p, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_many_files",
		    "this server takes at most %d files a claim", s->max_files);
	}
	if (g_bytes_get_size(body) > INGEST_MAX_FILE_BYTES) {
		refuse(p, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
		       "%s is over the %d MiB a file evidcheck reads", path,
		       (int)(INGEST_MAX_FILE_BYTES >> 20));
		g_free(path);
		return FALSE;
	}
	u = g_new0(Upload, 1);
	u->path = path;
	u->data = g_bytes_ref(body);
	p->bytes += (gint64)g_bytes_get_size(body);
	g_ptr_array_add(p->files, u);
	return TRUE;
}

/* The part's Content-Disposition parameters, parsed here rather than by
 * soup_message_headers_get_content_disposition, which keeps only the
 * last component of a filename: the sub-folders are the claim's. NULL
 * when it is not "form-data; name=…". Caller owns. */
static GHashTable *
part_params(SoupMessageHeaders *h)
{
	const char *value =
	    soup_message_headers_get_one(h, "Content-Disposition");
	const char *semi = value != NULL ? strchr(value, ';') : NULL;
	char *kind;
	GHashTable *params;

	if (semi == NULL)
		return NULL;
	kind = g_strstrip(g_strndup(value, (gsize)(semi - value)));
	params = g_ascii_strcasecmp(kind, "form-data") == 0
		     ? soup_header_parse_semi_param_list(semi + 1)
		     : NULL;
	g_free(kind);
	if (params != NULL && g_hash_table_lookup(params, "name") == NULL)
		g_clear_pointer(&params, soup_header_free_param_list);
	return params;
}

static gboolean
take_part(Server *s, Parts *p, SoupMultipart *mp, int i)
{
	SoupMessageHeaders *h = NULL;
	GBytes *body = NULL;
	GHashTable *params = NULL;
	const char *name = NULL;
	gboolean ok;

	if (soup_multipart_get_part(mp, i, &h, &body))
		params = part_params(h);
	if (params != NULL)
		name = g_hash_table_lookup(params, "name");
	if (name == NULL) {
		ok = refuse(p, SOUP_STATUS_BAD_REQUEST, "bad_multipart",
			    "part %d is not a form-data part with a name",
			    i + 1);
	} else if (strcmp(name, "files") == 0) {
		ok = take_file(s, p, g_hash_table_lookup(params, "filename"),
			       body);
	} else if (strcmp(name, "claim") == 0 && p->claim == NULL) {
		ok = take_claim(p, body);
	} else {
		ok = refuse(p, SOUP_STATUS_BAD_REQUEST, "bad_multipart",
			    "unexpected part '%s': an upload has parts "
			    "'files' and at most one 'claim'",
			    name);
	}
	if (params != NULL)
		soup_header_free_param_list(params);
	return ok;
}

/* MSG's body: mapped from its spool file, or as libsoup kept it; NULL
 * with P's refusal set when it could not be kept. */
static GBytes *
body_bytes(Parts *p, SoupServerMessage *msg)
{
	Body *b = g_object_get_data(G_OBJECT(msg), BODY_KEY);
	GMappedFile *map;
	GBytes *bytes;
	GError *error = NULL;
	int code;

	if (b == NULL)
		return soup_message_body_flatten(
		    soup_server_message_get_request_body(msg));
	map = b->error == 0 ? g_mapped_file_new_from_fd(b->fd, FALSE, &error)
			    : NULL;
	if (map != NULL) {
		bytes = g_mapped_file_get_bytes(map);
		g_mapped_file_unref(map);
		return bytes;
	}
	code = b->error != 0 ? b->error : ENOMEM;
	refuse(p,
	       code == ENOSPC ? SOUP_STATUS_INSUFFICIENT_STORAGE
			      : SOUP_STATUS_INTERNAL_SERVER_ERROR,
	       code == ENOSPC ? "no_space" : "store",
	       "the upload could not be kept: %s",
	       error != NULL ? error->message : g_strerror(code));
	g_clear_error(&error);
	return NULL;
}

static gboolean
read_parts(Server *s, Parts *p, SoupServerMessage *msg)
{
	GBytes *body = body_bytes(p, msg);
	SoupMultipart *mp =
	    body != NULL
		? soup_multipart_new_from_message(
		      soup_server_message_get_request_headers(msg), body)
		: NULL;
	gboolean ok = mp != NULL;

	if (!ok && body != NULL)
		refuse(p, SOUP_STATUS_BAD_REQUEST, "bad_multipart",
		       "the body is not multipart/form-data, or it is cut "
		       "short (no closing boundary)");
	for (int i = 0; ok && i < soup_multipart_get_length(mp); i++)
		ok = take_part(s, p, mp, i);
	if (ok && p->files->len == 0)
		ok = refuse(p, SOUP_STATUS_BAD_REQUEST, "bad_multipart",
			    "no file: add a part 'files' per file");
	if (mp != NULL)
		soup_multipart_free(mp);
	if (body != NULL)
		g_bytes_unref(body);
	return ok;
}

/* ---- writing ---------------------------------------------------------- */

void
serve_remove_tree(const char *path)
{
	GDir *dir;
	const char *name;
	GStatBuf st;

	if (g_lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode) && (dir = g_dir_open(path, 0, NULL)) != NULL) {
		while ((name = g_dir_read_name(dir)) != NULL) {
			char *child = g_build_filename(path, name, NULL);

			serve_remove_tree(child);
			g_free(child);
		}
		g_dir_close(dir);
	}
	if (g_remove(path) != 0)
		g_warning("cannot remove %s: %s", path, g_strerror(errno));
}

static gboolean
write_one(const char *root, const char *path, GBytes *data, GError **error)
{
	char *full = g_build_filename(root, path, NULL);
	char *dir = g_path_get_dirname(full);
	gboolean ok = g_mkdir_with_parents(dir, 0700) == 0;

	if (!ok)
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "%s: %s", path, g_strerror(errno));
	else
		ok = g_file_set_contents_full(
		    full, g_bytes_get_data(data, NULL),
		    (gssize)g_bytes_get_size(data), G_FILE_SET_CONTENTS_NONE,
		    0600, error);
	g_free(dir);
	g_free(full);
	return ok;
}

static gboolean
write_claim(Parts *p, const char *tmp, GError **error)
{
	gboolean ok = TRUE;

	for (guint i = 0; ok && i < p->files->len; i++) {
		const Upload *u = g_ptr_array_index(p->files, i);

		/* The claim part wins over a claim.json among the files. */
		if (p->claim != NULL && strcmp(u->path, "claim.json") == 0)
			continue;
		ok = write_one(tmp, u->path, u->data, error);
	}
	if (ok && p->claim != NULL)
		ok = write_one(tmp, "claim.json", p->claim, error);
	return ok;
}

/* The folder of the new job ID, or the refusal set in P. */
static gboolean
store_upload(Server *s, Parts *p, const char *id, const char *scope,
	     GError **error)
{
	char *name = g_strdup_printf(".%s.part", id);
	char *tmp = g_build_filename(s->claims_dir, name, NULL);
	char *dest = g_build_filename(s->claims_dir, id, NULL);
	StoreJob job = {.id = (char *)id,
			.scope = (char *)scope,
			.created_at = g_get_real_time() / G_USEC_PER_SEC,
			.files = (int)p->files->len,
			.bytes = p->bytes};
	gboolean ok = g_mkdir(tmp, 0700) == 0;

	if (!ok)
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "%s: %s", tmp, g_strerror(errno));
	ok = ok && write_claim(p, tmp, error);
	if (ok && g_rename(tmp, dest) != 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
			    "%s: %s", dest, g_strerror(errno));
		ok = FALSE;
	}
	ok = ok && store_job_add(s->store, &job, error);
	if (!ok) {
		serve_remove_tree(tmp);
		serve_remove_tree(dest);
	}
	g_free(dest);
	g_free(tmp);
	g_free(name);
	return ok;
}

static void
accepted(Server *s, SoupServerMessage *msg, const char *id)
{
	JsonBuilder *b = json_builder_new();
	char *url = g_strdup_printf("/v1/claims/%s", id);
	char *html = g_strdup_printf("%s/report.html", url);

	(void)s;
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "id");
	json_builder_add_string_value(b, id);
	json_builder_set_member_name(b, "status_url");
	json_builder_add_string_value(b, url);
	json_builder_set_member_name(b, "report_html_url");
	json_builder_add_string_value(b, html);
	json_builder_end_object(b);
	serve_reply_json(msg, SOUP_STATUS_ACCEPTED, json_builder_get_root(b));
	soup_message_headers_replace(
	    soup_server_message_get_response_headers(msg), "Location", url);
	g_object_unref(b);
	g_free(html);
	g_free(url);
}

/* A write that failed for want of room or of a folder the names need. */
static void
refuse_write(SoupServerMessage *msg, const GError *error)
{
	if (error->domain == G_FILE_ERROR &&
	    (error->code == G_FILE_ERROR_NOTDIR ||
	     error->code == G_FILE_ERROR_EXIST ||
	     error->code == G_FILE_ERROR_ISDIR))
		serve_reply_error(msg, SOUP_STATUS_BAD_REQUEST, "unsafe_path",
				  "a name is both a file and a folder: %s",
				  error->message);
	else if (error->domain == G_FILE_ERROR &&
		 error->code == G_FILE_ERROR_NOSPC)
		serve_reply_error(
		    msg, SOUP_STATUS_INSUFFICIENT_STORAGE, "no_space",
		    "the upload could not be written: %s", error->message);
	else
		serve_reply_error(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR,
				  "store", "the upload could not be kept: %s",
				  error->message);
}

void
serve_claims_post(Server *s, SoupServerMessage *msg, const char *scope)
{
	Parts p = {.files = g_ptr_array_new_with_free_func(upload_free)};
	char *id = NULL;
	GError *error = NULL;

	if (!read_parts(s, &p, msg)) {
		serve_reply_error(msg, p.status, p.code, "%s", p.message);
		goto out;
	}
	id = serve_job_id_new();
	if (!store_upload(s, &p, id, scope, &error)) {
		refuse_write(msg, error);
		goto out;
	}
	s->queued++;
	accepted(s, msg, id);
	serve_queue_kick(s);
out:
	g_clear_error(&error);
	g_free(id);
	g_free(p.message);
	if (p.claim != NULL)
		g_bytes_unref(p.claim);
	g_ptr_array_unref(p.files);
}

/* Remove what in DIR no job names: half-written uploads and spooled
 * bodies (a crash before they were renamed or unlinked), uploads written
 * but never recorded (no 202 was sent for them), and the files of jobs
 * expired by a sweep a crash cut short. */
static void
clean_dir(Server *s, const char *dir_path)
{
	GDir *dir = g_dir_open(dir_path, 0, NULL);
	const char *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		char *path = g_build_filename(dir_path, name, NULL);
		StoreJob *job = NULL;
		GError *error = NULL;
		gboolean part =
		    (name[0] == '.' && g_str_has_suffix(name, ".part")) ||
		    g_str_has_prefix(name, ".body-");

		if (!part && strlen(name) == 32)
			job = store_job_get(s->store, name, &error);
		if (part ||
		    (strlen(name) == 32 && job == NULL && error == NULL)) {
			g_message("removing %s: no job has it", path);
			serve_remove_tree(path);
		}
		g_clear_error(&error);
		store_job_free(job);
		g_free(path);
	}
	if (dir != NULL)
		g_dir_close(dir);
}

void
serve_claims_clean(Server *s)
{
	clean_dir(s, s->claims_dir);
	clean_dir(s, s->jobs_dir);
}

void
serve_claims_expire(Server *s)
{
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	GError *error = NULL;
	GPtrArray *ids;

	if (s->keep_days <= 0)
		return;
	ids = store_job_expire(s->store, now - (gint64)s->keep_days * 86400,
			       &error);
	if (ids == NULL) {
		g_warning("%s", error->message);
		g_error_free(error);
		return;
	}
	for (guint i = 0; i < ids->len; i++) {
		const char *id = g_ptr_array_index(ids, i);
		char *claim = g_build_filename(s->claims_dir, id, NULL);
		char *job = g_build_filename(s->jobs_dir, id, NULL);

		serve_remove_tree(claim);
		serve_remove_tree(job);
		g_free(job);
		g_free(claim);
	}
	if (ids->len > 0)
		g_message("%u claims older than %d days removed", ids->len,
			  s->keep_days);
	g_ptr_array_unref(ids);
}
