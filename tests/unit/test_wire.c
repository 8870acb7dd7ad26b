/* test_wire.c - the messages between a scan and its reading processes
 * (scan/wire.c): what a reader found arrives whole, and a reply from a
 * reader gone wrong - garbage, counts that do not match, boxes out of the
 * page - is refused or tamed, never trusted. */
#include <math.h>
#include <string.h>

#include "scan/scan_int.h"

static IngestFile *
fake_file(IngestKind kind, int n_pages)
{
	IngestFile *file = g_new0(IngestFile, 1);

	file->path = g_strdup("发票/电子发票.pdf");
	file->abs_path = g_strdup("/claims/a/发票/电子发票.pdf");
	file->kind = kind;
	file->n_pages = n_pages;
	file->size = 1234;
	return file;
}

/* The request a parent sends, as the reader decodes it: one task per page
 * of a seal batch, the resolution and which rings to read. */
static void
test_request_batch(void)
{
	IngestFile *file = fake_file(INGEST_KIND_PDF, 3);
	CorePage *p2 = core_page_new(file->path, 2);
	CorePage *p3 = core_page_new(file->path, 3);
	ScanTask a = {
	    .kind = SCAN_TASK_SEALS, .file = file, .out = p2, .dpi = 45};
	ScanTask b = {.kind = SCAN_TASK_SEALS,
		      .file = file,
		      .out = p3,
		      .dpi = 45,
		      .read_rings = TRUE,
		      .batch_member = TRUE};
	GVariant *request;
	ScanWireJob *job;
	ScanTask *t;
	GError *error = NULL;

	a.batch_next = &b;
	request = scan_wire_request(&a, 60);
	job = scan_wire_job_new(request, &error);
	g_assert_no_error(error);
	t = scan_wire_job_task(job);
	g_assert_cmpint(t->kind, ==, SCAN_TASK_SEALS);
	g_assert_cmpstr(t->file->abs_path, ==, file->abs_path);
	g_assert_cmpint(t->file->kind, ==, INGEST_KIND_PDF);
	g_assert_cmpint(t->out->page, ==, 2);
	g_assert_false(t->read_rings);
	g_assert_nonnull(t->batch_next);
	g_assert_cmpint(t->batch_next->out->page, ==, 3);
	g_assert_true(t->batch_next->read_rings);
	g_assert_cmpint(t->batch_next->dpi, ==, 45);
	g_assert_null(t->batch_next->batch_next);
	g_assert_cmpint(scan_wire_job_deadline(job), ==, 60);
	scan_wire_job_free(job);
	g_variant_unref(request);
	core_page_free(p2);
	core_page_free(p3);
	ingest_file_free(file);
}

/* An OCR'd page's text, words, seals with their rings and QR codes come
 * back as the reader had them. */
static void
test_reply_ocr(void)
{
	IngestFile *file = fake_file(INGEST_KIND_JPEG, 1);
	CorePage *page = core_page_new(file->path, 1);
	ScanTask task = {.kind = SCAN_TASK_OCR, .file = file, .out = page};
	GVariant *request = scan_wire_request(&task, 60), *reply;
	ScanWireJob *job = scan_wire_job_new(request, NULL);
	ScanTask *t = scan_wire_job_task(job);
	CoreWord w = {g_strdup("陆万元整"), {0.1, 0.2, 0.3, 0.04}, 0.9};
	CoreBox seal = {0.6, 0.7, 0.2, 0.2};
	GError *error = NULL;

	t->text = g_strdup("价税合计 陆万元整");
	t->confidence = 0.87;
	t->words = core_words_new();
	g_array_append_val(t->words, w);
	t->seals = core_boxes_new();
	g_array_append_val(t->seals, seal);
	t->seal_orgs = core_ptr_array_new(g_free);
	g_ptr_array_add(t->seal_orgs, NULL);
	t->codes = core_ptr_array_new(g_free);
	g_ptr_array_add(t->codes, g_strdup("01,32,,24452000000012345678"));
	t->rotation = 90;
	t->phash = G_GUINT64_CONSTANT(0x8000000000000001);
	reply = scan_wire_reply(job);
	g_assert_true(scan_wire_take(&task, reply, &error));
	g_assert_no_error(error);
	g_assert_no_error(task.error);
	g_assert_cmpstr(task.text, ==, "价税合计 陆万元整");
	g_assert_cmpfloat(task.confidence, ==, 0.87);
	g_assert_cmpuint(task.words->len, ==, 1);
	g_assert_cmpstr(g_array_index(task.words, CoreWord, 0).text, ==,
			"陆万元整");
	g_assert_cmpfloat(g_array_index(task.words, CoreWord, 0).box.w, ==,
			  0.3);
	g_assert_cmpuint(task.seals->len, ==, 1);
	g_assert_cmpfloat(g_array_index(task.seals, CoreBox, 0).x, ==, 0.6);
	g_assert_cmpuint(task.seal_orgs->len, ==, 1);
	g_assert_null(g_ptr_array_index(task.seal_orgs, 0));
	g_assert_cmpstr(g_ptr_array_index(task.codes, 0), ==,
			"01,32,,24452000000012345678");
	g_assert_cmpint(task.rotation, ==, 90);
	g_assert_true(task.phash == G_GUINT64_CONSTANT(0x8000000000000001));
	g_free(task.text);
	g_array_unref(task.words);
	g_array_unref(task.seals);
	g_ptr_array_unref(task.seal_orgs);
	g_ptr_array_unref(task.codes);
	g_variant_unref(reply);
	scan_wire_job_free(job);
	g_variant_unref(request);
	core_page_free(page);
	ingest_file_free(file);
}

static GVariant *
dict(const char *key, GVariant *value)
{
	GVariantDict d;

	g_variant_dict_init(&d, NULL);
	if (key != NULL)
		g_variant_dict_insert_value(&d, key, value);
	return g_variant_ref_sink(g_variant_dict_end(&d));
}

/* A read file whose layer lists fewer pages than it claims to have is
 * refused: the pages would be read past the end of the layer. */
static void
test_reply_load_mismatch(void)
{
	IngestFile *file = g_new0(IngestFile, 1);
	ScanTask task = {.kind = SCAN_TASK_LOAD, .file = file};
	GVariantDict f;
	const char *text[] = {"第一页"};
	GVariant *reply;
	GError *error = NULL;

	g_variant_dict_init(&f, NULL);
	g_variant_dict_insert(&f, "kind", "i", INGEST_KIND_PDF);
	g_variant_dict_insert(&f, "sha256", "s",
			      "0123456789abcdef0123456789abcdef"
			      "0123456789abcdef0123456789abcdef");
	g_variant_dict_insert(&f, "n_pages", "i", 5);
	g_variant_dict_insert_value(&f, "layer_text",
				    g_variant_new_strv(text, 1));
	reply = dict("file", g_variant_dict_end(&f));
	file->path = g_strdup("a.pdf");
	g_assert_false(scan_wire_take(&task, reply, &error));
	g_assert_error(error, CORE_ERROR, CORE_ERROR_FORMAT);
	g_assert_cmpint(file->n_pages, ==, 0);
	g_assert_null(file->layer_text);
	g_clear_error(&error);
	g_variant_unref(reply);
	ingest_file_free(file);
}

/* Boxes and confidences out of range, a rotation that is no turn: tamed;
 * a page reply that neither failed nor looked for seals: an error. */
static void
test_reply_tamed(void)
{
	IngestFile *file = fake_file(INGEST_KIND_PNG, 1);
	CorePage *page = core_page_new(file->path, 1);
	ScanTask task = {.kind = SCAN_TASK_OCR, .file = file, .out = page};
	/* One word, then a second whose text has no end: dropped. */
	static const char texts[] = "x\0\xff\xfe";
	const double nums[] = {NAN, 1e300, -5.0, 0.1, 7.0,
			       0.1, 0.1,   0.1,	 0.1, 0.5};
	GVariantBuilder pages;
	GVariantDict p;
	GVariant *reply;
	GError *error = NULL;

	g_variant_dict_init(&p, NULL);
	g_variant_dict_insert(&p, "text", "s", "x");
	g_variant_dict_insert(&p, "confidence", "d", INFINITY);
	g_variant_dict_insert(&p, "rotation", "i", 45);
	g_variant_dict_insert_value(
	    &p, "words",
	    g_variant_new("(@ay@ad)",
			  g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, texts,
						    sizeof texts - 1, 1),
			  g_variant_new_fixed_array(G_VARIANT_TYPE_DOUBLE, nums,
						    10, sizeof(double))));
	g_variant_builder_init(&pages, G_VARIANT_TYPE("aa{sv}"));
	g_variant_builder_add_value(&pages, g_variant_dict_end(&p));
	reply = dict("pages", g_variant_builder_end(&pages));
	g_assert_true(scan_wire_take(&task, reply, &error));
	g_assert_no_error(error);
	g_assert_cmpfloat(task.confidence, ==, 0);
	g_assert_cmpint(task.rotation, ==, 0);
	g_assert_cmpfloat(g_array_index(task.words, CoreWord, 0).box.x, ==, 0);
	g_assert_cmpfloat(g_array_index(task.words, CoreWord, 0).box.y, ==, 2);
	g_assert_cmpfloat(g_array_index(task.words, CoreWord, 0).box.w, ==, -1);
	g_assert_cmpfloat(g_array_index(task.words, CoreWord, 0).confidence, ==,
			  1);
	g_assert_error(task.error, CORE_ERROR, CORE_ERROR_FORMAT);
	g_clear_error(&task.error);
	g_free(task.text);
	g_array_unref(task.words);
	g_variant_unref(reply);
	core_page_free(page);
	ingest_file_free(file);
}

/* Replies of the wrong shape or plain garbage: refused, nothing read. */
static void
test_reply_garbage(void)
{
	IngestFile *file = fake_file(INGEST_KIND_PDF, 2);
	CorePage *page = core_page_new(file->path, 1);
	ScanTask task = {.kind = SCAN_TASK_SEALS, .file = file, .out = page};
	GRand *rand = g_rand_new_with_seed(8);
	GError *error = NULL;
	GVariant *reply = dict(NULL, NULL);

	g_assert_false(scan_wire_take(&task, reply, &error));
	g_clear_error(&error);
	g_variant_unref(reply);
	reply = dict("pages", g_variant_new_string("no"));
	g_assert_false(scan_wire_take(&task, reply, &error));
	g_clear_error(&error);
	g_variant_unref(reply);
	for (int i = 0; i < 2000; i++) {
		gsize len = g_rand_int_range(rand, 0, 300);
		guint8 *data = g_malloc(MAX(len, 1));
		GBytes *bytes;

		for (gsize k = 0; k < len; k++)
			data[k] = (guint8)g_rand_int(rand);
		bytes = g_bytes_new_take(data, len);
		reply = g_variant_ref_sink(g_variant_new_from_bytes(
		    G_VARIANT_TYPE("a{sv}"), bytes, FALSE));
		/* Taken: the page has its seals or says why not. */
		if (scan_wire_take(&task, reply, &error))
			g_assert_true(task.seals != NULL || task.error != NULL);
		g_clear_error(&error);
		g_clear_error(&task.error);
		g_clear_pointer(&task.seals, g_array_unref);
		g_clear_pointer(&task.seal_orgs, g_ptr_array_unref);
		g_clear_pointer(&task.codes, g_ptr_array_unref);
		g_clear_pointer(&task.words, g_array_unref);
		g_clear_pointer(&task.text, g_free);
		g_variant_unref(reply);
		g_bytes_unref(bytes);
	}
	g_rand_free(rand);
	core_page_free(page);
	ingest_file_free(file);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/wire/request-batch", test_request_batch);
	g_test_add_func("/wire/reply-ocr", test_reply_ocr);
	g_test_add_func("/wire/reply-load-mismatch", test_reply_load_mismatch);
	g_test_add_func("/wire/reply-tamed", test_reply_tamed);
	g_test_add_func("/wire/reply-garbage", test_reply_garbage);
	return g_test_run();
}
