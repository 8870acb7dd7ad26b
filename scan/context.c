/* context.c - what outlives one claim: the rules of the chosen edition and
 * the idle OCR engines, so a batch starts Tesseract once per worker. */
#include <string.h>

#include "scan/scan_int.h"

static gboolean
is_edition_name(const char *name)
{
	if (*name == '\0')
		return FALSE;
	for (const char *p = name; *p != '\0'; p++)
		if (!g_ascii_isdigit(*p))
			return FALSE;
	return TRUE;
}

/* Editions are folders named by year; the newest is the largest number. */
static char *
newest_edition(const char *rules_dir, GError **error)
{
	GDir *dir = g_dir_open(rules_dir, 0, error);
	const char *name;
	char *best = NULL;

	if (dir == NULL)
		return NULL;
	while ((name = g_dir_read_name(dir)) != NULL) {
		if (!is_edition_name(name))
			continue;
		if (best == NULL || strlen(name) > strlen(best) ||
		    (strlen(name) == strlen(best) && strcmp(name, best) > 0)) {
			g_free(best);
			best = g_strdup(name);
		}
	}
	g_dir_close(dir);
	if (best == NULL)
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "no policy edition (a folder such as 2026/) in "
			    "rules folder %s",
			    rules_dir);
	return best;
}

/* The folder names the edition; each file declares its own. A file copied
 * into next year's folder without its edition changed is refused, so a
 * report's "policy" always says what was checked. */
static gboolean
edition_matches(const char *path, const char *declared, const char *edition,
		GError **error)
{
	if (g_strcmp0(declared, edition) == 0)
		return TRUE;
	g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
		    "%s declares edition %s but stands in the folder of "
		    "edition %s",
		    path, declared != NULL ? declared : "(none)", edition);
	return FALSE;
}

static gboolean
load_rules(ScanContext *ctx, const char *rules_dir, GError **error)
{
	char *types =
	    g_build_filename(rules_dir, ctx->edition, "types.ini", NULL);
	char *evidence =
	    g_build_filename(rules_dir, ctx->edition, "evidence.ini", NULL);
	char *checks =
	    g_build_filename(rules_dir, ctx->edition, "checks.ini", NULL);
	gboolean ok = FALSE;

	ctx->rules = classify_rules_load(types, error);
	if (ctx->rules == NULL ||
	    !edition_matches(types, classify_rules_edition(ctx->rules),
			     ctx->edition, error))
		goto cleanup;
	ctx->policy = checklist_policy_load(evidence, error);
	if (ctx->policy == NULL ||
	    !edition_matches(evidence, checklist_policy_edition(ctx->policy),
			     ctx->edition, error))
		goto cleanup;
	ctx->checks = checks_policy_load(checks, error);
	ok = ctx->checks != NULL &&
	     edition_matches(checks, checks_policy_edition(ctx->checks),
			     ctx->edition, error);
cleanup:
	g_free(types);
	g_free(evidence);
	g_free(checks);
	return ok;
}

/* Each file's name and bytes, in a fixed order: renaming or editing any
 * of them gives another version. */
static char *
rules_version(const char *rules_dir, const char *edition, GError **error)
{
	static const char *const names[] = {"types.ini", "evidence.ini",
					    "checks.ini"};
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	char *out = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		char *path =
		    g_build_filename(rules_dir, edition, names[i], NULL);
		char *data = NULL;
		gsize len = 0;
		gboolean ok = g_file_get_contents(path, &data, &len, error);

		g_checksum_update(sum, (const guchar *)names[i],
				  (gssize)strlen(names[i]) + 1);
		if (ok)
			g_checksum_update(sum, (const guchar *)data,
					  (gssize)len);
		g_free(data);
		g_free(path);
		if (!ok)
			goto cleanup;
	}
	out = g_strdup(g_checksum_get_string(sum));
cleanup:
	g_checksum_free(sum);
	return out;
}

const char *
scan_context_rules_version(const ScanContext *ctx)
{
	return ctx->rules_version;
}

static void
engines_init(ScanContext *ctx, int jobs, const char *tessdata)
{
	g_mutex_init(&ctx->lock);
	ctx->idle_engines = g_async_queue_new();
	ctx->idle_rings = g_async_queue_new();
	for (guint k = 0; k < G_N_ELEMENTS(ctx->idle_lines); k++)
		ctx->idle_lines[k] = g_async_queue_new();
	ctx->idle_workers = g_async_queue_new();
	ctx->jobs = jobs > 0 ? jobs : (int)g_get_num_processors();
	ctx->tessdata = g_strdup(tessdata);
}

ScanContext *
scan_context_new_reader(const char *tessdata)
{
	ScanContext *ctx = g_new0(ScanContext, 1);

	engines_init(ctx, 1, tessdata);
	return ctx;
}

ScanContext *
scan_context_new(const ScanOptions *options, GError **error)
{
	ScanContext *ctx = g_new0(ScanContext, 1);
	const char *rules_dir = options->rules_dir != NULL
				    ? options->rules_dir
				    : EVIDCHECK_RULES_DIR;

	engines_init(ctx, options->jobs, options->tessdata);
	ctx->worker_exe = g_strdup(options->worker);
	ctx->deadline = options->deadline > 0 ? options->deadline
					      : SCAN_WORKER_DEADLINE_SECONDS;
	ctx->engine_key = ocr_settings_key(NULL);
	ctx->edition = options->policy != NULL
			   ? g_strdup(options->policy)
			   : newest_edition(rules_dir, error);
	if (ctx->edition == NULL || !load_rules(ctx, rules_dir, error) ||
	    (ctx->rules_version =
		 rules_version(rules_dir, ctx->edition, error)) == NULL) {
		scan_context_free(ctx);
		return NULL;
	}
	return ctx;
}

void
scan_context_free(ScanContext *ctx)
{
	OcrEngine *engine;
	OcrLineReader *line;

	if (ctx == NULL)
		return;
	scan_workers_close(ctx);
	g_async_queue_unref(ctx->idle_workers);
	while ((engine = g_async_queue_try_pop(ctx->idle_engines)) != NULL)
		ocr_engine_free(engine);
	g_async_queue_unref(ctx->idle_engines);
	while ((engine = g_async_queue_try_pop(ctx->idle_rings)) != NULL)
		ocr_engine_free(engine);
	g_async_queue_unref(ctx->idle_rings);
	for (guint k = 0; k < G_N_ELEMENTS(ctx->idle_lines); k++) {
		while ((line = g_async_queue_try_pop(ctx->idle_lines[k])) !=
		       NULL)
			ocr_line_reader_free(line);
		g_async_queue_unref(ctx->idle_lines[k]);
	}
	g_mutex_clear(&ctx->lock);
	classify_rules_free(ctx->rules);
	checklist_policy_free(ctx->policy);
	checks_policy_free(ctx->checks);
	g_free(ctx->edition);
	g_free(ctx->tessdata);
	g_free(ctx->worker_exe);
	g_free(ctx->engine_key);
	g_free(ctx->rules_version);
	g_free(ctx);
}

const ClassifyRules *
scan_context_rules(const ScanContext *ctx)
{
	return ctx->rules;
}

const ChecklistPolicy *
scan_context_policy(const ScanContext *ctx)
{
	return ctx->policy;
}
