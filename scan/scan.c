/* scan.c - one claim through the pipeline. Text comes from the PDF layer
 * when it is usable, else from the store's cache, else from OCR; every
 * page is normalised once, classified, grouped into documents, and the
 * documents are ticked against the direction's evidence list. */
#include "scan/scan_int.h"

typedef struct {
	ScanContext *ctx;
	ScanResult *result;
	Store *store;
	GPtrArray *tasks; /* ScanTask*, every task made, owned */
	ScanRun *run;
	GError *fatal;
	GPtrArray *file_pages;	/* per file: its CorePage* array, or NULL */
	GArray *unreadable;	/* Unreadable, sorted into the claim's order */
	GHashTable *file_index; /* IngestFile* -> its index + 1 */
	GHashTable *ocr_files;	/* IngestFile* with pages still to OCR */
	/* Text-layer pages not yet searched for seals, of files whose pages
	 * were not all classified when they were read: "file#page" ->
	 * Unsearched. */
	GHashTable *unsearched;
	/* CorePage* of text-layer pages whose seals' rings are read: pages of
	 * documents whose type has "seal_names". */
	GHashTable *ring_pages;
	ScanSecond *second; /* the second reading of key fields */
	const ScanRequest *request;
	int files_done;
	int ocr_pending; /* pages waiting for their OCR */
} Scan;

typedef struct {
	CorePage *page;
	const IngestFile *file;
} Unsearched;

/* An UNREADABLE_FILE finding and where it belongs in the report. */
typedef struct {
	guint file;
	int page;
	CoreFinding *finding;
} Unreadable;

static CoreFinding *
unreadable(const char *file, int page, const char *reason)
{
	char *msg = page > 0 ? g_strdup_printf("文件无法读取（第%d页）：%s",
					       page, reason)
			     : g_strdup_printf("文件无法读取：%s", reason);
	CoreFinding *f =
	    core_finding_new("UNREADABLE_FILE", CORE_SEVERITY_ERROR, msg);

	if (page > 0)
		core_finding_set_english(
		    f, "File could not be read (page %d): %s", page, reason);
	else
		core_finding_set_english(f, "File could not be read: %s",
					 reason);
	core_finding_add_ref(f, file, page);
	g_free(msg);
	return f;
}

/* Findings of unreadable files and pages come in the claim's order,
 * whichever worker finished first. */
static void
add_unreadable(Scan *s, const IngestFile *file, int page, const char *reason)
{
	Unreadable u = {
	    GPOINTER_TO_UINT(g_hash_table_lookup(s->file_index, file)), page,
	    unreadable(file->path, page, reason)};

	g_array_append_val(s->unreadable, u);
}

static gint
by_place(gconstpointer a, gconstpointer b)
{
	const Unreadable *ua = a, *ub = b;

	if (ua->file != ub->file)
		return ua->file < ub->file ? -1 : 1;
	return ua->page - ub->page;
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

static void
warn_store(gboolean ok, GError **error)
{
	if (ok)
		return;
	g_warning("%s", (*error)->message);
	g_clear_error(error);
}

static ScanTask *
task_new(Scan *s, ScanTaskKind kind, IngestFile *file, CorePage *page)
{
	ScanTask *task = g_new0(ScanTask, 1);

	task->kind = kind;
	task->file = file;
	task->out = page;
	g_ptr_array_add(s->tasks, task);
	return task;
}

/* The seal search of PAGES (of FILE, in order), in batches of consecutive
 * pages so that the file is parsed once per batch. Pages of types that
 * carry a QR code are drawn finer and decoded too. */
static void
queue_seal_search(Scan *s, IngestFile *file, GPtrArray *pages)
{
	ScanTask *head = NULL, *prev = NULL;
	int len = 0;

	for (guint i = 0; i < pages->len; i++) {
		CorePage *page = g_ptr_array_index(pages, i);
		ScanTask *task = task_new(s, SCAN_TASK_SEALS, file, page);

		task->dpi = classify_type_has_codes(s->ctx->rules, page->type)
				? SCAN_CODES_DPI
				: INGEST_SEAL_DPI;
		task->read_rings = g_hash_table_contains(s->ring_pages, page);
		if (prev != NULL && prev->out->page + 1 == page->page &&
		    prev->dpi == task->dpi && len < SCAN_SEAL_BATCH) {
			prev->batch_next = task;
			task->batch_member = TRUE;
			len++;
		} else {
			if (head != NULL)
				scan_run_push(s->run, head);
			head = task;
			len = 1;
		}
		prev = task;
	}
	if (head != NULL)
		scan_run_push(s->run, head);
}

/* A scanned page: the cached reading if the store has one, else OCR. */
static void
add_scanned_page(Scan *s, IngestFile *file, CorePage *page)
{
	ScanTask *task;

	if (s->store != NULL && store_page_lookup(s->store, file->sha256,
						  s->ctx->engine_key, page)) {
		scan_page_normalize(page);
		classify_page(s->ctx->rules, page, TRUE);
		s->result->stats.pages_cached++;
		return;
	}
	task = task_new(s, SCAN_TASK_OCR, file, page);
	s->ocr_pending++;
	/* Bytes per page: more ink or more pixels, more time. */
	task->cost = (double)file->size / MAX(file->n_pages, 1);
	g_hash_table_add(s->ocr_files, file);
	scan_run_push(s->run, task);
}

/* The seals of a text-layer page from the cache; FALSE when it must be
 * searched. The cached text is the layer's, read anew anyway. */
static gboolean
cached_seals(Scan *s, const IngestFile *file, CorePage *page)
{
	CorePage *cached;
	gboolean found;

	if (s->store == NULL)
		return FALSE;
	cached = core_page_new(file->path, page->page);
	found =
	    store_page_lookup(s->store, file->sha256, SCAN_LAYER_KEY, cached);
	if (found) {
		core_page_set_seals(page, (const CoreBox *)cached->seals->data,
				    cached->seals->len);
		for (guint i = 0; i < cached->seal_orgs->len; i++)
			page->seal_orgs->pdata[i] =
			    g_steal_pointer(&cached->seal_orgs->pdata[i]);
		g_ptr_array_extend_and_steal(page->codes,
					     g_steal_pointer(&cached->codes));
		cached->codes = core_ptr_array_new(g_free);
	}
	core_page_free(cached);
	return found;
}

static void
remember_unsearched(Scan *s, const IngestFile *file, CorePage *page)
{
	Unsearched *u = g_new(Unsearched, 1);

	u->page = page;
	u->file = file;
	g_hash_table_insert(s->unsearched, core_ref(file->path, page->page), u);
}

typedef struct {
	Scan *s;
	GPtrArray *search;
} UnsearchedPages;

static void
add_if_unsearched(CorePage *page, const char *type, gpointer data)
{
	UnsearchedPages *u = data;

	if (page->stamped >= 0)
		return;
	g_ptr_array_add(u->search, page);
	if (classify_type_names_seals(u->s->ctx->rules, type))
		g_hash_table_add(u->s->ring_pages, page);
}

/* A file read by its LOAD task: cached or OCR'd text for its scanned
 * pages, cached or searched seals for its layer pages. When every page is
 * classified already, the pages of its sealed documents are searched at
 * once; otherwise after the OCR, when the documents are known. */
static void
add_file(Scan *s, ScanTask *load)
{
	IngestFile *file = load->file;
	GPtrArray *pages = g_steal_pointer(&load->pages);
	GError *error = NULL;

	g_ptr_array_index(s->file_pages, load->index) = pages;
	if (file->error != NULL) {
		add_unreadable(s, file, 0, file->error->message);
		return;
	}
	if (s->store != NULL)
		warn_store(store_file_save(s->store, file->sha256, file->size,
					   ingest_kind_name(file->kind),
					   file->n_pages, &error),
			   &error);
	for (guint i = 0; i < pages->len; i++) {
		CorePage *page = g_ptr_array_index(pages, i);

		s->result->stats.pages++;
		if (page->source != CORE_TEXT_PDF) {
			add_scanned_page(s, file, page);
			continue;
		}
		s->result->stats.pages_pdf_text++;
		/* Left at -1, not examined, unless the cache has it. */
		cached_seals(s, file, page);
	}
	if (g_hash_table_contains(s->ocr_files, file)) {
		for (guint i = 0; i < pages->len; i++) {
			CorePage *page = g_ptr_array_index(pages, i);

			if (page->source == CORE_TEXT_PDF && page->stamped < 0)
				remember_unsearched(s, file, page);
		}
	} else {
		UnsearchedPages u = {s, g_ptr_array_new()};

		classify_pages_sealed(s->ctx->rules, pages, add_if_unsearched,
				      &u);
		queue_seal_search(s, file, u.search);
		g_ptr_array_unref(u.search);
		scan_second_add_file(s->second, file, pages);
	}
}

static void
take_seals(CorePage *page, ScanTask *task)
{
	core_page_set_seals(page, (const CoreBox *)task->seals->data,
			    task->seals->len);
	for (guint i = 0; task->seal_orgs != NULL && i < task->seal_orgs->len &&
			  i < page->seal_orgs->len;
	     i++)
		page->seal_orgs->pdata[i] =
		    g_steal_pointer(&task->seal_orgs->pdata[i]);
	if (task->codes != NULL)
		g_ptr_array_extend_and_steal(page->codes,
					     g_steal_pointer(&task->codes));
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
	page->phash = task->phash;
	if (s->store != NULL)
		warn_store(store_page_save(s->store, task->file->sha256,
					   s->ctx->engine_key, page, &error),
			   &error);
	scan_page_normalize(page);
	classify_page(s->ctx->rules, page, TRUE);
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
tell_progress(Scan *s)
{
	const ScanRequest *req = s->request;
	int pages = s->result->stats.pages;

	if (req->progress != NULL)
		req->progress(s->files_done, (int)s->result->files->len,
			      pages - s->ocr_pending, pages,
			      req->progress_data);
}

static void
task_done(Scan *s, ScanTask *task)
{
	if (task->kind == SCAN_TASK_LOAD)
		s->files_done++;
	else if (task->kind == SCAN_TASK_OCR)
		s->ocr_pending--;
	if (task->kind == SCAN_TASK_VERIFY) {
		/* A page whose drawing killed its reader is as unreadable as
		 * one OCR could not read, though its text came from the
		 * layer. */
		if (task->died)
			add_unreadable(s, task->file, task->out->page,
				       task->error->message);
		scan_second_task_done(s->second, task);
	} else if (task->fatal) {
		if (s->fatal == NULL)
			s->fatal = g_error_copy(task->error);
	} else if (task->kind == SCAN_TASK_LOAD) {
		add_file(s, task);
	} else if (task->error != NULL) {
		add_unreadable(s, task->file, task->out->page,
			       task->error->message);
	} else if (task->kind == SCAN_TASK_OCR) {
		take_ocr(s, task);
	} else {
		take_layer_seals(s, task);
	}
	scan_second_feed(s->second);
	tell_progress(s);
}

static void
task_free(ScanTask *task)
{
	g_free(task->text);
	if (task->words != NULL)
		g_array_unref(task->words);
	if (task->seals != NULL)
		g_array_unref(task->seals);
	if (task->seal_orgs != NULL)
		g_ptr_array_unref(task->seal_orgs);
	if (task->codes != NULL)
		g_ptr_array_unref(task->codes);
	ingest_image_free(task->image);
	if (task->pages != NULL)
		g_ptr_array_unref(task->pages);
	g_clear_error(&task->error);
	g_free(task);
}

static void
run_all(Scan *s)
{
	ScanTask *task;

	while ((task = scan_run_wait(s->run)) != NULL)
		task_done(s, task);
}

/* Every file is read by a worker; what each brings (OCR, seal searches)
 * goes to the same workers while the others are still being read. */
static void
read_files(Scan *s)
{
	GPtrArray *files = s->result->files;

	g_ptr_array_set_size(s->file_pages, files->len);
	for (guint i = 0; i < files->len; i++) {
		IngestFile *file = g_ptr_array_index(files, i);
		ScanTask *task = task_new(s, SCAN_TASK_LOAD, file, NULL);

		g_hash_table_insert(s->file_index, file,
				    GUINT_TO_POINTER(i + 1));

		task->rules = s->ctx->rules;
		task->index = i;
		scan_run_push(s->run, task);
	}
	run_all(s);
	for (guint i = 0; i < files->len; i++) {
		GPtrArray *pages = g_ptr_array_index(s->file_pages, i);

		for (guint k = 0; pages != NULL && k < pages->len; k++)
			g_ptr_array_add(s->result->pages,
					g_steal_pointer(&pages->pdata[k]));
	}
	s->result->stats.files = (int)files->len;
}

/* Text-layer pages of files that also had pages to OCR are searched once
 * the documents are known: only in documents issued under a seal (the
 * rules' "sealed" types), all their pages, since a contract's seals are
 * on its last page; drawing pages only to find none costs more than
 * reading their text. */
static void
search_seals(Scan *s, GPtrArray *docs)
{
	for (guint d = 0; d < docs->len; d++) {
		const CoreDocument *doc = g_ptr_array_index(docs, d);
		GPtrArray *search;
		const IngestFile *file = NULL;

		if (!classify_type_is_sealed(s->ctx->rules, doc->type))
			continue;
		search = g_ptr_array_new();
		for (guint k = 0; k < doc->pages->len; k++) {
			char *ref = core_ref(doc->file,
					     g_array_index(doc->pages, int, k));
			const Unsearched *u =
			    g_hash_table_lookup(s->unsearched, ref);

			if (u != NULL) {
				g_ptr_array_add(search, u->page);
				file = u->file;
				if (classify_type_names_seals(s->ctx->rules,
							      doc->type))
					g_hash_table_add(s->ring_pages,
							 u->page);
			}
			g_free(ref);
		}
		if (file != NULL)
			queue_seal_search(s, (IngestFile *)file, search);
		g_ptr_array_unref(search);
	}
	run_all(s);
	classify_documents_update_seals(docs, s->result->pages);
	classify_documents_update_codes(s->ctx->rules, docs, s->result->pages);
}

/* The claim's findings are one list: each stage's join the readers'. */
static void
take_findings(ScanResult *r, GPtrArray *findings)
{
	for (guint i = 0; i < findings->len; i++)
		g_ptr_array_add(r->findings, g_ptr_array_index(findings, i));
	g_ptr_array_set_free_func(findings, NULL);
	g_ptr_array_set_size(findings, 0);
	g_ptr_array_set_free_func(findings, (GDestroyNotify)core_finding_free);
}

static void
run_checks(Scan *s)
{
	ScanResult *r = s->result;
	guint n = r->files->len;
	StoreFileRef *refs = g_new0(StoreFileRef, n > 0 ? n : 1);
	ChecksInput in = {r->claim_id, r->claim, r->documents, r->pages,
			  refs,	       n,	 s->store,     NULL};

	for (guint i = 0; i < n; i++) {
		const IngestFile *f = g_ptr_array_index(r->files, i);

		refs[i].path = f->path;
		refs[i].sha256 = f->sha256;
		refs[i].error = f->error != NULL ? f->error->message : NULL;
	}
	r->checks = checks_evaluate(s->ctx->checks, &in);
	take_findings(r, r->checks->findings);
	g_free(refs);
}

static void
check(Scan *s)
{
	ScanResult *r = s->result;
	ChecklistResult *cl;

	r->documents = classify_documents(s->ctx->rules, r->pages);
	search_seals(s, r->documents);
	classify_documents_match_names(s->ctx->rules, r->documents, r->pages,
				       r->claim);
	g_array_sort(s->unreadable, by_place);
	for (guint i = 0; i < s->unreadable->len; i++)
		g_ptr_array_add(
		    r->findings,
		    g_steal_pointer(
			&g_array_index(s->unreadable, Unreadable, i).finding));
	scan_verify_documents(s->second, r);
	cl = checklist_evaluate(s->ctx->policy, s->ctx->rules, r->claim,
				r->documents);
	take_findings(r, cl->findings);
	r->checklist = cl;
	run_checks(s);
}

static void
scan_free(Scan *s)
{
	scan_run_free(s->run);
	scan_second_free(s->second);
	g_ptr_array_unref(s->tasks);
	g_ptr_array_unref(s->file_pages);
	for (guint i = 0; i < s->unreadable->len; i++)
		core_finding_free(
		    g_array_index(s->unreadable, Unreadable, i).finding);
	g_array_unref(s->unreadable);
	g_hash_table_unref(s->file_index);
	g_hash_table_unref(s->ocr_files);
	g_hash_table_unref(s->unsearched);
	g_hash_table_unref(s->ring_pages);
}

ScanResult *
scan_claim(ScanContext *ctx, const char *dir, const ScanRequest *request,
	   GError **error)
{
	static const ScanRequest none = {0};
	Scan s = {
	    .ctx = ctx,
	    .result = g_new0(ScanResult, 1),
	    .store = request ? request->store : NULL,
	    .tasks = core_ptr_array_new(task_free),
	    .file_pages = core_ptr_array_new((GDestroyNotify)g_ptr_array_unref),
	    .unreadable = g_array_new(FALSE, FALSE, sizeof(Unreadable)),
	    .file_index = g_hash_table_new(NULL, NULL),
	    .ocr_files = g_hash_table_new(NULL, NULL),
	    .unsearched =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
	    .ring_pages = g_hash_table_new(NULL, NULL)};
	gint64 start = g_get_monotonic_time();
	char *claim_json = NULL;

	s.result->folder = g_strdup(dir);
	s.result->policy = g_strdup(ctx->edition);
	s.result->pages = core_ptr_array_new(core_page_free);
	s.result->findings = core_ptr_array_new(core_finding_free);
	s.result->verified = g_hash_table_new_full(
	    NULL, NULL, NULL, (GDestroyNotify)g_ptr_array_unref);
	s.result->files = ingest_claim_list(dir, &claim_json, error);
	if (s.result->files == NULL)
		goto fail;
	s.request = request ? request : &none;
	load_claim(&s, claim_json, s.request);
	tell_progress(&s);
	s.run = scan_run_new(ctx);
	s.second = scan_second_new(ctx, s.run, s.store);
	read_files(&s);
	if (s.fatal != NULL) {
		g_propagate_error(error, g_steal_pointer(&s.fatal));
		goto fail;
	}
	check(&s);
	s.result->stats.seconds =
	    (double)(g_get_monotonic_time() - start) / G_USEC_PER_SEC;
	g_free(claim_json);
	scan_free(&s);
	return s.result;
fail:
	g_free(claim_json);
	scan_free(&s);
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
	checks_result_free(result->checks);
	g_ptr_array_unref(result->findings);
	if (result->verified != NULL)
		g_hash_table_unref(result->verified);
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
			  result->findings,
			  NULL,
			  NULL};
	StoreFacts *facts;
	GPtrArray *keys;
	gint64 id;

	for (guint i = 0; i < n; i++) {
		const IngestFile *f = g_ptr_array_index(result->files, i);

		refs[i].path = f->path;
		refs[i].sha256 = f->sha256;
		refs[i].error = f->error != NULL ? f->error->message : NULL;
	}
	/* What later scans of other claims compare with this one, saved in
	 * the scan's transaction. */
	facts = store_facts_collect(result->claim, result->documents);
	keys = store_keys_collect(result->documents, result->pages, refs, n);
	scan.facts = facts;
	scan.keys = keys;
	id = store_scan_save(store, &scan, error);
	store_facts_free(facts);
	g_ptr_array_unref(keys);
	g_free(refs);
	return id;
}
