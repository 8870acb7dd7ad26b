/* ocrpool.c - the work of a claim in parallel: a GThreadPool of ctx->jobs
 * workers reading files, OCR'ing pages and looking for seals. An OCR task holds
 * its own Tesseract engine while it works (an engine is not thread-safe, and
 * starting one costs a second, so idle engines are kept in the context for the
 * next page and the next claim); a seal task needs no engine. A verify task
 * (scan/second.c) draws a text-layer page's key fields alone and reads each
 * with the worker's line reader (ocr/line.c), kept the same way. With
 * reading processes (scan/worker.c) a worker hands its task to one and
 * waits: the engines are then the reader's. */
#include "scan/scan_int.h"
#include "scan/verify.h"

struct ScanRun {
	ScanContext *ctx;
	GThreadPool *pool;
	GAsyncQueue *finished; /* ScanTask* as they complete */
	guint pending;	       /* pushed, not yet waited for */
};

/* An engine for this worker from IDLE: an idle one, or a new one (from
 * START) while fewer than LIMIT were started (*STARTED counts them), else
 * the next to come back. */
static OcrEngine *
engine_take_from(ScanContext *ctx, GAsyncQueue *idle, int *started, int limit,
		 OcrEngine *(*start)(ScanContext *ctx, GError **error),
		 GError **error)
{
	OcrEngine *engine = g_async_queue_try_pop(idle);
	gboolean may_start;

	if (engine != NULL)
		return engine;
	g_mutex_lock(&ctx->lock);
	may_start = *started < limit;
	if (may_start)
		(*started)++;
	g_mutex_unlock(&ctx->lock);
	if (!may_start)
		return g_async_queue_pop(idle);
	engine = start(ctx, error);
	if (engine == NULL) {
		g_mutex_lock(&ctx->lock);
		(*started)--;
		g_mutex_unlock(&ctx->lock);
	}
	return engine;
}

static OcrEngine *
start_page_engine(ScanContext *ctx, GError **error)
{
	return ocr_engine_new(NULL, ctx->tessdata, error);
}

static OcrEngine *
start_ring_engine(ScanContext *ctx, GError **error)
{
	return ocr_engine_new_rings(ctx->tessdata, error);
}

static OcrEngine *
engine_take(ScanContext *ctx, GError **error)
{
	return engine_take_from(ctx, ctx->idle_engines, &ctx->n_engines,
				ctx->jobs, start_page_engine, error);
}

static void
find_seals(ScanTask *task, const IngestImage *image)
{
	g_return_if_fail(task->seals == NULL);
	task->seals = core_boxes_new();
	ingest_image_find_seals(image, task->seals);
}

/* QR codes are decoded on the image the page was drawn at: their payloads
 * do not depend on which way the page is turned. */
static void
find_codes(ScanTask *task, const IngestImage *image)
{
	g_return_if_fail(task->codes == NULL);
	task->codes = core_ptr_array_new(g_free);
	ingest_image_find_codes(image, task->codes);
}

/* The organisations on the seals' rings, read on the image as given (the
 * seals are still in its frame) with the page's turn, before the engine
 * goes back to the pool. */
static void
read_seal_orgs(ScanTask *task, OcrEngine *engine, const IngestImage *image,
	       int rotation)
{
	task->seal_orgs = core_ptr_array_new(g_free);
	for (guint i = 0; i < task->seals->len; i++)
		g_ptr_array_add(
		    task->seal_orgs,
		    ocr_seal_read(engine, image,
				  &g_array_index(task->seals, CoreBox, i),
				  rotation, NULL));
}

static void
read_page(ScanContext *ctx, ScanTask *task, const IngestImage *image)
{
	OcrEngine *engine = engine_take(ctx, &task->error);
	OcrResult *result;

	if (engine == NULL) {
		task->fatal = TRUE;
		return;
	}
	result = ocr_page_read(engine, image, &task->error);
	if (result != NULL)
		read_seal_orgs(task, engine, image, result->rotation);
	g_async_queue_push(ctx->idle_engines, engine);
	if (result == NULL)
		return;
	task->text = g_steal_pointer(&result->text);
	task->confidence = result->confidence;
	task->words = g_steal_pointer(&result->words);
	task->rotation = result->rotation;
	/* Seals were found on the image as given; the words are upright. */
	for (guint i = 0; i < task->seals->len; i++)
		core_box_rotate(&g_array_index(task->seals, CoreBox, i),
				task->rotation);
	ocr_result_free(result);
}

static void
run_ocr(ScanContext *ctx, ScanTask *task)
{
	IngestImage *image =
	    ingest_page_render(task->file, task->out->page, &task->error);

	if (image == NULL)
		return;
	find_seals(task, image);
	find_codes(task, image);
	read_page(ctx, task, image);
	/* From the image in hand, turned as OCR found the page upright: a
	 * duplicate page is found without drawing anything again. */
	if (task->error == NULL)
		task->phash = ingest_image_phash(image, task->rotation);
	ingest_image_free(image);
}

/* Pages come in order, as the batch does. */
static void
seal_page(int page, const IngestImage *image, const GError *error,
	  gpointer data)
{
	ScanTask **cursor = data;
	ScanTask *task = *cursor;

	(void)page;
	if (task == NULL)
		return;
	if (image != NULL && task->dpi >= SCAN_CODES_DPI)
		find_codes(task, image);
	if (image != NULL)
		find_seals(task, image);
	else
		task->error = g_error_copy(error);
	*cursor = task->batch_next;
}

/* The organisations on the seals TASK found on a text-layer page, each
 * seal drawn alone at SCAN_SEAL_READ_DPI (the page was drawn too coarse
 * for its ring). A ring engine is taken into *ENGINE for the first
 * sealed page only; when it cannot start the rings stay unread, as a
 * text-layer claim needs no Tesseract. */
static void
read_layer_seal_orgs(ScanContext *ctx, ScanTask *task, OcrEngine **engine,
		     gboolean *no_engine)
{
	GArray *found;
	GPtrArray *images;
	GError *error = NULL;

	if (!task->read_rings || task->seals == NULL || task->seals->len == 0 ||
	    *no_engine || task->file->kind != INGEST_KIND_PDF)
		return;
	if (*engine == NULL)
		*engine = engine_take_from(ctx, ctx->idle_rings, &ctx->n_rings,
					   SCAN_RING_ENGINES, start_ring_engine,
					   &error);
	if (*engine == NULL) {
		g_debug("seal rings of %s not read: %s", task->file->path,
			error->message);
		g_error_free(error);
		*no_engine = TRUE;
		return;
	}
	found = core_boxes_new();
	images =
	    ingest_page_render_seals(task->file, task->out->page, task->seals,
				     SCAN_SEAL_READ_DPI, found, &error);
	task->seal_orgs = core_ptr_array_new(g_free);
	for (guint i = 0; i < task->seals->len; i++) {
		char *org = NULL;

		/* A text-layer page is drawn upright: no turn. */
		if (images != NULL)
			org = ocr_seal_read(*engine, images->pdata[i],
					    &g_array_index(found, CoreBox, i),
					    0, NULL);
		g_ptr_array_add(task->seal_orgs, org);
	}
	if (error != NULL)
		g_debug("seal rings of %s#%d not read: %s", task->file->path,
			task->out->page, error->message);
	g_clear_error(&error);
	g_clear_pointer(&images, g_ptr_array_unref);
	g_array_unref(found);
}

static void
run_seals(ScanContext *ctx, ScanTask *head)
{
	ScanTask *last = head;
	ScanTask *cursor = head;
	GError *error = NULL;
	OcrEngine *engine = NULL;
	gboolean no_engine = FALSE;

	while (last->batch_next != NULL)
		last = last->batch_next;
	if (ingest_pages_render_at(head->file, head->out->page, last->out->page,
				   head->dpi > 0 ? head->dpi : INGEST_SEAL_DPI,
				   seal_page, &cursor, &error)) {
		for (ScanTask *t = head; t != NULL; t = t->batch_next)
			read_layer_seal_orgs(ctx, t, &engine, &no_engine);
		if (engine != NULL)
			g_async_queue_push(ctx->idle_rings, engine);
		return;
	}
	for (ScanTask *t = head; t != NULL; t = t->batch_next)
		t->error = g_error_copy(error);
	g_error_free(error);
}

/* A line reader of KIND for this worker: an idle one, or a new one while
 * fewer than one per worker were started, else the next to come back. */
static OcrLineReader *
line_take(ScanContext *ctx, ScanLineKind kind, GError **error)
{
	static const char *const langs[] = {OCR_LINE_LANGS,
					    OCR_LINE_LANGS_LATIN};
	GAsyncQueue *idle = ctx->idle_lines[kind];
	OcrLineReader *reader = g_async_queue_try_pop(idle);
	gboolean may_start;

	if (reader != NULL)
		return reader;
	g_mutex_lock(&ctx->lock);
	may_start = ctx->n_lines[kind] < ctx->jobs;
	if (may_start)
		ctx->n_lines[kind]++;
	g_mutex_unlock(&ctx->lock);
	if (!may_start)
		return g_async_queue_pop(idle);
	reader = ocr_line_reader_new(ctx->tessdata, langs[kind], error);
	if (reader == NULL) {
		g_mutex_lock(&ctx->lock);
		ctx->n_lines[kind]--;
		g_mutex_unlock(&ctx->lock);
	}
	return reader;
}

/* The line readers one verify task holds, each taken when a needle first
 * needs it, so that a page of figures alone never starts the slower
 * Chinese one; a reader that cannot start is not tried again. */
typedef struct {
	ScanContext *ctx;
	OcrLineReader *reader[2]; /* by ScanLineKind */
	gboolean failed[2];
} Readers;

static OcrLineReader *
readers_get(Readers *r, ScanTask *task, ScanLineKind kind)
{
	GError *error = NULL;

	if (r->reader[kind] != NULL || r->failed[kind])
		return r->reader[kind];
	r->reader[kind] = line_take(r->ctx, kind, &error);
	r->failed[kind] = r->reader[kind] == NULL;
	if (error != NULL) {
		g_debug("verify %s#%d: %s", task->file->path, task->out->page,
			error->message);
		g_error_free(error);
	}
	return r->reader[kind];
}

static void
readers_return(Readers *r)
{
	for (guint k = 0; k < G_N_ELEMENTS(r->reader); k++)
		if (r->reader[k] != NULL)
			g_async_queue_push(r->ctx->idle_lines[k], r->reader[k]);
}

/* Read the crops of NEEDLES (ScanNeedle*, one image each) as one line
 * each; SECOND: into their second look, always the Chinese reader's, so
 * that the two looks at a figure are two models' and one's misread is
 * not the other's. A needle whose reader cannot start stays unread. */
static void
read_crops(ScanTask *task, Readers *readers, GPtrArray *needles,
	   GPtrArray *images, gboolean second)
{
	for (guint i = 0; i < needles->len; i++) {
		ScanNeedle *n = g_ptr_array_index(needles, i);
		OcrLineReader *reader = readers_get(
		    readers, task,
		    n->latin && !second ? SCAN_LINE_LATIN : SCAN_LINE_FULL);
		GError *error = NULL;
		double conf = 0;
		char *text = reader == NULL
				 ? NULL
				 : ocr_line_reader_read(
				       reader, g_ptr_array_index(images, i),
				       &conf, &error);

		g_debug("verify %s#%d %s (%s look): layer '%s', image '%s' "
			"(%.2f)%s%s",
			task->file->path, task->out->page, n->out->field,
			second ? "second" : "first", n->out->layer,
			text != NULL ? text : "", conf,
			error != NULL ? ": " : "",
			error != NULL ? error->message : "");
		g_clear_error(&error);
		if (second) {
			n->image2 = text;
			n->confidence2 = conf;
		} else {
			n->image = text;
			n->confidence = conf;
			n->read = text != NULL;
		}
	}
}

/* Draw NEEDLES' places at DPI and read them. FALSE with the task's error
 * set when the page cannot be drawn. */
static gboolean
look(ScanTask *task, Readers *readers, GPtrArray *needles, int dpi,
     gboolean second)
{
	guint n = needles->len;
	CoreBox *boxes = g_new(CoreBox, MAX(n, 1));
	GPtrArray *images;

	for (guint i = 0; i < n; i++)
		boxes[i] = ((ScanNeedle *)g_ptr_array_index(needles, i))->box;
	images = ingest_page_render_regions(task->file, task->out->page, boxes,
					    n, SCAN_VERIFY_MARGIN_PT, dpi,
					    &task->error);
	g_free(boxes);
	if (images == NULL)
		return FALSE;
	read_crops(task, readers, needles, images, second);
	g_ptr_array_unref(images);
	return TRUE;
}

/* The needles whose first look did not show the layer's value. */
static GPtrArray *
unconfirmed(GPtrArray *needles)
{
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; i < needles->len; i++) {
		ScanNeedle *n = g_ptr_array_index(needles, i);

		if (n->read && scan_verify_compare(n->kind, n->value, n->image,
						   n->confidence,
						   NULL) != SCAN_VERIFY_AGREE)
			g_ptr_array_add(out, n);
	}
	return out;
}

/* A first look at each value; where it does not show the layer's value,
 * a second at another resolution and with the Chinese reader, as
 * Tesseract's misreads (a serif 6 as 0) come and go with the scale and
 * the model while a different print stays. A reader that cannot start
 * leaves the fields unread: a text-layer claim was readable without
 * Tesseract, and stays so. */
void
scan_verify_read(ScanContext *ctx, ScanTask *task)
{
	Readers readers = {.ctx = ctx};
	GPtrArray *again;

	if (look(task, &readers, task->needles, SCAN_VERIFY_DPI, FALSE)) {
		again = unconfirmed(task->needles);
		if (again->len > 0)
			look(task, &readers, again, SCAN_VERIFY_DPI2, TRUE);
		g_ptr_array_unref(again);
	}
	readers_return(&readers);
}

static void
run_draw(ScanTask *task)
{
	task->image = ingest_page_render_at(task->file, task->draw_page,
					    task->dpi, &task->error);
}

void
scan_task_read(ScanContext *ctx, ScanTask *task)
{
	if (task->kind == SCAN_TASK_LOAD)
		ingest_file_load(task->file);
	else if (task->kind == SCAN_TASK_OCR)
		run_ocr(ctx, task);
	else if (task->kind == SCAN_TASK_VERIFY)
		scan_verify_read(ctx, task);
	else if (task->kind == SCAN_TASK_DRAW)
		run_draw(task);
	else
		run_seals(ctx, task);
}

static void
worker(gpointer item, gpointer user_data)
{
	ScanTask *task = item;
	ScanRun *run = user_data;
	gint64 start = g_get_monotonic_time();
	static const char *const names[] = {"load", "ocr", "seals", "verify",
					    "draw"};

	if (run->ctx->worker_exe != NULL)
		scan_worker_run(run->ctx, task);
	else
		scan_task_read(run->ctx, task);
	if (task->kind == SCAN_TASK_LOAD)
		scan_load_pages(task);
	g_debug("%s %s#%d: %.2f s", names[task->kind], task->file->path,
		task->out != NULL ? task->out->page : 0,
		(g_get_monotonic_time() - start) / 1e6);
	for (; task != NULL; task = task->batch_next)
		g_async_queue_push(run->finished, task);
}

/* Which waiting task a free worker takes first: negative for A. Verify
 * tasks come first, as second.c feeds them one at a time while other work
 * waits: one worker reads the key fields alongside the others' work
 * instead of after it. */
static gint
task_order(gconstpointer a, gconstpointer b, gpointer data)
{
	static const int rank[] = {[SCAN_TASK_VERIFY] = 0,
				   [SCAN_TASK_LOAD] = 1,
				   [SCAN_TASK_OCR] = 2,
				   [SCAN_TASK_SEALS] = 3,
				   [SCAN_TASK_DRAW] = 4};
	const ScanTask *ta = a, *tb = b;

	(void)data;
	if (ta->kind != tb->kind)
		return rank[ta->kind] < rank[tb->kind] ? -1 : 1;
	if (ta->cost != tb->cost)
		return ta->cost > tb->cost ? -1 : 1;
	return 0;
}

ScanRun *
scan_run_new(ScanContext *ctx)
{
	ScanRun *run = g_new0(ScanRun, 1);

	run->ctx = ctx;
	run->finished = g_async_queue_new();
	run->pool = g_thread_pool_new(worker, run, ctx->jobs, FALSE, NULL);
	g_thread_pool_set_sort_function(run->pool, task_order, NULL);
	return run;
}

void
scan_run_push(ScanRun *run, ScanTask *task)
{
	for (ScanTask *t = task; t != NULL; t = t->batch_next)
		run->pending++;
	g_thread_pool_push(run->pool, task, NULL);
}

guint
scan_run_pending(const ScanRun *run)
{
	return run->pending;
}

ScanTask *
scan_run_wait(ScanRun *run)
{
	if (run->pending == 0)
		return NULL;
	run->pending--;
	return g_async_queue_pop(run->finished);
}

void
scan_run_free(ScanRun *run)
{
	if (run == NULL)
		return;
	g_thread_pool_free(run->pool, FALSE, TRUE);
	g_async_queue_unref(run->finished);
	g_free(run);
}
