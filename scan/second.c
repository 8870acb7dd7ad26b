/* second.c - the second reader of text-layer key fields. A PDF's text
 * layer can say other than its page shows (an edited layer over a scanned
 * or redrawn page), and a settlement rests on a few of its figures: the
 * rules name them per type ("verify = number, total, date"). Each is found
 * among the layer's words, only those words are drawn from the page and
 * read by OCR as one line, on the scan's workers, and the two readings
 * compared. The field keeps the layer's value; a disagreement is a
 * warning for the reviewer, with the page to open. */
#include <string.h>

#include "scan/scan_int.h"
#include "scan/verify.h"

typedef struct {
	ScanContext *ctx;
	ScanRun *run;
	Store *store;
	ScanResult *result;
	char *cache_key;    /* engine key + SCAN_VERIFY_KEY */
	GHashTable *pages;  /* "file#page" -> CorePage*, borrowed */
	GHashTable *files;  /* path -> IngestFile*, borrowed */
	GPtrArray *needles; /* ScanNeedle*, owned */
	GPtrArray *tasks;   /* ScanTask* of VERIFY, owned */
} Second;

static void
verified_free(ScanVerified *v)
{
	g_free(v->field);
	g_free(v->layer);
	g_free(v->image);
	g_free(v->seen);
	g_free(v);
}

static void
needle_free(ScanNeedle *n)
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
	sec->result->stats.verify_cached++;
	return TRUE;
}

/* The VERIFY task of PAGE in TASKS (one per page of the document), made
 * when first needed. */
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

/* Field NAME of DOC: found on the first of its layer PAGES that holds it,
 * read from the store or queued on that page's task. */
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
	v = g_new0(ScanVerified, 1);
	v->field = g_strdup(name);
	v->status = SCAN_VERIFY_UNREAD;
	for (guint i = 0; i < pages->len && at == NULL; i++) {
		CorePage *p = g_ptr_array_index(pages, i);

		if (scan_verify_locate(p->words, kind, value, &box, &v->layer))
			at = p;
	}
	if (at == NULL)
		return v;
	v->page = at->page;
	if (file == NULL)
		return v;
	n = g_new0(ScanNeedle, 1);
	n->out = v;
	n->kind = kind;
	n->value = g_strdup(value);
	n->box = box;
	g_ptr_array_add(sec->needles, n);
	if (!from_cache(sec, file, v->page, n))
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
 * any on a text layer. */
static void
plan_document(Second *sec, const CoreDocument *doc)
{
	const char *const *names =
	    classify_type_verify_fields(sec->ctx->rules, doc->type);
	GPtrArray *pages, *entries;
	GHashTable *tasks;
	IngestFile *file;

	if (names == NULL)
		return;
	pages = layer_pages(sec, doc);
	if (pages->len == 0) {
		g_ptr_array_unref(pages);
		return;
	}
	file = g_hash_table_lookup(sec->files, doc->file);
	tasks = g_hash_table_new(NULL, NULL);
	entries = core_ptr_array_new(verified_free);
	for (; *names != NULL; names++) {
		ScanVerified *v =
		    plan_field(sec, doc, pages, file, tasks, *names);

		if (v != NULL)
			g_ptr_array_add(entries, v);
	}
	if (entries->len > 0)
		g_hash_table_insert(sec->result->verified, (gpointer)doc,
				    g_ptr_array_ref(entries));
	g_ptr_array_unref(entries);
	g_hash_table_unref(tasks);
	g_ptr_array_unref(pages);
}

/* What the workers read goes to the store (on this thread: one Store per
 * thread); a page that could not be drawn or read is not cached, so the
 * next scan tries again. */
static void
take_task(Second *sec, ScanTask *task)
{
	GError *error = NULL;

	if (task->error != NULL)
		g_debug("verify %s#%d: %s", task->file->path, task->out->page,
			task->error->message);
	for (guint i = 0; i < task->needles->len; i++) {
		ScanNeedle *n = g_ptr_array_index(task->needles, i);
		StoreVerify reading = {n->image, n->confidence, n->image2,
				       n->confidence2};

		if (!n->read)
			continue;
		sec->result->stats.verify_ocr++;
		if (sec->store != NULL &&
		    !store_verify_save(sec->store, task->file->sha256,
				       task->out->page, sec->cache_key,
				       n->out->field, n->out->layer, &reading,
				       &error)) {
			g_warning("%s", error->message);
			g_clear_error(&error);
		}
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
scan_verify_documents(ScanContext *ctx, ScanRun *run, Store *store,
		      ScanResult *result)
{
	Second sec = {.ctx = ctx,
		      .run = run,
		      .store = store,
		      .result = result,
		      .cache_key = g_strconcat(ctx->engine_key, " ",
					       SCAN_VERIFY_KEY, NULL),
		      .pages = g_hash_table_new_full(g_str_hash, g_str_equal,
						     g_free, NULL),
		      .files = g_hash_table_new(g_str_hash, g_str_equal),
		      .needles = core_ptr_array_new(needle_free),
		      .tasks = core_ptr_array_new(task_free)};
	ScanTask *task;

	index_claim(&sec);
	for (guint d = 0; d < result->documents->len; d++)
		plan_document(&sec, g_ptr_array_index(result->documents, d));
	for (guint i = 0; i < sec.tasks->len; i++) {
		ScanTask *t = g_ptr_array_index(sec.tasks, i);

		/* Pages with more fields first: the phase ends on a short one.
		 */
		t->cost = t->needles->len;
		scan_run_push(run, t);
	}
	while ((task = scan_run_wait(run)) != NULL)
		take_task(&sec, task);
	for (guint i = 0; i < sec.needles->len; i++)
		judge(g_ptr_array_index(sec.needles, i));
	report_all(&sec);
	g_free(sec.cache_key);
	g_hash_table_unref(sec.pages);
	g_hash_table_unref(sec.files);
	g_ptr_array_unref(sec.needles);
	g_ptr_array_unref(sec.tasks);
}
