/* cmd_history.c - `evidcheck history CLAIM_ID`: every scan of one claim,
 * newest first, each next to the one before it, so a reviewer sees what
 * the provider re-uploaded and whether that fixed the findings. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "cli/cli.h"

typedef struct {
	char *format;
	char *db;
} Options;

#define RED    "\033[31m"
#define GREEN  "\033[32m"
#define YELLOW "\033[33m"
#define DIM    "\033[2m"
#define BOLD   "\033[1m"
#define RESET  "\033[0m"

Store *
cli_query_store(const char *db, GError **error)
{
	char *path = db != NULL ? g_strdup(db) : store_default_path();
	Store *store = NULL;

	/* store_open would create an empty store, and then answer every
	 * query with "nothing": a mistyped --db must say so instead. */
	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		g_set_error(error, CORE_ERROR, CORE_ERROR_STORE,
			    "no store at %s: scan a claim first (evidcheck "
			    "scan), or name the store with --db",
			    path);
	else
		store = store_open(path, error);
	g_free(path);
	return store;
}

static const char *
paint(gboolean color, const char *code)
{
	return color ? code : "";
}

static const char *
verdict_label(const char *verdict)
{
	if (g_strcmp0(verdict, "pass") == 0)
		return "通过 (pass)";
	if (g_strcmp0(verdict, "flagged") == 0)
		return "需复核 (flagged)";
	return verdict;
}

/* ---- text ----------------------------------------------------------- */

/* The first 8 hex digits: enough to tell two uploads apart by eye. */
static char *
short_sha(const char *sha)
{
	return sha == NULL || *sha == '\0' ? g_strdup("-") : g_strndup(sha, 8);
}

static void
text_file(GString *out, const StoreHistoryFile *f, gboolean color)
{
	char *now = short_sha(f->sha256), *was = short_sha(f->before);

	switch (f->change) {
	case STORE_FILE_FIRST:
		g_string_append_printf(out, "      %s  %s", f->path, now);
		break;
	case STORE_FILE_ADDED:
		g_string_append_printf(out, "      %s+ %s  新增 %s%s",
				       paint(color, GREEN), f->path, now,
				       paint(color, RESET));
		break;
	case STORE_FILE_CHANGED:
		g_string_append_printf(out, "      %s~ %s  已更换 %s → %s%s",
				       paint(color, YELLOW), f->path, was, now,
				       paint(color, RESET));
		break;
	case STORE_FILE_REMOVED:
		g_string_append_printf(out, "      %s- %s  已删除%s",
				       paint(color, RED), f->path,
				       paint(color, RESET));
		break;
	case STORE_FILE_UNCHANGED:
		break;
	}
	if (f->error != NULL)
		g_string_append_printf(out, "  (无法读取: %s)", f->error);
	g_string_append_c(out, '\n');
	g_free(now);
	g_free(was);
}

static void
text_files(GString *out, const StoreHistoryScan *h, gboolean color)
{
	guint same = 0, first = 0;

	for (guint i = 0; i < h->files->len; i++) {
		const StoreHistoryFile *f = g_ptr_array_index(h->files, i);

		same += f->change == STORE_FILE_UNCHANGED;
		first += f->change == STORE_FILE_FIRST;
	}
	if (first > 0)
		g_string_append_printf(out, "    文件 %u 个 (首次扫描):\n",
				       first);
	else if (same == h->files->len)
		g_string_append_printf(
		    out, "    文件: 与上次扫描相同 (%u 个)\n", same);
	else
		g_string_append_printf(
		    out, "    文件 (与上次扫描相比, %u 个未变):\n", same);
	for (guint i = 0; i < h->files->len; i++) {
		const StoreHistoryFile *f = g_ptr_array_index(h->files, i);

		if (f->change != STORE_FILE_UNCHANGED)
			text_file(out, f, color);
	}
}

static void
text_codes(GString *out, const char *label, GPtrArray *codes)
{
	if (codes->len == 0)
		return;
	g_string_append_printf(out, "    %s:", label);
	for (guint i = 0; i < codes->len; i++)
		g_string_append_printf(out, " %s",
				       (char *)g_ptr_array_index(codes, i));
	g_string_append_c(out, '\n');
}

static void
text_scan(GString *out, const StoreHistoryScan *h, gboolean color)
{
	gboolean pass = g_strcmp0(h->verdict, "pass") == 0;

	g_string_append_printf(
	    out, "%s扫描 #%" G_GINT64_FORMAT "%s  %s  政策 %s  方向 %s\n",
	    paint(color, BOLD), h->scan_id, paint(color, RESET), h->scanned_at,
	    h->policy, h->direction != NULL ? h->direction : "?");
	g_string_append_printf(out, "    结论: %s%s%s  错误 %d  提示 %d\n",
			       paint(color, pass ? GREEN : RED),
			       verdict_label(h->verdict), paint(color, RESET),
			       h->n_errors, h->n_warnings);
	text_codes(out, "问题", h->codes);
	text_codes(out, "已消除 (上次有, 本次无)", h->codes_fixed);
	text_files(out, h, color);
}

static char *
history_text(const char *claim_id, GPtrArray *scans, gboolean color)
{
	GString *out = g_string_new(NULL);

	if (scans->len == 0) {
		g_string_append_printf(out, "存储中没有申报 %s 的扫描记录。\n",
				       claim_id);
		return g_string_free(out, FALSE);
	}
	g_string_append_printf(out, "%s申报 %s%s  共 %u 次扫描 (最新在前)\n\n",
			       paint(color, BOLD), claim_id,
			       paint(color, RESET), scans->len);
	for (guint i = 0; i < scans->len; i++) {
		text_scan(out, g_ptr_array_index(scans, i), color);
		g_string_append_c(out, '\n');
	}
	return g_string_free(out, FALSE);
}

/* ---- json ----------------------------------------------------------- */

static void
json_strings(JsonBuilder *b, const char *name, GPtrArray *list)
{
	json_builder_set_member_name(b, name);
	json_builder_begin_array(b);
	for (guint i = 0; i < list->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(list, i));
	json_builder_end_array(b);
}

static void
json_member(JsonBuilder *b, const char *name, const char *value)
{
	json_builder_set_member_name(b, name);
	if (value != NULL)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

static void
json_file(JsonBuilder *b, const StoreHistoryFile *f)
{
	json_builder_begin_object(b);
	json_member(b, "path", f->path);
	json_member(b, "sha256", f->sha256);
	json_member(b, "change", store_file_change_name(f->change));
	json_member(b, "before", f->before);
	json_member(b, "error", f->error);
	json_builder_end_object(b);
}

static void
json_scan(JsonBuilder *b, const StoreHistoryScan *h)
{
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "scan_id");
	json_builder_add_int_value(b, h->scan_id);
	json_member(b, "scanned_at", h->scanned_at);
	json_member(b, "policy", h->policy);
	json_member(b, "direction", h->direction);
	json_member(b, "verdict", h->verdict);
	json_builder_set_member_name(b, "errors");
	json_builder_add_int_value(b, h->n_errors);
	json_builder_set_member_name(b, "warnings");
	json_builder_add_int_value(b, h->n_warnings);
	json_strings(b, "codes", h->codes);
	json_strings(b, "codes_fixed", h->codes_fixed);
	json_builder_set_member_name(b, "files");
	json_builder_begin_array(b);
	for (guint i = 0; i < h->files->len; i++)
		json_file(b, g_ptr_array_index(h->files, i));
	json_builder_end_array(b);
	json_builder_end_object(b);
}

/* Caller owns the string. */
static char *
json_finish(JsonBuilder *b)
{
	JsonGenerator *gen = json_generator_new();
	JsonNode *root = json_builder_get_root(b);
	char *text;

	json_generator_set_pretty(gen, TRUE);
	json_generator_set_root(gen, root);
	text = json_generator_to_data(gen, NULL);
	json_node_unref(root);
	g_object_unref(gen);
	g_object_unref(b);
	return text;
}

static char *
history_json(const char *claim_id, GPtrArray *scans)
{
	JsonBuilder *b = json_builder_new();

	json_builder_begin_object(b);
	json_member(b, "claim_id", claim_id);
	json_builder_set_member_name(b, "scans");
	json_builder_begin_array(b);
	for (guint i = 0; i < scans->len; i++)
		json_scan(b, g_ptr_array_index(scans, i));
	json_builder_end_array(b);
	json_builder_end_object(b);
	return json_finish(b);
}

/* ---- command -------------------------------------------------------- */

static GOptionContext *
option_context(Options *o)
{
	const GOptionEntry entries[] = {
	    {"format", 'f', 0, G_OPTION_ARG_STRING, &o->format,
	     "text (default) or json", "FORMAT"},
	    {"db", 0, 0, G_OPTION_ARG_FILENAME, &o->db,
	     "Store file (default: ~/.local/share/evidcheck/evidcheck.db)",
	     "FILE"},
	    {NULL, 0, 0, 0, NULL, NULL, NULL}};
	GOptionContext *oc = g_option_context_new(
	    "CLAIM_ID - every scan of a claim, newest first");

	g_option_context_add_main_entries(oc, entries, NULL);
	g_option_context_set_description(
	    oc, "Exit status: 0 (also when the claim was never scanned), 2 "
		"usage or a store that cannot be read.");
	return oc;
}

static gboolean
options_check(const Options *o, int argc, GError **error)
{
	if (argc != 2) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "history takes exactly one claim id");
		return FALSE;
	}
	if (o->format != NULL && strcmp(o->format, "text") != 0 &&
	    strcmp(o->format, "json") != 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "--format must be text or json, not '%s'",
			    o->format);
		return FALSE;
	}
	return TRUE;
}

static int
run(const Options *o, const char *claim_id)
{
	GError *error = NULL;
	Store *store = cli_query_store(o->db, &error);
	GPtrArray *scans = NULL;
	char *text;

	if (store != NULL)
		scans = store_query_history(store, claim_id, &error);
	store_close(store);
	if (scans == NULL) {
		fprintf(stderr, "evidcheck: %s\n", error->message);
		g_clear_error(&error);
		return CLI_EXIT_FATAL;
	}
	if (o->format != NULL && strcmp(o->format, "json") == 0)
		text = history_json(claim_id, scans);
	else
		text = history_text(claim_id, scans, cli_use_color());
	fputs(text, stdout);
	if (text[0] != '\0' && text[strlen(text) - 1] != '\n')
		fputc('\n', stdout);
	g_free(text);
	g_ptr_array_unref(scans);
	return CLI_EXIT_PASS;
}

int
cli_history(int argc, char **argv)
{
	Options o = {0};
	GOptionContext *oc = option_context(&o);
	GError *error = NULL;
	int code = CLI_EXIT_FATAL;

	if (!g_option_context_parse(oc, &argc, &argv, &error) ||
	    !options_check(&o, argc, &error)) {
		fprintf(stderr,
			"evidcheck history: %s\n(see evidcheck history "
			"--help)\n",
			error->message);
		goto cleanup;
	}
	code = run(&o, argv[1]);
cleanup:
	g_clear_error(&error);
	g_option_context_free(oc);
	g_free(o.format);
	g_free(o.db);
	return code;
}
