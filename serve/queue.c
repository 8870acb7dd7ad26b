/* queue.c - the jobs: queued in the store, each scanned by `evidcheck
 * scan` in a child process of its own (its own process group, so its
 * reading processes go with it) under the job deadline. The child tells
 * its progress on a pipe; its exit status and the last lines of its
 * stderr say how it ended. A child that crashes or hangs fails its job,
 * never the server. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/core.h"
#include "serve/serve_int.h"

/* What a failed job's reason quotes of the child's stderr. */
#define ERR_TAIL_BYTES 2048
/* After the child exits, how long its stderr may take to end. */
#define ERR_DRAIN_MS 2000

static void
run_unref(ServeRun *run)
{
	if (--run->refs > 0)
		return;
	g_clear_object(&run->child);
	g_clear_object(&run->cancel);
	g_clear_object(&run->progress);
	g_clear_object(&run->err);
	g_string_free(run->err_tail, TRUE);
	g_free(run->dir);
	g_free(run->id);
	run->server->live_runs--;
	g_free(run);
}

static ServeRun *
run_ref(ServeRun *run)
{
	run->refs++;
	return run;
}

ServeRun *
serve_queue_running(Server *s, const char *id)
{
	return g_hash_table_lookup(s->running, id);
}

static void
kill_group(ServeRun *run)
{
	if (run->pid > 0 && kill(-run->pid, SIGKILL) != 0 && errno != ESRCH)
		g_warning("cannot stop the scan of %s: %s", run->id,
			  g_strerror(errno));
}

/* ---- how a job ended -------------------------------------------------- */

/* The child's last stderr line worth quoting, or NULL. Caller owns. */
static char *
last_error_line(const ServeRun *run)
{
	char **lines = g_strsplit(run->err_tail->str, "\n", -1);
	char *found = NULL;

	for (int i = (int)g_strv_length(lines) - 1; i >= 0 && !found; i--) {
		const char *line = g_strstrip(lines[i]);

		if (g_str_has_prefix(line, "evidcheck: "))
			line += strlen("evidcheck: ");
		/* The usage hint says nothing of this claim. */
		if (*line != '\0' && !g_str_has_prefix(line, "(see "))
			found = g_utf8_make_valid(line, -1);
	}
	g_strfreev(lines);
	return found;
}

static char *
verdict_of(const char *report)
{
	JsonParser *parser = json_parser_new();
	char *verdict = NULL;

	if (json_parser_load_from_mapped_file(parser, report, NULL) &&
	    JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		JsonObject *o =
		    json_node_get_object(json_parser_get_root(parser));

		verdict = g_strdup(json_object_get_string_member_with_default(
		    o, "verdict", NULL));
	}
	g_object_unref(parser);
	return verdict;
}

static char *
failure_reason(Server *s, ServeRun *run, int status, const char **code)
{
	char *line = last_error_line(run);
	char *reason;

	*code = run->timed_out	      ? "deadline"
		: WIFSIGNALED(status) ? "crashed"
				      : "scan_error";
	if (run->timed_out)
		reason = g_strdup_printf("the scan took longer than %d s and "
					 "was stopped",
					 s->job_deadline);
	else if (WIFSIGNALED(status))
		reason = g_strdup_printf(
		    "the scan stopped on signal %d (%s)%s%s", WTERMSIG(status),
		    g_strsignal(WTERMSIG(status)), line != NULL ? ": " : "",
		    line != NULL ? line : "");
	else if (line != NULL)
		reason = g_strdup_printf("the scan could not finish: %s", line);
	else
		reason = g_strdup_printf("the scan ended (exit status %d) "
					 "without a report",
					 WEXITSTATUS(status));
	g_free(line);
	return reason;
}

static void
finish(ServeRun *run)
{
	Server *s = run->server;
	int status = run->status;
	char *report;
	StoreJob job = {.id = run->id,
			.finished_at = g_get_real_time() / G_USEC_PER_SEC,
			.files = run->files,
			.files_done = run->files_done,
			.pages_done = run->pages_done,
			.pages_total = run->pages};
	GError *error = NULL;

	if (run->finished)
		return;
	run->finished = TRUE;
	report = g_build_filename(run->dir, "report.json", NULL);
	g_cancellable_cancel(run->cancel);
	if (run->deadline_source != 0)
		g_source_remove(run->deadline_source);
	/* Reading processes the scan left behind go with it. */
	kill_group(run);
	if (!run->timed_out && WIFEXITED(status) && WEXITSTATUS(status) <= 1)
		job.verdict = verdict_of(report);
	job.status = job.verdict != NULL ? "done" : "failed";
	if (job.verdict == NULL)
		job.reason = failure_reason(s, run, status,
					    (const char **)&job.reason_code);
	if (!store_job_finish(s->store, &job, &error)) {
		g_warning("claim %s: %s", run->id, error->message);
		g_error_free(error);
	}
	g_message("claim %s %s%s%s", run->id, job.status,
		  job.reason != NULL ? ": " : "",
		  job.reason != NULL ? job.reason : "");
	g_hash_table_remove(s->running, run->id);
	g_free(job.verdict);
	g_free(job.reason);
	g_free(report);
	run_unref(run);
	serve_queue_kick(s);
}

static gboolean
on_drained(gpointer data)
{
	ServeRun *run = data;

	run->drain_source = 0;
	finish(run);
	return G_SOURCE_REMOVE;
}

static void
on_child_exit(GObject *source, GAsyncResult *result, gpointer data)
{
	ServeRun *run = data;

	(void)source;
	if (g_subprocess_wait_finish(run->child, result, NULL) &&
	    !run->finished && !run->server->stopping) {
		run->status = g_subprocess_get_status(run->child);
		run->exited = TRUE;
		if (run->err_done)
			finish(run);
		else
			run->drain_source =
			    g_timeout_add(ERR_DRAIN_MS, on_drained, run);
	}
	run_unref(run);
}

static gboolean
on_deadline(gpointer data)
{
	ServeRun *run = data;

	run->deadline_source = 0;
	run->timed_out = TRUE;
	kill_group(run);
	return G_SOURCE_REMOVE;
}

/* ---- what the child says ---------------------------------------------- */

static void read_progress(ServeRun *run);
static void read_err(ServeRun *run);

static void
take_progress(ServeRun *run, const char *line)
{
	int v[4];

	if (sscanf(line, "progress %d %d %d %d", &v[0], &v[1], &v[2], &v[3]) ==
		4 &&
	    v[0] >= 0 && v[1] >= v[0] && v[2] >= 0 && v[3] >= v[2]) {
		run->files_done = v[0];
		run->files = v[1];
		run->pages_done = v[2];
		run->pages = v[3];
	}
}

static void
on_progress(GObject *source, GAsyncResult *result, gpointer data)
{
	ServeRun *run = data;
	char *line = g_data_input_stream_read_line_finish(
	    G_DATA_INPUT_STREAM(source), result, NULL, NULL);

	if (line != NULL && !run->finished) {
		take_progress(run, line);
		read_progress(run);
	}
	g_free(line);
	run_unref(run);
}

static void
read_progress(ServeRun *run)
{
	g_data_input_stream_read_line_async(run->progress, G_PRIORITY_DEFAULT,
					    run->cancel, on_progress,
					    run_ref(run));
}

static void
on_err(GObject *source, GAsyncResult *result, gpointer data)
{
	ServeRun *run = data;
	gssize n =
	    g_input_stream_read_finish(G_INPUT_STREAM(source), result, NULL);

	if (run->finished) {
		run_unref(run);
		return;
	}
	if (n > 0) {
		g_string_append_len(run->err_tail, run->err_buf, n);
		if (run->err_tail->len > ERR_TAIL_BYTES)
			g_string_erase(
			    run->err_tail, 0,
			    (gssize)(run->err_tail->len - ERR_TAIL_BYTES));
		read_err(run);
	} else {
		run->err_done = TRUE;
		if (run->exited) {
			if (run->drain_source != 0)
				g_source_remove(run->drain_source);
			run->drain_source = 0;
			finish(run);
		}
	}
	run_unref(run);
}

static void
read_err(ServeRun *run)
{
	g_input_stream_read_async(run->err, run->err_buf, sizeof run->err_buf,
				  G_PRIORITY_DEFAULT, run->cancel, on_err,
				  run_ref(run));
}

/* ---- starting a job --------------------------------------------------- */

static void
child_setup(gpointer data)
{
	(void)data;
	/* Its own group: the deadline stops its reading processes too. */
	setpgid(0, 0);
	/* A server killed outright takes its scans with it: the restart
	 * starts them again, and an orphan must not write beside that. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static GPtrArray *
scan_argv(Server *s, const char *id, const char *dir)
{
	const ServeOptions *o = s->options;
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(argv, g_strdup(o->executable));
	g_ptr_array_add(argv, g_strdup("scan"));
	g_ptr_array_add(argv, g_build_filename(s->claims_dir, id, NULL));
	g_ptr_array_add(argv, g_strdup("--db"));
	g_ptr_array_add(argv, g_strdup(s->db_path));
	g_ptr_array_add(argv, g_strdup("--no-record"));
	g_ptr_array_add(argv, g_strdup("--out"));
	g_ptr_array_add(argv, g_build_filename(dir, "report.json", NULL));
	g_ptr_array_add(argv, g_strdup("--html"));
	g_ptr_array_add(argv, g_build_filename(dir, "report.html", NULL));
	g_ptr_array_add(argv, g_strdup("--pages"));
	g_ptr_array_add(argv, g_build_filename(dir, "pages", NULL));
	g_ptr_array_add(argv, g_strdup("--progress-fd"));
	g_ptr_array_add(argv, g_strdup("3"));
	g_ptr_array_add(argv, g_strdup_printf("--jobs=%d", s->scan_jobs));
	if (o->policy != NULL)
		g_ptr_array_add(argv,
				g_strdup_printf("--policy=%s", o->policy));
	if (o->rules_dir != NULL)
		g_ptr_array_add(argv,
				g_strdup_printf("--rules=%s", o->rules_dir));
	g_ptr_array_add(argv, NULL);
	return argv;
}

static gboolean
spawn(Server *s, ServeRun *run, GError **error)
{
	GSubprocessLauncher *l = g_subprocess_launcher_new(
	    G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
	GPtrArray *argv = scan_argv(s, run->id, run->dir);
	int fds[2];
	gboolean ok = g_unix_open_pipe(fds, FD_CLOEXEC, error);

	if (ok) {
		g_subprocess_launcher_take_fd(l, fds[1], 3);
		g_subprocess_launcher_set_child_setup(l, child_setup, NULL,
						      NULL);
		run->child = g_subprocess_launcher_spawnv(
		    l, (const char *const *)argv->pdata, error);
		ok = run->child != NULL;
		run->progress = g_data_input_stream_new(
		    g_unix_input_stream_new(fds[0], TRUE));
	}
	if (ok) {
		run->pid = (GPid)g_ascii_strtoll(
		    g_subprocess_get_identifier(run->child), NULL, 10);
		run->err =
		    g_object_ref(g_subprocess_get_stderr_pipe(run->child));
	}
	g_ptr_array_unref(argv);
	g_object_unref(l); /* closes our copy of the pipe's write end */
	return ok;
}

/* Fail job ID at once: its scan could not even start. */
static void
fail_now(Server *s, const char *id, const char *reason)
{
	StoreJob job = {.id = (char *)id,
			.status = "failed",
			.finished_at = g_get_real_time() / G_USEC_PER_SEC,
			.reason = (char *)reason,
			.reason_code = "start_failed"};
	GError *error = NULL;

	if (!store_job_finish(s->store, &job, &error)) {
		g_warning("claim %s: %s", id, error->message);
		g_error_free(error);
	}
}

static void
start_job(Server *s, const char *id)
{
	ServeRun *run = g_new0(ServeRun, 1);
	GError *error = NULL;

	run->refs = 1;
	run->server = s;
	s->live_runs++;
	run->id = g_strdup(id);
	run->cancel = g_cancellable_new();
	run->err_tail = g_string_new(NULL);
	run->dir = g_build_filename(s->jobs_dir, id, NULL);
	/* A job started again after a restart begins afresh. */
	serve_remove_tree(run->dir);
	s->queued = MAX(0, s->queued - 1);
	if (g_mkdir_with_parents(run->dir, 0700) != 0 ||
	    !store_job_start(s->store, id, g_get_real_time() / G_USEC_PER_SEC,
			     &error) ||
	    !spawn(s, run, &error)) {
		char *reason = g_strdup_printf(
		    "the scan could not start: %s",
		    error != NULL ? error->message : g_strerror(errno));

		fail_now(s, id, reason);
		g_free(reason);
		g_clear_error(&error);
		run_unref(run);
		return;
	}
	g_hash_table_insert(s->running, run->id, run);
	run->deadline_source =
	    g_timeout_add_seconds((guint)s->job_deadline, on_deadline, run);
	read_progress(run);
	read_err(run);
	g_subprocess_wait_async(run->child, NULL, on_child_exit, run_ref(run));
}

void
serve_queue_kick(Server *s)
{
	GPtrArray *ids;
	GError *error = NULL;

	if (s->stopping || (int)g_hash_table_size(s->running) >= s->jobs)
		return;
	ids = store_job_ids(s->store, "queued", &error);
	if (ids == NULL) {
		g_warning("%s", error->message);
		g_error_free(error);
		return;
	}
	s->queued = (int)ids->len;
	for (guint i = 0; i < ids->len && !s->stopping &&
			  (int)g_hash_table_size(s->running) < s->jobs;
	     i++)
		start_job(s, g_ptr_array_index(ids, i));
	g_ptr_array_unref(ids);
}

gboolean
serve_queue_start(Server *s, GError **error)
{
	char *reason = g_strdup_printf("the server was stopped during this "
				       "claim's scan %d times",
				       SERVE_MAX_ATTEMPTS);
	int n = store_job_requeue(s->store, SERVE_MAX_ATTEMPTS, reason, error);

	g_free(reason);
	if (n < 0)
		return FALSE;
	if (n > 0)
		g_message("%d claims interrupted by the last stop are queued "
			  "again",
			  n);
	serve_claims_clean(s);
	s->queued = store_job_count(s->store, "queued");
	return s->queued >= 0;
}

static gboolean
on_wait_over(gpointer data)
{
	*(gboolean *)data = TRUE;
	return G_SOURCE_REMOVE;
}

/* Let the cancelled reads and the killed children's waits come back, so
 * nothing of theirs is left when the server exits; a few seconds at
 * most. */
static void
wait_runs(Server *s)
{
	gboolean over = FALSE;
	guint timer = g_timeout_add_seconds(5, on_wait_over, &over);

	while (s->live_runs > 0 && !over)
		g_main_context_iteration(NULL, TRUE);
	if (!over)
		g_source_remove(timer);
}

void
serve_queue_stop(Server *s)
{
	GHashTableIter it;
	gpointer value;
	GError *error = NULL;

	s->stopping = TRUE;
	g_hash_table_iter_init(&it, s->running);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		ServeRun *run = value;

		run->finished = TRUE;
		g_cancellable_cancel(run->cancel);
		kill_group(run);
		/* A stop asked for is not the claim's fault: the attempt
		 * does not count. */
		if (!store_job_release(s->store, run->id, &error)) {
			g_warning("claim %s: %s", run->id, error->message);
			g_clear_error(&error);
		}
		if (run->deadline_source != 0)
			g_source_remove(run->deadline_source);
		if (run->drain_source != 0)
			g_source_remove(run->drain_source);
		g_hash_table_iter_remove(&it);
		run_unref(run);
	}
	wait_runs(s);
}
