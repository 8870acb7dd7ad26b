/* accuracy.c - measures how well evidcheck reads scanned and photographed
 * pages: for every variant of variants.ini (a fixture recipe whose documents
 * carry their truth file and a floor) it reads the generated file the way
 * evidcheck does (text layer, else render + Tesseract), scores the text by
 * character accuracy against the truth and fails when one is below floor.
 * A second, order-free score (bag) tells misread characters from text read
 * in another order; it is shown, not checked. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "ingest/ingest.h"
#include "ocr/ocr.h"

#define USAGE                                                                  \
	"usage: accuracy [--jobs N] [--only TEXT] VARIANTS.ini DIR\n"          \
	"Reads every [doc PATH] of VARIANTS.ini from DIR (made with\n"         \
	"'evidcheck-fixtures claim VARIANTS.ini DIR'), scores it against its " \
	"truth\nfile and fails when the accuracy is below its floor.\n"

/* Exit codes: as the cli's, and 77 (ctest's skip) when Tesseract has no
 * chi_sim+eng data, which is a setup problem the unit tests report. */
#define EXIT_PASS  0
#define EXIT_BELOW 1
#define EXIT_FATAL 2
#define EXIT_SKIP  77

#define DOC_PREFIX "doc "
/* Limits on what the data files may hold. */
#define MAX_VARIANTS	 500
#define MAX_JOBS	 16
#define MAX_TRUTH_BYTES	 (1024 * 1024)
#define MAX_VARIANTS_INI (256 * 1024)
/* Two rows of N+1 cells each, N·M steps: 4e8 steps is a few seconds. */
#define MAX_DP_CELLS 400000000.0

typedef struct {
	char *name;   /* the document path without its extension */
	char *path;   /* relative to DIR */
	char *type;   /* document type, for the table only */
	char *truth;  /* relative to DIR */
	double floor; /* lowest accepted accuracy, 0..1 */
	/* Filled by a worker. */
	double accuracy; /* 0..1, or < 0 when the variant could not be read */
	double bag;	 /* the same with the bag distance: order ignored */
	double seconds;	 /* reading and OCR, without the scoring */
	glong truth_chars;
	char *error; /* why the variant could not be scored, or NULL */
} Variant;

typedef struct {
	GPtrArray *variants; /* Variant*, owned */
	const char *dir;
	gint next; /* index of the next variant to take, atomic */
	GMutex lock;
	char *engine_error; /* set by the first worker whose engine fails */
} Run;

static void
variant_free(gpointer p)
{
	Variant *v = p;

	g_free(v->name);
	g_free(v->path);
	g_free(v->type);
	g_free(v->truth);
	g_free(v->error);
	g_free(v);
}

/* ---- scoring ------------------------------------------------------------ */

/* TEXT normalised as everything evidcheck matches is (core_text_normalize),
 * then without any whitespace, as Unicode characters. *LEN is the count. */
static gunichar *
score_chars(const char *text, glong *len)
{
	char *norm = core_text_normalize(text);
	gunichar *all = g_utf8_to_ucs4_fast(norm, -1, len);
	glong i, n = 0;

	for (i = 0; i < *len; i++)
		if (!g_unichar_isspace(all[i]))
			all[n++] = all[i];
	*len = n;
	g_free(norm);
	return all;
}

/* Levenshtein distance of A and B, two rows of the classic table. */
static glong
levenshtein(const gunichar *a, glong n, const gunichar *b, glong m)
{
	glong *prev = g_new(glong, m + 1), *cur = g_new(glong, m + 1), *t;
	glong i, j, d;

	for (j = 0; j <= m; j++)
		prev[j] = j;
	for (i = 1; i <= n; i++) {
		cur[0] = i;
		for (j = 1; j <= m; j++) {
			glong sub = prev[j - 1] + (a[i - 1] != b[j - 1]);

			cur[j] = MIN(sub, MIN(prev[j], cur[j - 1]) + 1);
		}
		t = prev;
		prev = cur;
		cur = t;
	}
	d = prev[m];
	g_free(prev);
	g_free(cur);
	return d;
}

/* The bag distance of A and B: characters of one that the other lacks,
 * counted with repeats, the larger side. A lower bound of the Levenshtein
 * distance that ignores order. */
static glong
bag_distance(const gunichar *a, glong n, const gunichar *b, glong m)
{
	GHashTable *count = g_hash_table_new(NULL, NULL);
	GHashTableIter it;
	gpointer key, value;
	glong i, more_a = 0, more_b = 0;

	for (i = 0; i < n; i++) {
		gpointer k = GUINT_TO_POINTER(a[i]);

		g_hash_table_insert(
		    count, k,
		    GINT_TO_POINTER(
			GPOINTER_TO_INT(g_hash_table_lookup(count, k)) + 1));
	}
	for (i = 0; i < m; i++) {
		gpointer k = GUINT_TO_POINTER(b[i]);

		g_hash_table_insert(
		    count, k,
		    GINT_TO_POINTER(
			GPOINTER_TO_INT(g_hash_table_lookup(count, k)) - 1));
	}
	g_hash_table_iter_init(&it, count);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		int c = GPOINTER_TO_INT(value);

		if (c > 0)
			more_a += c;
		else
			more_b -= c;
	}
	g_hash_table_destroy(count);
	return MAX(more_a, more_b);
}

/* 1 - distance / truth length, at least 0 (garbage can outnumber the
 * truth), by Levenshtein into *ACCURACY and by bag distance into *BAG.
 * FALSE with ERROR when the table would be too big. */
static gboolean
char_accuracy(const char *ocr, const char *truth, double *accuracy, double *bag,
	      glong *truth_chars, GError **error)
{
	glong n, m;
	gunichar *a = score_chars(ocr, &n);
	gunichar *b = score_chars(truth, &m);
	gboolean ok = FALSE;

	*truth_chars = m;
	if ((double)(n + 1) * (double)(m + 1) > MAX_DP_CELLS) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_LIMIT,
			    "%ld OCR and %ld truth characters are too many to "
			    "compare (limit %.0f pairs)",
			    n, m, MAX_DP_CELLS);
		goto cleanup;
	}
	if (m == 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "the truth file has no text");
		goto cleanup;
	}
	*accuracy = MAX(0.0, 1.0 - (double)levenshtein(a, n, b, m) / (double)m);
	*bag = MAX(0.0, 1.0 - (double)bag_distance(a, n, b, m) / (double)m);
	ok = TRUE;
cleanup:
	g_free(a);
	g_free(b);
	return ok;
}

/* ---- reading a variant -------------------------------------------------- */

/* The text evidcheck would get from FILE: per page the PDF text layer when
 * ingest trusts it (it leaves "" when not), else Tesseract's reading of the
 * rendered page. Pages are joined with newlines. NULL with ERROR on the
 * first page that fails. */
static char *
read_text(OcrEngine *engine, const IngestFile *file, GError **error)
{
	GString *out = g_string_new(NULL);
	int page;

	if (file->error != NULL) {
		g_propagate_error(error, g_error_copy(file->error));
		return g_string_free(out, TRUE);
	}
	for (page = 1; page <= file->n_pages; page++) {
		const char *layer =
		    file->layer_text != NULL &&
			    (guint)page <= file->layer_text->len
			? g_ptr_array_index(file->layer_text, page - 1)
			: "";
		IngestImage *image = NULL;
		OcrResult *res = NULL;

		if (*layer != '\0') {
			g_string_append_printf(out, "%s\n", layer);
			continue;
		}
		image = ingest_page_render(file, page, error);
		if (image != NULL)
			res = ocr_page_read(engine, image, error);
		ingest_image_free(image);
		if (res == NULL)
			return g_string_free(out, TRUE);
		g_string_append_printf(out, "%s\n", res->text);
		ocr_result_free(res);
	}
	return g_string_free(out, FALSE);
}

/* Read and score variant V; the OCR text is kept next to the image as
 * NAME.ocr.txt for whoever looks into a low score. */
static void
measure(Run *run, OcrEngine *engine, Variant *v)
{
	char *abs = g_build_filename(run->dir, v->path, NULL);
	char *truth_path = g_build_filename(run->dir, v->truth, NULL);
	char *ocr_path = g_strdup_printf("%s/%s.ocr.txt", run->dir, v->name);
	IngestFile *file = NULL;
	char *text = NULL, *truth = NULL;
	GError *error = NULL;
	gint64 t0 = g_get_monotonic_time();
	gsize len = 0;

	v->accuracy = -1;
	if (!core_file_read_small(truth_path, MAX_TRUTH_BYTES, &truth, &len,
				  &error))
		goto cleanup;
	file = ingest_file_read(abs, v->path);
	text = read_text(engine, file, &error);
	v->seconds = (double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC;
	if (text == NULL)
		goto cleanup;
	if (!g_file_set_contents(ocr_path, text, -1, &error) ||
	    !char_accuracy(text, truth, &v->accuracy, &v->bag, &v->truth_chars,
			   &error))
		v->accuracy = -1;
cleanup:
	if (error != NULL)
		v->error = g_strdup(error->message);
	g_clear_error(&error);
	ingest_file_free(file);
	g_free(text);
	g_free(truth);
	g_free(ocr_path);
	g_free(truth_path);
	g_free(abs);
}

/* A worker: one OcrEngine (engines are not shared), variants taken in
 * file order until none is left. */
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
	while ((i = (guint)g_atomic_int_add(&run->next, 1)) <
	       run->variants->len)
		measure(run, engine, run->variants->pdata[i]);
	ocr_engine_free(engine);
	return NULL;
}

/* ---- variants.ini -------------------------------------------------------- */

static Variant *
load_variant(GKeyFile *kf, const char *group, GError **error)
{
	const char *path = group + strlen(DOC_PREFIX);
	Variant *v = g_new0(Variant, 1);
	char *floor = NULL, *end = NULL;
	const char *dot = strrchr(path, '.');

	v->path = g_strdup(path);
	v->name = dot != NULL && strchr(dot, '/') == NULL
		      ? g_strndup(path, (gsize)(dot - path))
		      : g_strdup(path);
	v->type = g_key_file_get_string(kf, group, "type", NULL);
	v->truth = g_key_file_get_string(kf, group, "truth", NULL);
	floor = g_key_file_get_string(kf, group, "floor", NULL);
	if (v->truth == NULL || floor == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "[%s] needs a truth and a floor", group);
		goto fail;
	}
	g_strstrip(v->truth);
	v->floor = g_ascii_strtod(g_strstrip(floor), &end);
	if (end == floor || *end != '\0' || !(v->floor >= 0 && v->floor <= 1)) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "[%s] floor = \"%s\" must be a number from 0 to 1",
			    group, floor);
		goto fail;
	}
	g_free(floor);
	return v;
fail:
	g_free(floor);
	variant_free(v);
	return NULL;
}

/* The [doc PATH] sections of the recipe at PATH whose name contains ONLY
 * (NULL: all), in file order. NULL with ERROR. */
static GPtrArray *
load_variants(const char *path, const char *only, GError **error)
{
	GKeyFile *kf = g_key_file_new();
	GPtrArray *all = core_ptr_array_new(variant_free);
	char **groups = NULL;
	guint i;

	if (!core_rules_file_load(kf, path, error))
		goto fail;
	groups = g_key_file_get_groups(kf, NULL);
	for (i = 0; groups[i] != NULL; i++) {
		Variant *v;

		if (!g_str_has_prefix(groups[i], DOC_PREFIX) ||
		    (only != NULL && strstr(groups[i], only) == NULL))
			continue;
		if (all->len >= MAX_VARIANTS) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_LIMIT,
				    "%s has more than %d variants", path,
				    MAX_VARIANTS);
			goto fail;
		}
		v = load_variant(kf, groups[i], error);
		if (v == NULL)
			goto fail;
		g_ptr_array_add(all, v);
	}
	if (all->len == 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "%s has no [doc PATH] variant%s%s", path,
			    only != NULL ? " matching " : "",
			    only != NULL ? only : "");
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

/* ---- main ---------------------------------------------------------------- */

/* The table, in file order; returns how many variants failed. */
static int
report(const GPtrArray *variants, double wall)
{
	int below = 0;
	double sum = 0;
	guint i;

	printf("%-40s %8s %6s %6s %6s %8s\n", "variant", "accuracy", "floor",
	       "bag", "chars", "seconds");
	for (i = 0; i < variants->len; i++) {
		const Variant *v = variants->pdata[i];
		gboolean bad = v->accuracy < v->floor;

		below += bad;
		sum += v->seconds;
		if (v->accuracy < 0)
			printf("%-40s %8s %6.3f %6s %6s %8.1f  ERROR %s\n",
			       v->name, "-", v->floor, "-", "-", v->seconds,
			       v->error != NULL ? v->error : "");
		else
			printf("%-40s %8.3f %6.3f %6.3f %6ld %8.1f%s\n",
			       v->name, v->accuracy, v->floor, v->bag,
			       v->truth_chars, v->seconds,
			       bad ? "  BELOW FLOOR" : "");
	}
	printf("%u variants, %d below floor or unread; %.1f s of reading, "
	       "%.1f s wall\n",
	       variants->len, below, sum, wall);
	return below;
}

int
main(int argc, char **argv)
{
	gint jobs = 2;
	char *only = NULL;
	GOptionEntry entries[] = {
	    {"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
	     "pages read at once, one Tesseract each (default 2)", "N"},
	    {"only", 0, 0, G_OPTION_ARG_STRING, &only,
	     "only the variants whose path contains TEXT", "TEXT"},
	    {NULL, 0, 0, 0, NULL, NULL, NULL}};
	GOptionContext *ctx = g_option_context_new("VARIANTS.ini DIR");
	GPtrArray *threads = g_ptr_array_new();
	GError *error = NULL;
	Run run = {0};
	gint64 t0;
	int rc = EXIT_FATAL;
	gint i;

	setlocale(LC_ALL, "");
	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error) || argc != 3 ||
	    jobs < 1 || jobs > MAX_JOBS) {
		fprintf(stderr, "accuracy: %s\n%s",
			error != NULL ? error->message : "wrong arguments",
			USAGE);
		goto cleanup;
	}
	run.variants = load_variants(argv[1], only, &error);
	if (run.variants == NULL) {
		fprintf(stderr, "accuracy: %s\n", error->message);
		goto cleanup;
	}
	run.dir = argv[2];
	g_mutex_init(&run.lock);
	t0 = g_get_monotonic_time();
	for (i = 0; i < MIN(jobs, (gint)run.variants->len); i++)
		g_ptr_array_add(threads,
				g_thread_new("accuracy", worker, &run));
	for (i = 0; i < (gint)threads->len; i++)
		g_thread_join(threads->pdata[i]);
	g_mutex_clear(&run.lock);
	if (run.engine_error != NULL) {
		fprintf(stderr, "accuracy: skipped: %s\n", run.engine_error);
		rc = EXIT_SKIP;
		goto cleanup;
	}
	rc = report(run.variants,
		    (double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC) > 0
		 ? EXIT_BELOW
		 : EXIT_PASS;
cleanup:
	g_clear_error(&error);
	g_free(run.engine_error);
	if (run.variants != NULL)
		g_ptr_array_unref(run.variants);
	g_ptr_array_unref(threads);
	g_option_context_free(ctx);
	g_free(only);
	return rc;
}
