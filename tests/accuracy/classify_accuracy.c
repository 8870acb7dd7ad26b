/* classify_accuracy.c - measures how well evidcheck names each document and
 * reads its fields. CORPUS.ini is a fixture recipe whose documents all lie
 * under claim/: the generator draws them, this program scans DIR/claim the
 * way `evidcheck scan` does and compares, per file, the type of the
 * document on its first page with the type the recipe drew, and each field
 * TRUTH.ini names with the value the recipe gave the generator. It prints
 * per-type precision and recall and per-field accuracy, for the clean
 * documents (text PDFs) and the degraded ones (scans and photos), and
 * fails when a figure is below its floor in TRUTH.ini. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "classify/classify.h"
#include "core/core.h"
#include "scan/scan.h"

#define USAGE                                                                  \
	"usage: classify-accuracy [-j N] CORPUS.ini TRUTH.ini DIR\n"           \
	"Scans DIR/claim (made with 'evidcheck-fixtures claim CORPUS.ini "     \
	"DIR'),\ncompares each file's type and fields with what CORPUS.ini "   \
	"drew, and fails\nbelow the floors of TRUTH.ini.\n"

#define EXIT_PASS  0
#define EXIT_BELOW 1
#define EXIT_FATAL 2
#define EXIT_SKIP  77

#define DOC_PREFIX   "doc "
#define CLAIM_PREFIX "claim/"

typedef enum { SET_CLEAN, SET_DEGRADED, N_SETS } Set;
static const char *const SET_NAMES[N_SETS] = {"clean", "degraded"};

typedef struct {
	char *path;   /* relative to DIR/claim */
	char *type;   /* drawn */
	char *got;    /* found on page 1, or NULL */
	Set set;      /* degraded: any raster format */
	GKeyFile *kf; /* borrowed: the corpus */
	char *group;  /* its [doc …] group */
} Doc;

typedef struct {
	int n[N_SETS], ok[N_SETS];
} Tally;

static void
doc_free(gpointer p)
{
	Doc *d = p;

	g_free(d->path);
	g_free(d->type);
	g_free(d->got);
	g_free(d->group);
	g_free(d);
}

/* A key of the document's group, else of [claim]; NULL when neither. */
static char *
recipe_value(const Doc *d, const char *key)
{
	char *v = g_key_file_get_string(d->kf, d->group, key, NULL);

	if (v == NULL)
		v = g_key_file_get_string(d->kf, "claim", key, NULL);
	return v;
}

static GPtrArray *
corpus_docs(GKeyFile *kf, GError **error)
{
	GPtrArray *docs = core_ptr_array_new(doc_free);
	char **groups = g_key_file_get_groups(kf, NULL);

	for (guint i = 0; groups[i] != NULL; i++) {
		const char *path = groups[i] + strlen(DOC_PREFIX);
		Doc *d;

		if (!g_str_has_prefix(groups[i], DOC_PREFIX))
			continue;
		if (!g_str_has_prefix(path, CLAIM_PREFIX)) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
				    "[%s]: documents must lie under %s",
				    groups[i], CLAIM_PREFIX);
			g_ptr_array_unref(docs);
			docs = NULL;
			break;
		}
		d = g_new0(Doc, 1);
		d->path = g_strdup(path + strlen(CLAIM_PREFIX));
		d->group = g_strdup(groups[i]);
		d->kf = kf;
		d->type = g_key_file_get_string(kf, groups[i], "type", NULL);
		/* The corpus names its clean documents so (a text PDF, or
		 * a clean image for photos and screenshots). */
		d->set = strstr(d->path, "/clean.") != NULL ? SET_CLEAN
							    : SET_DEGRADED;
		g_ptr_array_add(docs, d);
	}
	g_strfreev(groups);
	return docs;
}

/* The document holding page 1 of each file. */
static void
take_types(GPtrArray *docs, const ScanResult *r)
{
	for (guint i = 0; i < docs->len; i++) {
		Doc *d = g_ptr_array_index(docs, i);

		for (guint k = 0; k < r->documents->len; k++) {
			const CoreDocument *cd =
			    g_ptr_array_index(r->documents, k);

			if (strcmp(cd->file, d->path) == 0 &&
			    g_array_index(cd->pages, int, 0) == 1) {
				d->got = g_strdup(cd->type);
				break;
			}
		}
	}
}

static const CoreDocument *
first_document(const ScanResult *r, const char *path)
{
	for (guint k = 0; k < r->documents->len; k++) {
		const CoreDocument *cd = g_ptr_array_index(r->documents, k);

		if (strcmp(cd->file, path) == 0)
			return cd;
	}
	return NULL;
}

/* ---- types -------------------------------------------------------------- */

static void
report_types(GPtrArray *docs, Tally *all)
{
	GHashTable *types = g_hash_table_new(g_str_hash, g_str_equal);
	GList *ids, *l;

	for (guint i = 0; i < docs->len; i++) {
		Doc *d = g_ptr_array_index(docs, i);

		g_hash_table_add(types, d->type);
		all->n[d->set]++;
		all->ok[d->set] += g_strcmp0(d->got, d->type) == 0;
	}
	ids = g_list_sort(g_hash_table_get_keys(types), (GCompareFunc)strcmp);
	printf("%-32s %5s %5s %5s %9s %7s\n", "type", "files", "right",
	       "stolen", "precision", "recall");
	for (l = ids; l != NULL; l = l->next) {
		const char *t = l->data;
		int n = 0, tp = 0, fp = 0;

		for (guint i = 0; i < docs->len; i++) {
			Doc *d = g_ptr_array_index(docs, i);
			gboolean said = g_strcmp0(d->got, t) == 0;

			n += strcmp(d->type, t) == 0;
			tp += said && strcmp(d->type, t) == 0;
			fp += said && strcmp(d->type, t) != 0;
		}
		printf("%-32s %5d %5d %5d %8.1f%% %6.1f%%\n", t, n, tp, fp,
		       tp + fp > 0 ? 100.0 * tp / (tp + fp) : 100.0,
		       n > 0 ? 100.0 * tp / n : 100.0);
	}
	for (guint i = 0; i < docs->len; i++) {
		Doc *d = g_ptr_array_index(docs, i);

		if (g_strcmp0(d->got, d->type) != 0)
			printf("  wrong: %s (%s): %s\n", d->path, d->type,
			       d->got != NULL ? d->got : "(no document)");
	}
	g_list_free(ids);
	g_hash_table_unref(types);
}

/* ---- fields ------------------------------------------------------------- */

/* The value the document should show for a TRUTH.ini rule "recipe_key" or
 * "recipe_key:date|amount", in the form evidcheck writes fields. */
static char *
expected_value(const Doc *d, const char *rule)
{
	char **parts = g_strsplit(rule, ":", 2);
	char *raw = recipe_value(d, g_strstrip(parts[0]));
	char *v = raw;

	if (raw != NULL && parts[1] != NULL) {
		const char *kind = g_strstrip(parts[1]);

		if (strcmp(kind, "date") == 0)
			v = classify_normalize_date(raw);
		else if (strcmp(kind, "amount") == 0)
			v = classify_normalize_amount(raw);
		if (v != raw)
			g_free(raw);
	}
	g_strfreev(parts);
	return v;
}

/* A rule ending "@pdf" names a value printed after the first page, which
 * a photographed document (its first page only) does not show. Cuts the
 * suffix off RULE. */
static gboolean
shown_in(char *rule, const char *path)
{
	char *at = strrchr(rule, '@');

	if (at == NULL || strcmp(at, "@pdf") != 0)
		return TRUE;
	*at = '\0';
	return g_str_has_suffix(path, ".pdf");
}

static void
check_fields(GPtrArray *docs, const ScanResult *r, GKeyFile *truth,
	     Tally *fields)
{
	for (guint i = 0; i < docs->len; i++) {
		Doc *d = g_ptr_array_index(docs, i);
		const CoreDocument *cd = first_document(r, d->path);
		char **keys = g_key_file_get_keys(truth, d->type, NULL, NULL);

		for (guint k = 0; keys != NULL && keys[k] != NULL; k++) {
			char *rule = g_key_file_get_string(truth, d->type,
							   keys[k], NULL);
			char *want = shown_in(rule, d->path)
					 ? expected_value(d, rule)
					 : NULL;
			const char *got =
			    cd != NULL ? core_document_get_field(cd, keys[k])
				       : NULL;

			if (want != NULL) {
				gboolean ok = g_strcmp0(want, got) == 0;

				fields->n[d->set]++;
				fields->ok[d->set] += ok;
				if (!ok)
					printf("  field %s %s: want '%s', got "
					       "'%s'\n",
					       d->path, keys[k], want,
					       got != NULL ? got : "(none)");
			}
			g_free(want);
			g_free(rule);
		}
		g_strfreev(keys);
	}
}

/* ---- floors ------------------------------------------------------------- */

static int
check_floor(GKeyFile *truth, const char *what, Set set, const Tally *t)
{
	char *key = g_strdup_printf("%s_%s", what, SET_NAMES[set]);
	double floor = g_key_file_get_double(truth, "floors", key, NULL);
	double got = t->n[set] > 0 ? (double)t->ok[set] / t->n[set] : 1.0;
	int below = got + 1e-9 < floor;

	printf("%-16s %-9s %4d/%-4d = %5.1f%%  (floor %.1f%%)%s\n", what,
	       SET_NAMES[set], t->ok[set], t->n[set], 100.0 * got,
	       100.0 * floor, below ? "  BELOW" : "");
	g_free(key);
	return below;
}

static ScanContext *
context_new(int jobs, GError **error)
{
	ScanOptions opts = {0};

	opts.jobs = jobs;
	return scan_context_new(&opts, error);
}

int
main(int argc, char **argv)
{
	GKeyFile *corpus = g_key_file_new(), *truth = g_key_file_new();
	GPtrArray *docs = NULL;
	ScanContext *ctx = NULL;
	ScanResult *r = NULL;
	Tally types = {0}, fields = {0};
	GError *error = NULL;
	char *claim_dir = NULL;
	int jobs = 0, rc = EXIT_FATAL, below = 0;

	setlocale(LC_ALL, "");
	if (argc == 6 && strcmp(argv[1], "-j") == 0) {
		jobs = atoi(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc != 4) {
		fputs(USAGE, stderr);
		return EXIT_FATAL;
	}
	if (!core_rules_file_load(corpus, argv[1], &error) ||
	    !core_rules_file_load(truth, argv[2], &error) ||
	    (docs = corpus_docs(corpus, &error)) == NULL ||
	    (ctx = context_new(jobs, &error)) == NULL)
		goto cleanup;
	claim_dir = g_build_filename(argv[3], "claim", NULL);
	r = scan_claim(ctx, claim_dir, NULL, &error);
	if (r == NULL) {
		/* No OCR data is a setup problem the unit tests report. */
		rc = g_error_matches(error, CORE_ERROR, CORE_ERROR_OCR)
			 ? EXIT_SKIP
			 : EXIT_FATAL;
		goto cleanup;
	}
	take_types(docs, r);
	report_types(docs, &types);
	check_fields(docs, r, truth, &fields);
	printf("%d files, %d pages (%d OCR'd) in %.1f s\n", r->stats.files,
	       r->stats.pages, r->stats.pages_ocr, r->stats.seconds);
	for (Set s = 0; s < N_SETS; s++) {
		below += check_floor(truth, "type", s, &types);
		below += check_floor(truth, "field", s, &fields);
	}
	rc = below > 0 ? EXIT_BELOW : EXIT_PASS;
cleanup:
	if (error != NULL)
		fprintf(stderr, "classify-accuracy: %s\n", error->message);
	g_clear_error(&error);
	scan_result_free(r);
	if (ctx != NULL)
		scan_context_free(ctx);
	if (docs != NULL)
		g_ptr_array_unref(docs);
	g_key_file_unref(corpus);
	g_key_file_unref(truth);
	g_free(claim_dir);
	return rc;
}
