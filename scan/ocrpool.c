/* ocrpool.c - OCR the pages of a claim in parallel: a GThreadPool of
 * ctx->jobs workers, each holding its own Tesseract engine while it works
 * (an engine is not thread-safe, and starting one costs a second, so idle
 * engines are kept in the context for the next page and the next claim). */
#include "scan/scan_int.h"

typedef struct {
	ScanContext *ctx;
	GAsyncQueue *finished; /* ScanOcrTask* as they complete */
} Run;

static OcrEngine *
engine_take(ScanContext *ctx, GError **error)
{
	OcrEngine *engine = g_async_queue_try_pop(ctx->idle_engines);
	gboolean may_start;

	if (engine != NULL)
		return engine;
	g_mutex_lock(&ctx->lock);
	may_start = ctx->n_engines < ctx->jobs;
	if (may_start)
		ctx->n_engines++;
	g_mutex_unlock(&ctx->lock);
	if (!may_start)
		return g_async_queue_pop(ctx->idle_engines);
	engine = ocr_engine_new(NULL, ctx->tessdata, error);
	if (engine == NULL) {
		g_mutex_lock(&ctx->lock);
		ctx->n_engines--;
		g_mutex_unlock(&ctx->lock);
	}
	return engine;
}

static void
read_page(ScanOcrTask *task, OcrEngine *engine)
{
	IngestImage *image =
	    ingest_page_render(task->file, task->page, &task->error);
	OcrResult *result;

	if (image == NULL)
		return;
	result = ocr_page_read(engine, image, &task->error);
	ingest_image_free(image);
	if (result == NULL)
		return;
	task->text = g_steal_pointer(&result->text);
	task->confidence = result->confidence;
	ocr_result_free(result);
}

static void
worker(gpointer item, gpointer user_data)
{
	ScanOcrTask *task = item;
	Run *run = user_data;
	gint64 start = g_get_monotonic_time();
	OcrEngine *engine = engine_take(run->ctx, &task->error);
	gint64 ready = g_get_monotonic_time();

	if (engine == NULL) {
		task->fatal = TRUE;
	} else {
		read_page(task, engine);
		g_async_queue_push(run->ctx->idle_engines, engine);
	}
	g_debug("ocr %s#%d: engine %.2f s, page %.2f s", task->file->path,
		task->page, (ready - start) / 1e6,
		(g_get_monotonic_time() - ready) / 1e6);
	g_async_queue_push(run->finished, task);
}

void
scan_ocr_run(ScanContext *ctx, GPtrArray *tasks,
	     void (*done)(ScanOcrTask *task, gpointer data), gpointer data)
{
	Run run = {ctx, g_async_queue_new()};
	GThreadPool *pool;

	if (tasks->len == 0) {
		g_async_queue_unref(run.finished);
		return;
	}
	pool = g_thread_pool_new(worker, &run, ctx->jobs, FALSE, NULL);
	for (guint i = 0; i < tasks->len; i++)
		g_thread_pool_push(pool, g_ptr_array_index(tasks, i), NULL);
	for (guint i = 0; i < tasks->len; i++)
		done(g_async_queue_pop(run.finished), data);
	g_thread_pool_free(pool, FALSE, TRUE);
	g_async_queue_unref(run.finished);
}
