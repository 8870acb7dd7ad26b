/* sealtext.c - measures how often evidcheck reads the organisation on a
 * red seal's ring (ocr_seal_read): every [doc PATH] of seals.ini (a
 * fixture recipe whose documents also name the organisations on their
 * seals, rings = A;B, and a variant label) is read as evidcheck reads it:
 * a scanned page - render, find the seals, OCR the page to know which way
 * up it is, read each ring - or a page with a trusted text layer - find
 * the seals on a coarse drawing, draw each alone finer, read its ring -
 * and each reading is compared with the names drawn. Fails when the share read
 * exactly or within one character is below its floor, or when more rings than
 * allowed give a wrong name. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "ingest/ingest.h"
#include "ocr/ocr.h"

#define USAGE                                                                  \
	"usage: sealtext [--jobs N] [--floor-exact F] [--floor-near F] "       \
	"[--max-wrong N]\n"                                                    \
	"                SEALS.ini DIR\n"                                      \
	"Reads the seals of every [doc PATH] of SEALS.ini from DIR (made "     \
	"with\n'evidcheck-fixtures claim SEALS.ini DIR') and scores the "      \
	"organisations read.\n"

#define EXIT_PASS  0
#define EXIT_BELOW 1
#define EXIT_FATAL 2
#define EXIT_SKIP  77

#define DOC_PREFIX   "doc "
#define MAX_DOCS     500
#define MAX_JOBS     16
#define MAX_NAME_LEN 64
/* Seals of text-layer pages are drawn alone at this resolution, as
 * scan/ocrpool.c draws them (SCAN_SEAL_READ_DPI). */
#define LAYER_READ_DPI 200

typedef struct {
	char *path;    /* relative to DIR */
	char *variant; /* label the table groups by */
	char **rings;  /* the names drawn on its seals */
	/* Filled by a worker. */
	int seals, exact, near, wrong, unread;
	double seal_seconds; /* in ocr_seal_read (and drawing a text-layer
				page's seals) only */
	char *readings;	     /* what each seal gave, for the log */
	char *error;
} Doc;

typedef struct {
	GPtrArray *docs; /* Doc*, owned */
	const char *dir;
	gint next;
	GMutex lock;
	char *engine_error;
} Run;

static void
doc_free(gpointer p)
{
	Doc *d = p;

	g_free(d->path);
	g_free(d->variant);
	g_strfreev(d->rings);
	g_free(d->readings);
	g_free(d->error);
	g_free(d);
}

/* Edit distance in characters between two short UTF-8 strings. */
static int
distance(const char *a, const char *b)
{
	glong n = 0, m = 0;
	gunichar *ua = g_utf8_to_ucs4_fast(a, -1, &n);
	gunichar *ub = g_utf8_to_ucs4_fast(b, -1, &m);
	int row[MAX_NAME_LEN + 1], d;

	n = MIN(n, MAX_NAME_LEN);
	m = MIN(m, MAX_NAME_LEN);
	for (glong j = 0; j <= m; j++)
		row[j] = (int)j;
	for (glong i = 1; i <= n; i++) {
		int diag = row[0];

		row[0] = (int)i;
		for (glong j = 1; j <= m; j++) {
			int up = row[j];

			row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1),
				     diag + (ua[i - 1] != ub[j - 1]));
			diag = up;
		}
	}
	d = row[m];
	g_free(ua);
	g_free(ub);
	return d;
}

/* Score NAME (NULL: unread) against D's rings. */
static void
score(Doc *d, const char *name, GString *log)
{
	int best = G_MAXINT;

	d->seals++;
	if (name == NULL) {
		d->unread++;
		g_string_append(log, " -");
		return;
	}
	for (char **r = d->rings; *r != NULL; r++)
		best = MIN(best, distance(name, *r));
	d->exact += best == 0;
	d->near += best <= 1;
	d->wrong += best > 1;
	g_string_append_printf(log, " %s(%d)", name, best);
}

/* The seals of a page whose text layer is trusted, as scan/ocrpool.c
 * reads them: found on a drawing at INGEST_SEAL_DPI, each drawn alone at
 * LAYER_READ_DPI (SCAN_SEAL_READ_DPI) and read upright. The time counted
 * is the drawing and the reading. */
static gboolean
read_layer_page(Doc *d, OcrEngine *engine, const IngestFile *file, int page,
		GString *log, GError **error)
{
	IngestImage *image =
	    ingest_page_render_at(file, page, INGEST_SEAL_DPI, error);
	GArray *seals = core_boxes_new(), *found = core_boxes_new();
	GPtrArray *crops = NULL;
	gint64 t0 = g_get_monotonic_time();
	gboolean ok = FALSE;

	if (image == NULL)
		goto cleanup;
	if (ingest_image_find_seals(image, seals) == 0) {
		ok = TRUE;
		goto cleanup;
	}
	crops = ingest_page_render_seals(file, page, seals, LAYER_READ_DPI,
					 found, error);
	for (guint i = 0; crops != NULL && i < crops->len; i++) {
		char *name =
		    ocr_seal_read(engine, crops->pdata[i],
				  &g_array_index(found, CoreBox, i), 0, NULL);

		score(d, name, log);
		g_free(name);
	}
	d->seal_seconds +=
	    (double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC;
	ok = crops != NULL;
cleanup:
	if (crops != NULL)
		g_ptr_array_unref(crops);
	g_array_unref(found);
	g_array_unref(seals);
	ingest_image_free(image);
	return ok;
}

static gboolean
layer_trusted(const IngestFile *file, int page)
{
	return file->kind == INGEST_KIND_PDF && file->layer_verdict != NULL &&
	       (guint)page <= file->layer_verdict->len &&
	       g_array_index(file->layer_verdict, IngestLayerVerdict,
			     page - 1) == INGEST_LAYER_TRUSTED;
}

/* The seals of one page: found on the render, read with the page's turn
 * as OCR finds it, as scan/ocrpool.c does. */
static gboolean
read_page(Doc *d, OcrEngine *engine, const IngestFile *file, int page,
	  GString *log, GError **error)
{
	IngestImage *image = ingest_page_render(file, page, error);
	GArray *seals = core_boxes_new();
	OcrResult *res = NULL;

	if (image == NULL)
		goto fail;
	if (ingest_image_find_seals(image, seals) > 0) {
		res = ocr_page_read(engine, image, error);
		if (res == NULL)
			goto fail;
	}
	for (guint i = 0; i < seals->len; i++) {
		gint64 t0 = g_get_monotonic_time();
		char *name = ocr_seal_read(engine, image,
					   &g_array_index(seals, CoreBox, i),
					   res->rotation, NULL);

		d->seal_seconds +=
		    (double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC;
		score(d, name, log);
		g_free(name);
	}
	ocr_result_free(res);
	g_array_unref(seals);
	ingest_image_free(image);
	return TRUE;
fail:
	g_array_unref(seals);
	ingest_image_free(image);
	return FALSE;
}

static void
measure(Run *run, OcrEngine *engine, Doc *d)
{
	char *abs = g_build_filename(run->dir, d->path, NULL);
	IngestFile *file = ingest_file_read(abs, d->path);
	GString *log = g_string_new(NULL);
	GError *error = NULL;

	if (file->error != NULL)
		error = g_error_copy(file->error);
	for (int page = 1; error == NULL && page <= file->n_pages; page++)
		if (layer_trusted(file, page))
			read_layer_page(d, engine, file, page, log, &error);
		else
			read_page(d, engine, file, page, log, &error);
	if (error != NULL)
		d->error = g_strdup(error->message);
	g_clear_error(&error);
	d->readings = g_string_free(log, FALSE);
	ingest_file_free(file);
	g_free(abs);
}

static gpointer
worker(gpointer data)
{
	Run *run = data;
	GError *error = NULL;
	OcrEngine *engine = ocr_engine_new(NULL, NULL, &error);
	guint i;

	if (engine == NULL) {
		g_mutex_lock(&run->lock);
		if (run->engine_error == NULL)
			run->engine_error = g_strdup(error->message);
		g_mutex_unlock(&run->lock);
		g_error_free(error);
		return NULL;
	}
	while ((i = (guint)g_atomic_int_add(&run->next, 1)) < run->docs->len)
		measure(run, engine, run->docs->pdata[i]);
	ocr_engine_free(engine);
	return NULL;
}

/* The [doc PATH] sections of the recipe at PATH that name their rings. */
static GPtrArray *
load_docs(const char *path, GError **error)
{
	GKeyFile *kf = g_key_file_new();
	GPtrArray *all = core_ptr_array_new(doc_free);
	char **groups = NULL;

	if (!core_rules_file_load(kf, path, error))
		goto fail;
	groups = g_key_file_get_groups(kf, NULL);
	for (guint i = 0; groups[i] != NULL && all->len < MAX_DOCS; i++) {
		char *rings;
		Doc *d;

		if (!g_str_has_prefix(groups[i], DOC_PREFIX))
			continue;
		rings = g_key_file_get_string(kf, groups[i], "rings", NULL);
		if (rings == NULL)
			continue;
		d = g_new0(Doc, 1);
		d->path = g_strdup(groups[i] + strlen(DOC_PREFIX));
		d->variant =
		    g_key_file_get_string(kf, groups[i], "variant", NULL);
		if (d->variant == NULL)
			d->variant = g_strdup("-");
		d->rings = g_strsplit(g_strstrip(rings), ";", -1);
		g_free(rings);
		g_ptr_array_add(all, d);
	}
	if (all->len == 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "%s has no [doc PATH] with rings", path);
		goto fail;
	}
	g_strfreev(groups);
	g_key_file_free(kf);
	return all;
fail:
	g_strfreev(groups);
	g_key_file_free(kf);
	g_ptr_array_unref(all);
	return NULL;
}

typedef struct {
	int seals, exact, near, wrong, unread, errors;
	double seconds;
} Tally;

static void
tally_add(Tally *t, const Doc *d)
{
	t->seals += d->seals;
	t->exact += d->exact;
	t->near += d->near;
	t->wrong += d->wrong;
	t->unread += d->unread;
	t->errors += d->error != NULL;
	t->seconds += d->seal_seconds;
}

static void
tally_print(const char *label, const Tally *t)
{
	printf("%-22s %5d %6.2f %6.2f %5d %6d %6.0f\n", label, t->seals,
	       t->seals > 0 ? (double)t->exact / t->seals : 0,
	       t->seals > 0 ? (double)t->near / t->seals : 0, t->wrong,
	       t->unread, t->seals > 0 ? t->seconds * 1000 / t->seals : 0);
}

/* Every document's readings, then a line per variant and the total. */
static Tally
report(const GPtrArray *docs)
{
	GPtrArray *labels = g_ptr_array_new();
	Tally all = {0};

	for (guint i = 0; i < docs->len; i++) {
		const Doc *d = docs->pdata[i];

		printf("%-40s%s%s%s\n", d->path, d->readings,
		       d->error != NULL ? "  ERROR " : "",
		       d->error != NULL ? d->error : "");
		tally_add(&all, d);
		if (!g_ptr_array_find_with_equal_func(labels, d->variant,
						      g_str_equal, NULL))
			g_ptr_array_add(labels, d->variant);
	}
	printf("\n%-22s %5s %6s %6s %5s %6s %6s\n", "variant", "seals", "exact",
	       "near", "wrong", "unread", "ms");
	for (guint l = 0; l < labels->len; l++) {
		Tally t = {0};

		for (guint i = 0; i < docs->len; i++) {
			const Doc *d = docs->pdata[i];

			if (strcmp(d->variant, labels->pdata[l]) == 0)
				tally_add(&t, d);
		}
		tally_print(labels->pdata[l], &t);
	}
	tally_print("all", &all);
	g_ptr_array_unref(labels);
	return all;
}

int
main(int argc, char **argv)
{
	gint jobs = 2, max_wrong = 0;
	double floor_exact = 0, floor_near = 0;
	GOptionEntry entries[] = {
	    {"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
	     "pages read at once, one Tesseract each (default 2)", "N"},
	    {"floor-exact", 0, 0, G_OPTION_ARG_DOUBLE, &floor_exact,
	     "lowest share of seals read exactly", "F"},
	    {"floor-near", 0, 0, G_OPTION_ARG_DOUBLE, &floor_near,
	     "lowest share read within one character", "F"},
	    {"max-wrong", 0, 0, G_OPTION_ARG_INT, &max_wrong,
	     "most seals allowed a wrong name (default 0)", "N"},
	    {NULL, 0, 0, 0, NULL, NULL, NULL}};
	GOptionContext *ctx = g_option_context_new("SEALS.ini DIR");
	GPtrArray *threads = g_ptr_array_new();
	GError *error = NULL;
	Run run = {0};
	Tally all;
	int rc = EXIT_FATAL;

	setlocale(LC_ALL, "");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error) || argc != 3 ||
	    jobs < 1 || jobs > MAX_JOBS) {
		fprintf(stderr, "sealtext: %s\n%s",
			error != NULL ? error->message : "wrong arguments",
			USAGE);
		goto cleanup;
	}
	run.docs = load_docs(argv[1], &error);
	if (run.docs == NULL) {
		fprintf(stderr, "sealtext: %s\n", error->message);
		goto cleanup;
	}
	run.dir = argv[2];
	g_mutex_init(&run.lock);
	for (gint i = 0; i < MIN(jobs, (gint)run.docs->len); i++)
		g_ptr_array_add(threads,
				g_thread_new("sealtext", worker, &run));
	for (guint i = 0; i < threads->len; i++)
		g_thread_join(threads->pdata[i]);
	g_mutex_clear(&run.lock);
	if (run.engine_error != NULL) {
		fprintf(stderr, "sealtext: skipped: %s\n", run.engine_error);
		rc = EXIT_SKIP;
		goto cleanup;
	}
	all = report(run.docs);
	rc = EXIT_PASS;
	if (all.errors > 0 || all.seals == 0 ||
	    (double)all.exact < floor_exact * all.seals ||
	    (double)all.near < floor_near * all.seals ||
	    all.wrong > max_wrong) {
		printf("BELOW FLOOR: exact >= %.2f, near >= %.2f, wrong <= %d, "
		       "no errors\n",
		       floor_exact, floor_near, max_wrong);
		rc = EXIT_BELOW;
	}
cleanup:
	g_clear_error(&error);
	g_free(run.engine_error);
	if (run.docs != NULL)
		g_ptr_array_unref(run.docs);
	g_ptr_array_unref(threads);
	g_option_context_free(ctx);
	return rc;
}
