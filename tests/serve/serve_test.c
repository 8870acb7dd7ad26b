/* serve_test.c - `evidcheck serve` end to end on loopback (docs/api.md),
 * in four parts that ctest runs side by side, each with its own server:
 *   api      a generated claim uploaded as a browser uploads a folder,
 *            polled to done and its report compared with the recipe's
 *            expected.json; page images, the HTML report, directions,
 *            health; a claim with a damaged and a noise file; hostile
 *            uploads (unsafe names, broken multipart, bad claim.json,
 *            unknown ids) and half-sent requests that must not block
 *            anyone else;
 *   limits   --max-upload-mb (413, and chunked bodies refused),
 *            --max-files (413) and --queue (429; a queued job's report
 *            is 409);
 *   tokens   --token-file: 401 without a token, scopes kept apart;
 *   restart  kill -9 with jobs queued and running, then a restart: they
 *            end done with their files kept, and no process of the
 *            killed server is left; unfinished upload folders are
 *            swept; a job interrupted three times fails.
 * usage: serve_test MODE EVIDCHECK WORK CLAIM EXPECTED_JSON SLOW1 SLOW2
 * WORK is made afresh; CLAIM is the recipe's generated claim folder,
 * EXPECTED_JSON its expected.json; SLOW1 and SLOW2 are claims of
 * scanned pages (seconds of OCR each, none shared). */
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ingest/ingest.h"
#include "tests/check.h"
#include "tests/serve/serve_client.h"

/* Seconds: a server to say it listens, a job to end, a SIGTERM to be
 * obeyed (generous: the ASan build is several times slower). */
#define START_TIMEOUT 60
#define JOB_TIMEOUT   300
#define STOP_TIMEOUT  60

/* Upload folders a killed server may leave (serve/accept.c): one being
 * written (DATA/claims/.ID.part, renamed to ID when whole), one whole
 * but never recorded as a job (no 202 was sent for it). */
static const char *const UNFINISHED[] = {
    "claims/.0123456789abcdef0123456789abcdef.part",
    "claims/fedcba9876543210fedcba9876543210", NULL};

typedef struct {
	const char *evidcheck;
	const char *work;
	const char *claim;
	JsonObject *expected;
	const char *slow1;
	const char *slow2;
	char *data; /* WORK/data */
	char *db;   /* WORK/data/store.db */
	char *logs; /* WORK/logs */
	int starts; /* servers started, for the logs' names */
} Env;

/* ---- small helpers ------------------------------------------------------
 */

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
rm_rf(const char *path)
{
	if (g_file_test(path, G_FILE_TEST_EXISTS))
		nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static gint64
int_member(JsonObject *o, const char *key, gint64 fallback)
{
	JsonNode *n = o != NULL ? json_object_get_member(o, key) : NULL;

	return n != NULL && JSON_NODE_HOLDS_VALUE(n) &&
		       json_node_get_value_type(n) == G_TYPE_INT64
		   ? json_node_get_int(n)
		   : fallback;
}

/* Check R's status (and error code when CODE is set). */
static gboolean
expect_reply(const Reply *r, guint status, const char *code, const char *what)
{
	char *body;

	if (r->status == status &&
	    (code == NULL || strcmp(reply_error_code(r), code) == 0))
		return TRUE;
	body = reply_text(r);
	check_fail("%s: expected %u %s, got %u %s (%s)", what, status,
		   code != NULL ? code : "", r->status,
		   r->error != NULL ? r->error : "", body);
	g_free(body);
	return FALSE;
}

/* GET /v1/health answers 200 {"status": "ok"}: the server still serves. */
static void
expect_health(Client *c, const char *after)
{
	Reply *r = http_get(c, "/v1/health");
	char *what = g_strdup_printf("GET /v1/health after %s", after);

	if (expect_reply(r, 200, NULL, what) &&
	    g_strcmp0(check_str_member(reply_object(r), "status"), "ok") != 0)
		check_fail("%s: status is not \"ok\"", what);
	g_free(what);
	reply_free(r);
}

static Reply *
post_form(Client *c, Form *f, gboolean close)
{
	char *type = NULL;
	GBytes *body = form_finish(f, close, &type);
	Reply *r = http_post(c, "/v1/claims", type, body, FALSE);

	g_bytes_unref(body);
	g_free(type);
	return r;
}

/* Upload the claim folder DIR; *N_FILES: its files (claim.json aside). */
static Reply *
post_dir(Client *c, const char *dir, int *n_files)
{
	Form *f = form_new();
	GError *error = NULL;
	int n = form_add_claim_dir(f, dir, &error);

	if (n_files != NULL)
		*n_files = n;
	if (n < 0) {
		check_fail("cannot read %s: %s", dir, error->message);
		g_clear_error(&error);
	}
	return post_form(c, f, TRUE);
}

/* The path of URL (absolute or not) under the server's base. */
static const char *
url_path(const Client *c, const char *url)
{
	if (url != NULL && g_str_has_prefix(url, c->base))
		return url + strlen(c->base);
	return url;
}

/* R is a 202 with an id, a status_url, a report_html_url and a Location
 * naming the job: its id (caller owns), else NULL. */
static char *
accepted_id(const Client *c, const Reply *r, const char *what)
{
	JsonObject *o = reply_object(r);
	const char *id = check_str_member(o, "id");
	char *want;
	char *html;

	if (!expect_reply(r, 202, NULL, what))
		return NULL;
	if (id == NULL || *id == '\0') {
		check_fail("%s: the 202 has no id", what);
		return NULL;
	}
	want = g_strdup_printf("/v1/claims/%s", id);
	html = g_strdup_printf("/v1/claims/%s/report.html", id);
	if (g_strcmp0(url_path(c, check_str_member(o, "status_url")), want))
		check_fail("%s: status_url is %s, not %s", what,
			   check_str_member(o, "status_url"), want);
	if (g_strcmp0(url_path(c, check_str_member(o, "report_html_url")),
		      html))
		check_fail("%s: report_html_url is %s, not %s", what,
			   check_str_member(o, "report_html_url"), html);
	if (g_strcmp0(url_path(c, r->location), want) != 0)
		check_fail("%s: Location is %s, not %s", what, r->location,
			   want);
	g_free(want);
	g_free(html);
	return g_strdup(id);
}

static Reply *
get_job(Client *c, const char *id)
{
	char *path = g_strdup_printf("/v1/claims/%s", id);
	Reply *r = http_get(c, path);

	g_free(path);
	return r;
}

/* The status of job ID now ("" when it cannot be read). Caller owns. */
static char *
job_status(Client *c, const char *id)
{
	Reply *r = get_job(c, id);
	char *s = g_strdup(r->status == 200
			       ? check_str_member(reply_object(r), "status")
			       : NULL);

	reply_free(r);
	return s != NULL ? s : g_strdup("");
}

/* Progress as the job says it, checked as it goes. */
typedef struct {
	gint64 pages_done;
	gint64 files_done;
} Seen;

static void
check_progress(JsonObject *job, Seen *seen, const char *id)
{
	gint64 pd = int_member(job, "pages_done", -1);
	gint64 pt = int_member(job, "pages_total", -1);
	gint64 fd = int_member(job, "files_done", -1);
	gint64 ft = int_member(job, "files", -1);
	const char *status = check_str_member(job, "status");

	if (status == NULL ||
	    !g_strv_contains((const char *const[]){"queued", "running", "done",
						   "failed", NULL},
			     status))
		check_fail("job %s: status %s", id, status);
	if (pd > pt || fd > ft)
		check_fail("job %s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
			   " pages, %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
			   " files done",
			   id, pd, pt, fd, ft);
	if (pd < seen->pages_done || fd < seen->files_done)
		check_fail("job %s: progress went back (%" G_GINT64_FORMAT
			   " pages done after %" G_GINT64_FORMAT ")",
			   id, pd, seen->pages_done);
	seen->pages_done = MAX(seen->pages_done, pd);
	seen->files_done = MAX(seen->files_done, fd);
}

/* Poll job ID until it is done or failed: the last job (caller unrefs),
 * or NULL when it never ended. */
static JsonNode *
wait_job(Client *c, const char *id, double timeout_s)
{
	double until = now_s() + timeout_s;
	Seen seen = {0, 0};
	JsonNode *job = NULL;

	while (job == NULL && now_s() < until) {
		Reply *r = get_job(c, id);
		JsonObject *o = reply_object(r);
		const char *status = check_str_member(o, "status");

		if (r->status != 200 || o == NULL) {
			expect_reply(r, 200, NULL, "GET /v1/claims/ID");
			reply_free(r);
			return NULL;
		}
		check_progress(o, &seen, id);
		if (g_strcmp0(status, "done") == 0 ||
		    g_strcmp0(status, "failed") == 0)
			job = json_node_ref(r->json);
		reply_free(r);
		if (job == NULL)
			sleep_ms(100);
	}
	if (job == NULL)
		check_fail("job %s did not end within %.0f s", id, timeout_s);
	return job;
}

/* Wait for job ID and check it ended done; its object (caller unrefs
 * the node) or NULL. */
static JsonNode *
wait_done(Client *c, const char *id, const char *what)
{
	JsonNode *job = wait_job(c, id, JOB_TIMEOUT);
	JsonObject *o = job != NULL ? json_node_get_object(job) : NULL;

	if (o != NULL &&
	    g_strcmp0(check_str_member(o, "status"), "done") != 0) {
		check_fail("%s: job %s ended %s (%s)", what, id,
			   check_str_member(o, "status"),
			   check_str_member(o, "reason"));
		json_node_unref(job);
		job = NULL;
	}
	return job;
}

/* One of finding F's documents starts with PREFIX. */
static gboolean
refs_have(JsonObject *f, const char *prefix)
{
	JsonArray *docs = check_array_member(f, "documents");

	for (guint j = 0; docs != NULL && j < json_array_get_length(docs); j++)
		if (g_str_has_prefix(json_array_get_string_element(docs, j),
				     prefix))
			return TRUE;
	return FALSE;
}

/* The finding of REPORT whose code is CODE and one of whose documents
 * starts with PREFIX, or NULL. */
static JsonObject *
find_finding(JsonObject *report, const char *code, const char *prefix)
{
	JsonArray *fs = check_array_member(report, "findings");

	for (guint i = 0; fs != NULL && i < json_array_get_length(fs); i++) {
		JsonObject *f = json_array_get_object_element(fs, i);

		if (g_strcmp0(check_str_member(f, "code"), code) == 0 &&
		    refs_have(f, prefix))
			return f;
	}
	return NULL;
}

/* The type REPORT gives the document FILE, or NULL. */
static const char *
document_type(JsonObject *report, const char *file)
{
	JsonArray *docs = check_array_member(report, "documents");

	for (guint i = 0; docs != NULL && i < json_array_get_length(docs);
	     i++) {
		JsonObject *d = json_array_get_object_element(docs, i);

		if (g_strcmp0(check_str_member(d, "file"), file) == 0)
			return check_str_member(d, "type");
	}
	return NULL;
}

/* ---- the report against expected.json ----------------------------------
 */

/* expected.json's "documents" (file -> type): the files arrived under
 * their sub-folders and were read as the recipe drew them. */
static void
check_documents(JsonObject *report, JsonObject *exp, const char *what)
{
	JsonObject *want = check_object_member(exp, "documents");
	GList *files = want != NULL ? json_object_get_members(want) : NULL;

	for (GList *f = files; f != NULL; f = f->next) {
		const char *type = json_object_get_string_member(want, f->data);
		const char *got = document_type(report, f->data);

		if (g_strcmp0(type, got) != 0)
			check_fail("%s: document %s: expected %s, got %s", what,
				   (char *)f->data, type,
				   got != NULL ? got : "(not in the report)");
	}
	g_list_free(files);
}

static void
check_report(JsonObject *report, JsonObject *exp, const char *what)
{
	const char *verdict = check_str_member(exp, "verdict");

	if (g_strcmp0(check_str_member(report, "verdict"), verdict) != 0)
		check_fail("%s: verdict %s, expected %s", what,
			   check_str_member(report, "verdict"), verdict);
	check_findings(report, exp, what);
	check_documents(report, exp, what);
}

/* ---- a done job ---------------------------------------------------------
 */

/* REPORT has a document FILE with page PAGE. */
static gboolean
has_page(JsonObject *report, const char *file, gint64 page)
{
	JsonArray *docs = check_array_member(report, "documents");

	for (guint i = 0; docs != NULL && i < json_array_get_length(docs);
	     i++) {
		JsonObject *d = json_array_get_object_element(docs, i);
		JsonArray *pages = check_array_member(d, "pages");

		if (g_strcmp0(check_str_member(d, "file"), file) != 0)
			continue;
		for (guint j = 0;
		     pages != NULL && j < json_array_get_length(pages); j++)
			if (json_array_get_int_element(pages, j) == page)
				return TRUE;
	}
	return FALSE;
}

/* The pages the report's findings point at first ("file#page" of a page
 * the report read), as a set. */
static GHashTable *
first_refs(JsonObject *report)
{
	GHashTable *set =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	JsonArray *fs = check_array_member(report, "findings");

	for (guint i = 0; fs != NULL && i < json_array_get_length(fs); i++) {
		JsonArray *docs = check_array_member(
		    json_array_get_object_element(fs, i), "documents");
		const char *ref =
		    docs != NULL && json_array_get_length(docs) > 0
			? json_array_get_string_element(docs, 0)
			: NULL;
		const char *hash = ref != NULL ? strrchr(ref, '#') : NULL;
		char *file;

		if (hash == NULL)
			continue;
		file = g_strndup(ref, (gsize)(hash - ref));
		if (has_page(report, file, g_ascii_strtoll(hash + 1, NULL, 10)))
			g_hash_table_add(set, g_strdup(ref));
		g_free(file);
	}
	return set;
}

static void
check_jpeg(Client *c, JsonObject *img)
{
	const char *ref = check_str_member(img, "ref");
	const char *url = check_str_member(img, "url");
	Reply *r =
	    http_get(c, url_path(c, url) != NULL ? url_path(c, url) : "/");
	gsize n;
	const guint8 *b = g_bytes_get_data(r->body, &n);
	char *what = g_strdup_printf("page image of %s (%s)", ref, url);

	if (expect_reply(r, 200, NULL, what) &&
	    (g_strcmp0(r->content_type, "image/jpeg") != 0 || n < 3 ||
	     b[0] != 0xFF || b[1] != 0xD8 || b[2] != 0xFF))
		check_fail("%s: %s, not a JPEG", what, r->content_type);
	if (int_member(img, "width", 0) <= 0 ||
	    int_member(img, "height", 0) <= 0)
		check_fail("%s: no width and height", what);
	g_free(what);
	reply_free(r);
}

/* page_images: one per page a finding points at first, each a JPEG. */
static void
check_page_images(Client *c, JsonObject *job)
{
	GHashTable *want = first_refs(check_object_member(job, "report"));
	JsonArray *imgs = check_array_member(job, "page_images");

	if (g_hash_table_size(want) == 0)
		check_fail("the claim's findings point at no page: the page "
			   "images are not tested (choose another recipe)");
	for (guint i = 0; imgs != NULL && i < json_array_get_length(imgs);
	     i++) {
		JsonObject *img = json_array_get_object_element(imgs, i);
		const char *ref = check_str_member(img, "ref");

		if (ref == NULL || !g_hash_table_remove(want, ref))
			check_fail("page image %s: no finding points at it "
				   "first, or it came twice",
				   ref);
		check_jpeg(c, img);
	}
	if (g_hash_table_size(want) > 0) {
		GList *left = g_hash_table_get_keys(want);

		check_fail("no page image for %s (and %u more)",
			   (char *)left->data, g_list_length(left) - 1);
		g_list_free(left);
	}
	g_hash_table_unref(want);
}

/* report.html: the page of `scan --html`, showing the verdict. */
static void
check_report_html(Client *c, JsonObject *job)
{
	const char *url = check_str_member(job, "report_html_url");
	JsonObject *report = check_object_member(job, "report");
	char *verdict = g_strdup_printf("class=\"verdict %s\"",
					check_str_member(report, "verdict"));
	Reply *r =
	    http_get(c, url_path(c, url) != NULL ? url_path(c, url) : "/");
	char *text = reply_text(r);

	if (expect_reply(r, 200, NULL, "GET report.html") &&
	    (g_strcmp0(r->content_type, "text/html") != 0 ||
	     strstr(text, verdict) == NULL ||
	     strstr(text, check_str_member(report, "claim_id")) == NULL))
		check_fail("report.html (%s, %zu bytes) does not show %s of "
			   "claim %s",
			   r->content_type, strlen(text), verdict,
			   check_str_member(report, "claim_id"));
	g_free(text);
	g_free(verdict);
	reply_free(r);
}

/* The claim_id the report must carry: claim.json's in DIR, else ID. */
static char *
claim_id_of(const char *dir, const char *id)
{
	char *file = g_build_filename(dir, "claim.json", NULL);
	JsonNode *claim = g_file_test(file, G_FILE_TEST_EXISTS)
			      ? json_load_file(file, NULL)
			      : NULL;
	const char *cid =
	    claim != NULL && JSON_NODE_HOLDS_OBJECT(claim)
		? check_str_member(json_node_get_object(claim), "claim_id")
		: NULL;
	char *out = g_strdup(cid != NULL ? cid : id);

	if (claim != NULL)
		json_node_unref(claim);
	g_free(file);
	return out;
}

/* JOB, uploaded from DIR with N_FILES files, is done and whole: its
 * counts, times, verdict and claim id. */
static void
check_done(JsonObject *job, const char *dir, int n_files, const char *what)
{
	JsonObject *report = check_object_member(job, "report");
	JsonObject *summary = check_object_member(report, "summary");
	gint64 pages = int_member(job, "pages_total", -1);
	const char *id = check_str_member(job, "id");
	char *cid = claim_id_of(dir, id);

	if (report == NULL) {
		check_fail("%s: a done job without a report", what);
		goto out;
	}
	if (g_strcmp0(check_str_member(job, "verdict"),
		      check_str_member(report, "verdict")) != 0)
		check_fail("%s: the job's verdict %s is not its report's %s",
			   what, check_str_member(job, "verdict"),
			   check_str_member(report, "verdict"));
	if (int_member(job, "files", -1) != n_files ||
	    int_member(job, "files_done", -1) != n_files)
		check_fail("%s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
			   " files done, %d uploaded",
			   what, int_member(job, "files_done", -1),
			   int_member(job, "files", -1), n_files);
	if (pages <= 0 || int_member(job, "pages_done", -1) != pages ||
	    (summary != NULL && int_member(summary, "pages", -1) != pages))
		check_fail(
		    "%s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
		    " pages done at the end (the report read %" G_GINT64_FORMAT
		    ")",
		    what, int_member(job, "pages_done", -1), pages,
		    int_member(summary, "pages", -1));
	for (const char *const *k =
		 (const char *const[]){"created_at", "started_at",
				       "finished_at", NULL};
	     *k != NULL; k++)
		if (check_str_member(job, *k) == NULL)
			check_fail("%s: no %s", what, *k);
	if (g_strcmp0(check_str_member(report, "claim_id"), cid) != 0)
		check_fail("%s: claim_id %s, expected %s", what,
			   check_str_member(report, "claim_id"), cid);
out:
	g_free(cid);
}

/* ---- servers ------------------------------------------------------------
 */

/* Start a server on E's data and store, with EXTRA arguments (NULL
 * ended, may be NULL). FALSE (said) when it does not start. */
static gboolean
start(Env *e, Server *s, const char *const *extra)
{
	GPtrArray *args = g_ptr_array_new();
	char *log = g_strdup_printf("%s/serve-%d.log", e->logs, ++e->starts);
	GError *error = NULL;
	gboolean ok;

	g_ptr_array_add(args, (char *)"--data");
	g_ptr_array_add(args, e->data);
	g_ptr_array_add(args, (char *)"--db");
	g_ptr_array_add(args, e->db);
	for (const char *const *a = extra; a != NULL && *a != NULL; a++)
		g_ptr_array_add(args, (char *)*a);
	g_ptr_array_add(args, NULL);
	ok = server_start(s, e->evidcheck, (const char *const *)args->pdata,
			  log, START_TIMEOUT, &error);
	if (!ok) {
		check_fail("evidcheck serve did not start: %s", error->message);
		server_dump_log(s);
		server_clear(s);
		g_clear_error(&error);
	}
	g_ptr_array_unref(args);
	g_free(log);
	return ok;
}

/* SIGTERM: the server exits, status 0 (under ASan: no leak either). */
static void
stop(Server *s)
{
	GError *error = NULL;

	if (!server_stop(s, STOP_TIMEOUT, &error)) {
		check_fail("%s", error->message);
		g_clear_error(&error);
	}
	if (check_failures() > 0)
		server_dump_log(s);
	server_clear(s);
}

/* A connection that sent HALF of a request and waits. */
static GIOStream *
hang(guint16 port, const char *half)
{
	GSocketClient *sc = g_socket_client_new();
	GError *error = NULL;
	GSocketConnection *conn = g_socket_client_connect_to_host(
	    sc, "127.0.0.1", port, NULL, &error);

	if (conn == NULL ||
	    !g_output_stream_write_all(
		g_io_stream_get_output_stream(G_IO_STREAM(conn)), half,
		strlen(half), NULL, NULL, &error)) {
		check_fail("a half-sent request: %s", error->message);
		g_clear_error(&error);
	}
	g_object_unref(sc);
	return conn != NULL ? G_IO_STREAM(conn) : NULL;
}

static void
unhang(GIOStream *conn)
{
	if (conn == NULL)
		return;
	g_io_stream_close(conn, NULL, NULL);
	g_object_unref(conn);
}

/* ---- api: the claim and what the server says of it --------------------
 */

static void
check_root_and_health(Client *c, const char **policy)
{
	Reply *root = http_get(c, "/");
	Reply *h = http_get(c, "/v1/health");
	JsonObject *o = reply_object(h);

	if (expect_reply(root, 200, NULL, "GET /") &&
	    g_strcmp0(root->content_type, "text/html") != 0)
		check_fail("GET /: %s, not text/html", root->content_type);
	if (expect_reply(h, 200, NULL, "GET /v1/health") &&
	    (g_strcmp0(check_str_member(o, "status"), "ok") != 0 ||
	     int_member(o, "queued", -1) != 0 ||
	     int_member(o, "running", -1) != 0 ||
	     check_str_member(o, "policy") == NULL))
		check_fail(
		    "GET /v1/health of an idle server: queued %" G_GINT64_FORMAT
		    ", running %" G_GINT64_FORMAT ", policy %s",
		    int_member(o, "queued", -1), int_member(o, "running", -1),
		    check_str_member(o, "policy"));
	*policy = g_intern_string(check_str_member(o, "policy"));
	reply_free(root);
	reply_free(h);
}

/* GET /v1/directions: the guide's 20 directions and more (14.x, 15.x),
 * each named, the claim's among them, of the policy health names. */
static void
check_directions(Client *c, const char *policy, const char *claim_dir)
{
	Reply *r = http_get(c, "/v1/directions");
	JsonObject *o = reply_object(r);
	JsonArray *dirs = check_array_member(o, "directions");
	char *file = g_build_filename(claim_dir, "claim.json", NULL);
	JsonNode *claim = json_load_file(file, NULL);
	const char *want =
	    claim != NULL
		? check_str_member(json_node_get_object(claim), "direction")
		: NULL;
	gboolean seen = FALSE;

	if (!expect_reply(r, 200, NULL, "GET /v1/directions"))
		goto out;
	if (g_strcmp0(check_str_member(o, "policy"), policy) != 0)
		check_fail("directions of policy %s, health says %s",
			   check_str_member(o, "policy"), policy);
	if (dirs == NULL || json_array_get_length(dirs) < 20)
		check_fail("%u directions listed, the guide has 20 and more",
			   dirs != NULL ? json_array_get_length(dirs) : 0);
	for (guint i = 0; dirs != NULL && i < json_array_get_length(dirs);
	     i++) {
		JsonObject *d = json_array_get_object_element(dirs, i);
		const char *id = check_str_member(d, "id");
		const char *name = check_str_member(d, "name");

		JsonNode *agency = json_object_get_member(d, "agency_allowed");

		if (id == NULL || name == NULL || *name == '\0')
			check_fail("direction %u has no id or no name", i);
		if (agency == NULL || !JSON_NODE_HOLDS_VALUE(agency) ||
		    json_node_get_value_type(agency) != G_TYPE_BOOLEAN ||
		    check_array_member(d, "scenes") == NULL)
			check_fail("direction %s: no agency_allowed or scenes",
				   id);
		seen = seen || g_strcmp0(id, want) == 0;
	}
	if (!seen)
		check_fail("the claim's direction %s is not listed", want);
out:
	if (claim != NULL)
		json_node_unref(claim);
	g_free(file);
	reply_free(r);
}

/* The recipe's claim, uploaded as a browser uploads a folder: done, as
 * expected.json says, with its page images and HTML report. Returns the
 * job id (caller owns) or NULL. */
static char *
upload_claim(Client *c, Env *e)
{
	double t = now_s();
	int n_files = 0;
	Reply *r = post_dir(c, e->claim, &n_files);
	char *id = accepted_id(c, r, "POST the claim");
	JsonNode *job = id != NULL ? wait_done(c, id, "the claim") : NULL;
	JsonObject *o = job != NULL ? json_node_get_object(job) : NULL;

	if (o != NULL) {
		printf("the claim: %s, %" G_GINT64_FORMAT " pages, %u page "
		       "images, in %.1f s\n",
		       check_str_member(o, "verdict"),
		       int_member(o, "pages_total", -1),
		       check_array_member(o, "page_images") != NULL
			   ? json_array_get_length(
				 check_array_member(o, "page_images"))
			   : 0,
		       now_s() - t);
		check_done(o, e->claim, n_files, "the claim");
		check_report(check_object_member(o, "report"), e->expected,
			     "the claim's report");
		check_page_images(c, o);
		check_report_html(c, o);
	}
	if (job != NULL)
		json_node_unref(job);
	reply_free(r);
	return id;
}

/* The first document of expected.json that the claim folder holds. */
static const char *
a_good_document(Env *e)
{
	JsonObject *docs = check_object_member(e->expected, "documents");
	GList *files = docs != NULL ? json_object_get_members(docs) : NULL;
	const char *out = NULL;

	for (GList *f = files; f != NULL && out == NULL; f = f->next) {
		char *path = g_build_filename(e->claim, f->data, NULL);

		if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
			out = g_intern_string(f->data);
		g_free(path);
	}
	g_list_free(files);
	return out;
}

static gboolean
copy_part(const char *from, const char *to, double share, GError **error)
{
	char *data = NULL;
	gsize n = 0;
	char *dir = g_path_get_dirname(to);
	gboolean ok = g_mkdir_with_parents(dir, 0755) == 0 &&
		      g_file_get_contents(from, &data, &n, error) &&
		      g_file_set_contents(to, data, (gssize)(n * share), error);

	g_free(data);
	g_free(dir);
	return ok;
}

/* The damaged claim's claim.json, sent as the `claim` part, and another
 * sent as a file named claim.json, which the part must win over. */
#define DAMAGED_CLAIM  "{\"claim_id\": \"GXFWQ-2026-DAMAGED\"}"
#define NOT_THIS_CLAIM "{\"claim_id\": \"GXFWQ-2026-NOT-THIS-ONE\"}"

static Reply *
post_damaged(Client *c, const char *dir, int *n_files)
{
	Form *f = form_new();
	GError *error = NULL;

	*n_files = form_add_claim_dir(f, dir, &error);
	if (*n_files < 0) {
		check_fail("cannot read %s: %s", dir, error->message);
		g_clear_error(&error);
	}
	form_add(f, "files", "claim.json", NOT_THIS_CLAIM,
		 strlen(NOT_THIS_CLAIM));
	return post_form(c, f, TRUE);
}

/* A claim of one good document, the first 40 % of another and 4 KiB of
 * noise named .pdf (WORK/input/damaged): done, one UNREADABLE_FILE for
 * each broken file, the good one read as the recipe drew it, the claim
 * id the `claim` part's. */
static void
upload_damaged(Client *c, Env *e)
{
	const char *good = a_good_document(e);
	char *dir = g_build_filename(e->work, "input", "damaged", NULL);
	char *from =
	    good != NULL ? g_build_filename(e->claim, good, NULL) : NULL;
	char *to = good != NULL ? g_build_filename(dir, good, NULL) : NULL;
	char *cut = g_build_filename(dir, "坏", "truncated.pdf", NULL);
	char *noise = g_build_filename(dir, "坏", "noise.pdf", NULL);
	char *claim = g_build_filename(dir, "claim.json", NULL);
	guint8 bytes[4096];
	GError *error = NULL;
	int n_files = 0;
	Reply *r = NULL;
	char *id = NULL;
	JsonNode *job = NULL;
	JsonObject *report;

	for (guint i = 0; i < sizeof bytes; i++)
		bytes[i] = (guint8)((i * 2654435761u) >> 13);
	if (good == NULL || !copy_part(from, to, 1, &error) ||
	    !copy_part(from, cut, 0.4, &error) ||
	    !g_file_set_contents(noise, (char *)bytes, sizeof bytes, &error) ||
	    !g_file_set_contents(claim, DAMAGED_CLAIM, -1, &error)) {
		check_fail("cannot make the damaged claim: %s",
			   error != NULL ? error->message : "no document");
		goto out;
	}
	r = post_damaged(c, dir, &n_files);
	id = accepted_id(c, r, "POST the damaged claim");
	job = id != NULL ? wait_done(c, id, "the damaged claim") : NULL;
	if (job == NULL)
		goto out;
	check_done(json_node_get_object(job), dir, n_files,
		   "the damaged claim");
	report = check_object_member(json_node_get_object(job), "report");
	for (const char *const *f = (const char *const[]){"坏/truncated.pdf",
							  "坏/noise.pdf", NULL};
	     *f != NULL; f++)
		if (find_finding(report, "UNREADABLE_FILE", *f) == NULL)
			check_fail(
			    "the damaged claim: no UNREADABLE_FILE for %s", *f);
	if (g_strcmp0(
		document_type(report, good),
		json_object_get_string_member(
		    check_object_member(e->expected, "documents"), good)) != 0)
		check_fail("the damaged claim: %s read as %s", good,
			   document_type(report, good));
out:
	g_clear_error(&error);
	if (job != NULL)
		json_node_unref(job);
	reply_free(r);
	g_free(id);
	g_free(claim);
	g_free(noise);
	g_free(cut);
	g_free(to);
	g_free(from);
	g_free(dir);
}

/* ---- api: hostile uploads ----------------------------------------------
 */

static const char PDF_BYTES[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";

/* Every name that leads out of the job's folder (or would be misread
 * there) refuses the whole upload, the good file beside it included.
 * The absolute one names a file in WORK, where the test looks for it
 * (not /etc/passwd: tests run as root in CI). */
static void
unsafe_names(Client *c, Env *e)
{
	char *abs = g_build_filename(e->work, "evil-2", NULL);
	const char *names[] = {"../evil-1",	  abs,	      "a/../../evil-3",
			       "a\\evil-4",	  "./evil-5", "../../../evil-6",
			       "evil-\x01-7.pdf", NULL};

	for (const char *const *n = names; *n != NULL; n++) {
		Form *f = form_new();
		Reply *r;
		char *what = g_strescape(*n, NULL);

		form_add(f, "files", "发票/good.pdf", PDF_BYTES,
			 sizeof PDF_BYTES - 1);
		form_add(f, "files", *n, "evil", 4);
		r = post_form(c, f, TRUE);
		expect_reply(r, 400, "unsafe_path", what);
		expect_health(c, what);
		reply_free(r);
		g_free(what);
	}
	g_free(abs);
}

/* Raw BODY as CONTENT_TYPE: 400 CODE, and the server goes on. */
static void
expect_refused(Client *c, const char *content_type, const void *body, gsize len,
	       guint status, const char *code, const char *what)
{
	GBytes *b = g_bytes_new(body, len);
	Reply *r = http_post(c, "/v1/claims", content_type, b, FALSE);

	expect_reply(r, status, code, what);
	expect_health(c, what);
	reply_free(r);
	g_bytes_unref(b);
}

/* A form of one good file plus what ADD puts in, posted: STATUS CODE. */
static void
expect_form_refused(Client *c, Form *f, guint status, const char *code,
		    const char *what)
{
	Reply *r = post_form(c, f, TRUE);

	expect_reply(r, status, code, what);
	expect_health(c, what);
	reply_free(r);
}

static void
bad_multipart(Client *c)
{
	Form *f = form_new();
	char *type = NULL;
	GBytes *whole;
	gsize n;
	const char *data;

	/* Parts complete, the closing boundary never sent; and cut midway. */
	form_add(f, "files", "发票/good.pdf", PDF_BYTES, sizeof PDF_BYTES - 1);
	form_add(f, "files", "发票/more.pdf", PDF_BYTES, sizeof PDF_BYTES - 1);
	whole = form_finish(f, FALSE, &type);
	data = g_bytes_get_data(whole, &n);
	expect_refused(c, type, data, n, 400, "bad_multipart",
		       "no closing boundary");
	expect_refused(c, type, data, n - 40, 400, "bad_multipart",
		       "a body cut in a part");
	expect_refused(c, "multipart/form-data", data, n, 400, "bad_multipart",
		       "multipart without a boundary");
	expect_refused(c, "text/plain", "hello", 5, 400, "bad_multipart",
		       "a text/plain body");
	expect_refused(c, "application/json", "{\"files\": []}", 13, 400,
		       "bad_multipart", "a JSON body");
	expect_refused(c, type, "", 0, 400, "bad_multipart", "an empty body");
	g_bytes_unref(whole);
	g_free(type);

	f = form_new();
	form_add(f, "claim", NULL, "{}", 2);
	expect_form_refused(c, f, 400, "bad_multipart", "no file at all");
	f = form_new();
	form_add(f, "files", NULL, PDF_BYTES, sizeof PDF_BYTES - 1);
	expect_form_refused(c, f, 400, "bad_multipart",
			    "a part without a "
			    "filename");
	f = form_new();
	form_add(f, "files", "发票/good.pdf", PDF_BYTES, sizeof PDF_BYTES - 1);
	form_add(f, "file", "发票/other.pdf", PDF_BYTES, sizeof PDF_BYTES - 1);
	expect_form_refused(c, f, 400, "bad_multipart", "a part named file");
	f = form_new();
	form_add(f, "files", "发票/good.pdf", PDF_BYTES, sizeof PDF_BYTES - 1);
	form_add(f, "files", "发票//good.pdf", PDF_BYTES, sizeof PDF_BYTES - 1);
	expect_form_refused(c, f, 400, NULL, "one file twice");
}

/* A `claim` part that is no JSON object: 400 bad_claim. */
static void
bad_claims(Client *c)
{
	GString *big =
	    g_string_new("{\"claim_id\": \"GXFWQ-2026-BIG\", \"x\": \"");
	const char *claims[] = {"[1, 2]", "{\"claim_id\": ", "\"a string\"",
				"null", NULL};

	for (const char *const *k = claims; *k != NULL; k++) {
		Form *f = form_new();
		char *what = g_strdup_printf("claim part %s", *k);

		form_add(f, "files", "发票/good.pdf", PDF_BYTES,
			 sizeof PDF_BYTES - 1);
		form_add(f, "claim", NULL, *k, strlen(*k));
		expect_form_refused(c, f, 400, "bad_claim", what);
		g_free(what);
	}
	while (big->len <= 64 * 1024)
		g_string_append(big, "0123456789abcdef");
	g_string_append(big, "\"}");
	{
		Form *f = form_new();

		form_add(f, "files", "发票/good.pdf", PDF_BYTES,
			 sizeof PDF_BYTES - 1);
		form_add(f, "claim", NULL, big->str, big->len);
		expect_form_refused(c, f, 400, "bad_claim",
				    "a claim part over 64 KiB");
	}
	g_string_free(big, TRUE);
}

static void
expect_404(Client *c, const char *path)
{
	Reply *r = http_get(c, path);

	expect_reply(r, 404, "not_found", path);
	reply_free(r);
}

static void
unknown_ids(Client *c, const char *known)
{
	char *page = g_strdup_printf("/v1/claims/%s/pages/9999.jpg",
				     known != NULL ? known : "x");
	Reply *r;

	expect_404(c, "/v1/claims/0123456789abcdef0123456789abcdef");
	expect_404(c,
		   "/v1/claims/0123456789abcdef0123456789abcdef/report.html");
	r = http_get(c, "/v1/claims/..%2F..%2Fetc");
	if (r->status != 400 && r->status != 404)
		check_fail("GET /v1/claims/..%%2F..%%2Fetc: %u", r->status);
	reply_free(r);
	if (known != NULL)
		expect_404(c, page);
	g_free(page);
}

/* A file an unsafe name meant to write. */
static int
find_evil(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (g_str_has_prefix(path + ftw->base, "evil-"))
		check_fail("%s was written", path);
	return 0;
}

/* Nothing but E's own folders in WORK, no "evil-" file anywhere in it,
 * and in DATA/claims one folder per accepted upload, nothing else. */
static void
check_no_stray(Env *e, guint accepted)
{
	char *claims = g_build_filename(e->data, "claims", NULL);
	GDir *d = g_dir_open(e->work, 0, NULL);
	const char *name;
	guint n = 0;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL)
		if (!g_strv_contains(
			(const char *const[]){"data", "logs", "input", NULL},
			name))
			check_fail("%s/%s: a stray file beside the data folder",
				   e->work, name);
	if (d != NULL)
		g_dir_close(d);
	nftw(e->work, find_evil, 16, FTW_PHYS);
	d = g_dir_open(claims, 0, NULL);
	while (d != NULL && g_dir_read_name(d) != NULL)
		n++;
	if (d != NULL)
		g_dir_close(d);
	if (n != accepted)
		check_fail("%s holds %u entries after %u uploads were accepted",
			   claims, n, accepted);
	g_free(claims);
}

static void
mode_api(Env *e)
{
	Server s;
	Client *c;
	const char *policy = NULL;
	GIOStream *half_head, *half_body;
	char *id;
	double t;

	if (!start(e, &s, NULL))
		return;
	c = client_new(s.base, 60);
	check_root_and_health(c, &policy);
	check_directions(c, policy, e->claim);
	/* Two clients hang mid-request for the rest of this part. */
	half_head = hang(s.port, "POST /v1/claims HTTP/1.1\r\nHost: "
				 "127.0.0.1\r\nContent-Type: multipart/fo");
	half_body =
	    hang(s.port, "POST /v1/claims HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			 "Content-Type: multipart/form-data; boundary=XyZ\r\n"
			 "Content-Length: 1000000\r\n\r\n--XyZ\r\nContent-"
			 "Disposition: form-data; name=\"files\"; "
			 "filename=\"a.pdf\"\r\n\r\n%PDF");
	t = now_s();
	expect_health(c, "two half-sent requests");
	if (now_s() - t > 5)
		check_fail("health took %.1f s beside two half-sent requests",
			   now_s() - t);
	id = upload_claim(c, e);
	upload_damaged(c, e);
	unsafe_names(c, e);
	bad_multipart(c);
	bad_claims(c);
	unknown_ids(c, id);
	unhang(half_head);
	unhang(half_body);
	expect_health(c, "the half-sent requests were dropped");
	client_free(c);
	stop(&s);
	check_no_stray(e, 2);
	g_free(id);
}

/* ---- limits -------------------------------------------------------------
 */

/* A form of N small files. */
static Form *
form_of(int n)
{
	Form *f = form_new();

	for (int i = 1; i <= n; i++) {
		char *name = g_strdup_printf("文件/f%d.pdf", i);

		form_add(f, "files", name, PDF_BYTES, sizeof PDF_BYTES - 1);
		g_free(name);
	}
	return f;
}

/* The value of option NAME in ARGS (NULL ended), as a number. */
static gint64
arg_value(const char *const *args, const char *name)
{
	for (const char *const *a = args; *a != NULL; a++)
		if (strcmp(*a, name) == 0 && a[1] != NULL)
			return g_ascii_strtoll(a[1], NULL, 10);
	return -1;
}

/* GET /v1/health says the limits the server was started with, and the
 * largest file scan reads (ingest.h). */
static void
check_limits(Client *c, const char *const *args)
{
	Reply *r = http_get(c, "/v1/health");
	JsonObject *o = reply_object(r);

	if (expect_reply(r, 200, NULL, "GET /v1/health") &&
	    (int_member(o, "max_upload_mb", -1) !=
		 arg_value(args, "--max-upload-mb") ||
	     int_member(o, "max_files", -1) != arg_value(args, "--max-files") ||
	     int_member(o, "max_file_mb", -1) != INGEST_MAX_FILE_BYTES >> 20))
		check_fail("health's limits: max_upload_mb %" G_GINT64_FORMAT
			   ", max_files %" G_GINT64_FORMAT
			   ", max_file_mb %" G_GINT64_FORMAT,
			   int_member(o, "max_upload_mb", -1),
			   int_member(o, "max_files", -1),
			   int_member(o, "max_file_mb", -1));
	reply_free(r);
}

/* Over --max-upload-mb 1: 413 too_large, whether the client waits for
 * 100 Continue (the server may refuse on the headers) or sends all; in
 * chunks, refused too. */
static void
too_large(Client *c)
{
	gsize n = 3 * 1024 * 1024 / 2;
	char *blob = g_malloc(n);
	Form *f = form_new();
	char *type = NULL;
	GBytes *body;
	Reply *r;

	memset(blob, 'x', n);
	form_add(f, "files", "大/big.pdf", blob, n);
	body = form_finish(f, TRUE, &type);
	r = http_post(c, "/v1/claims", type, body, TRUE);
	expect_reply(r, 413, "too_large", "1.5 MiB, Expect: 100-continue");
	reply_free(r);
	expect_health(c, "too_large");
	r = http_post(c, "/v1/claims", type, body, FALSE);
	expect_reply(r, 413, "too_large", "1.5 MiB sent whole");
	reply_free(r);
	expect_health(c, "too_large");
	/* No length to judge by: refused before it is read. */
	r = http_post_chunked(c, "/v1/claims", type, body);
	expect_reply(r, 411, "length_required", "1.5 MiB in chunks");
	reply_free(r);
	expect_health(c, "a chunked upload");
	g_bytes_unref(body);
	g_free(type);
	g_free(blob);
}

/* --queue 1 -j 1: a slow claim runs, one more may wait, the rest get
 * 429 queue_full with Retry-After; every 202 ends done. Returns how many
 * were accepted. */
static guint
queue_full(Client *c, Env *e)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	Reply *r = post_dir(c, e->slow1, NULL);
	char *id = accepted_id(c, r, "POST the slow claim");
	guint refused = 0;
	guint accepted;

	reply_free(r);
	if (id == NULL)
		goto out;
	g_ptr_array_add(ids, id);
	{
		char *html = g_strdup_printf("/v1/claims/%s/report.html", id);

		r = http_get(c, html);
		expect_reply(r, 409, "not_done", "report.html of a queued job");
		reply_free(r);
		g_free(html);
	}
	for (int i = 0; i < 3; i++) {
		r = post_dir(c, e->claim, NULL);
		if (r->status == 429) {
			refused++;
			if (strcmp(reply_error_code(r), "queue_full") != 0 ||
			    r->retry_after == NULL)
				check_fail("429 without queue_full or "
					   "Retry-After");
		} else if ((id = accepted_id(c, r,
					     "POST behind the slow "
					     "claim")) != NULL) {
			g_ptr_array_add(ids, id);
		}
		reply_free(r);
	}
	printf("3 claims posted behind a slow one: %u accepted, %u "
	       "refused\n",
	       ids->len - 1, refused);
	if (refused == 0)
		check_fail("3 claims posted behind a running one with --queue "
			   "1 -j 1: none was refused");
	for (guint i = 0; i < ids->len; i++) {
		JsonNode *job = wait_done(c, ids->pdata[i], "a queued claim");

		if (job != NULL)
			json_node_unref(job);
	}
out:
	accepted = ids->len;
	g_ptr_array_unref(ids);
	return accepted;
}

static void
mode_limits(Env *e)
{
	const char *args[] = {"--max-upload-mb",
			      "1",
			      "--max-files",
			      "5",
			      "--queue",
			      "1",
			      "-j",
			      "1",
			      NULL};
	Server s;
	Client *c;
	Reply *r;
	char *id;
	guint accepted = 0;
	JsonNode *job = NULL;

	if (!start(e, &s, args))
		return;
	c = client_new(s.base, 60);
	check_limits(c, args);
	too_large(c);
	r = post_form(c, form_of(6), TRUE);
	expect_reply(r, 413, "too_many_files", "6 files, --max-files 5");
	reply_free(r);
	expect_health(c, "too_many_files");
	r = post_form(c, form_of(5), TRUE);
	id = accepted_id(c, r, "5 files, --max-files 5");
	reply_free(r);
	if (id != NULL) {
		accepted++;
		job = wait_done(c, id, "5 files");
		if (job != NULL)
			json_node_unref(job);
	}
	accepted += queue_full(c, e);
	client_free(c);
	stop(&s);
	check_no_stray(e, accepted);
	g_free(id);
}

/* ---- tokens -------------------------------------------------------------
 */

#define TOKEN_A	   "provider-A-0123456789abcdef"
#define TOKEN_B	   "provider-B-0123456789abcdef"
#define TOKEN_STAR "operator-0123456789abcdef"

static gboolean
write_tokens(const char *file)
{
	const char *text =
	    "# two providers and the platform's operator\n" TOKEN_A
	    " A\n" TOKEN_B " B\n\n" TOKEN_STAR " *\n";
	GError *error = NULL;

	if (g_file_set_contents(file, text, -1, &error))
		return TRUE;
	check_fail("%s", error->message);
	g_clear_error(&error);
	return FALSE;
}

/* As TOKEN, GET PATH: STATUS. */
static void
expect_as(Client *c, const char *token, const char *path, guint status,
	  const char *code)
{
	char *what = g_strdup_printf("GET %s as %s", path,
				     token != NULL ? token : "nobody");
	Reply *r;

	c->token = token;
	r = http_get(c, path);
	expect_reply(r, status, code, what);
	reply_free(r);
	g_free(what);
}

/* Every token that is not one of the file's: 401 unauthorized. */
static void
strangers(Client *c)
{
	const char *bad[] = {NULL,	  "nonsense-but-long-enough-0000",
			     TOKEN_A "x", "provider-A-0123456789abcde",
			     "A",	  "*",
			     NULL};

	for (guint i = 0; i < G_N_ELEMENTS(bad) - 1; i++)
		expect_as(c, bad[i], "/v1/health", 401, "unauthorized");
	c->token = NULL;
	{
		Form *f = form_of(1);
		Reply *r = post_form(c, f, TRUE);

		expect_reply(r, 401, "unauthorized", "POST without a token");
		reply_free(r);
	}
	expect_as(c, NULL, "/", 200, NULL);
}

static void
mode_tokens(Env *e)
{
	char *file = g_build_filename(e->work, "input", "tokens", NULL);
	const char *args[] = {"--token-file", file, NULL};
	Server s;
	Client *c;
	Reply *r;
	char *id = NULL;
	char *path = NULL;
	char *html = NULL;
	JsonNode *job = NULL;

	if (!write_tokens(file) || !start(e, &s, args))
		goto out;
	c = client_new(s.base, 60);
	strangers(c);
	c->token = TOKEN_A;
	r = post_dir(c, e->claim, NULL);
	id = accepted_id(c, r, "POST as A");
	reply_free(r);
	if (id != NULL) {
		path = g_strdup_printf("/v1/claims/%s", id);
		html = g_strdup_printf("/v1/claims/%s/report.html", id);
		expect_as(c, TOKEN_B, path, 404, "not_found");
		expect_as(c, TOKEN_STAR, path, 200, NULL);
		expect_as(c, TOKEN_A, path, 200, NULL);
		expect_as(c, NULL, path, 401, "unauthorized");
		c->token = TOKEN_A;
		job = wait_done(c, id, "A's claim");
		expect_as(c, TOKEN_B, html, 404, "not_found");
		expect_as(c, TOKEN_A, html, 200, NULL);
		expect_as(c, TOKEN_STAR, html, 200, NULL);
	}
	client_free(c);
	stop(&s);
	check_no_stray(e, id != NULL);
out:
	if (job != NULL)
		json_node_unref(job);
	g_free(html);
	g_free(path);
	g_free(id);
	g_free(file);
}

/* ---- restart ------------------------------------------------------------
 */

/* The parent of process PID, or 0; *ZOMBIE when it is one. */
static int
parent_of(int pid, gboolean *zombie)
{
	char *file = g_strdup_printf("/proc/%d/stat", pid);
	char *stat = NULL;
	const char *close;
	int ppid = 0;
	char state = 0;

	/* "PID (COMM) STATE PPID ...": COMM may hold spaces and ')'. */
	if (g_file_get_contents(file, &stat, NULL, NULL) &&
	    (close = strrchr(stat, ')')) != NULL &&
	    sscanf(close + 1, " %c %d", &state, &ppid) != 2)
		ppid = 0;
	if (zombie != NULL)
		*zombie = state == 'Z' || state == 0;
	g_free(stat);
	g_free(file);
	return ppid;
}

/* The processes under PID now: its scans and their reading processes. */
static GArray *
descendants(int pid)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(int));
	GHashTable *parent = g_hash_table_new(NULL, NULL);
	GDir *d = g_dir_open("/proc", 0, NULL);
	const char *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		int p = atoi(name);

		if (p > 0)
			g_hash_table_insert(
			    parent, GINT_TO_POINTER(p),
			    GINT_TO_POINTER(parent_of(p, NULL)));
	}
	if (d != NULL)
		g_dir_close(d);
	g_array_append_val(out, pid);
	/* Breadth first: OUT grows while it is walked. */
	for (guint i = 0; i < out->len; i++) {
		GHashTableIter it;
		gpointer k, v;

		g_hash_table_iter_init(&it, parent);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			int child = GPOINTER_TO_INT(k);

			if (GPOINTER_TO_INT(v) == g_array_index(out, int, i))
				g_array_append_val(out, child);
		}
	}
	g_array_remove_index(out, 0);
	g_hash_table_unref(parent);
	return out;
}

/* Every process of PIDS is gone within 2 s of its server's SIGKILL (a
 * scan or reader that outlived it would race the restarted server's
 * scan of the same job, and cost a core for nothing). Those left are
 * said, and killed. */
static void
check_gone(GArray *pids)
{
	double until = now_s() + 2;
	guint alive = pids->len;

	while (alive > 0 && now_s() < until) {
		alive = 0;
		for (guint i = 0; i < pids->len; i++) {
			gboolean zombie = TRUE;

			parent_of(g_array_index(pids, int, i), &zombie);
			alive += !zombie;
		}
		if (alive > 0)
			sleep_ms(50);
	}
	for (guint i = 0; alive > 0 && i < pids->len; i++) {
		int pid = g_array_index(pids, int, i);
		gboolean zombie = TRUE;
		char *cmd = NULL;
		char *file = g_strdup_printf("/proc/%d/cmdline", pid);
		gsize n = 0;

		parent_of(pid, &zombie);
		if (!zombie && g_file_get_contents(file, &cmd, &n, NULL)) {
			for (gsize j = 0; j + 1 < n; j++)
				cmd[j] = cmd[j] == '\0' ? ' ' : cmd[j];
			check_fail("process %d outlived its server's SIGKILL "
				   "by 2 s: %s",
				   pid, cmd);
			kill(pid, SIGKILL);
		}
		g_free(cmd);
		g_free(file);
	}
}

/* Kill S with SIGKILL, then start it again (on the same data and
 * store); *C follows it. FALSE when it does not start. */
static gboolean
kill_and_restart(Env *e, Server *s, Client **c, const char *const *args)
{
	const char *ident = g_subprocess_get_identifier(s->proc);
	GArray *under = descendants(ident != NULL ? atoi(ident) : -1);

	printf("SIGKILL to the server and its %u processes\n", under->len);
	server_kill(s);
	server_clear(s);
	client_free(*c);
	*c = NULL;
	check_gone(under);
	g_array_unref(under);
	if (!start(e, s, args))
		return FALSE;
	*c = client_new(s->base, 60);
	return TRUE;
}

/* Job ID of the upload of DIR (N_FILES files) ended done with every
 * file read, and its files are still in DATA/claims/ID. */
static void
check_survived(Env *e, Client *c, const char *id, const char *dir, int n_files,
	       const char *what)
{
	JsonNode *job = wait_done(c, id, what);
	GPtrArray *files = claim_files(dir, NULL);

	if (job != NULL)
		check_done(json_node_get_object(job), dir, n_files, what);
	for (guint i = 0; files != NULL && i < files->len; i++) {
		const char *rel = g_ptr_array_index(files, i);
		char *kept = g_build_filename(e->data, "claims", id, rel, NULL);

		if (!g_file_test(kept, G_FILE_TEST_IS_REGULAR))
			check_fail("%s: %s is gone after the restart", what,
				   kept);
		g_free(kept);
	}
	if (files != NULL)
		g_ptr_array_unref(files);
	if (job != NULL)
		json_node_unref(job);
}

/* The upload folders a killed server may leave (UNFINISHED). */
static void
leave_unfinished(Env *e)
{
	for (const char *const *u = UNFINISHED; *u != NULL; u++) {
		char *dir = g_build_filename(e->data, *u, "发票", NULL);
		char *file = g_build_filename(dir, "half.pdf", NULL);

		if (g_mkdir_with_parents(dir, 0755) != 0 ||
		    !g_file_set_contents(file, PDF_BYTES, 8, NULL))
			check_fail("cannot write %s", file);
		g_free(file);
		g_free(dir);
	}
}

/* The restart removed them. */
static void
check_swept(Env *e)
{
	for (const char *const *u = UNFINISHED; *u != NULL; u++) {
		char *dir = g_build_filename(e->data, *u, NULL);

		if (g_file_test(dir, G_FILE_TEST_EXISTS))
			check_fail("%s, an upload that never became a job, is "
				   "still there after the restart",
				   dir);
		g_free(dir);
	}
}

/* Wait until job ID runs with at least FILES files opened (by reading
 * processes; their pages not read yet); FALSE (said) when it ends
 * first. */
static gboolean
wait_running(Client *c, const char *id, gint64 files, const char *what)
{
	double until = now_s() + JOB_TIMEOUT;
	gboolean ok = FALSE, over = FALSE;
	char *st = NULL;

	while (!ok && !over && now_s() < until) {
		Reply *r = get_job(c, id);
		JsonObject *o = reply_object(r);

		g_free(st);
		st = g_strdup(check_str_member(o, "status"));
		ok = g_strcmp0(st, "running") == 0 &&
		     int_member(o, "files_done", 0) >= files;
		over = r->status != 200 || g_strcmp0(st, "done") == 0 ||
		       g_strcmp0(st, "failed") == 0;
		reply_free(r);
		if (!ok && !over)
			sleep_ms(20);
	}
	if (!ok)
		check_fail("%s: the slow claim is %s, not running with "
			   "%" G_GINT64_FORMAT
			   " files open: slower claims are needed",
			   what, st, files);
	g_free(st);
	return ok;
}

/* SLOW2 killed while running three times: failed, with a reason. */
static void
three_strikes(Env *e, Server *s, Client **c, const char *const *args)
{
	Reply *r = post_dir(*c, e->slow2, NULL);
	char *id = accepted_id(*c, r, "POST the second slow claim");
	JsonNode *job = NULL;
	JsonObject *o;

	reply_free(r);
	for (int k = 1; id != NULL && k <= 3; k++) {
		char *what = g_strdup_printf("before kill %d", k);
		gboolean ok = wait_running(*c, id, 0, what) &&
			      kill_and_restart(e, s, c, args);

		g_free(what);
		if (!ok)
			goto out;
	}
	job = id != NULL ? wait_job(*c, id, JOB_TIMEOUT) : NULL;
	o = job != NULL ? json_node_get_object(job) : NULL;
	if (o != NULL)
		printf("interrupted three times: %s (%s)\n",
		       check_str_member(o, "status"),
		       check_str_member(o, "reason"));
	if (o != NULL &&
	    (g_strcmp0(check_str_member(o, "status"), "failed") != 0 ||
	     check_str_member(o, "reason") == NULL ||
	     g_strcmp0(check_str_member(o, "reason_code"), "interrupted") != 0))
		check_fail("a job interrupted three times ended %s (%s, %s), "
			   "not failed, interrupted, with a reason",
			   check_str_member(o, "status"),
			   check_str_member(o, "reason_code"),
			   check_str_member(o, "reason"));
out:
	if (job != NULL)
		json_node_unref(job);
	g_free(id);
}

static void
mode_restart(Env *e)
{
	const char *args[] = {"-j", "1", NULL};
	Server s;
	Client *c;
	Reply *r;
	char *slow = NULL, *claim = NULL, *st = NULL;
	int n_slow = 0, n_claim = 0;

	if (!start(e, &s, args))
		return;
	c = client_new(s.base, 60);
	r = post_dir(c, e->slow1, &n_slow);
	slow = accepted_id(c, r, "POST the slow claim");
	reply_free(r);
	r = post_dir(c, e->claim, &n_claim);
	claim = accepted_id(c, r, "POST the claim behind it");
	reply_free(r);
	if (slow == NULL || claim == NULL)
		goto out;
	/* A file opened: the scan's reading processes are up. */
	wait_running(c, slow, 1, "before the kill");
	st = job_status(c, claim);
	{
		char *st1 = job_status(c, slow);

		printf("killed with the slow claim %s, the next %s\n", st1, st);
		g_free(st1);
	}
	if (!g_str_equal(st, "queued"))
		check_fail("the claim behind the slow one is %s, not queued: "
			   "the kill would test nothing",
			   st);
	leave_unfinished(e);
	if (!kill_and_restart(e, &s, &c, args))
		goto out;
	check_survived(e, c, slow, e->slow1, n_slow, "the slow claim");
	check_survived(e, c, claim, e->claim, n_claim, "the queued claim");
	check_swept(e);
	three_strikes(e, &s, &c, args);
out:
	client_free(c);
	if (s.proc != NULL)
		stop(&s);
	g_free(st);
	g_free(claim);
	g_free(slow);
}

/* ---- main ---------------------------------------------------------------
 */

static gboolean
env_init(Env *e, char **argv)
{
	GError *error = NULL;
	char *exp_file = argv[5];
	JsonNode *exp = json_load_file(exp_file, &error);

	memset(e, 0, sizeof *e);
	if (exp == NULL || !JSON_NODE_HOLDS_OBJECT(exp)) {
		check_fail("%s: %s", exp_file,
			   error != NULL ? error->message : "not an object");
		g_clear_error(&error);
		if (exp != NULL)
			json_node_unref(exp);
		return FALSE;
	}
	e->expected = json_object_ref(json_node_get_object(exp));
	json_node_unref(exp);
	e->evidcheck = argv[2];
	e->work = argv[3];
	e->claim = argv[4];
	e->slow1 = argv[6];
	e->slow2 = argv[7];
	e->data = g_build_filename(e->work, "data", NULL);
	e->db = g_build_filename(e->data, "store.db", NULL);
	e->logs = g_build_filename(e->work, "logs", NULL);
	rm_rf(e->work);
	g_mkdir_with_parents(e->logs, 0755);
	g_mkdir_with_parents(e->data, 0755);
	{
		char *input = g_build_filename(e->work, "input", NULL);

		g_mkdir_with_parents(input, 0755);
		g_free(input);
	}
	return TRUE;
}

static void
env_clear(Env *e)
{
	if (e->expected != NULL)
		json_object_unref(e->expected);
	g_free(e->data);
	g_free(e->db);
	g_free(e->logs);
}

/* ---- failures -----------------------------------------------------------
 */

/* Job ID ends failed with reason code CODE and a reason holding WORDS. */
static void
expect_failed(Client *c, const char *id, const char *code, const char *words,
	      const char *what)
{
	JsonNode *job = wait_job(c, id, JOB_TIMEOUT);
	JsonObject *o = job != NULL ? json_node_get_object(job) : NULL;
	const char *reason = check_str_member(o, "reason");

	if (o != NULL &&
	    (g_strcmp0(check_str_member(o, "status"), "failed") != 0 ||
	     g_strcmp0(check_str_member(o, "reason_code"), code) != 0 ||
	     reason == NULL || strstr(reason, words) == NULL))
		check_fail("%s: job %s ended %s (%s: %s); expected failed (%s: "
			   "...%s...)",
			   what, id, check_str_member(o, "status"),
			   check_str_member(o, "reason_code"), reason, code,
			   words);
	if (job != NULL)
		json_node_unref(job);
}

/* Upload DIR to a server started with EXTRA and check its job fails as
 * CODE says, and that the server still serves and stops cleanly. */
static void
fail_one(Env *e, const char *const *extra, const char *dir, const char *code,
	 const char *words, const char *what)
{
	Server s;
	Client *c;
	Reply *r;
	char *id;

	if (!start(e, &s, extra))
		return;
	c = client_new(s.base, 60);
	r = post_dir(c, dir, NULL);
	id = accepted_id(c, r, what);
	reply_free(r);
	if (id != NULL)
		expect_failed(c, id, code, words, what);
	expect_health(c, what);
	client_free(c);
	stop(&s);
	g_free(id);
}

/* A scan that overruns the job deadline, or dies outright, fails its job
 * with the reason; the server goes on. */
static void
mode_failures(Env *e)
{
	const char *deadline[] = {"--job-deadline", "1", NULL};

	/* Two scanned pages: seconds of OCR, past one second. */
	fail_one(e, deadline, e->slow1, "deadline", "longer than 1 s",
		 "a scan past --job-deadline 1");
	/* The scan kills itself with SIGKILL before writing its reports
	 * (store_test_kill in cmd_scan.c), as a crash would end it. */
	g_setenv("EVIDCHECK_TEST_KILL", "scan-report", TRUE);
	fail_one(e, NULL, e->claim, "crashed", "signal 9",
		 "a scan killed outright");
	g_unsetenv("EVIDCHECK_TEST_KILL");
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*run)(Env *);
	} modes[] = {{"api", mode_api},
		     {"limits", mode_limits},
		     {"tokens", mode_tokens},
		     {"restart", mode_restart},
		     {"failures", mode_failures}};
	Env e;
	double t = now_s();
	int ran = 0;

	if (argc != 8) {
		fprintf(stderr,
			"usage: serve_test api|limits|tokens|restart|failures "
			"EVIDCHECK WORK CLAIM EXPECTED_JSON SLOW1 "
			"SLOW2\n");
		return 2;
	}
	if (env_init(&e, argv))
		for (guint i = 0; i < G_N_ELEMENTS(modes); i++)
			if (strcmp(argv[1], modes[i].name) == 0) {
				modes[i].run(&e);
				ran = 1;
			}
	if (!ran && check_failures() == 0)
		check_fail("no part named %s", argv[1]);
	env_clear(&e);
	printf("serve/%s: %d failures, %.1f s\n", argv[1], check_failures(),
	       now_s() - t);
	return check_failures() == 0 ? 0 : 1;
}
