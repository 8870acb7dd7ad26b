/* test_history.c - the cross-claim record: a scan's facts and evidence
 * keys saved and read back (the latest scan of each other claim only),
 * the perceptual hash of a page re-encoded, re-scaled or turned against
 * another page, and the three cross-claim rule kinds (duplicate,
 * contract_limit, quota) passing, failing and not checked on a store
 * filled here. Prints the cost of the hash and of the queries on a store
 * of 1000 claims (docs/store.md). */
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include <cairo.h>
#include <leptonica/allheaders.h>
#include <pango/pangocairo.h>

#include "checks/checks_int.h"
#include "ingest/ingest.h"
#include "store/store.h"

#define CHECKS_2026 EVIDCHECK_RULES_DIR "/2026/checks.ini"
#define INVOICE_NO  "26452000000012345678"

typedef struct {
	char *dir;
	char *path;
	Store *store;
	ChecksPolicy *policy;
} Fixture;

static void
setup(Fixture *f, gconstpointer data)
{
	GError *error = NULL;

	(void)data;
	f->dir = g_dir_make_tmp("evidcheck-history-XXXXXX", NULL);
	g_assert_nonnull(f->dir);
	f->path = g_build_filename(f->dir, "evidcheck.db", NULL);
	f->store = store_open(f->path, &error);
	g_assert_no_error(error);
	f->policy = checks_policy_load(CHECKS_2026, &error);
	g_assert_no_error(error);
}

static void
teardown(Fixture *f, gconstpointer data)
{
	char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);

	(void)data;
	store_close(f->store);
	checks_policy_free(f->policy);
	g_assert_cmpint(system(cmd), ==, 0);
	g_free(cmd);
	g_free(f->dir);
	g_free(f->path);
}

/* ---- a claim built in memory ----------------------------------------- */

typedef struct {
	CoreClaim *claim;
	GPtrArray *docs;  /* CoreDocument* */
	GPtrArray *pages; /* CorePage* */
	StoreFileRef files[4];
	guint n_files;
} Claim;

static Claim *
claim_new(const char *id, const char *direction)
{
	Claim *c = g_new0(Claim, 1);

	c->claim = core_claim_new();
	c->claim->claim_id = g_strdup(id);
	c->claim->direction = g_strdup(direction);
	c->claim->enterprise.name = g_strdup("广西某某机械有限公司");
	c->claim->enterprise.credit_code = g_strdup("91450200MA5K12345X");
	c->claim->enterprise.tier = g_strdup("general");
	c->claim->provider.name = g_strdup("南宁某某科技有限公司");
	c->claim->contract_signed_on = g_strdup("2026-03-01");
	c->claim->voucher_amount = g_strdup("30000.00");
	c->docs =
	    g_ptr_array_new_with_free_func((GDestroyNotify)core_document_free);
	c->pages =
	    g_ptr_array_new_with_free_func((GDestroyNotify)core_page_free);
	return c;
}

static void
claim_free(Claim *c)
{
	core_claim_free(c->claim);
	g_ptr_array_unref(c->docs);
	g_ptr_array_unref(c->pages);
	g_free(c);
}

static void
add_invoice(Claim *c, const char *file, const char *number)
{
	CoreDocument *d = core_document_new(file, "invoice");
	CorePage *p = core_page_new(file, 1);

	core_document_add_page(d, 1);
	core_document_set_field(d, "number", number);
	g_ptr_array_add(c->docs, d);
	core_page_set_text(p, "电子发票", CORE_TEXT_PDF, 1);
	p->type = g_strdup("invoice");
	g_ptr_array_add(c->pages, p);
}

static void
add_page(Claim *c, const char *file, const char *type, const char *text,
	 guint64 phash)
{
	CorePage *p = core_page_new(file, 1);

	core_page_set_text(p, text, phash != 0 ? CORE_TEXT_OCR : CORE_TEXT_PDF,
			   1);
	p->type = g_strdup(type);
	p->phash = phash;
	g_ptr_array_add(c->pages, p);
}

static void
add_file(Claim *c, const char *path, const char *sha)
{
	c->files[c->n_files].path = path;
	c->files[c->n_files].sha256 = sha;
	c->n_files++;
}

static gint64
save(Fixture *f, Claim *c)
{
	GError *error = NULL;
	GPtrArray *finds = g_ptr_array_new();
	StoreFacts *facts = store_facts_collect(c->claim, c->docs);
	GPtrArray *keys =
	    store_keys_collect(c->docs, c->pages, c->files, c->n_files);
	StoreScan scan = {c->claim->claim_id,
			  "/claims",
			  "2026",
			  c->claim->direction,
			  "pass",
			  "{}",
			  c->files,
			  c->n_files,
			  c->docs,
			  finds,
			  facts,
			  keys};
	gint64 id = store_scan_save(f->store, &scan, &error);

	g_assert_no_error(error);
	g_assert_cmpint(id, >, 0);
	store_facts_free(facts);
	g_ptr_array_unref(keys);
	g_ptr_array_unref(finds);
	return id;
}

/* The outcome of rule RULE_ID for C, with STORE (may be NULL); *MESSAGE
 * (may be NULL) gets the first finding's message or the note. */
static ChecksStatus
run_rule(Fixture *f, Claim *c, Store *store, const char *rule_id,
	 char **message, CoreSeverity *severity)
{
	ChecksInput in = {
	    c->claim->claim_id, c->claim,   c->docs, c->pages,
	    c->files,		c->n_files, store,   "2026-11-25"};
	ChecksResult *r = checks_evaluate_only(f->policy, &in, rule_id);
	const ChecksOutcome *o;
	ChecksStatus status;

	g_assert_cmpuint(r->outcomes->len, ==, 1);
	o = g_ptr_array_index(r->outcomes, 0);
	status = o->status;
	if (message != NULL)
		*message = g_strdup(
		    r->findings->len > 0
			? ((CoreFinding *)g_ptr_array_index(r->findings, 0))
			      ->message
			: o->note);
	if (severity != NULL && r->findings->len > 0)
		*severity = ((CoreFinding *)g_ptr_array_index(r->findings, 0))
				->severity;
	checks_result_free(r);
	return status;
}

static void
assert_contains(const char *haystack, const char *needle)
{
	if (strstr(haystack, needle) == NULL)
		g_error("\"%s\" does not contain \"%s\"", haystack, needle);
}

/* ---- store ----------------------------------------------------------- */

static const char sha_a[] =
    "aaaa16bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static void
test_roundtrip(Fixture *f, gconstpointer data)
{
	Claim *a1 = claim_new("GXFWQ-2026-000045", "4");
	Claim *a2 = claim_new("GXFWQ-2026-000045", "4");
	GError *error = NULL;
	GPtrArray *others;
	GPtrArray *hits;
	const StoreOther *o;
	const StoreKey *k;

	(void)data;
	/* The first scan had another invoice; the re-scan supersedes it. */
	add_invoice(a1, "发票/old.pdf", "11112222333344445555");
	save(f, a1);
	add_invoice(a2, "发票/inv.pdf", "2645 2000 0000 1234 5678");
	add_file(a2, "发票/inv.pdf", sha_a);
	add_page(a2, "照片/p.jpg", "photo", "", G_GUINT64_CONSTANT(0xf0f0));
	save(f, a2);

	others = store_history_claims(f->store, "GXFWQ-2026-000099", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(others->len, ==, 1);
	o = g_ptr_array_index(others, 0);
	g_assert_cmpstr(o->claim_id, ==, "GXFWQ-2026-000045");
	g_assert_cmpstr(o->facts->enterprise_code, ==, "91450200MA5K12345X");
	g_assert_cmpstr(o->facts->signed_on, ==, "2026-03-01");
	g_assert_cmpstr(o->facts->voucher_amount, ==, "30000.00");
	g_assert_null(o->facts->scene);
	g_ptr_array_unref(others);
	/* Never itself. */
	others = store_history_claims(f->store, "GXFWQ-2026-000045", &error);
	g_assert_cmpuint(others->len, ==, 0);
	g_ptr_array_unref(others);

	/* Spaces are not part of a number. */
	hits = store_history_find_key(f->store, "X", STORE_KEY_INVOICE,
				      INVOICE_NO, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(hits->len, ==, 1);
	k = g_ptr_array_index(hits, 0);
	g_assert_cmpstr(k->file, ==, "发票/inv.pdf");
	g_assert_cmpint(k->page, ==, 1);
	g_assert_cmpstr(k->type, ==, "invoice");
	g_ptr_array_unref(hits);
	/* The superseded scan's invoice is not there any more. */
	hits = store_history_find_key(f->store, "X", STORE_KEY_INVOICE,
				      "11112222333344445555", &error);
	g_assert_cmpuint(hits->len, ==, 0);
	g_ptr_array_unref(hits);
	hits = store_history_find_key(f->store, "X", STORE_KEY_FILE, sha_a,
				      &error);
	g_assert_cmpuint(hits->len, ==, 1);
	g_assert_cmpint(((StoreKey *)hits->pdata[0])->page, ==, 0);
	g_ptr_array_unref(hits);
	hits = store_history_phashes(f->store, "X", &error);
	g_assert_cmpuint(hits->len, ==, 1);
	g_assert_cmpuint(store_phash_parse(((StoreKey *)hits->pdata[0])->value),
			 ==, 0xf0f0);
	g_ptr_array_unref(hits);
	claim_free(a1);
	claim_free(a2);
}

/* The page cache keeps the page image's hash. */
static void
test_page_cache_phash(Fixture *f, gconstpointer data)
{
	GError *error = NULL;
	CorePage *p = core_page_new("a.jpg", 1);
	CorePage *got = core_page_new("a.jpg", 1);

	(void)data;
	core_page_set_text(p, "x", CORE_TEXT_OCR, 0.9);
	p->phash = G_GUINT64_CONSTANT(0xfedcba9876543210);
	g_assert_true(store_file_save(f->store, sha_a, 1, "jpeg", 1, &error));
	g_assert_true(store_page_save(f->store, sha_a, "tess", p, &error));
	g_assert_true(store_page_lookup(f->store, sha_a, "tess", got));
	g_assert_cmpuint(got->phash, ==,
			 G_GUINT64_CONSTANT(0xfedcba9876543210));
	core_page_free(p);
	core_page_free(got);
}

/* ---- the page hash ----------------------------------------------------- */

/* A page: a form's frame and lines of text, SEED changing the text; or,
 * when PHOTO, shapes and gradients as a photo has. */
static PIX *
draw(int seed, gboolean photo, int w, int h)
{
	cairo_surface_t *s =
	    cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(s);
	PIX *pix = pixCreate(w, h, 32);
	GRand *rand = g_rand_new_with_seed((guint32)seed);

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	if (photo) {
		for (int i = 0; i < 12; i++) {
			cairo_set_source_rgb(cr, g_rand_double(rand),
					     g_rand_double(rand),
					     g_rand_double(rand));
			cairo_arc(cr, g_rand_double(rand) * w,
				  g_rand_double(rand) * h,
				  (0.05 + g_rand_double(rand) * 0.25) * w, 0,
				  2 * G_PI);
			cairo_fill(cr);
		}
	} else {
		PangoLayout *layout = pango_cairo_create_layout(cr);
		PangoFontDescription *font =
		    pango_font_description_from_string("Noto Sans CJK SC 9");
		GString *text = g_string_new(NULL);

		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_set_line_width(cr, 2);
		cairo_rectangle(cr, 0.08 * w, 0.08 * h, 0.84 * w, 0.84 * h);
		cairo_stroke(cr);
		for (int i = 0; i < 40; i++) {
			g_string_truncate(text, 0);
			for (int j = 0; j < 30; j++)
				g_string_append_unichar(
				    text,
				    0x4e00 + g_rand_int_range(rand, 0, 2000));
			if (g_rand_int_range(rand, 0, 4) == 0)
				continue; /* paragraphs */
			pango_layout_set_font_description(layout, font);
			pango_layout_set_text(layout, text->str, -1);
			cairo_move_to(cr, 0.12 * w, 0.1 * h + i * 0.02 * h);
			pango_cairo_show_layout(cr, layout);
		}
		g_string_free(text, TRUE);
		pango_font_description_free(font);
		g_object_unref(layout);
	}
	cairo_surface_flush(s);
	for (int y = 0; y < h; y++)
		memcpy(pixGetData(pix) + y * pixGetWpl(pix),
		       cairo_image_surface_get_data(s) +
			   y * cairo_image_surface_get_stride(s),
		       (gsize)w * 4);
	g_rand_free(rand);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	return pix;
}

/* PIX as a JPEG of QUALITY, read back as the pipeline reads a photo. */
static guint64
hash_as_jpeg(PIX *pix, int quality, int rotation)
{
	char *path =
	    g_build_filename(g_get_tmp_dir(), "evidcheck-phash.jpg", NULL);
	IngestFile *file;
	IngestImage *image;
	GError *error = NULL;
	guint64 h;

	g_assert_cmpint(pixWriteJpeg(path, pix, quality, 0), ==, 0);
	file = ingest_file_read(path, "p.jpg");
	g_assert_null(file->error);
	image = ingest_page_render(file, 1, &error);
	g_assert_no_error(error);
	h = ingest_image_phash(image, rotation);
	ingest_image_free(image);
	ingest_file_free(file);
	g_unlink(path);
	g_free(path);
	return h;
}

static void
test_phash(void)
{
	PIX *photo = draw(1, TRUE, 1600, 1200);
	PIX *small = pixScale(photo, 0.6, 0.6);
	PIX *sideways = pixRotateOrth(photo, 3); /* a quarter turn left */
	PIX *other = draw(2, TRUE, 1600, 1200);
	PIX *page = draw(3, FALSE, 1240, 1754);
	PIX *page2 = draw(4, FALSE, 1240, 1754);
	PIX *page_scan = pixScale(page, 0.8, 0.8);
	guint64 h = hash_as_jpeg(photo, 92, 0);

	g_assert_cmpuint(h, !=, 0);
	g_test_message("photo: q40 %d, 0.6x q75 %d, turned %d, other %d",
		       store_phash_distance(h, hash_as_jpeg(photo, 40, 0)),
		       store_phash_distance(h, hash_as_jpeg(small, 75, 0)),
		       store_phash_distance(h, hash_as_jpeg(sideways, 92, 90)),
		       store_phash_distance(h, hash_as_jpeg(other, 92, 0)));
	/* checks.ini phash_max_distance is 6. */
	g_assert_cmpint(store_phash_distance(h, hash_as_jpeg(photo, 40, 0)), <=,
			3);
	g_assert_cmpint(store_phash_distance(h, hash_as_jpeg(small, 75, 0)), <=,
			3);
	g_assert_cmpint(store_phash_distance(h, hash_as_jpeg(sideways, 92, 90)),
			<=, 3);
	g_assert_cmpint(store_phash_distance(h, hash_as_jpeg(other, 92, 0)), >,
			12);
	h = hash_as_jpeg(page, 90, 0);
	g_test_message("text page: 0.8x q60 %d, another page same frame %d",
		       store_phash_distance(h, hash_as_jpeg(page_scan, 60, 0)),
		       store_phash_distance(h, hash_as_jpeg(page2, 90, 0)));
	g_assert_cmpint(store_phash_distance(h, hash_as_jpeg(page_scan, 60, 0)),
			<=, 4);
	g_assert_cmpint(store_phash_distance(h, hash_as_jpeg(page2, 90, 0)), >,
			6);
	pixDestroy(&photo);
	pixDestroy(&small);
	pixDestroy(&sideways);
	pixDestroy(&other);
	pixDestroy(&page);
	pixDestroy(&page2);
	pixDestroy(&page_scan);
}

/* A blank page has no hash: it would match every blank page. */
static void
test_phash_blank(void)
{
	IngestImage im = {64, 64, 1, 64, 300, g_malloc(64 * 64)};

	memset(im.pixels, 250, 64 * 64);
	g_assert_cmpuint(ingest_image_phash(&im, 0), ==, 0);
	g_free(im.pixels);
}

/* What one page costs: a 300 dpi A4 page, RGB. */
static void
test_phash_cost(void)
{
	IngestImage im = {2480, 3508, 3, 2480 * 3, 300, NULL};
	gint64 t0;
	int n = 50;
	guint64 acc = 0;

	im.pixels = g_malloc((gsize)im.stride * im.height);
	for (gsize i = 0; i < (gsize)im.stride * im.height; i++)
		im.pixels[i] = (guint8)((i * 2654435761u) >> 24);
	t0 = g_get_monotonic_time();
	for (int i = 0; i < n; i++)
		acc ^= ingest_image_phash(&im, (i % 4) * 90);
	g_test_message("phash of a 300 dpi A4 RGB page: %.0f us",
		       (double)(g_get_monotonic_time() - t0) / n);
	g_assert_cmpuint(acc, !=, 1);
	g_free(im.pixels);
}

/* ---- the rules ---------------------------------------------------------- */

static void
test_duplicate(Fixture *f, gconstpointer data)
{
	Claim *other = claim_new("GXFWQ-2026-000045", "4");
	Claim *me = claim_new("GXFWQ-2026-000046", "4");
	Claim *again = claim_new("GXFWQ-2026-000045", "4");
	GString *long_text = g_string_new(NULL);
	char *msg = NULL;

	(void)data;
	g_string_append(long_text, "企业：广西某某机械有限公司\n");
	for (int i = 0; i < 30; i++)
		g_string_append(long_text, "本系统运行核心数据记录 ");
	add_invoice(other, "发票/inv.pdf", INVOICE_NO);
	add_page(other, "运行/log.pdf", "operation_records", long_text->str, 0);
	add_page(other, "培训/photo.jpg", "photo", "", 0x0123456789abcdefu);
	add_page(other, "证书/cert.jpg", "software_copyright_cert", "",
		 0x7777777777777777u);
	save(f, other);

	/* Without a store nothing can be compared. */
	g_assert_cmpint(run_rule(f, me, NULL, "duplicate_evidence", &msg, NULL),
			==, CHECKS_NOT_CHECKED);
	g_assert_cmpstr(msg, ==, "未使用存储库，无法比对其他申报");
	g_clear_pointer(&msg, g_free);
	/* Nothing shared. */
	add_invoice(me, "发票/mine.pdf", "26452000000099999999");
	g_assert_cmpint(
	    run_rule(f, me, f->store, "duplicate_evidence", &msg, NULL), ==,
	    CHECKS_PASSED);
	g_clear_pointer(&msg, g_free);
	/* The provider's own certificate, in every claim: not compared. */
	add_page(me, "证书/cert.jpg", "software_copyright_cert", "",
		 0x7777777777777777u);
	g_assert_cmpint(
	    run_rule(f, me, f->store, "duplicate_evidence", NULL, NULL), ==,
	    CHECKS_PASSED);
	/* A scanned form hashes like any form of its template: pages
	 * other than photos are not compared by their image. */
	add_page(other, "验收/form.jpg", "acceptance_form", "",
		 0x1111222233334444u);
	save(f, other);
	add_page(me, "验收/mine.jpg", "acceptance_form", "",
		 0x1111222233334444u);
	g_assert_cmpint(
	    run_rule(f, me, f->store, "duplicate_evidence", NULL, NULL), ==,
	    CHECKS_PASSED);
	/* The same photo, re-encoded: 3 bits off. */
	add_page(me, "照片/p.jpg", "photo", "", 0x0123456789abcdefu ^ 0x13u);
	g_assert_cmpint(
	    run_rule(f, me, f->store, "duplicate_evidence", &msg, NULL), ==,
	    CHECKS_FAILED);
	assert_contains(msg, "照片/p.jpg#1");
	assert_contains(msg, "GXFWQ-2026-000045");
	assert_contains(msg, "培训/photo.jpg#1");
	g_clear_pointer(&msg, g_free);
	claim_free(me);

	/* The same invoice number, spaced otherwise. */
	me = claim_new("GXFWQ-2026-000046", "4");
	add_invoice(me, "发票/b.pdf", "2645 2000 0000 1234 5678");
	g_assert_cmpint(
	    run_rule(f, me, f->store, "duplicate_evidence", &msg, NULL), ==,
	    CHECKS_FAILED);
	g_assert_cmpstr(msg, ==,
			"发票号码 " INVOICE_NO
			" 已用于申报 GXFWQ-2026-000045（发票/inv.pdf#1）");
	g_clear_pointer(&msg, g_free);
	claim_free(me);

	/* A text-layer page with the same long text; a short one is not
	 * compared. */
	me = claim_new("GXFWQ-2026-000046", "4");
	add_page(me, "运行/x.pdf", "operation_records", long_text->str, 0);
	g_assert_cmpint(
	    run_rule(f, me, f->store, "duplicate_evidence", &msg, NULL), ==,
	    CHECKS_FAILED);
	assert_contains(msg, "运行/log.pdf#1");
	g_clear_pointer(&msg, g_free);
	claim_free(me);
	/* A text page that does not name the claim's enterprise (a
	 * contract's standard terms) may be the provider's template: not
	 * compared. */
	me = claim_new("GXFWQ-2026-000046", "4");
	g_free(me->claim->enterprise.name);
	me->claim->enterprise.name = g_strdup("桂林另一家机械有限公司");
	g_clear_pointer(&me->claim->enterprise.credit_code, g_free);
	add_page(me, "运行/x.pdf", "operation_records", long_text->str, 0);
	g_assert_cmpint(
	    run_rule(f, me, f->store, "duplicate_evidence", NULL, NULL), ==,
	    CHECKS_PASSED);
	claim_free(me);

	/* The same claim scanned again is not its own duplicate. */
	add_invoice(again, "发票/inv.pdf", INVOICE_NO);
	add_page(again, "培训/photo.jpg", "photo", "", 0x0123456789abcdefu);
	g_assert_cmpint(
	    run_rule(f, again, f->store, "duplicate_evidence", NULL, NULL), ==,
	    CHECKS_PASSED);
	claim_free(again);
	claim_free(other);
	g_string_free(long_text, TRUE);
}

static void
test_contract_limit(Fixture *f, gconstpointer data)
{
	Claim *first = claim_new("D2-1", "2");
	Claim *me = claim_new("D2-2", "2");
	Claim *scene = claim_new("S-1", "4");
	char *msg = NULL;

	(void)data;
	save(f, first);
	g_assert_cmpint(run_rule(f, me, NULL, "contracts_d2", &msg, NULL), ==,
			CHECKS_NOT_CHECKED);
	g_assert_cmpstr(msg, ==, "未使用存储库，无法比对其他申报");
	g_clear_pointer(&msg, g_free);
	/* Same enterprise (by credit code, the name written otherwise) and
	 * provider: the second contract is over the limit of 1. */
	g_free(me->claim->enterprise.name);
	me->claim->enterprise.name = g_strdup("广西某某机械有限公司（柳州）");
	g_assert_cmpint(run_rule(f, me, f->store, "contracts_d2", &msg, NULL),
			==, CHECKS_FAILED);
	assert_contains(msg, "D2-1");
	assert_contains(msg, "上限 1 个");
	g_clear_pointer(&msg, g_free);
	/* Another provider. */
	g_free(me->claim->provider.name);
	me->claim->provider.name = g_strdup("桂林另一科技有限公司");
	g_assert_cmpint(run_rule(f, me, f->store, "contracts_d2", NULL, NULL),
			==, CHECKS_PASSED);
	/* No enterprise at all: named as missing. */
	g_clear_pointer(&me->claim->enterprise.name, g_free);
	g_clear_pointer(&me->claim->enterprise.credit_code, g_free);
	g_assert_cmpint(run_rule(f, me, f->store, "contracts_d2", &msg, NULL),
			==, CHECKS_NOT_CHECKED);
	assert_contains(msg, "企业名称或统一社会信用代码");
	g_clear_pointer(&msg, g_free);

	/* The same scene within 6 months, with any provider. */
	scene->claim->scene = g_strdup("2");
	save(f, scene);
	claim_free(scene);
	scene = claim_new("S-2", "4");
	scene->claim->scene = g_strdup("2");
	g_free(scene->claim->provider.name);
	scene->claim->provider.name = g_strdup("桂林另一科技有限公司");
	g_free(scene->claim->contract_signed_on);
	scene->claim->contract_signed_on = g_strdup("2026-08-31");
	g_assert_cmpint(
	    run_rule(f, scene, f->store, "contracts_scene", &msg, NULL), ==,
	    CHECKS_FAILED);
	assert_contains(msg, "S-1（签订于2026-03-01）");
	g_clear_pointer(&msg, g_free);
	g_free(scene->claim->contract_signed_on);
	scene->claim->contract_signed_on = g_strdup("2026-09-01");
	g_assert_cmpint(
	    run_rule(f, scene, f->store, "contracts_scene", NULL, NULL), ==,
	    CHECKS_PASSED);
	g_clear_pointer(&scene->claim->contract_signed_on, g_free);
	g_assert_cmpint(
	    run_rule(f, scene, f->store, "contracts_scene", &msg, NULL), ==,
	    CHECKS_NOT_CHECKED);
	assert_contains(msg, "合同签订日期");
	g_clear_pointer(&msg, g_free);
	claim_free(scene);
	claim_free(first);
	claim_free(me);
}

static void
test_quota(Fixture *f, gconstpointer data)
{
	Claim *a = claim_new("Q-1", "4");
	Claim *me = claim_new("Q-2", "5");
	char *msg = NULL;
	CoreSeverity sev = CORE_SEVERITY_ERROR;

	(void)data;
	save(f, a);
	/* 30,000 + 30,000 over the general tier's 50,000. */
	g_assert_cmpint(
	    run_rule(f, me, f->store, "enterprise_quota", &msg, NULL), ==,
	    CHECKS_FAILED);
	assert_contains(msg, "60,000.00元");
	assert_contains(msg, "Q-1");
	assert_contains(msg, "50,000.00元");
	g_clear_pointer(&msg, g_free);
	/* An advanced enterprise has 100,000. */
	g_free(me->claim->enterprise.tier);
	me->claim->enterprise.tier = g_strdup("10");
	g_assert_cmpint(
	    run_rule(f, me, f->store, "enterprise_quota", NULL, NULL), ==,
	    CHECKS_PASSED);
	/* Another year's contract does not count. */
	g_free(me->claim->enterprise.tier);
	me->claim->enterprise.tier = g_strdup("general");
	g_free(me->claim->contract_signed_on);
	me->claim->contract_signed_on = g_strdup("2027-01-02");
	g_assert_cmpint(
	    run_rule(f, me, f->store, "enterprise_quota", NULL, NULL), ==,
	    CHECKS_PASSED);
	g_clear_pointer(&me->claim->enterprise.tier, g_free);
	g_assert_cmpint(
	    run_rule(f, me, f->store, "enterprise_quota", &msg, NULL), ==,
	    CHECKS_NOT_CHECKED);
	assert_contains(msg, "enterprise.tier");
	g_clear_pointer(&msg, g_free);

	/* The provider's year: 5,010,000 settled elsewhere + 30,000. */
	for (int i = 0; i < 2; i++) {
		Claim *big = claim_new(i == 0 ? "P-1" : "P-2", "9");

		g_free(big->claim->enterprise.credit_code);
		big->claim->enterprise.credit_code = g_strdup(
		    i == 0 ? "91450000AAAAAAAA1" : "91450000BBBBBBBB2");
		g_free(big->claim->voucher_amount);
		big->claim->voucher_amount = g_strdup("2490000");
		save(f, big);
		claim_free(big);
	}
	g_assert_cmpint(run_rule(f, me, f->store, "provider_cap", &msg, &sev),
			==, CHECKS_PASSED); /* signed 2027 */
	g_clear_pointer(&msg, g_free);
	g_free(me->claim->contract_signed_on);
	me->claim->contract_signed_on = g_strdup("2026-05-01");
	g_assert_cmpint(run_rule(f, me, f->store, "provider_cap", &msg, &sev),
			==, CHECKS_FAILED);
	g_assert_cmpint(sev, ==, CORE_SEVERITY_WARNING);
	assert_contains(msg, "5,040,000.00元");
	g_clear_pointer(&msg, g_free);
	g_assert_cmpint(run_rule(f, me, NULL, "provider_cap", &msg, NULL), ==,
			CHECKS_NOT_CHECKED);
	g_clear_pointer(&msg, g_free);
	claim_free(a);
	claim_free(me);
}

/* ---- cost on a store of 1000 claims ------------------------------------- */

static void
test_cost(Fixture *f, gconstpointer data)
{
	GError *error = NULL;
	gint64 t0;
	GPtrArray *r;
	char *msg = NULL;
	Claim *me = claim_new("C-new", "2");
	int n = 1000;
	double claims_ms, key_ms, phash_ms, rules_ms;

	(void)data;
	for (int i = 0; i < n; i++) {
		char *id = g_strdup_printf("C-%04d", i);
		char *no = g_strdup_printf("2645200000%010d", i);
		Claim *c = claim_new(id, i % 2 ? "4" : "2");

		g_free(c->claim->enterprise.credit_code);
		c->claim->enterprise.credit_code =
		    g_strdup_printf("91450000%010d", i);
		add_invoice(c, "发票/inv.pdf", no);
		for (int p = 0; p < 10; p++) {
			char *file = g_strdup_printf("照片/%d.jpg", p);

			add_page(c, file, "photo", "",
				 g_str_hash(file) * 2654435761u + (guint64)i);
			g_free(file);
		}
		/* Every claim rescanned once: half the scans superseded. */
		save(f, c);
		save(f, c);
		claim_free(c);
		g_free(id);
		g_free(no);
	}
	t0 = g_get_monotonic_time();
	r = store_history_claims(f->store, "C-new", &error);
	claims_ms = (g_get_monotonic_time() - t0) / 1000.0;
	g_assert_cmpuint(r->len, ==, (guint)n);
	g_ptr_array_unref(r);
	t0 = g_get_monotonic_time();
	for (int i = 0; i < 100; i++) {
		r = store_history_find_key(f->store, "C-new", STORE_KEY_INVOICE,
					   "26452000000000000500", &error);
		g_assert_cmpuint(r->len, ==, 1);
		g_ptr_array_unref(r);
	}
	key_ms = (g_get_monotonic_time() - t0) / 1000.0 / 100;
	t0 = g_get_monotonic_time();
	r = store_history_phashes(f->store, "C-new", &error);
	phash_ms = (g_get_monotonic_time() - t0) / 1000.0;
	g_assert_cmpuint(r->len, ==, (guint)n * 10);
	g_ptr_array_unref(r);
	add_invoice(me, "发票/x.pdf", "26452000009999999999");
	for (int p = 0; p < 10; p++)
		add_page(me, "照片/x.jpg", "photo", "", 0x5555u + (guint)p);
	t0 = g_get_monotonic_time();
	run_rule(f, me, f->store, "duplicate_evidence", NULL, NULL);
	run_rule(f, me, f->store, "contracts_d2", NULL, NULL);
	run_rule(f, me, f->store, "contracts_scene", NULL, NULL);
	run_rule(f, me, f->store, "enterprise_quota", NULL, NULL);
	run_rule(f, me, f->store, "provider_cap", &msg, NULL);
	rules_ms = (g_get_monotonic_time() - t0) / 1000.0;
	g_test_message("%d claims (%d scans): other claims' facts %.1f ms, "
		       "one key %.2f ms, all %d page hashes %.1f ms, the five "
		       "cross-claim rules %.1f ms",
		       n, 2 * n, claims_ms, key_ms, n * 10, phash_ms, rules_ms);
	g_free(msg);
	claim_free(me);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/history/roundtrip", Fixture, NULL, setup, test_roundtrip,
		   teardown);
	g_test_add("/history/page-cache-phash", Fixture, NULL, setup,
		   test_page_cache_phash, teardown);
	g_test_add_func("/history/phash", test_phash);
	g_test_add_func("/history/phash-blank", test_phash_blank);
	g_test_add_func("/history/phash-cost", test_phash_cost);
	g_test_add("/history/duplicate", Fixture, NULL, setup, test_duplicate,
		   teardown);
	g_test_add("/history/contract-limit", Fixture, NULL, setup,
		   test_contract_limit, teardown);
	g_test_add("/history/quota", Fixture, NULL, setup, test_quota,
		   teardown);
	g_test_add("/history/cost", Fixture, NULL, setup, test_cost, teardown);
	return g_test_run();
}
