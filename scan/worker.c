/* worker.c - reading processes. Files come from strangers, and the
 * libraries that decode them do not protect us: poppler aborts the whole
 * process when an allocation fails, decoders have had crashers, Tesseract
 * can spend minutes on one image. So every task that touches a file's
 * bytes (read, draw, OCR, look for seals, read fields again) runs in a
 * child "evidcheck worker" under an address-space limit and a deadline,
 * kept for the next task with its Tesseract engines. A child that
 * crashes, runs out of memory or overruns costs that file or page an
 * UNREADABLE_FILE finding naming the cause; the claim, the batch and
 * the store - written by the parent alone - go on.
 *
 * The parent's pool thread that holds a child sends one request and
 * waits for its reply (scan/wire.c), passing on what the child writes to
 * stderr and keeping the end of it, which tells an allocation failure
 * from a crash. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scan/scan_int.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* What a reader's stderr is kept of, to tell why it died. */
#define TAIL_BYTES 4096

typedef struct {
	GPid pid;
	int sock;      /* requests and replies */
	int err;       /* the reader's stderr, read end, non-blocking */
	GString *tail; /* the end of what it wrote during this task */
	/* It said, during this task, that an allocation failed: looked for
	 * as it comes, as a sanitizer's memory map after it would push the
	 * words out of TAIL. */
	gboolean out_of_memory;
} ScanWorker;

typedef enum {
	DIED_NOT,     /* replied */
	DIED_CRASH,   /* killed by a signal of its own, or exited */
	DIED_MEMORY,  /* an allocation failed under the limit */
	DIED_TIMEOUT, /* overran the deadline and was killed */
	DIED_BROKEN   /* sent a reply that is not one */
} Died;

/* ---- messages ----------------------------------------------------------- */

static gboolean
send_all(int fd, const guint8 *data, gsize len, GError **error)
{
	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_IO,
				    "the reading process is gone (%s)",
				    g_strerror(errno));
			return FALSE;
		}
		data += n;
		len -= (gsize)n;
	}
	return TRUE;
}

/* A message is its length (4 bytes, little-endian) and a GVariant. */
static gboolean
send_message(int fd, GVariant *v, GError **error)
{
	gsize len = g_variant_get_size(v);
	guint32 head = GUINT32_TO_LE((guint32)len);
	guint8 *data;
	gboolean ok;

	if (len > SCAN_WIRE_MAX_MESSAGE) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_LIMIT,
			    "a message of %" G_GSIZE_FORMAT " bytes is over "
			    "the limit",
			    len);
		return FALSE;
	}
	/* Stored into its own buffer: GVariant wants it aligned. */
	data = g_malloc(MAX(len, 1));
	g_variant_store(v, data);
	ok = send_all(fd, (const guint8 *)&head, sizeof head, error) &&
	     send_all(fd, data, len, error);
	g_free(data);
	return ok;
}

static GVariant *
message_variant(guint8 *data, gsize len, const char *type)
{
	GBytes *bytes = g_bytes_new_take(data, len);
	GVariant *v =
	    g_variant_new_from_bytes(G_VARIANT_TYPE(type), bytes, FALSE);

	g_bytes_unref(bytes);
	return g_variant_ref_sink(v);
}

/* ---- the reading process ------------------------------------------------ */

/* Blocking; FALSE at the end of input or on an error. */
static gboolean
read_all(int fd, guint8 *data, gsize len)
{
	while (len > 0) {
		ssize_t n = read(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		data += n;
		len -= (gsize)n;
	}
	return TRUE;
}

static GVariant *
read_request(int fd)
{
	guint32 head;
	gsize len;
	guint8 *data;

	if (!read_all(fd, (guint8 *)&head, sizeof head))
		return NULL;
	len = GUINT32_FROM_LE(head);
	if (len > SCAN_WIRE_MAX_MESSAGE)
		return NULL;
	data = g_malloc(MAX(len, 1));
	if (!read_all(fd, data, len)) {
		g_free(data);
		return NULL;
	}
	return message_variant(data, len, "a{sv}");
}

/* As a decoder does: grow until the limit stops it, and abort on the
 * failed allocation. Under AddressSanitizer (no limit) one allocation
 * over its maximum does the same. */
static void
exhaust_memory(void)
{
#ifdef UNDER_ASAN
	memset(g_malloc((gsize)1 << 46), 1, 1);
#else
	for (;;)
		memset(g_malloc(64u << 20), 1, 64u << 20);
#endif
}

/* EVIDCHECK_TEST_FAULT=WHAT:NAME[:TASK] makes the reader fail as WHAT
 * (segv, abort, hang, memory, exit) on every task (or only TASK: load,
 * ocr, seals, verify, draw) of a file whose path contains NAME: the
 * tests' way to kill a reader mid-page. */
static void
test_fault(const ScanWireJob *job)
{
	static const char *const tasks[] = {"load", "ocr", "seals", "verify",
					    "draw"};
	const char *spec = g_getenv("EVIDCHECK_TEST_FAULT");
	char **part;

	if (spec == NULL)
		return;
	part = g_strsplit(spec, ":", 3);
	if (part[0] != NULL && part[1] != NULL &&
	    strstr(scan_wire_job_path(job), part[1]) != NULL &&
	    (part[2] == NULL ||
	     strcmp(part[2],
		    tasks[scan_wire_job_task((ScanWireJob *)job)->kind]) ==
		 0)) {
		if (strcmp(part[0], "segv") == 0)
			raise(SIGSEGV);
		else if (strcmp(part[0], "abort") == 0)
			abort();
		else if (strcmp(part[0], "exit") == 0)
			_exit(3);
		else if (strcmp(part[0], "hang") == 0)
			for (;;)
				pause();
		else if (strcmp(part[0], "memory") == 0)
			exhaust_memory();
	}
	g_strfreev(part);
}

/* The request's deadline, with room for the parent to act first: if the
 * parent is gone (killed), the alarm ends a reader stuck in a page. */
static void
arm_alarm(const ScanWireJob *job)
{
	int seconds = scan_wire_job_deadline(job);

	alarm(seconds > 0 ? (unsigned)seconds + 30 : 0);
}

/* A reader whose scan is gone (killed outright: nobody closed its
 * socket) ends within half a second, even in the middle of a page. */
static gpointer
watch_parent(gpointer parent)
{
	while (getppid() == (pid_t)GPOINTER_TO_INT(parent))
		g_usleep(G_USEC_PER_SEC / 2);
	_exit(3);
	return NULL;
}

int
scan_worker_main(const char *tessdata)
{
	ScanContext *ctx = scan_context_new_reader(tessdata);
	int fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	GVariant *request;

	/* A library that prints to stdout must not break a reply. */
	if (fd < 0 || null < 0 || dup2(null, STDIN_FILENO) < 0 ||
	    dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		g_printerr("evidcheck worker: cannot set up: %s\n",
			   g_strerror(errno));
		return 2;
	}
	close(null);
	g_thread_unref(g_thread_new("parent", watch_parent,
				    GINT_TO_POINTER((int)getppid())));
	while ((request = read_request(fd)) != NULL) {
		GError *error = NULL;
		ScanWireJob *job = scan_wire_job_new(request, &error);
		GVariant *reply;
		gboolean sent;

		g_variant_unref(request);
		if (job == NULL) {
			g_printerr("evidcheck worker: %s\n", error->message);
			g_error_free(error);
			break;
		}
		arm_alarm(job);
		test_fault(job);
		scan_task_read(ctx, scan_wire_job_task(job));
		alarm(0);
		reply = scan_wire_reply(job);
		sent = send_message(fd, reply, NULL);
		g_variant_unref(reply);
		scan_wire_job_free(job);
		if (!sent)
			break;
	}
	close(fd);
	scan_context_free(ctx);
	return 0;
}

/* ---- the parent --------------------------------------------------------- */

static void
limit_child(gpointer data)
{
#ifndef UNDER_ASAN
	/* Address space, not resident memory: a bomb fails at its first
	 * oversized allocation instead of pushing the machine into swap.
	 * (AddressSanitizer reserves terabytes of shadow: not there.) */
	struct rlimit rl = {(rlim_t)SCAN_WORKER_MAX_MEMORY_MB << 20,
			    (rlim_t)SCAN_WORKER_MAX_MEMORY_MB << 20};

	setrlimit(RLIMIT_AS, &rl);
#endif
	(void)data;
}

/* The reader's environment: ours, but under AddressSanitizer (where the
 * address-space limit cannot be) its resident-memory limit instead, so
 * a bomb still ends in the reader. NULL: ours as it is. */
static char **
child_environment(void)
{
#ifdef UNDER_ASAN
	char **env = g_get_environ();
	const char *opts = g_environ_getenv(env, "ASAN_OPTIONS");
	char *more = g_strdup_printf(
	    "%s%shard_rss_limit_mb=%d", opts != NULL ? opts : "",
	    opts != NULL ? ":" : "", SCAN_WORKER_MAX_MEMORY_MB);

	env = g_environ_setenv(env, "ASAN_OPTIONS", more, TRUE);
	g_free(more);
	return env;
#else
	return NULL;
#endif
}

static void
worker_free(ScanWorker *w)
{
	if (w == NULL)
		return;
	if (w->sock >= 0)
		close(w->sock);
	if (w->err >= 0)
		close(w->err);
	if (w->pid > 0) {
		kill(w->pid, SIGKILL);
		waitpid(w->pid, NULL, 0);
		g_spawn_close_pid(w->pid);
	}
	g_string_free(w->tail, TRUE);
	g_free(w);
}

static ScanWorker *
worker_spawn(ScanContext *ctx, GError **error)
{
	ScanWorker *w = g_new0(ScanWorker, 1);
	int sv[2] = {-1, -1}, errpipe[2] = {-1, -1};
	char *tessdata = ctx->tessdata != NULL
			     ? g_strconcat("--tessdata=", ctx->tessdata, NULL)
			     : NULL;
	char *argv[] = {ctx->worker_exe, "worker", tessdata, NULL};
	char **env = child_environment();
	gboolean ok;

	w->sock = w->err = -1;
	w->tail = g_string_new(NULL);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0 ||
	    pipe2(errpipe, O_CLOEXEC) != 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_IO,
			    "cannot start a reading process: %s",
			    g_strerror(errno));
		ok = FALSE;
	} else {
		ok = g_spawn_async_with_fds(
		    NULL, argv, env, G_SPAWN_DO_NOT_REAP_CHILD, limit_child,
		    NULL, &w->pid, sv[1], sv[1], errpipe[1], error);
		if (!ok)
			g_prefix_error(error,
				       "cannot start a reading process (%s): ",
				       ctx->worker_exe);
	}
	if (sv[1] >= 0)
		close(sv[1]);
	if (errpipe[1] >= 0)
		close(errpipe[1]);
	w->sock = sv[0];
	w->err = errpipe[0];
	if (w->err >= 0)
		fcntl(w->err, F_SETFL, fcntl(w->err, F_GETFL) | O_NONBLOCK);
	g_free(tessdata);
	g_strfreev(env);
	if (!ok) {
		w->pid = 0;
		worker_free(w);
		return NULL;
	}
	return w;
}

/* How the allocators and decoders say an allocation failed: GLib's
 * "failed to allocate", poppler's "Out of memory", C++'s bad_alloc,
 * AddressSanitizer's "hard rss limit exhausted" and its allocator's. */
static gboolean
says_out_of_memory(const char *text)
{
	return strstr(text, "alloc") != NULL ||
	       strstr(text, "rss limit") != NULL ||
	       strstr(text, "out of memory") != NULL ||
	       strstr(text, "Out of memory") != NULL;
}

/* Pass on what the reader wrote to stderr, and keep its end. */
static void
drain_stderr(ScanWorker *w)
{
	char buf[4096];
	ssize_t n;

	while (w->err >= 0 && (n = read(w->err, buf, sizeof buf)) > 0) {
		if (write(STDERR_FILENO, buf, (size_t)n) < 0) {
			/* Our own stderr is gone: keep the tail anyway. */
		}
		g_string_append_len(w->tail, buf, n);
		if (says_out_of_memory(w->tail->str))
			w->out_of_memory = TRUE;
		if (w->tail->len > TAIL_BYTES)
			g_string_erase(w->tail, 0,
				       (gssize)(w->tail->len - TAIL_BYTES));
	}
}

static gboolean
worker_alive(ScanWorker *w)
{
	return waitpid(w->pid, NULL, WNOHANG) == 0;
}

/* Wait for the reply into BUF (LEN bytes), reading the reader's stderr
 * meanwhile, until END (monotonic). 1 done, 0 the reader closed, -1 out
 * of time. */
static int
receive(ScanWorker *w, guint8 *buf, gsize len, gint64 end)
{
	while (len > 0) {
		struct pollfd fds[2] = {{w->sock, POLLIN, 0},
					{w->err, POLLIN, 0}};
		gint64 left = (end - g_get_monotonic_time()) / 1000;
		int r;

		if (left <= 0)
			return -1;
		r = poll(fds, w->err >= 0 ? 2 : 1, (int)MIN(left, G_MAXINT));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return 0;
		if (fds[1].revents != 0)
			drain_stderr(w);
		if (fds[0].revents != 0) {
			ssize_t n = read(w->sock, buf, len);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return 0;
			buf += n;
			len -= (gsize)n;
		}
	}
	return 1;
}

/* The reader closed or was stopped: reap it and say why it ended. */
static Died
reap(ScanWorker *w, gboolean killed, int seconds, GError **error)
{
	int status = 0;

	if (killed)
		kill(w->pid, SIGKILL);
	if (waitpid(w->pid, &status, 0) < 0)
		status = 0;
	g_spawn_close_pid(w->pid);
	w->pid = 0;
	drain_stderr(w);
	if (killed || (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_LIMIT,
			    "reading it took longer than %d s and was stopped",
			    seconds);
		return DIED_TIMEOUT;
	}
	if (w->out_of_memory) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_LIMIT,
			    "reading it needed more than %d MB of memory",
			    SCAN_WORKER_MAX_MEMORY_MB);
		return DIED_MEMORY;
	}
	if (WIFSIGNALED(status))
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "the reader crashed on it (signal %d, %s)",
			    WTERMSIG(status), g_strsignal(WTERMSIG(status)));
	else
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "the reader stopped on it (exit status %d)",
			    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return DIED_CRASH;
}

/* Send REQUEST to W and wait up to SECONDS for the reply (a new
 * reference); NULL with ERROR saying why the reader died (*DIED). */
static GVariant *
call(ScanWorker *w, GVariant *request, int seconds, Died *died, GError **error)
{
	gint64 end = g_get_monotonic_time() + (gint64)seconds * G_USEC_PER_SEC;
	guint32 head;
	gsize len;
	guint8 *data;
	int r = 0;

	g_string_truncate(w->tail, 0);
	w->out_of_memory = FALSE;
	if (!send_message(w->sock, request, NULL) ||
	    (r = receive(w, (guint8 *)&head, sizeof head, end)) != 1) {
		*died = reap(w, r < 0, seconds, error);
		return NULL;
	}
	len = GUINT32_FROM_LE(head);
	if (len > SCAN_WIRE_MAX_MESSAGE) {
		reap(w, TRUE, seconds, NULL);
		*died = DIED_BROKEN;
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "the reader sent a reply of %" G_GSIZE_FORMAT
			    " bytes, over the limit",
			    len);
		return NULL;
	}
	data = g_malloc(MAX(len, 1));
	r = receive(w, data, len, end);
	if (r != 1) {
		g_free(data);
		*died = reap(w, r < 0, seconds, error);
		return NULL;
	}
	drain_stderr(w);
	*died = DIED_NOT;
	return message_variant(data, len, "a{sv}");
}

static ScanWorker *
worker_take(ScanContext *ctx, GError **error)
{
	ScanWorker *w;

	while ((w = g_async_queue_try_pop(ctx->idle_workers)) != NULL) {
		if (worker_alive(w))
			return w;
		worker_free(w);
	}
	return worker_spawn(ctx, error);
}

/* TASK could not be read: its file (LOAD), or each page of the batch. */
static void
task_fail(ScanTask *task, Died died, const GError *cause)
{
	char *message = g_strdup_printf("cannot read '%s': %s",
					task->file->path, cause->message);
	int code =
	    cause->domain == CORE_ERROR ? cause->code : CORE_ERROR_FORMAT;

	if (task->kind == SCAN_TASK_LOAD) {
		IngestFile *file = task->file;

		g_clear_error(&file->error);
		file->error = g_error_new_literal(CORE_ERROR, code, message);
		file->n_pages = 0;
		file->loaded = TRUE;
	}
	for (ScanTask *t = task; task->kind != SCAN_TASK_LOAD && t != NULL;
	     t = t->batch_next) {
		g_clear_error(&t->error);
		t->error = g_error_new_literal(CORE_ERROR, code, message);
		t->died = died != DIED_NOT;
	}
	g_free(message);
}

/* One try on one reader; a reader that replied goes back to the idle
 * ones. NULL with *DIED and ERROR when it did not. */
static GVariant *
try_once(ScanContext *ctx, GVariant *request, Died *died, GError **error)
{
	ScanWorker *w = worker_take(ctx, error);
	GVariant *reply;

	if (w == NULL)
		return NULL;
	reply = call(w, request, ctx->deadline, died, error);
	if (reply != NULL)
		g_async_queue_push(ctx->idle_workers, w);
	else
		worker_free(w);
	return reply;
}

void
scan_worker_run(ScanContext *ctx, ScanTask *task)
{
	GVariant *request, *reply;
	GError *error = NULL;
	Died died = DIED_NOT;

	/* As ingest_file_load: a file the walk refused (a link out of the
	 * claim folder, say) is not opened by anyone. */
	if (task->kind == SCAN_TASK_LOAD &&
	    (task->file->error != NULL || task->file->loaded))
		return;
	request = scan_wire_request(task, ctx->deadline);
	reply = try_once(ctx, request, &died, &error);
	/* A crash is confirmed on a fresh reader before the file is
	 * blamed: the one that died may have been hurt by an earlier file.
	 * A deadline is not tried twice. */
	if (reply == NULL && (died == DIED_CRASH || died == DIED_MEMORY)) {
		g_debug("%s: %s; trying a fresh reader", task->file->path,
			error->message);
		g_clear_error(&error);
		reply = try_once(ctx, request, &died, &error);
	}
	if (reply == NULL && died == DIED_NOT) {
		/* No reader could be started at all: nothing can be read. */
		task->fatal = TRUE;
		task->error = error;
	} else if (reply == NULL) {
		task_fail(task, died, error);
		g_error_free(error);
	} else if (!scan_wire_take(task, reply, &error)) {
		task_fail(task, DIED_BROKEN, error);
		g_error_free(error);
	}
	g_clear_pointer(&reply, g_variant_unref);
	g_variant_unref(request);
}

void
scan_workers_close(ScanContext *ctx)
{
	ScanWorker *w;

	while ((w = g_async_queue_try_pop(ctx->idle_workers)) != NULL) {
		int status = 0;
		pid_t r = 0;

		/* End of input: the reader frees its engines and exits. */
		close(w->sock);
		w->sock = -1;
		for (int i = 0; i < 500; i++) {
			r = waitpid(w->pid, &status, WNOHANG);
			if (r != 0)
				break;
			g_usleep(10000);
		}
		if (r == 0) {
			kill(w->pid, SIGKILL);
			waitpid(w->pid, &status, 0);
			g_warning("a reading process did not exit; killed");
		} else if (r > 0 &&
			   (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
			g_warning("a reading process ended with status %d",
				  status);
		}
		g_spawn_close_pid(w->pid);
		w->pid = 0;
		drain_stderr(w);
		worker_free(w);
	}
}

IngestImage *
scan_page_draw(const ScanContext *cctx, const IngestFile *file, int page,
	       int dpi, GError **error)
{
	ScanContext *ctx = (ScanContext *)cctx;
	ScanTask task = {.kind = SCAN_TASK_DRAW,
			 .file = (IngestFile *)file,
			 .draw_page = page,
			 .dpi = dpi};

	if (ctx->worker_exe != NULL)
		scan_worker_run(ctx, &task);
	else
		scan_task_read(ctx, &task);
	if (task.image == NULL && task.error == NULL)
		g_set_error(&task.error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "cannot draw '%s' page %d", file->path, page);
	if (task.error != NULL) {
		g_propagate_error(error, task.error);
		g_clear_pointer(&task.image, ingest_image_free);
	}
	return task.image;
}
