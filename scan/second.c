/* second.c - the second reader of text-layer key fields. A PDF's text
 * layer can say other than its page shows (an edited layer over a scanned
 * or redrawn page), and a settlement rests on a few of its figures: the
 * rules name them per type ("verify = number, total, date"). Each is found
 * among the layer's words, only those words are drawn from the page and
 * read by OCR as one line, on the scan's workers, and the two readings
 * compared. The field keeps the layer's value; a disagreement is a
 * warning for the reviewer, with the page to open.
 *
 * The reading starts as soon as a file of text-layer pages is read (its
 * documents are known then: they never span files), one page at a time
 * beside the other files' work; the plan made once the claim's documents
 * are final takes those readings, and reads only what it planned
 * otherwise (a file with scanned pages, a value a QR code replaced). */
#include <string.h>

#include "scan/scan_int.h"
#include "scan/verify.h"

/* A key field planned as soon as its file was read, before the claim's
 * documents are known: its reading waits in NEEDLE for the final plan,
 * which takes it when it plans the same field at the same place. */
typedef struct {
	ScanVerified at; /* field, layer and page, for NEEDLE.out */
	ScanNeedle needle;
	gboolean cached; /* the reading is the store's */
	gboolean saved;	 /* a reading of this run, put in the store */
} Early;

struct ScanSecond {
	ScanContext *ctx;
	ScanRun *run;
	Store *store;
	char *cache_key; /* engine key + SCAN_VERIFY_KEY */
	/* "file\npage\nfield\nvalue" -> Early*, owned. */
	GHashTable *early;
	GQueue waiting;	  /* VERIFY tasks planned early, not yet pushed */
	guint running;	  /* pushed, not yet back */
	GPtrArray *tasks; /* ScanTask* of VERIFY, owned */
	/* The final plan, in scan_verify_documents. */
	ScanResult *result;
	GHashTable *pages;  /* "file#page" -> CorePage*, borrowed */
	GHashTable *files;  /* path -> IngestFile*, borrowed */
	GPtrArray *needles; /* ScanNeedle*, owned */
};

typedef struct ScanSecond Second;

void
scan_verified_free(ScanVerified *v)
{
	g_free(v->field);
	g_free(v->layer);
	g_free(v->image);
	g_free(v->seen);
	g_free(v);
}

void
scan_needle_free(ScanNeedle *n)
{
	g_free(n->value);
	g_free(n->image);
	g_free(n->image2);
	g_free(n);
}

static void
task_free(ScanTask *task)
{
	g_ptr_array_unref(task->needles);
	g_clear_error(&task->error);
	g_free(task);
}

/* Words a reviewer knows the key fields by; the field's own name is in
 * brackets after it anyway. */
static const char *
field_label(const char *field)
{
	static const struct {
		const char *field, *label;
	} labels[] = {
	    {"number", "号码"},	       {"total", "价税合计"},
	    {"date", "日期"},	       {"amount", "金额"},
	    {"signed_on", "签订日期"}, {"voucher_amount", "服务券金额"},
	    {"net", "金额（不含税）"}, {"code", "代码"}};

	for (guint i = 0; i < G_N_ELEMENTS(labels); i++)
		if (strcmp(labels[i].field, field) == 0)
			return labels[i].label;
	return field;
}

/* A reading from the store: no task needed. */
static gboolean
from_cache(Second *sec, const IngestFile *file, int page, ScanNeedle *n)
{
	StoreVerify got = {0};

	if (sec->store == NULL ||
	    !store_verify_lookup(sec->store, file->sha256, page, sec->cache_key,
				 n->out->field, n->out->layer, &got))
		return FALSE;
	n->image = got.image;
	n->confidence = got.confidence;
	n->image2 = got.image2;
	n->confidence2 = got.confidence2;
	n->read = TRUE;
	return TRUE;
}

static void
save_reading(Second *sec, const IngestFile *file, int page, const ScanNeedle *n)
{
	StoreVerify reading = {n->image, n->confidence, n->image2,
			       n->confidence2};
	GError *error = NULL;

	if (sec->store != NULL &&
	    !store_verify_save(sec->store, file->sha256, page, sec->cache_key,
			       n->out->field, n->out->layer, &reading,
			       &error)) {
		g_warning("%s", error->message);
		g_clear_error(&error);
	}
}

/* The VERIFY task of PAGE in TASKS (one per page), made when first
 * needed. */
static ScanTask *
page_task(Second *sec, GHashTable *tasks, IngestFile *file, CorePage *page)
{
	ScanTask *task = g_hash_table_lookup(tasks, page);

	if (task != NULL)
		return task;
	task = g_new0(ScanTask, 1);
	task->kind = SCAN_TASK_VERIFY;
	task->file = file;
	task->out = page;
	task->needles = g_ptr_array_new();
	g_ptr_array_add(sec->tasks, task);
	g_hash_table_insert(tasks, page, task);
	return task;
}

/* Where field NAME of DOC, of VALUE and KIND, is on the first of its
 * layer PAGES that holds it: a new entry for it (page 0 when no page
 * does), and that page with the value's box. */
static ScanVerified *
locate_field(const char *name, const char *kind, const char *value,
	     GPtrArray *pages, CorePage **at, CoreBox *box)
{
	ScanVerified *v = g_new0(ScanVerified, 1);

	v->field = g_strdup(name);
	v->status = SCAN_VERIFY_UNREAD;
	*at = NULL;
	for (guint i = 0; i < pages->len && *at == NULL; i++) {
		CorePage *p = g_ptr_array_index(pages, i);

		if (scan_verify_locate(p->words, kind, value, box, &v->layer))
			*at = p;
	}
	if (*at != NULL)
		v->page = (*at)->page;
	return v;
}

static void
needle_init(ScanNeedle *n, ScanVerified *v, const char *kind, const char *value,
	    const CoreBox *box)
{
	n->out = v;
	n->kind = kind;
	n->value = g_strdup(value);
	n->box = *box;
	n->latin = scan_verify_latin(kind, v->layer);
}

static char *
early_key(const char *file, int page, const char *field, const char *value)
{
	return g_strdup_printf("%s\n%d\n%s\n%s", file, page, field, value);
}

static void
early_free(Early *e)
{
	g_free(e->at.field);
	g_free(e->at.layer);
	g_free(e->needle.value);
	g_free(e->needle.image);
	g_free(e->needle.image2);
	g_free(e);
}

/* Field NAME of DOC, planned early: read from the store or queued on its
 * page's task in TASKS. */
static void
plan_early_field(Second *sec, const CoreDocument *doc, GPtrArray *pages,
		 IngestFile *file, GHashTable *tasks, const char *name)
{
	const char *value = core_document_get_field(doc, name);
	const char *kind =
	    classify_field_kind(sec->ctx->rules, doc->type, name);
	CorePage *at = NULL;
	CoreBox box = {0};
	ScanVerified *v;
	char *key;
	Early *e;

	if (value == NULL || kind == NULL)
		return;
	v = locate_field(name, kind, value, pages, &at, &box);
	key = at != NULL ? early_key(file->path, at->page, name, value) : NULL;
	if (key == NULL || g_hash_table_contains(sec->early, key)) {
		g_free(key);
		scan_verified_free(v);
		return;
	}
	e = g_new0(Early, 1);
	e->at = *v;
	g_free(v);
	needle_init(&e->needle, &e->at, kind, value, &box);
	g_hash_table_insert(sec->early, key, e);
	e->cached = from_cache(sec, file, at->page, &e->needle);
	if (!e->cached)
		g_ptr_array_add(page_task(sec, tasks, file, at)->needles,
				&e->needle);
}

/* DOC's key fields, planned early. */
static void
plan_early_document(Second *sec, const CoreDocument *doc, GPtrArray *pages,
		    IngestFile *file, GHashTable *tasks)
{
	const char *const *names =
	    classify_type_verify_fields(sec->ctx->rules, doc->type);
	GPtrArray *mine = g_ptr_array_new();

	for (guint i = 0; i < pages->len; i++) {
		CorePage *p = g_ptr_array_index(pages, i);

		for (guint k = 0; k < doc->pages->len; k++)
			if (p->page == g_array_index(doc->pages, int, k))
				g_ptr_array_add(mine, p);
	}
	for (; names != NULL && *names != NULL; names++)
		plan_early_field(sec, doc, mine, file, tasks, *names);
	g_ptr_array_unref(mine);
}

/* Verify tasks run in one lane while the pool has other work, so one
 * worker (and one reader of each kind) reads them alongside the others;
 * when only they are left, on every worker. */
static void
feed(Second *sec)
{
	guint lanes = scan_run_pending(sec->run) > sec->running
			  ? 1
			  : (guint)MAX(sec->ctx->jobs, 1);

	while (sec->running < lanes && !g_queue_is_empty(&sec->waiting)) {
		scan_run_push(sec->run, g_queue_pop_head(&sec->waiting));
		sec->running++;
	}
}

ScanSecond *
scan_second_new(ScanContext *ctx, ScanRun *run, Store *store)
{
	Second *sec = g_new0(Second, 1);

	sec->ctx = ctx;
	sec->run = run;
	sec->store = store;
	sec->cache_key =
	    g_strconcat(ctx->engine_key, " ", SCAN_VERIFY_KEY, NULL);
	sec->early = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					   (GDestroyNotify)early_free);
	g_queue_init(&sec->waiting);
	sec->tasks = core_ptr_array_new(task_free);
	return sec;
}

void
scan_second_free(ScanSecond *sec)
{
	if (sec == NULL)
		return;
	g_free(sec->cache_key);
	g_hash_table_unref(sec->early);
	g_queue_clear(&sec->waiting);
	g_ptr_array_unref(sec->tasks);
	g_free(sec);
}

static gboolean
has_verify_page(const ClassifyRules *rules, GPtrArray *pages)
{
	for (guint i = 0; i < pages->len; i++) {
		const CorePage *p = g_ptr_array_index(pages, i);

		if (p->source == CORE_TEXT_PDF && p->type != NULL &&
		    classify_type_verify_fields(rules, p->type) != NULL)
			return TRUE;
	}
	return FALSE;
}

/* PAGES, all of FILE's and all read from its layer, are classified: its
 * documents are known already (documents never span files), so their
 * key fields are located and read now, while other files are read, and
 * the final plan takes the readings. */
void
scan_second_add_file(ScanSecond *sec, IngestFile *file, GPtrArray *pages)
{
	GPtrArray *docs;
	GHashTable *tasks;

	if (file->kind != INGEST_KIND_PDF ||
	    !has_verify_page(sec->ctx->rules, pages))
		return;
	docs = classify_documents(sec->ctx->rules, pages);
	tasks = g_hash_table_new(NULL, NULL);
	for (guint d = 0; d < docs->len; d++)
		plan_early_document(sec, g_ptr_array_index(docs, d), pages,
				    file, tasks);
	for (guint i = 0; i < sec->tasks->len; i++) {
		ScanTask *t = g_ptr_array_index(sec->tasks, i);

		if (g_hash_table_contains(tasks, t->out)) {
			t->cost = t->needles->len;
			g_queue_push_tail(&sec->waiting, t);
		}
	}
	g_hash_table_unref(tasks);
	g_ptr_array_unref(docs);
	feed(sec);
}

void
scan_second_task_done(ScanSecond *sec, ScanTask *task)
{
	if (task->error != NULL)
		g_debug("verify %s#%d: %s", task->file->path, task->out->page,
			task->error->message);
	sec->running--;
}

void
scan_second_feed(ScanSecond *sec)
{
	feed(sec);
}

/* The early reading of N (planned at the same place), if any: taken over,
 * counted and stored as a reading of this run would be. */
static gboolean
from_early(Second *sec, const IngestFile *file, ScanNeedle *n)
{
	char *key =
	    early_key(file->path, n->out->page, n->out->field, n->value);
	Early *e = g_hash_table_lookup(sec->early, key);

	g_free(key);
	if (e == NULL || g_strcmp0(e->at.layer, n->out->layer) != 0 ||
	    e->needle.kind != n->kind)
		return FALSE;
	n->image = g_strdup(e->needle.image);
	n->confidence = e->needle.confidence;
	n->image2 = g_strdup(e->needle.image2);
	n->confidence2 = e->needle.confidence2;
	n->read = e->needle.read;
	if (!n->read)
		return TRUE;
	if (e->cached) {
		sec->result->stats.verify_cached++;
		return TRUE;
	}
	sec->result->stats.verify_ocr++;
	if (!e->saved)
		save_reading(sec, file, n->out->page, n);
	e->saved = TRUE;
	return TRUE;
}

/* Field NAME of DOC: found on the first of its layer PAGES that holds it,
 * read early, from the store, or queued on that page's task. */
static ScanVerified *
plan_field(Second *sec, const CoreDocument *doc, GPtrArray *pages,
	   IngestFile *file, GHashTable *tasks, const char *name)
{
	const char *value = core_document_get_field(doc, name);
	const char *kind =
	    classify_field_kind(sec->ctx->rules, doc->type, name);
	CorePage *at = NULL;
	ScanVerified *v;
	ScanNeedle *n;
	CoreBox box = {0};

	if (value == NULL || kind == NULL)
		return NULL;
	v = locate_field(name, kind, value, pages, &at, &box);
	if (at == NULL || file == NULL)
		return v;
	n = g_new0(ScanNeedle, 1);
	needle_init(n, v, kind, value, &box);
	g_ptr_array_add(sec->needles, n);
	if (from_early(sec, file, n))
		return v;
	if (from_cache(sec, file, v->page, n))
		sec->result->stats.verify_cached++;
	else
		g_ptr_array_add(page_task(sec, tasks, file, at)->needles, n);
	return v;
}

/* DOC's pages read from the text layer, in order (borrowed). */
static GPtrArray *
layer_pages(Second *sec, const CoreDocument *doc)
{
	GPtrArray *out = g_ptr_array_new();

	for (guint k = 0; k < doc->pages->len; k++) {
		char *ref =
		    core_ref(doc->file, g_array_index(doc->pages, int, k));
		CorePage *p = g_hash_table_lookup(sec->pages, ref);

		if (p != NULL && p->source == CORE_TEXT_PDF)
			g_ptr_array_add(out, p);
		g_free(ref);
	}
	return out;
}

/* DOC's key fields, planned; its entry in result->verified when it has
 * any on a text layer. Tasks made here are pushed at once: the final
 * plan runs when the pool is idle. */
static void
plan_document(Second *sec, const CoreDocument *doc)
{
	const char *const *names =
	    classify_type_verify_fields(sec->ctx->rules, doc->type);
	GPtrArray *pages, *entries;
	GHashTable *tasks;
	IngestFile *file;
	GHashTableIter it;
	gpointer task;

	if (names == NULL)
		return;
	pages = layer_pages(sec, doc);
	if (pages->len == 0) {
		g_ptr_array_unref(pages);
		return;
	}
	file = g_hash_table_lookup(sec->files, doc->file);
	tasks = g_hash_table_new(NULL, NULL);
	entries = core_ptr_array_new(scan_verified_free);
	for (; *names != NULL; names++) {
		ScanVerified *v =
		    plan_field(sec, doc, pages, file, tasks, *names);

		if (v != NULL)
			g_ptr_array_add(entries, v);
	}
	if (entries->len > 0)
		g_hash_table_insert(sec->result->verified, (gpointer)doc,
				    g_ptr_array_ref(entries));
	g_hash_table_iter_init(&it, tasks);
	while (g_hash_table_iter_next(&it, NULL, &task)) {
		/* Pages with more fields first: the claim ends on a short
		 * one. */
		((ScanTask *)task)->cost = ((ScanTask *)task)->needles->len;
		scan_run_push(sec->run, task);
	}
	g_ptr_array_unref(entries);
	g_hash_table_unref(tasks);
	g_ptr_array_unref(pages);
}

/* What the workers read late goes to the store (on this thread: one
 * Store per thread); a page that could not be drawn or read is not
 * cached, so the next scan tries again. */
static void
take_task(Second *sec, ScanTask *task)
{
	if (task->error != NULL)
		g_debug("verify %s#%d: %s", task->file->path, task->out->page,
			task->error->message);
	for (guint i = 0; i < task->needles->len; i++) {
		ScanNeedle *n = g_ptr_array_index(task->needles, i);

		if (!n->read)
			continue;
		sec->result->stats.verify_ocr++;
		save_reading(sec, task->file, task->out->page, n);
	}
}

static void
judge(const ScanNeedle *n)
{
	ScanVerified *v = n->out;

	if (!n->read)
		return;
	v->status =
	    scan_verify_judge(n->kind, n->value, n->image, n->confidence,
			      n->image2, n->confidence2, &v->seen);
	/* What a disagreement is reported with: the look that showed it. */
	v->image = g_strdup(n->image);
}

/* A disagreement: a warning pointing at the page, and a note with the
 * document, both naming the field, the layer's value and what the image
 * shows. The field keeps the layer's value. */
static void
report_mismatch(Second *sec, CoreDocument *doc, const ScanVerified *v)
{
	const char *value = core_document_get_field(doc, v->field);
	const char *label = field_label(v->field);
	char *ref = core_ref(doc->file, v->page);
	char *msg = g_strdup_printf(
	    "%s %s 的文本层与页面图像不符：%s（%s）文本层为 %s（“%s”），"
	    "页面图像显示为 %s（“%s”）。文本层可能被改动过；字段仍取文本层"
	    "的值，请核对原件",
	    classify_type_label(sec->ctx->rules, doc->type), ref, label,
	    v->field, value, v->layer, v->seen, v->image);
	CoreFinding *f =
	    core_finding_new("TEXT_LAYER_MISMATCH", CORE_SEVERITY_WARNING, msg);

	core_finding_set_english(
	    f,
	    "%s %s: the text layer does not match the page image: %s "
	    "text layer %s (\"%s\"), page image shows %s (\"%s\"). The text "
	    "layer may have been altered; the field keeps the text layer's "
	    "value, check the original",
	    doc->type, ref, v->field, value, v->layer, v->seen, v->image);
	core_finding_add_ref(f, doc->file, v->page);
	g_ptr_array_add(sec->result->findings, f);
	g_ptr_array_add(doc->notes,
			g_strdup_printf("%s（%s）文本层为 %s，第%d页图像显示为 "
					"%s，二者不符；字段取文本层的值",
					label, v->field, value, v->page,
					v->seen));
	g_free(msg);
	g_free(ref);
}

static void
report_all(Second *sec)
{
	GPtrArray *docs = sec->result->documents;

	for (guint d = 0; d < docs->len; d++) {
		CoreDocument *doc = g_ptr_array_index(docs, d);
		GPtrArray *entries =
		    g_hash_table_lookup(sec->result->verified, doc);

		for (guint i = 0; entries != NULL && i < entries->len; i++) {
			const ScanVerified *v = g_ptr_array_index(entries, i);

			if (v->status == SCAN_VERIFY_DISAGREE)
				report_mismatch(sec, doc, v);
		}
	}
}

static void
index_claim(Second *sec)
{
	ScanResult *r = sec->result;

	for (guint i = 0; i < r->pages->len; i++) {
		CorePage *p = g_ptr_array_index(r->pages, i);

		g_hash_table_insert(sec->pages, core_ref(p->file, p->page), p);
	}
	for (guint i = 0; i < r->files->len; i++) {
		IngestFile *f = g_ptr_array_index(r->files, i);

		if (f->error == NULL && f->kind == INGEST_KIND_PDF)
			g_hash_table_insert(sec->files, f->path, f);
	}
}

void
scan_verify_documents(ScanSecond *sec, ScanResult *result)
{
	ScanTask *task;

	/* Early tasks still waiting: none when the pool was waited for. */
	while (!g_queue_is_empty(&sec->waiting)) {
		scan_run_push(sec->run, g_queue_pop_head(&sec->waiting));
		sec->running++;
	}
	while ((task = scan_run_wait(sec->run)) != NULL)
		scan_second_task_done(sec, task);
	sec->result = result;
	sec->pages =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	sec->files = g_hash_table_new(g_str_hash, g_str_equal);
	sec->needles = core_ptr_array_new(scan_needle_free);
	index_claim(sec);
	for (guint d = 0; d < result->documents->len; d++)
		plan_document(sec, g_ptr_array_index(result->documents, d));
	while ((task = scan_run_wait(sec->run)) != NULL)
		take_task(sec, task);
	for (guint i = 0; i < sec->needles->len; i++)
		judge(g_ptr_array_index(sec->needles, i));
	report_all(sec);
	g_clear_pointer(&sec->pages, g_hash_table_unref);
	g_clear_pointer(&sec->files, g_hash_table_unref);
	g_clear_pointer(&sec->needles, g_ptr_array_unref);
	sec->result = NULL;
}
