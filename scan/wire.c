/* wire.c - a page task and its result as GVariant messages between the
 * scan and its reading processes (scan/worker.c). The parent encodes what
 * a task needs (which file, which pages, at what resolution, which fields)
 * and decodes what the reader found into the same ScanTask fields an
 * in-process run fills. A reader works on files strangers uploaded, so
 * its replies are untrusted too: every value is type-checked by GVariant,
 * counts are bounded and boxes clamped before the parent uses them. */
#include <math.h>
#include <string.h>

#include "scan/scan_int.h"

/* Words as two flat arrays, which GVariant stores and reads as plain
 * memory: their texts, each ended by a NUL, and five doubles each (box,
 * confidence). A tuple per word cost 1.6 ms per file read (measured). */
#define WORDS_TYPE "(ayad)"
#define BOX_TYPE   "(dddd)"

/* ---- encoding, used by both sides -------------------------------------- */

static GVariant *
boxes_variant(const GArray *boxes)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("a" BOX_TYPE));
	for (guint i = 0; boxes != NULL && i < boxes->len; i++) {
		const CoreBox *box = &g_array_index(boxes, CoreBox, i);

		g_variant_builder_add(&b, BOX_TYPE, box->x, box->y, box->w,
				      box->h);
	}
	return g_variant_builder_end(&b);
}

static GVariant *
words_variant(const GArray *words)
{
	guint n = words != NULL ? words->len : 0;
	GString *texts = g_string_new(NULL);
	double *nums = g_new(double, MAX(n * 5, 1));
	GVariant *t, *d;

	for (guint i = 0; i < n; i++) {
		const CoreWord *w = &g_array_index(words, CoreWord, i);
		const char *text = w->text != NULL ? w->text : "";

		g_string_append_len(texts, text, (gssize)strlen(text) + 1);
		nums[i * 5] = w->box.x;
		nums[i * 5 + 1] = w->box.y;
		nums[i * 5 + 2] = w->box.w;
		nums[i * 5 + 3] = w->box.h;
		nums[i * 5 + 4] = w->confidence;
	}
	t = g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, texts->str,
				      texts->len, 1);
	d = g_variant_new_fixed_array(G_VARIANT_TYPE_DOUBLE, nums, n * 5,
				      sizeof(double));
	g_string_free(texts, TRUE);
	g_free(nums);
	return g_variant_new("(@ay@ad)", t, d);
}

/* char* entries, NULL kept as nothing. */
static GVariant *
maybe_strings_variant(const GPtrArray *strings)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("ams"));
	for (guint i = 0; strings != NULL && i < strings->len; i++)
		g_variant_builder_add(&b, "ms", g_ptr_array_index(strings, i));
	return g_variant_builder_end(&b);
}

static GVariant *
strings_variant(const GPtrArray *strings)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("as"));
	for (guint i = 0; strings != NULL && i < strings->len; i++)
		g_variant_builder_add(&b, "s", g_ptr_array_index(strings, i));
	return g_variant_builder_end(&b);
}

static void
put_error(GVariantDict *d, const GError *error)
{
	if (error == NULL)
		return;
	g_variant_dict_insert(d, "error", "s", error->message);
	g_variant_dict_insert(d, "error_code", "i",
			      error->domain == CORE_ERROR ? error->code
							  : CORE_ERROR_FORMAT);
}

/* ---- decoding of untrusted values -------------------------------------- */

static double
clamp_unit(double v)
{
	/* Boxes are fractions of a page; anything else is a broken reader. */
	if (!isfinite(v))
		return 0;
	return CLAMP(v, -1.0, 2.0);
}

static GArray *
boxes_from(GVariant *v)
{
	GArray *boxes = core_boxes_new();
	GVariantIter it;
	CoreBox box;

	if (v == NULL)
		return boxes;
	g_variant_iter_init(&it, v);
	while (boxes->len < SCAN_WIRE_MAX_ITEMS &&
	       g_variant_iter_next(&it, BOX_TYPE, &box.x, &box.y, &box.w,
				   &box.h)) {
		box.x = clamp_unit(box.x);
		box.y = clamp_unit(box.y);
		box.w = clamp_unit(box.w);
		box.h = clamp_unit(box.h);
		g_array_append_val(boxes, box);
	}
	return boxes;
}

/* The texts are untrusted bytes here (an "ay"), made UTF-8. */
static GArray *
words_from(GVariant *v)
{
	GArray *words = core_words_new();
	GVariant *t, *d;
	const char *p, *end;
	const double *nums;
	gsize len, n;

	if (v == NULL)
		return words;
	t = g_variant_get_child_value(v, 0);
	d = g_variant_get_child_value(v, 1);
	p = g_variant_get_fixed_array(t, &len, 1);
	nums = g_variant_get_fixed_array(d, &n, sizeof(double));
	/* An empty array is NULL: no words. */
	end = p != NULL && nums != NULL ? p + len : p;
	for (gsize i = 0;
	     i + 5 <= n && p < end && words->len < SCAN_WIRE_MAX_ITEMS;
	     i += 5) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		CoreWord w;

		if (nul == NULL)
			break;
		w.text = g_utf8_make_valid(p, nul - p);
		w.box.x = clamp_unit(nums[i]);
		w.box.y = clamp_unit(nums[i + 1]);
		w.box.w = clamp_unit(nums[i + 2]);
		w.box.h = clamp_unit(nums[i + 3]);
		w.confidence =
		    isfinite(nums[i + 4]) ? CLAMP(nums[i + 4], 0.0, 1.0) : 0;
		g_array_append_val(words, w);
		p = nul + 1;
	}
	g_variant_unref(t);
	g_variant_unref(d);
	return words;
}

static GPtrArray *
strings_from(GVariant *v, gboolean maybe)
{
	GPtrArray *out = core_ptr_array_new(g_free);
	GVariantIter it;
	char *s;

	if (v == NULL)
		return out;
	g_variant_iter_init(&it, v);
	while (out->len < SCAN_WIRE_MAX_ITEMS &&
	       g_variant_iter_next(&it, maybe ? "ms" : "s", &s))
		g_ptr_array_add(out, s);
	return out;
}

static GVariant *
lookup(GVariantDict *d, const char *key, const char *type)
{
	return g_variant_dict_lookup_value(d, key, G_VARIANT_TYPE(type));
}

static char *
lookup_string(GVariantDict *d, const char *key)
{
	char *s = NULL;

	return g_variant_dict_lookup(d, key, "s", &s) ? s : NULL;
}

static GError *
error_from(GVariantDict *d)
{
	char *message = lookup_string(d, "error");
	int code = CORE_ERROR_FORMAT;
	GError *error;

	if (message == NULL)
		return NULL;
	g_variant_dict_lookup(d, "error_code", "i", &code);
	if (code < CORE_ERROR_IO || code > CORE_ERROR_USAGE)
		code = CORE_ERROR_FORMAT;
	error = g_error_new_literal(CORE_ERROR, code, message);
	g_free(message);
	return error;
}

/* ---- requests ----------------------------------------------------------- */

GVariant *
scan_wire_request(const ScanTask *task, int deadline)
{
	GVariantDict d;
	const IngestFile *file = task->file;

	g_variant_dict_init(&d, NULL);
	g_variant_dict_insert(&d, "task", "u", (guint32)task->kind);
	g_variant_dict_insert(&d, "deadline", "i", deadline);
	g_variant_dict_insert_value(&d, "abs",
				    g_variant_new_bytestring(file->abs_path));
	g_variant_dict_insert(&d, "path", "s", file->path);
	if (task->kind != SCAN_TASK_LOAD) {
		g_variant_dict_insert(&d, "kind", "i", (gint32)file->kind);
		g_variant_dict_insert(&d, "size", "x", file->size);
		g_variant_dict_insert(&d, "n_pages", "i", file->n_pages);
	}
	if (task->kind == SCAN_TASK_OCR || task->kind == SCAN_TASK_SEALS ||
	    task->kind == SCAN_TASK_VERIFY) {
		GVariantBuilder pages, rings;

		g_variant_builder_init(&pages, G_VARIANT_TYPE("ai"));
		g_variant_builder_init(&rings, G_VARIANT_TYPE("ab"));
		for (const ScanTask *t = task; t != NULL; t = t->batch_next) {
			g_variant_builder_add(&pages, "i", t->out->page);
			g_variant_builder_add(&rings, "b", t->read_rings);
		}
		g_variant_dict_insert_value(&d, "pages",
					    g_variant_builder_end(&pages));
		g_variant_dict_insert_value(&d, "rings",
					    g_variant_builder_end(&rings));
		g_variant_dict_insert(&d, "dpi", "i", task->dpi);
	}
	if (task->kind == SCAN_TASK_DRAW) {
		g_variant_dict_insert(&d, "page", "i", task->draw_page);
		g_variant_dict_insert(&d, "dpi", "i", task->dpi);
	}
	if (task->kind == SCAN_TASK_VERIFY) {
		GVariantBuilder b;

		g_variant_builder_init(&b, G_VARIANT_TYPE("a(sddddbss)"));
		for (guint i = 0; i < task->needles->len; i++) {
			const ScanNeedle *n =
			    g_ptr_array_index(task->needles, i);

			g_variant_builder_add(
			    &b, "(sddddbss)", n->out->field, n->box.x, n->box.y,
			    n->box.w, n->box.h, n->latin, n->kind, n->value);
		}
		g_variant_dict_insert_value(&d, "needles",
					    g_variant_builder_end(&b));
	}
	return g_variant_ref_sink(g_variant_dict_end(&d));
}

/* ---- the reader's side: a request as a task, the task as a reply -------- */

struct ScanWireJob {
	IngestFile *file;
	GPtrArray *pages;   /* CorePage* of the tasks, owned */
	GPtrArray *tasks;   /* ScanTask*, owned (their results too) */
	GPtrArray *needles; /* ScanNeedle*, owned */
	GPtrArray *fields;  /* ScanVerified* the needles point at, owned */
	int deadline;
};

/* What a reply leaves in a task, freed in the reader once sent. */
static void
task_results_free(ScanTask *task)
{
	g_free(task->text);
	g_clear_pointer(&task->words, g_array_unref);
	g_clear_pointer(&task->seals, g_array_unref);
	g_clear_pointer(&task->seal_orgs, g_ptr_array_unref);
	g_clear_pointer(&task->codes, g_ptr_array_unref);
	g_clear_pointer(&task->image, ingest_image_free);
	g_clear_error(&task->error);
	g_free(task);
}

static IngestFile *
job_file(GVariantDict *d, guint32 kind, GError **error)
{
	IngestFile *file = g_new0(IngestFile, 1);
	GVariant *abs = lookup(d, "abs", "ay");
	int k = INGEST_KIND_UNKNOWN;

	file->path = lookup_string(d, "path");
	if (abs == NULL || file->path == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "a request names no file");
		if (abs != NULL)
			g_variant_unref(abs);
		ingest_file_free(file);
		return NULL;
	}
	file->abs_path = g_variant_dup_bytestring(abs, NULL);
	g_variant_unref(abs);
	if (kind == SCAN_TASK_LOAD)
		return file;
	g_variant_dict_lookup(d, "kind", "i", &k);
	g_variant_dict_lookup(d, "size", "x", &file->size);
	g_variant_dict_lookup(d, "n_pages", "i", &file->n_pages);
	file->kind = k >= INGEST_KIND_UNKNOWN && k <= INGEST_KIND_HEIC
			 ? (IngestKind)k
			 : INGEST_KIND_UNKNOWN;
	file->loaded = TRUE;
	return file;
}

static ScanTask *
job_task(ScanWireJob *job, ScanTaskKind kind)
{
	ScanTask *task = g_new0(ScanTask, 1);

	task->kind = kind;
	task->file = job->file;
	g_ptr_array_add(job->tasks, task);
	return task;
}

static void
job_needles(ScanWireJob *job, ScanTask *task, GVariantDict *d)
{
	GVariant *v = lookup(d, "needles", "a(sddddbss)");
	GVariantIter it;
	const char *field, *kind, *value;
	CoreBox box;
	gboolean latin;

	task->needles = g_ptr_array_new();
	if (v == NULL)
		return;
	g_variant_iter_init(&it, v);
	while (g_variant_iter_next(&it, "(&sddddb&s&s)", &field, &box.x, &box.y,
				   &box.w, &box.h, &latin, &kind, &value)) {
		ScanNeedle *n = g_new0(ScanNeedle, 1);
		ScanVerified *at = g_new0(ScanVerified, 1);

		at->field = g_strdup(field);
		at->layer = g_strdup(value);
		n->out = at;
		n->kind = g_intern_string(kind);
		n->value = g_strdup(value);
		n->box = box;
		n->latin = latin;
		g_ptr_array_add(job->fields, at);
		g_ptr_array_add(job->needles, n);
		g_ptr_array_add(task->needles, n);
	}
	g_variant_unref(v);
}

/* The tasks of a page request: one per page, chained as a batch. */
static void
job_pages(ScanWireJob *job, ScanTaskKind kind, GVariantDict *d)
{
	GVariant *pages = lookup(d, "pages", "ai");
	GVariant *rings = lookup(d, "rings", "ab");
	int dpi = 0;
	gsize n = 0, n_rings = 0;
	const gint32 *page_list = NULL;
	ScanTask *prev = NULL;

	g_variant_dict_lookup(d, "dpi", "i", &dpi);
	if (pages != NULL)
		page_list =
		    g_variant_get_fixed_array(pages, &n, sizeof(gint32));
	if (rings != NULL)
		n_rings = g_variant_n_children(rings);
	for (gsize i = 0; i < n && i < SCAN_WIRE_MAX_ITEMS; i++) {
		ScanTask *task = job_task(job, kind);
		CorePage *page = core_page_new(job->file->path, page_list[i]);
		gboolean ring = FALSE;

		if (i < n_rings)
			g_variant_get_child(rings, i, "b", &ring);
		g_ptr_array_add(job->pages, page);
		task->out = page;
		task->dpi = dpi;
		task->read_rings = ring;
		if (prev != NULL) {
			prev->batch_next = task;
			task->batch_member = TRUE;
		}
		prev = task;
	}
	g_clear_pointer(&pages, g_variant_unref);
	g_clear_pointer(&rings, g_variant_unref);
}

ScanWireJob *
scan_wire_job_new(GVariant *request, GError **error)
{
	ScanWireJob *job = g_new0(ScanWireJob, 1);
	GVariantDict d;
	guint32 kind = G_MAXUINT32;

	job->pages = core_ptr_array_new(core_page_free);
	job->tasks = core_ptr_array_new(task_results_free);
	job->needles = core_ptr_array_new(scan_needle_free);
	job->fields = core_ptr_array_new(scan_verified_free);
	g_variant_dict_init(&d, request);
	g_variant_dict_lookup(&d, "task", "u", &kind);
	g_variant_dict_lookup(&d, "deadline", "i", &job->deadline);
	if (kind > SCAN_TASK_DRAW) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "a request for an unknown task (%u)", kind);
		goto fail;
	}
	job->file = job_file(&d, kind, error);
	if (job->file == NULL)
		goto fail;
	if (kind == SCAN_TASK_LOAD) {
		job_task(job, SCAN_TASK_LOAD);
	} else if (kind == SCAN_TASK_DRAW) {
		ScanTask *task = job_task(job, SCAN_TASK_DRAW);

		g_variant_dict_lookup(&d, "page", "i", &task->draw_page);
		g_variant_dict_lookup(&d, "dpi", "i", &task->dpi);
	} else {
		job_pages(job, kind, &d);
		if (job->tasks->len == 0) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
				    "a page request names no page");
			goto fail;
		}
		if (kind == SCAN_TASK_VERIFY)
			job_needles(job, g_ptr_array_index(job->tasks, 0), &d);
	}
	g_variant_dict_clear(&d);
	return job;
fail:
	g_variant_dict_clear(&d);
	scan_wire_job_free(job);
	return NULL;
}

ScanTask *
scan_wire_job_task(ScanWireJob *job)
{
	return g_ptr_array_index(job->tasks, 0);
}

const char *
scan_wire_job_path(const ScanWireJob *job)
{
	return job->file->path;
}

int
scan_wire_job_deadline(const ScanWireJob *job)
{
	return job->deadline;
}

void
scan_wire_job_free(ScanWireJob *job)
{
	if (job == NULL)
		return;
	/* Needles belong to the job, not to the task's borrowed array. */
	for (guint i = 0; i < job->tasks->len; i++) {
		ScanTask *task = g_ptr_array_index(job->tasks, i);

		g_clear_pointer(&task->needles, g_ptr_array_unref);
	}
	g_ptr_array_unref(job->tasks);
	g_ptr_array_unref(job->pages);
	g_ptr_array_unref(job->needles);
	g_ptr_array_unref(job->fields);
	ingest_file_free(job->file);
	g_free(job);
}

static GVariant *
file_variant(const IngestFile *file)
{
	GVariantDict d;
	GVariantBuilder text, score, verdict, words;

	g_variant_dict_init(&d, NULL);
	put_error(&d, file->error);
	g_variant_dict_insert(&d, "kind", "i", (gint32)file->kind);
	g_variant_dict_insert(&d, "sha256", "s", file->sha256);
	g_variant_dict_insert(&d, "size", "x", file->size);
	g_variant_dict_insert(&d, "n_pages", "i", file->n_pages);
	if (file->layer_text == NULL)
		return g_variant_dict_end(&d);
	g_variant_builder_init(&text, G_VARIANT_TYPE("as"));
	g_variant_builder_init(&score, G_VARIANT_TYPE("ad"));
	g_variant_builder_init(&verdict, G_VARIANT_TYPE("ai"));
	g_variant_builder_init(&words, G_VARIANT_TYPE("a" WORDS_TYPE));
	for (guint i = 0; i < file->layer_text->len; i++) {
		g_variant_builder_add(&text, "s",
				      g_ptr_array_index(file->layer_text, i));
		g_variant_builder_add(
		    &score, "d", g_array_index(file->layer_score, double, i));
		g_variant_builder_add(&verdict, "i",
				      (gint32)g_array_index(file->layer_verdict,
							    IngestLayerVerdict,
							    i));
		g_variant_builder_add_value(
		    &words,
		    words_variant(g_ptr_array_index(file->layer_words, i)));
	}
	g_variant_dict_insert_value(&d, "layer_text",
				    g_variant_builder_end(&text));
	g_variant_dict_insert_value(&d, "layer_score",
				    g_variant_builder_end(&score));
	g_variant_dict_insert_value(&d, "layer_verdict",
				    g_variant_builder_end(&verdict));
	g_variant_dict_insert_value(&d, "layer_words",
				    g_variant_builder_end(&words));
	return g_variant_dict_end(&d);
}

/* What one page task found: OCR's text and words, seals, rings, codes. */
static GVariant *
page_variant(const ScanTask *task)
{
	GVariantDict d;

	g_variant_dict_init(&d, NULL);
	put_error(&d, task->error);
	if (task->text != NULL) {
		g_variant_dict_insert(&d, "text", "s", task->text);
		g_variant_dict_insert(&d, "confidence", "d", task->confidence);
		g_variant_dict_insert_value(&d, "words",
					    words_variant(task->words));
		g_variant_dict_insert(&d, "rotation", "i", task->rotation);
		g_variant_dict_insert(&d, "phash", "t", task->phash);
	}
	if (task->seals != NULL)
		g_variant_dict_insert_value(&d, "seals",
					    boxes_variant(task->seals));
	if (task->seal_orgs != NULL)
		g_variant_dict_insert_value(
		    &d, "orgs", maybe_strings_variant(task->seal_orgs));
	if (task->codes != NULL)
		g_variant_dict_insert_value(&d, "codes",
					    strings_variant(task->codes));
	return g_variant_dict_end(&d);
}

static GVariant *
needles_variant(const ScanTask *task)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("a(msdmsdb)"));
	for (guint i = 0; i < task->needles->len; i++) {
		const ScanNeedle *n = g_ptr_array_index(task->needles, i);

		g_variant_builder_add(&b, "(msdmsdb)", n->image, n->confidence,
				      n->image2, n->confidence2, n->read);
	}
	return g_variant_builder_end(&b);
}

static GVariant *
image_variant(const IngestImage *image)
{
	GVariant *pixels = g_variant_new_fixed_array(
	    G_VARIANT_TYPE_BYTE, image->pixels,
	    (gsize)image->stride * (gsize)image->height, 1);

	return g_variant_new("(iiiii@ay)", image->width, image->height,
			     image->channels, image->stride, image->dpi,
			     pixels);
}

GVariant *
scan_wire_reply(const ScanWireJob *job)
{
	const ScanTask *task = g_ptr_array_index(job->tasks, 0);
	GVariantDict d;

	g_variant_dict_init(&d, NULL);
	if (task->fatal) {
		g_variant_dict_insert(&d, "fatal", "b", TRUE);
		put_error(&d, task->error);
	} else if (task->kind == SCAN_TASK_LOAD) {
		g_variant_dict_insert_value(&d, "file",
					    file_variant(job->file));
	} else if (task->kind == SCAN_TASK_DRAW) {
		put_error(&d, task->error);
		if (task->image != NULL)
			g_variant_dict_insert_value(&d, "image",
						    image_variant(task->image));
	} else if (task->kind == SCAN_TASK_VERIFY) {
		put_error(&d, task->error);
		g_variant_dict_insert_value(&d, "needles",
					    needles_variant(task));
	} else {
		GVariantBuilder pages;

		g_variant_builder_init(&pages, G_VARIANT_TYPE("aa{sv}"));
		for (const ScanTask *t = task; t != NULL; t = t->batch_next)
			g_variant_builder_add_value(&pages, page_variant(t));
		g_variant_dict_insert_value(&d, "pages",
					    g_variant_builder_end(&pages));
	}
	return g_variant_ref_sink(g_variant_dict_end(&d));
}

/* ---- replies, in the parent --------------------------------------------- */

static gboolean
bad_reply(GError **error, const char *what)
{
	g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
		    "the reading process sent a broken reply (%s)", what);
	return FALSE;
}

/* The layer arrays, one entry per page, or FALSE when they do not match
 * the page count (a reply no honest reader sends). */
static gboolean
take_layer(IngestFile *file, GVariantDict *d)
{
	GVariant *text = lookup(d, "layer_text", "as");
	GVariant *score = lookup(d, "layer_score", "ad");
	GVariant *verdict = lookup(d, "layer_verdict", "ai");
	GVariant *words = lookup(d, "layer_words", "a" WORDS_TYPE);
	gsize n = file->n_pages;
	gboolean ok = text != NULL && score != NULL && verdict != NULL &&
		      words != NULL && g_variant_n_children(text) == n &&
		      g_variant_n_children(score) == n &&
		      g_variant_n_children(verdict) == n &&
		      g_variant_n_children(words) == n;

	if (text == NULL && score == NULL && verdict == NULL && words == NULL)
		ok = TRUE; /* not a PDF: no layer */
	else if (ok) {
		file->layer_text = core_ptr_array_new(g_free);
		file->layer_score =
		    g_array_sized_new(FALSE, FALSE, sizeof(double), (guint)n);
		file->layer_verdict = g_array_sized_new(
		    FALSE, FALSE, sizeof(IngestLayerVerdict), (guint)n);
		file->layer_words =
		    core_ptr_array_new((GDestroyNotify)g_array_unref);
		for (gsize i = 0; i < n; i++) {
			double s;
			gint32 v;
			char *t;
			GVariant *w = g_variant_get_child_value(words, i);

			g_variant_get_child(text, i, "s", &t);
			g_variant_get_child(score, i, "d", &s);
			g_variant_get_child(verdict, i, "i", &v);
			if (!isfinite(s))
				s = 0;
			if (v < INGEST_LAYER_NONE || v > INGEST_LAYER_SCANNED)
				v = INGEST_LAYER_NONE;
			g_ptr_array_add(file->layer_text, t);
			g_array_append_val(file->layer_score, s);
			g_array_append_val(file->layer_verdict, v);
			g_ptr_array_add(file->layer_words, words_from(w));
			g_variant_unref(w);
		}
	}
	g_clear_pointer(&text, g_variant_unref);
	g_clear_pointer(&score, g_variant_unref);
	g_clear_pointer(&verdict, g_variant_unref);
	g_clear_pointer(&words, g_variant_unref);
	return ok;
}

static gboolean
take_file(ScanTask *task, GVariant *v, GError **error)
{
	IngestFile *file = task->file;
	GVariantDict d;
	char *sha = NULL;
	int kind = INGEST_KIND_UNKNOWN;
	gboolean ok;

	if (v == NULL)
		return bad_reply(error, "no file");
	g_variant_dict_init(&d, v);
	file->error = error_from(&d);
	g_variant_dict_lookup(&d, "kind", "i", &kind);
	g_variant_dict_lookup(&d, "size", "x", &file->size);
	g_variant_dict_lookup(&d, "n_pages", "i", &file->n_pages);
	sha = lookup_string(&d, "sha256");
	if (sha != NULL && strlen(sha) == 64)
		memcpy(file->sha256, sha, 65);
	g_free(sha);
	file->kind = kind >= INGEST_KIND_UNKNOWN && kind <= INGEST_KIND_HEIC
			 ? (IngestKind)kind
			 : INGEST_KIND_UNKNOWN;
	ok = file->n_pages >= 0 && file->n_pages <= INGEST_MAX_PAGES &&
	     (file->error != NULL || file->sha256[0] != '\0') &&
	     take_layer(file, &d);
	g_variant_dict_clear(&d);
	file->loaded = TRUE;
	if (!ok) {
		file->n_pages = 0;
		return bad_reply(error, "file");
	}
	return TRUE;
}

static void
take_page(ScanTask *task, GVariant *v)
{
	GVariantDict d;
	GVariant *x;

	g_variant_dict_init(&d, v);
	task->error = error_from(&d);
	task->text = lookup_string(&d, "text");
	if (task->text != NULL) {
		g_variant_dict_lookup(&d, "confidence", "d", &task->confidence);
		task->confidence = isfinite(task->confidence)
				       ? CLAMP(task->confidence, 0.0, 1.0)
				       : 0;
		x = lookup(&d, "words", WORDS_TYPE);
		task->words = words_from(x);
		g_clear_pointer(&x, g_variant_unref);
		g_variant_dict_lookup(&d, "rotation", "i", &task->rotation);
		if (task->rotation % 90 != 0 || task->rotation < 0 ||
		    task->rotation > 270)
			task->rotation = 0;
		g_variant_dict_lookup(&d, "phash", "t", &task->phash);
	}
	if ((x = lookup(&d, "seals", "a" BOX_TYPE)) != NULL) {
		task->seals = boxes_from(x);
		g_variant_unref(x);
	}
	if ((x = lookup(&d, "orgs", "ams")) != NULL) {
		task->seal_orgs = strings_from(x, TRUE);
		g_variant_unref(x);
	}
	if ((x = lookup(&d, "codes", "as")) != NULL) {
		task->codes = strings_from(x, FALSE);
		g_variant_unref(x);
	}
	g_variant_dict_clear(&d);
	/* A page task that neither failed nor found seals is broken. */
	if (task->error == NULL && task->seals == NULL)
		task->error = g_error_new_literal(
		    CORE_ERROR, CORE_ERROR_FORMAT,
		    "the reading process sent a broken reply (page)");
}

static gboolean
take_pages(ScanTask *head, GVariant *pages, GError **error)
{
	gsize n = 0, i = 0;

	if (pages == NULL)
		return bad_reply(error, "no pages");
	for (const ScanTask *t = head; t != NULL; t = t->batch_next)
		n++;
	if (g_variant_n_children(pages) != n)
		return bad_reply(error, "page count");
	for (ScanTask *t = head; t != NULL; t = t->batch_next, i++) {
		GVariant *v = g_variant_get_child_value(pages, i);

		take_page(t, v);
		g_variant_unref(v);
	}
	return TRUE;
}

static gboolean
take_needles(ScanTask *task, GVariant *v, GError **error)
{
	if (v == NULL || g_variant_n_children(v) != task->needles->len)
		return bad_reply(error, "needles");
	for (guint i = 0; i < task->needles->len; i++) {
		ScanNeedle *n = g_ptr_array_index(task->needles, i);

		g_variant_get_child(v, i, "(msdmsdb)", &n->image,
				    &n->confidence, &n->image2, &n->confidence2,
				    &n->read);
		n->read = n->read && n->image != NULL;
	}
	return TRUE;
}

static gboolean
take_image(ScanTask *task, GVariant *v, GError **error)
{
	int w, h, channels, stride, dpi;
	GVariant *pixels;
	gsize len;
	const guint8 *data;

	if (v == NULL)
		return bad_reply(error, "no image");
	g_variant_get(v, "(iiiii@ay)", &w, &h, &channels, &stride, &dpi,
		      &pixels);
	data = g_variant_get_fixed_array(pixels, &len, 1);
	if (w <= 0 || h <= 0 || (channels != 1 && channels != 3) ||
	    (gint64)stride < (gint64)w * channels ||
	    (gint64)w * h > INGEST_MAX_PIXELS ||
	    len != (gsize)stride * (gsize)h) {
		g_variant_unref(pixels);
		return bad_reply(error, "image");
	}
	task->image = g_new0(IngestImage, 1);
	task->image->width = w;
	task->image->height = h;
	task->image->channels = channels;
	task->image->stride = stride;
	task->image->dpi = dpi;
	task->image->pixels = g_memdup2(data, len);
	g_variant_unref(pixels);
	return TRUE;
}

gboolean
scan_wire_take(ScanTask *task, GVariant *reply, GError **error)
{
	GVariantDict d;
	GVariant *v = NULL;
	gboolean fatal = FALSE, ok = TRUE;

	g_variant_dict_init(&d, reply);
	if (g_variant_dict_lookup(&d, "fatal", "b", &fatal) && fatal) {
		task->fatal = TRUE;
		task->error = error_from(&d);
		if (task->error == NULL)
			ok = bad_reply(error, "fatal");
	} else if (task->kind == SCAN_TASK_LOAD) {
		v = lookup(&d, "file", "a{sv}");
		ok = take_file(task, v, error);
	} else if (task->kind == SCAN_TASK_DRAW) {
		task->error = error_from(&d);
		v = lookup(&d, "image", "(iiiiiay)");
		if (task->error == NULL)
			ok = take_image(task, v, error);
	} else if (task->kind == SCAN_TASK_VERIFY) {
		task->error = error_from(&d);
		v = lookup(&d, "needles", "a(msdmsdb)");
		ok = take_needles(task, v, error);
	} else {
		v = lookup(&d, "pages", "aa{sv}");
		ok = take_pages(task, v, error);
	}
	g_clear_pointer(&v, g_variant_unref);
	g_variant_dict_clear(&d);
	return ok;
}
