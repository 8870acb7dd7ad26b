/* fuzz_wire.c - libFuzzer target: the messages between a scan and its
 * reading processes (scan/wire.c). A reader has just run hostile input
 * and may be anyone's by then, so its reply is parsed as untrusted: the
 * bytes as a reply to each kind of task, and as a request a reader
 * decodes. Whatever is taken must be what the parent can use: a file's
 * layer has one entry per page, boxes and confidences are finite. */
#include <math.h>

#include "fuzz/fuzz.h"
#include "scan/scan_int.h"

static GVariant *
as_message(const uint8_t *data, size_t size)
{
	GBytes *bytes = g_bytes_new(data, size);
	GVariant *v =
	    g_variant_new_from_bytes(G_VARIANT_TYPE("a{sv}"), bytes, FALSE);

	g_bytes_unref(bytes);
	return g_variant_ref_sink(v);
}

static void
check_words(const GArray *words)
{
	for (guint i = 0; words != NULL && i < words->len; i++) {
		const CoreWord *w = &g_array_index(words, CoreWord, i);

		FUZZ_ASSERT(w->text != NULL &&
				g_utf8_validate(w->text, -1, NULL),
			    "a word is not UTF-8");
		FUZZ_ASSERT(isfinite(w->box.x) && isfinite(w->box.y) &&
				isfinite(w->box.w) && isfinite(w->box.h) &&
				w->confidence >= 0 && w->confidence <= 1,
			    "a word's box or confidence is not tamed");
	}
}

static void
take_load(GVariant *reply)
{
	IngestFile *file = g_new0(IngestFile, 1);
	ScanTask task = {.kind = SCAN_TASK_LOAD, .file = file};
	GError *error = NULL;

	file->path = g_strdup("a.pdf");
	if (scan_wire_take(&task, reply, &error)) {
		FUZZ_ASSERT(file->n_pages >= 0 &&
				file->n_pages <= INGEST_MAX_PAGES,
			    "a page count out of range was taken");
		FUZZ_ASSERT(
		    file->layer_text == NULL ||
			(file->layer_text->len == (guint)file->n_pages &&
			 file->layer_words->len == (guint)file->n_pages &&
			 file->layer_score->len == (guint)file->n_pages &&
			 file->layer_verdict->len == (guint)file->n_pages),
		    "a layer that does not match the page count");
		for (guint i = 0;
		     file->layer_words && i < file->layer_words->len; i++)
			check_words(g_ptr_array_index(file->layer_words, i));
	} else {
		FUZZ_ASSERT(error != NULL, "refused without an error");
		FUZZ_ASSERT(file->n_pages == 0, "a refused file has pages");
	}
	g_clear_error(&error);
	g_clear_error(&task.error);
	ingest_file_free(file);
}

static void
clear_results(ScanTask *t)
{
	g_clear_pointer(&t->text, g_free);
	g_clear_pointer(&t->words, g_array_unref);
	g_clear_pointer(&t->seals, g_array_unref);
	g_clear_pointer(&t->seal_orgs, g_ptr_array_unref);
	g_clear_pointer(&t->codes, g_ptr_array_unref);
	g_clear_pointer(&t->image, ingest_image_free);
	g_clear_error(&t->error);
}

/* A seal batch of two pages. */
static void
take_pages(GVariant *reply)
{
	IngestFile *file = g_new0(IngestFile, 1);
	CorePage *p1 = core_page_new("a.pdf", 1),
		 *p2 = core_page_new("a.pdf", 2);
	ScanTask b = {.kind = SCAN_TASK_SEALS,
		      .file = file,
		      .out = p2,
		      .batch_member = TRUE};
	ScanTask a = {
	    .kind = SCAN_TASK_SEALS, .file = file, .out = p1, .batch_next = &b};
	GError *error = NULL;

	file->path = g_strdup("a.pdf");
	if (scan_wire_take(&a, reply, &error))
		for (ScanTask *t = &a; t != NULL; t = t->batch_next) {
			FUZZ_ASSERT(t->seals != NULL || t->error != NULL,
				    "a page neither searched nor failed");
			check_words(t->words);
		}
	g_clear_error(&error);
	clear_results(&a);
	clear_results(&b);
	core_page_free(p1);
	core_page_free(p2);
	ingest_file_free(file);
}

static void
take_verify(GVariant *reply)
{
	IngestFile *file = g_new0(IngestFile, 1);
	CorePage *page = core_page_new("a.pdf", 1);
	ScanVerified at = {.field = "total"};
	ScanNeedle n1 = {.out = &at, .kind = "amount", .value = "1.00"};
	ScanNeedle n2 = n1;
	ScanTask task = {.kind = SCAN_TASK_VERIFY, .file = file, .out = page};
	GError *error = NULL;

	file->path = g_strdup("a.pdf");
	task.needles = g_ptr_array_new();
	g_ptr_array_add(task.needles, &n1);
	g_ptr_array_add(task.needles, &n2);
	if (scan_wire_take(&task, reply, &error))
		FUZZ_ASSERT(!n1.read || n1.image != NULL,
			    "a needle read without an image");
	g_clear_error(&error);
	g_free(n1.image);
	g_free(n1.image2);
	g_free(n2.image);
	g_free(n2.image2);
	g_ptr_array_unref(task.needles);
	clear_results(&task);
	core_page_free(page);
	ingest_file_free(file);
}

static void
take_draw(GVariant *reply)
{
	IngestFile *file = g_new0(IngestFile, 1);
	ScanTask task = {.kind = SCAN_TASK_DRAW, .file = file, .draw_page = 1};
	GError *error = NULL;

	file->path = g_strdup("a.png");
	if (scan_wire_take(&task, reply, &error) && task.image != NULL)
		FUZZ_ASSERT((gsize)task.image->stride * task.image->height >=
				(gsize)task.image->width * task.image->channels,
			    "an image smaller than its shape");
	g_clear_error(&error);
	clear_results(&task);
	ingest_file_free(file);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GVariant *message = as_message(data, size);
	ScanWireJob *job;

	take_load(message);
	take_pages(message);
	take_verify(message);
	take_draw(message);
	/* The reader's side: a request decodes to tasks or is refused. */
	job = scan_wire_job_new(message, NULL);
	if (job != NULL)
		FUZZ_ASSERT(scan_wire_job_task(job) != NULL,
			    "a job without a task");
	scan_wire_job_free(job);
	g_variant_unref(message);
	return 0;
}
