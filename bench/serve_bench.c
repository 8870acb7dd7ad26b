/* serve_bench.c - load on `evidcheck serve` (bench/serve.sh builds and
 * runs it). Phase 1: N claims uploaded at once by C client threads, each
 * polling its jobs until done; when R jobs are done the server is
 * restarted (SIGTERM, then started again on the same data and store)
 * and the clients carry on against the new one. Every accepted claim
 * must end done, and the servers' logs must say each job done exactly
 * once. Phase 2: C threads GET one done job for S seconds. Throughout,
 * the resident memory of the server and every process under it (scan
 * children, their reading processes) is summed every 0.2 s.
 * usage: serve_bench EVIDCHECK WORK N CLIENTS RESTART_AFTER SECONDS
 *                    JOBS CLAIM_DIR...
 * Each CLAIM_DIR holds a claim.json; upload i sends claim i % count with
 * its claim_id made unique (GXFWQ-2026-S00000…). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define LISTEN_PREFIX "evidcheck serve: listening on "
#define POLL_MS	      200

typedef struct {
	char *path; /* relative to the claim folder */
	GBytes *data;
} File;

typedef struct {
	GPtrArray *files; /* File* */
	char *claim;	  /* claim.json's text */
} Claim;

typedef struct {
	char *id;
	int claim;
	double t_upload, t_accepted, t_done;
	char *status;
} Job;

typedef struct {
	const char *evidcheck, *work;
	int n, clients, restart_after, seconds, jobs;
	GPtrArray *claims; /* Claim* */
	Job *job;	   /* [n] */
	/* Under LOCK: the server's address, and what the clients did. */
	GMutex lock;
	GCond cond;
	char *base;
	int uploaded, done, failed, errors;
	int starts;
	GSubprocess *proc;
	/* The memory sampler. */
	GThread *sampler;
	gint stop_sampling;
	gint64 rss_peak_kb;
	/* Phase 2. */
	const char *poll_id;
	double poll_until;
	gint polls, poll_errors;
	gsize poll_bytes;
} Bench;

static double
now_s(void)
{
	return (double)g_get_monotonic_time() / 1e6;
}

/* ---- the claims ---------------------------------------------------------
 */

static void
file_free(gpointer p)
{
	File *f = p;

	g_free(f->path);
	g_bytes_unref(f->data);
	g_free(f);
}

static gboolean
load_tree(Claim *c, const char *top, const char *rel, GError **error)
{
	char *dir = *rel ? g_build_filename(top, rel, NULL) : g_strdup(top);
	GDir *d = g_dir_open(dir, 0, error);
	const char *name;
	gboolean ok = d != NULL;

	while (ok && (name = g_dir_read_name(d)) != NULL) {
		char *sub =
		    *rel ? g_strconcat(rel, "/", name, NULL) : g_strdup(name);
		char *path = g_build_filename(top, sub, NULL);
		char *data = NULL;
		gsize len = 0;

		if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
			ok = load_tree(c, top, sub, error);
		} else if (strcmp(sub, "claim.json") != 0 &&
			   (ok = g_file_get_contents(path, &data, &len,
						     error))) {
			File *f = g_new0(File, 1);

			f->path = g_strdup(sub);
			f->data = g_bytes_new_take(data, len);
			g_ptr_array_add(c->files, f);
		}
		g_free(path);
		g_free(sub);
	}
	if (d != NULL)
		g_dir_close(d);
	g_free(dir);
	return ok;
}

static Claim *
claim_load(const char *dir, GError **error)
{
	Claim *c = g_new0(Claim, 1);
	char *cj = g_build_filename(dir, "claim.json", NULL);

	c->files = g_ptr_array_new_with_free_func(file_free);
	if (!load_tree(c, dir, "", error) ||
	    !g_file_get_contents(cj, &c->claim, NULL, error)) {
		g_ptr_array_unref(c->files);
		g_free(c->claim);
		g_clear_pointer(&c, g_free);
	}
	g_free(cj);
	return c;
}

static void
append(GByteArray *b, const char *s)
{
	g_byte_array_append(b, (const guint8 *)s, (guint)strlen(s));
}

/* Upload I: claim I % count, its claim_id made unique. */
static GBytes *
form_of(Bench *b, int i, char **type)
{
	Claim *c = g_ptr_array_index(b->claims, i % b->claims->len);
	GByteArray *body = g_byte_array_new();
	const char *boundary = "----evidcheckBench7f3a9c";
	JsonNode *node = json_from_string(c->claim, NULL);
	char *cid = g_strdup_printf("GXFWQ-2026-S%05d", i);
	char *claim;

	json_object_set_string_member(json_node_get_object(node), "claim_id",
				      cid);
	claim = json_to_string(node, FALSE);
	for (guint k = 0; k < c->files->len; k++) {
		File *f = g_ptr_array_index(c->files, k);
		char *head = g_strdup_printf(
		    "--%s\r\nContent-Disposition: form-data; name=\"files\"; "
		    "filename=\"%s\"\r\nContent-Type: "
		    "application/octet-stream\r\n\r\n",
		    boundary, f->path);

		append(body, head);
		g_byte_array_append(body, g_bytes_get_data(f->data, NULL),
				    (guint)g_bytes_get_size(f->data));
		append(body, "\r\n");
		g_free(head);
	}
	append(body, "--");
	append(body, boundary);
	append(body, "\r\nContent-Disposition: form-data; name=\"claim\"\r\n"
		     "Content-Type: application/json\r\n\r\n");
	append(body, claim);
	append(body, "\r\n--");
	append(body, boundary);
	append(body, "--\r\n");
	*type = g_strdup_printf("multipart/form-data; boundary=%s", boundary);
	json_node_unref(node);
	g_free(claim);
	g_free(cid);
	return g_byte_array_free_to_bytes(body);
}

/* ---- the server ---------------------------------------------------------
 */

static char *
listening(const char *log)
{
	char *text = NULL, *base = NULL;
	const char *at, *end;

	if (g_file_get_contents(log, &text, NULL, NULL) &&
	    (at = strstr(text, LISTEN_PREFIX)) != NULL &&
	    (end = strchr(at, '\n')) != NULL) {
		at += strlen(LISTEN_PREFIX);
		while (end > at && end[-1] == '/')
			end--;
		base = g_strndup(at, (gsize)(end - at));
	}
	g_free(text);
	return base;
}

/* Start a server; B->base is its address once it listens. */
static gboolean
server_start(Bench *b, GError **error)
{
	char *data = g_build_filename(b->work, "data", NULL);
	char *db = g_build_filename(b->work, "store.db", NULL);
	char *log = g_strdup_printf("%s/serve-%d.log", b->work, ++b->starts);
	char *jobs = g_strdup_printf("%d", b->jobs);
	const char *argv[] = {b->evidcheck, "serve", "--listen", "127.0.0.1:0",
			      "--data",	    data,    "--db",	 db,
			      "-j",	    jobs,    NULL};
	GSubprocessLauncher *l = g_subprocess_launcher_new(0);
	char *base = NULL;
	double until = now_s() + 60;

	g_subprocess_launcher_set_stderr_file_path(l, log);
	g_mutex_lock(&b->lock);
	b->proc = g_subprocess_launcher_spawnv(l, argv, error);
	g_mutex_unlock(&b->lock);
	while (b->proc != NULL && base == NULL && now_s() < until &&
	       g_subprocess_get_identifier(b->proc) != NULL) {
		g_usleep(20000);
		base = listening(log);
	}
	if (b->proc != NULL && base == NULL)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "the server did not start (%s)", log);
	g_mutex_lock(&b->lock);
	g_free(b->base);
	b->base = base;
	g_mutex_unlock(&b->lock);
	g_object_unref(l);
	g_free(jobs);
	g_free(log);
	g_free(db);
	g_free(data);
	return base != NULL;
}

/* The restart's signal: SIGTERM (a stop asked for), or with KILL=1 in
 * the environment SIGKILL (a crash: the running scans die with it). */
static int
stop_signal(void)
{
	return g_strcmp0(g_getenv("KILL"), "1") == 0 ? SIGKILL : SIGTERM;
}

/* The restart's signal, and wait for the exit. */
static void
server_stop(Bench *b)
{
	g_mutex_lock(&b->lock);
	g_clear_pointer(&b->base, g_free);
	g_mutex_unlock(&b->lock);
	g_subprocess_send_signal(b->proc, stop_signal());
	g_subprocess_wait(b->proc, NULL, NULL);
	g_mutex_lock(&b->lock);
	g_clear_object(&b->proc);
	g_mutex_unlock(&b->lock);
}

/* ---- memory -------------------------------------------------------------
 */

static int
parent_of(const char *pid)
{
	char *file = g_strdup_printf("/proc/%s/stat", pid);
	char *stat = NULL;
	const char *close;
	int ppid = 0;
	char state;

	if (g_file_get_contents(file, &stat, NULL, NULL) &&
	    (close = strrchr(stat, ')')) != NULL)
		sscanf(close + 1, " %c %d", &state, &ppid);
	g_free(stat);
	g_free(file);
	return ppid;
}

static gint64
rss_kb(int pid)
{
	char *file = g_strdup_printf("/proc/%d/status", pid);
	char *text = NULL;
	const char *at;
	gint64 kb = 0;

	if (g_file_get_contents(file, &text, NULL, NULL) &&
	    (at = strstr(text, "VmRSS:")) != NULL)
		kb = g_ascii_strtoll(at + 6, NULL, 10);
	g_free(text);
	g_free(file);
	return kb;
}

/* The resident memory of PID and every process under it, now. */
static gint64
tree_rss_kb(int pid)
{
	GArray *pids = g_array_new(FALSE, FALSE, sizeof(int));
	GArray *ppids = g_array_new(FALSE, FALSE, sizeof(int));
	GArray *tree = g_array_new(FALSE, FALSE, sizeof(int));
	GDir *d = g_dir_open("/proc", 0, NULL);
	const char *name;
	gint64 kb = 0;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		int p = atoi(name), pp;

		if (p <= 0)
			continue;
		pp = parent_of(name);
		g_array_append_val(pids, p);
		g_array_append_val(ppids, pp);
	}
	if (d != NULL)
		g_dir_close(d);
	g_array_append_val(tree, pid);
	for (guint i = 0; i < tree->len; i++) {
		for (guint j = 0; j < pids->len; j++)
			if (g_array_index(ppids, int, j) ==
			    g_array_index(tree, int, i))
				g_array_append_val(tree,
						   g_array_index(pids, int, j));
		kb += rss_kb(g_array_index(tree, int, i));
	}
	g_array_unref(tree);
	g_array_unref(ppids);
	g_array_unref(pids);
	return kb;
}

static gpointer
sample(gpointer data)
{
	Bench *b = data;

	while (!g_atomic_int_get(&b->stop_sampling)) {
		int pid = 0;
		gint64 kb;

		g_mutex_lock(&b->lock);
		if (b->proc != NULL && g_subprocess_get_identifier(b->proc))
			pid = atoi(g_subprocess_get_identifier(b->proc));
		g_mutex_unlock(&b->lock);
		kb = pid > 0 ? tree_rss_kb(pid) : 0;
		if (kb > b->rss_peak_kb)
			b->rss_peak_kb = kb;
		g_usleep(200000);
	}
	return NULL;
}

/* ---- clients ------------------------------------------------------------
 */

/* BASE + PATH of the server now, or NULL while it restarts. */
static char *
url(Bench *b, const char *path)
{
	char *u = NULL;

	g_mutex_lock(&b->lock);
	if (b->base != NULL)
		u = g_strconcat(b->base, path, NULL);
	g_mutex_unlock(&b->lock);
	return u;
}

/* One request; its status (0: no answer) and, when JSON is set, the
 * body parsed. */
static guint
request(Bench *b, SoupSession *s, const char *method, const char *path,
	GBytes *body, const char *type, JsonObject **json, gsize *size)
{
	char *u = url(b, path);
	SoupMessage *msg = u != NULL ? soup_message_new(method, u) : NULL;
	GBytes *got = NULL;
	guint status = 0;

	if (msg != NULL && body != NULL)
		soup_message_set_request_body_from_bytes(msg, type, body);
	if (msg != NULL)
		got = soup_session_send_and_read(s, msg, NULL, NULL);
	if (got != NULL) {
		status = soup_message_get_status(msg);
		if (size != NULL)
			*size = g_bytes_get_size(got);
	}
	if (got != NULL && json != NULL) {
		JsonParser *p = json_parser_new();

		*json = json_parser_load_from_data(
			    p, g_bytes_get_data(got, NULL),
			    (gssize)g_bytes_get_size(got), NULL) &&
				JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p))
			    ? json_object_ref(
				  json_node_get_object(json_parser_get_root(p)))
			    : NULL;
		g_object_unref(p);
	}
	if (got != NULL)
		g_bytes_unref(got);
	if (msg != NULL)
		g_object_unref(msg);
	g_free(u);
	return status;
}

/* Upload I until it is accepted (a refused or dropped upload is tried
 * again: it made no job). */
static void
upload(Bench *b, SoupSession *s, int i)
{
	char *type = NULL;
	GBytes *body = form_of(b, i, &type);
	Job *j = &b->job[i];

	j->claim = i % (int)b->claims->len;
	j->t_upload = now_s();
	while (j->id == NULL) {
		JsonObject *o = NULL;
		guint st =
		    request(b, s, "POST", "/v1/claims", body, type, &o, NULL);

		if (st == 202 && o != NULL)
			j->id =
			    g_strdup(json_object_get_string_member(o, "id"));
		else
			g_usleep(200000);
		if (st != 202)
			g_atomic_int_inc(&b->errors);
		if (o != NULL)
			json_object_unref(o);
	}
	j->t_accepted = now_s();
	g_mutex_lock(&b->lock);
	b->uploaded++;
	g_cond_broadcast(&b->cond);
	g_mutex_unlock(&b->lock);
	g_bytes_unref(body);
	g_free(type);
}

/* Poll job J once; TRUE when it has ended. */
static gboolean
poll_job(Bench *b, SoupSession *s, Job *j)
{
	char *path = g_strdup_printf("/v1/claims/%s", j->id);
	JsonObject *o = NULL;
	guint st = request(b, s, "GET", path, NULL, NULL, &o, NULL);
	const char *status = st == 200 && o != NULL
				 ? json_object_get_string_member(o, "status")
				 : NULL;
	gboolean over =
	    g_strcmp0(status, "done") == 0 || g_strcmp0(status, "failed") == 0;

	if (over) {
		j->t_done = now_s();
		j->status = g_strdup(status);
		g_mutex_lock(&b->lock);
		*(g_str_equal(status, "done") ? &b->done : &b->failed) += 1;
		g_cond_broadcast(&b->cond);
		g_mutex_unlock(&b->lock);
	} else if (st != 200) {
		/* The server restarts: ask again in a moment. */
		g_atomic_int_inc(&b->errors);
	}
	if (o != NULL)
		json_object_unref(o);
	g_free(path);
	return over;
}

typedef struct {
	Bench *b;
	int first;
} Client;

/* Client K uploads claims K, K + clients, … at once, then polls them. */
static gpointer
client(gpointer data)
{
	Client *c = data;
	Bench *b = c->b;
	SoupSession *s = soup_session_new_with_options("timeout", 60, NULL);
	int left = 0;

	for (int i = c->first; i < b->n; i += b->clients, left++)
		upload(b, s, i);
	while (left > 0) {
		g_usleep(POLL_MS * 1000);
		for (int i = c->first; i < b->n; i += b->clients)
			if (b->job[i].status == NULL &&
			    poll_job(b, s, &b->job[i]))
				left--;
	}
	g_object_unref(s);
	return NULL;
}

static gpointer
hammer(gpointer data)
{
	Bench *b = data;
	SoupSession *s = soup_session_new_with_options("timeout", 60, NULL);
	char *path = g_strdup_printf("/v1/claims/%s", b->poll_id);

	while (now_s() < b->poll_until) {
		gsize size = 0;

		if (request(b, s, "GET", path, NULL, NULL, NULL, &size) ==
		    200) {
			g_atomic_int_inc(&b->polls);
			g_atomic_pointer_add(&b->poll_bytes, (gssize)size);
		} else {
			g_atomic_int_inc(&b->poll_errors);
		}
	}
	g_free(path);
	g_object_unref(s);
	return NULL;
}

/* ---- the run ------------------------------------------------------------
 */

static void
run_threads(Bench *b, GThreadFunc fn, gboolean clients)
{
	GThread **t = g_new0(GThread *, b->clients);
	Client *c = g_new0(Client, b->clients);

	for (int k = 0; k < b->clients; k++) {
		c[k] = (Client){b, k};
		t[k] = g_thread_new("client", fn,
				    clients ? (gpointer)&c[k] : (gpointer)b);
	}
	for (int k = 0; k < b->clients; k++)
		g_thread_join(t[k]);
	g_free(c);
	g_free(t);
}

/* What GET /v1/health says now. */
static void
print_health(Bench *b)
{
	SoupSession *s = soup_session_new();
	JsonObject *o = NULL;

	if (request(b, s, "GET", "/v1/health", NULL, NULL, &o, NULL) == 200 &&
	    o != NULL)
		printf("  the server had %" G_GINT64_FORMAT
		       " claims running, %" G_GINT64_FORMAT " queued\n",
		       json_object_get_int_member(o, "running"),
		       json_object_get_int_member(o, "queued"));
	if (o != NULL)
		json_object_unref(o);
	g_object_unref(s);
}

typedef struct {
	Bench *b;
	double restart_s;
	gboolean ok;
} Restart;

/* When all are uploaded and RESTART_AFTER are done: restart. */
static gpointer
restarter(gpointer data)
{
	Restart *r = data;
	Bench *b = r->b;
	GError *error = NULL;
	double t;

	g_mutex_lock(&b->lock);
	while (b->uploaded < b->n || b->done + b->failed < b->restart_after)
		g_cond_wait(&b->cond, &b->lock);
	printf("restart: %d uploaded, %d done: %s\n", b->uploaded, b->done,
	       stop_signal() == SIGKILL ? "SIGKILL" : "SIGTERM");
	g_mutex_unlock(&b->lock);
	print_health(b);
	t = now_s();
	server_stop(b);
	r->ok = server_start(b, &error);
	r->restart_s = now_s() - t;
	if (!r->ok) {
		fprintf(stderr, "serve_bench: %s\n", error->message);
		g_clear_error(&error);
	}
	return NULL;
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, c = *(const double *)y;

	return a < c ? -1 : a > c;
}

/* How many "claim ID done" lines the servers' logs hold for ID. */
static int
times_done(Bench *b, const char *id)
{
	char *needle = g_strdup_printf("claim %s done", id);
	int n = 0;

	for (int k = 1; k <= b->starts; k++) {
		char *log = g_strdup_printf("%s/serve-%d.log", b->work, k);
		char *text = NULL;

		if (g_file_get_contents(log, &text, NULL, NULL))
			for (const char *p = text;
			     (p = strstr(p, needle)) != NULL; p++)
				n++;
		g_free(text);
		g_free(log);
	}
	g_free(needle);
	return n;
}

/* The lines of the servers' logs that say jobs were put back in the
 * queue by a restart. */
static void
print_requeued(Bench *b)
{
	for (int k = 1; k <= b->starts; k++) {
		char *log = g_strdup_printf("%s/serve-%d.log", b->work, k);
		char *text = NULL;
		char **lines = NULL;

		if (g_file_get_contents(log, &text, NULL, NULL))
			lines = g_strsplit(text, "\n", -1);
		for (char **l = lines; l != NULL && *l != NULL; l++)
			if (strstr(*l, "queued again") != NULL)
				printf("server %d: %s\n", k, *l);
		g_strfreev(lines);
		g_free(text);
		g_free(log);
	}
}

/* Every accepted job ended done, once; latencies. FALSE on a loss. */
static gboolean
report_phase1(Bench *b, double wall)
{
	double *lat = g_new(double, b->n);
	double first = G_MAXDOUBLE, last = 0;
	int bad = 0;
	GHashTable *ids = g_hash_table_new(g_str_hash, g_str_equal);

	for (int i = 0; i < b->n; i++) {
		Job *j = &b->job[i];
		int times = times_done(b, j->id);

		lat[i] = j->t_done - j->t_upload;
		if (g_strcmp0(j->status, "done") != 0 || times != 1 ||
		    !g_hash_table_add(ids, j->id)) {
			printf("LOST OR TWICE: upload %d, job %s: %s, done %d "
			       "times in the logs\n",
			       i, j->id, j->status, times);
			bad++;
		}
	}
	for (int i = 0; i < b->n; i++) {
		first = MIN(first, b->job[i].t_upload);
		last = MAX(last, b->job[i].t_accepted);
	}
	printf("uploads: %d accepted in %.2f s\n", b->n, last - first);
	qsort(lat, (size_t)b->n, sizeof *lat, cmp_double);
	printf("claims: %d uploaded by %d clients, %d done, %d failed, %d "
	       "lost or done twice, in %.1f s (%.1f claims/min)\n",
	       b->n, b->clients, b->done, b->failed, bad, wall,
	       b->n * 60 / wall);
	printf("upload to done: median %.2f s, p90 %.2f s, max %.2f s\n",
	       lat[(b->n - 1) / 2], lat[(int)(0.9 * (b->n - 1) + 0.5)],
	       lat[b->n - 1]);
	g_hash_table_unref(ids);
	g_free(lat);
	return bad == 0 && b->failed == 0;
}

static gboolean
bench_init(Bench *b, int argc, char **argv)
{
	GError *error = NULL;

	memset(b, 0, sizeof *b);
	if (argc < 9)
		return FALSE;
	b->evidcheck = argv[1];
	b->work = argv[2];
	b->n = atoi(argv[3]);
	b->clients = atoi(argv[4]);
	b->restart_after = MIN(atoi(argv[5]), atoi(argv[3]));
	b->seconds = atoi(argv[6]);
	b->jobs = atoi(argv[7]);
	b->claims = g_ptr_array_new();
	for (int i = 8; i < argc; i++) {
		Claim *c = claim_load(argv[i], &error);

		if (c == NULL) {
			fprintf(stderr, "serve_bench: %s: %s\n", argv[i],
				error->message);
			g_clear_error(&error);
			return FALSE;
		}
		g_ptr_array_add(b->claims, c);
	}
	b->job = g_new0(Job, b->n);
	g_mutex_init(&b->lock);
	g_cond_init(&b->cond);
	return b->n > 0 && b->clients > 0 && b->jobs > 0;
}

int
main(int argc, char **argv)
{
	Bench b;
	Restart r = {&b, 0, FALSE};
	GThread *rt;
	GError *error = NULL;
	double t;
	gboolean ok;

	if (!bench_init(&b, argc, argv)) {
		fprintf(stderr, "usage: serve_bench EVIDCHECK WORK N CLIENTS "
				"RESTART_AFTER SECONDS JOBS CLAIM_DIR...\n");
		return 2;
	}
	if (!server_start(&b, &error)) {
		fprintf(stderr, "serve_bench: %s\n", error->message);
		return 1;
	}
	b.sampler = g_thread_new("rss", sample, &b);
	t = now_s();
	rt = g_thread_new("restart", restarter, &r);
	run_threads(&b, client, TRUE);
	g_thread_join(rt);
	ok = report_phase1(&b, now_s() - t) && r.ok;
	print_requeued(&b);
	printf("restart (signal to listening again): %.2f s\n", r.restart_s);

	b.poll_id = b.job[0].id;
	b.poll_until = now_s() + b.seconds;
	t = now_s();
	run_threads(&b, hammer, FALSE);
	t = now_s() - t;
	printf("status polls: %d clients, %.0f requests/s (%d in %.1f s, %.0f "
	       "KB each, %d errors)\n",
	       b.clients, b.polls / t, b.polls, t,
	       b.polls > 0 ? (double)b.poll_bytes / b.polls / 1024 : 0.0,
	       b.poll_errors);
	ok = ok && b.poll_errors == 0;
	server_stop(&b);
	g_atomic_int_set(&b.stop_sampling, 1);
	g_thread_join(b.sampler);
	printf(
	    "peak RSS, the server and every process under it: %" G_GINT64_FORMAT
	    " KiB\n",
	    b.rss_peak_kb);
	printf("client errors (refused or unanswered requests, retried): %d\n",
	       b.errors);
	return ok ? 0 : 1;
}
