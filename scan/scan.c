/* scan.c - one claim through the pipeline. Text comes from the PDF layer
 * when it is usable, else from the store's cache, else from OCR; every
 * page is normalised once, classified, grouped into documents, and the
 * documents are ticked against the direction's evidence list. */
#include "scan/scan_int.h"

typedef struct {
	ScanContext *ctx;
	ScanResult *result;
	Store *store;
	GPtrArray *tasks; /* ScanTask* */
	GError *fatal;
	int batch_len; /* pages in the seal batch being built */
	/* Text-layer pages not yet searched for seals: "file#page" ->
	 * Unsearched. */
	GHashTable *unsearched;
} Scan;

typedef struct {
	CorePage *page;
	const IngestFile *file;
} Unsearched;

static CoreFinding *
unreadable(const char *file, int page, const char *reason)
{
	char *msg = page > 0 ? g_strdup_printf("文件无法读取（第%d页）：%s",
					       page, reason)
			     : g_strdup_printf("文件无法读取：%s", reason);
	CoreFinding *f =
	    core_finding_new("UNREADABLE_FILE", CORE_SEVERITY_ERROR, msg);

	core_finding_add_ref(f, file, page);
	g_free(msg);
	return f;
}

static void
take_override(char **field, const char *value)
{
	if (value == NULL)
		return;
	g_free(*field);
	*field = g_strdup(value);
}

/* claim.json, then the command line over it. A broken claim.json is a
 * finding, not a fatal error: the evidence can still be read. */
static void
load_claim(Scan *s, const char *claim_json, const ScanRequest *req)
{
	ScanResult *r = s->result;
	GError *error = NULL;

	if (claim_json != NULL)
		r->claim = core_claim_load(claim_json, &error);
	if (error != NULL) {
		g_ptr_array_add(r->findings,
				unreadable("claim.json", 0, error->message));
		g_clear_error(&error);
	}
	if (r->claim == NULL)
		r->claim = core_claim_new();
	take_override(&r->claim->direction, req->direction);
	take_override(&r->claim->scene, req->scene);
	take_override(&r->claim->delivery, req->delivery);
	take_override(&r->claim->product_name, req->product_name);
	take_override(&r->claim->project_kind, req->project_kind);
	r->claim_id = r->claim->claim_id != NULL
			  ? g_strdup(r->claim->claim_id)
			  : g_path_get_basename(r->folder);
}

/* Text is kept raw in the store and normalised once, here, for rules. */
static void
normalize_text(CorePage *page)
{
	char *norm = core_text_normalize(page->text);

	g_free(page->text);
	page->text = norm;
}

static void
warn_store(gboolean ok, GError **error)
{
	if (ok)
		return;
	g_warning("%s", (*error)->message);
	g_clear_error(error);
}

/* A seal task joins the batch of the one before it when that is the
 * previous page of the same file and the batch has room. */
static void
join_batch(Scan *s, ScanTask *task)
{
	ScanTask *prev = s->tasks->len > 0
			     ? g_ptr_array_index(s->tasks, s->tasks->len - 1)
			     : NULL;

	if (prev != NULL && prev->kind == SCAN_TASK_SEALS &&
	    prev->file == task->file &&
	    prev->out->page + 1 == task->out->page &&
	    s->batch_len < SCAN_SEAL_BATCH) {
		prev->batch_next = task;
		task->batch_member = TRUE;
		s->batch_len++;
	} else {
		s->batch_len = 1;
	}
}

static void
queue_task(Scan *s, ScanTaskKind kind, const IngestFile *file, CorePage *page)
{
	ScanTask *task = g_new0(ScanTask, 1);

	task->kind = kind;
	task->file = file;
	task->out = page;
	if (kind == SCAN_TASK_SEALS)
		join_batch(s, task);
	g_ptr_array_add(s->tasks, task);
}

/* A scanned page: the cached reading if the store has one, else OCR. */
static void
add_scanned_page(Scan *s, const IngestFile *file, CorePage *page)
{
	if (s->store != NULL && store_page_lookup(s->store, file->sha256,
						  s->ctx->engine_key, page)) {
		normalize_text(page);
		s->result->stats.pages_cached++;
		return;
	}
	queue_task(s, SCAN_TASK_OCR, file, page);
}

static void
remember_unsearched(Scan *s, const IngestFile *file, CorePage *page)
{
	Unsearched *u = g_new(Unsearched, 1);

	u->page = page;
	u->file = file;
	g_hash_table_insert(s->unsearched, core_ref(file->path, page->page), u);
}

/* A page with a trusted text layer: the text is read anew (cheap); the
 * seals come from the cache or a low-resolution render. */
static void
add_layer_page(Scan *s, const IngestFile *file, CorePage *page,
	       const char *layer)
{
	GArray *words =
	    file->layer_words != NULL
		? g_ptr_array_index(file->layer_words, page->page - 1)
		: NULL;

	if (s->store == NULL ||
	    !store_page_lookup(s->store, file->sha256, SCAN_LAYER_KEY, page))
		remember_unsearched(s, file, page);
	core_page_set_text(page, layer, CORE_TEXT_PDF, 1.0);
	normalize_text(page);
	g_array_set_size(page->words, 0);
	for (guint i = 0; words != NULL && i < words->len; i++) {
		CoreWord w = g_array_index(words, CoreWord, i);

		w.text = g_strdup(w.text);
		g_array_append_val(page->words, w);
	}
	s->result->stats.pages_pdf_text++;
}

static void
add_pages(Scan *s, const IngestFile *file)
{
	GError *error = NULL;

	if (s->store != NULL)
		warn_store(store_file_save(s->store, file->sha256, file->size,
					   ingest_kind_name(file->kind),
					   file->n_pages, &error),
			   &error);
	for (int i = 1; i <= file->n_pages; i++) {
		CorePage *page = core_page_new(file->path, i);
		const char *layer =
		    file->layer_text != NULL
			? g_ptr_array_index(file->layer_text, i - 1)
			: "";

		g_ptr_array_add(s->result->pages, page);
		s->result->stats.pages++;
		if (file->layer_verdict != NULL)
			page->layer = ingest_layer_verdict_name(g_array_index(
			    file->layer_verdict, IngestLayerVerdict, i - 1));
		if (*layer != '\0')
			add_layer_page(s, file, page, layer);
		else
			add_scanned_page(s, file, page);
	}
}

static void
take_seals(CorePage *page, ScanTask *task)
{
	g_array_set_size(page->seals, 0);
	g_array_append_vals(page->seals, task->seals->data, task->seals->len);
	page->stamped = task->seals->len > 0;
}

/* Results move into the page; the store gets them before the text is
 * normalised, so the cache holds what the engine read. */
static void
take_ocr(Scan *s, ScanTask *task)
{
	CorePage *page = task->out;
	GError *error = NULL;

	take_seals(page, task);
	core_page_set_text(page, task->text, CORE_TEXT_OCR, task->confidence);
	g_array_unref(page->words);
	page->words = g_steal_pointer(&task->words);
	page->rotation = task->rotation;
	if (s->store != NULL)
		warn_store(store_page_save(s->store, task->file->sha256,
					   s->ctx->engine_key, page, &error),
			   &error);
	normalize_text(page);
	s->result->stats.pages_ocr++;
}

/* Only the seals are new; the cached row keeps the layer text too, so the
 * store holds every page's text. Words are not stored twice. */
static void
take_layer_seals(Scan *s, ScanTask *task)
{
	CorePage *page = task->out;
	GError *error = NULL;
	GArray *words = page->words;

	take_seals(page, task);
	if (s->store == NULL)
		return;
	page->words = core_words_new();
	warn_store(store_page_save(s->store, task->file->sha256, SCAN_LAYER_KEY,
				   page, &error),
		   &error);
	g_array_unref(page->words);
	page->words = words;
}

static void
task_done(ScanTask *task, gpointer data)
{
	Scan *s = data;

	if (task->fatal) {
		if (s->fatal == NULL)
			s->fatal = g_error_copy(task->error);
	} else if (task->error != NULL) {
		g_ptr_array_add(s->result->findings,
				unreadable(task->file->path, task->out->page,
					   task->error->message));
	} else if (task->kind == SCAN_TASK_OCR) {
		take_ocr(s, task);
	} else {
		take_layer_seals(s, task);
	}
}

static void
task_free(ScanTask *task)
{
	g_free(task->text);
	if (task->words != NULL)
		g_array_unref(task->words);
	if (task->seals != NULL)
		g_array_unref(task->seals);
	g_clear_error(&task->error);
	g_free(task);
}

static void
read_files(Scan *s)
{
	GPtrArray *files = s->result->files;

	for (guint i = 0; i < files->len; i++) {
		IngestFile *file = g_ptr_array_index(files, i);

		if (file->error != NULL)
			g_ptr_array_add(
			    s->result->findings,
			    unreadable(file->path, 0, file->error->message));
		else
			add_pages(s, file);
	}
	s->result->stats.files = (int)files->len;
	scan_tasks_run(s->ctx, s->tasks, task_done, s);
}

static void
classify_pages(Scan *s)
{
	GPtrArray *pages = s->result->pages;

	for (guint i = 0; i < pages->len; i++) {
		CorePage *page = g_ptr_array_index(pages, i);

		/* Only a rasterised page can be a photo. */
		classify_page(s->ctx->rules, page,
			      page->source != CORE_TEXT_PDF);
	}
}

/* Scanned pages were searched for seals with their OCR. Text-layer pages
 * are searched only in documents issued under a seal (the rules'
 * "sealed" types), all their pages, since a contract's seals are on its
 * last page; drawing pages only to find none costs more than reading
 * their text. */
static void
search_seals(Scan *s, GPtrArray *docs)
{
	g_ptr_array_set_size(s->tasks, 0);
	for (guint d = 0; d < docs->len; d++) {
		const CoreDocument *doc = g_ptr_array_index(docs, d);

		if (!classify_type_is_sealed(s->ctx->rules, doc->type))
			continue;
		for (guint k = 0; k < doc->pages->len; k++) {
			char *ref = core_ref(doc->file,
					     g_array_index(doc->pages, int, k));
			const Unsearched *u =
			    g_hash_table_lookup(s->unsearched, ref);

			if (u != NULL)
				queue_task(s, SCAN_TASK_SEALS, u->file,
					   u->page);
			g_free(ref);
		}
	}
	scan_tasks_run(s->ctx, s->tasks, task_done, s);
	classify_documents_update_seals(docs, s->result->pages);
}

static void
check(Scan *s)
{
	ScanResult *r = s->result;
	ChecklistResult *cl;

	classify_pages(s);
	r->documents = classify_documents(s->ctx->rules, r->pages);
	search_seals(s, r->documents);
	cl = checklist_evaluate(s->ctx->policy, s->ctx->rules, r->claim,
				r->documents);
	/* The claim's findings are one list: checklist's join the readers'. */
	for (guint i = 0; i < cl->findings->len; i++)
		g_ptr_array_add(r->findings,
				g_ptr_array_index(cl->findings, i));
	g_ptr_array_set_free_func(cl->findings, NULL);
	g_ptr_array_set_size(cl->findings, 0);
	r->checklist = cl;
}

ScanResult *
scan_claim(ScanContext *ctx, const char *dir, const ScanRequest *request,
	   GError **error)
{
	static const ScanRequest none = {0};
	Scan s = {.ctx = ctx,
		  .result = g_new0(ScanResult, 1),
		  .store = request ? request->store : NULL,
		  .tasks = core_ptr_array_new(task_free),
		  .unsearched = g_hash_table_new_full(g_str_hash, g_str_equal,
						      g_free, g_free)};
	gint64 start = g_get_monotonic_time();
	char *claim_json = NULL;

	s.result->folder = g_strdup(dir);
	s.result->policy = g_strdup(ctx->edition);
	s.result->pages = core_ptr_array_new(core_page_free);
	s.result->findings = core_ptr_array_new(core_finding_free);
	s.result->files = ingest_claim_scan(dir, &claim_json, error);
	if (s.result->files == NULL)
		goto fail;
	load_claim(&s, claim_json, request ? request : &none);
	read_files(&s);
	if (s.fatal != NULL) {
		g_propagate_error(error, g_steal_pointer(&s.fatal));
		goto fail;
	}
	check(&s);
	s.result->stats.seconds =
	    (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	g_free(claim_json);
	g_ptr_array_unref(s.tasks);
	g_hash_table_unref(s.unsearched);
	return s.result;
fail:
	g_free(claim_json);
	g_ptr_array_unref(s.tasks);
	g_hash_table_unref(s.unsearched);
	scan_result_free(s.result);
	return NULL;
}

void
scan_result_free(ScanResult *result)
{
	if (result == NULL)
		return;
	g_free(result->folder);
	g_free(result->claim_id);
	g_free(result->policy);
	core_claim_free(result->claim);
	if (result->files != NULL)
		g_ptr_array_unref(result->files);
	g_ptr_array_unref(result->pages);
	if (result->documents != NULL)
		g_ptr_array_unref(result->documents);
	checklist_result_free(result->checklist);
	g_ptr_array_unref(result->findings);
	g_free(result);
}

const char *
scan_result_verdict(const ScanResult *result)
{
	for (guint i = 0; i < result->findings->len; i++) {
		const CoreFinding *f = g_ptr_array_index(result->findings, i);

		if (f->severity == CORE_SEVERITY_ERROR)
			return "flagged";
	}
	return "pass";
}

gint64
scan_result_save(const ScanResult *result, const char *report_json,
		 Store *store, GError **error)
{
	guint n = result->files->len;
	StoreFileRef *refs = g_new0(StoreFileRef, n > 0 ? n : 1);
	StoreScan scan = {result->claim_id,
			  result->folder,
			  result->policy,
			  result->claim->direction,
			  scan_result_verdict(result),
			  report_json,
			  refs,
			  n,
			  result->documents,
			  result->findings};
	gint64 id;

	for (guint i = 0; i < n; i++) {
		const IngestFile *f = g_ptr_array_index(result->files, i);

		refs[i].path = f->path;
		refs[i].sha256 = f->sha256;
		refs[i].error = f->error != NULL ? f->error->message : NULL;
	}
	id = store_scan_save(store, &scan, error);
	g_free(refs);
	return id;
}
