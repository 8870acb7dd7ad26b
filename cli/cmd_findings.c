/* cmd_findings.c - `evidcheck findings`: the findings of every claim's
 * latest scan (a re-scan supersedes what the earlier scans found),
 * filtered by code, severity and date, grouped by claim. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "cli/cli.h"

typedef struct {
	char *format;
	char *db;
	char *code;
	char *severity;
	char *since;
} Options;

#define RED    "\033[31m"
#define YELLOW "\033[33m"
#define DIM    "\033[2m"
#define BOLD   "\033[1m"
#define RESET  "\033[0m"

static const char *
paint(gboolean color, const char *code)
{
	return color ? code : "";
}

/* ---- text ----------------------------------------------------------- */

/* What the filters asked for, so "nothing" is read against them. */
static void
text_filters(GString *out, const StoreFindingFilter *f)
{
	g_string_append(out, "各申报最新一次扫描的问题");
	if (f->code != NULL)
		g_string_append_printf(out, "  代码 %s", f->code);
	if (f->severity != NULL)
		g_string_append_printf(
		    out, "  级别 %s",
		    strcmp(f->severity, "error") == 0 ? "错误" : "提示");
	if (f->since != NULL)
		g_string_append_printf(out, "  扫描于 %s 及以后", f->since);
	g_string_append(out, "\n\n");
}

static void
text_row(GString *out, const StoreFindingRow *r, gboolean color)
{
	gboolean err = strcmp(r->severity, "error") == 0;

	g_string_append_printf(
	    out, "  %s[%s] %s%s %s\n", paint(color, err ? RED : YELLOW),
	    err ? "错误" : "提示", r->code, paint(color, RESET), r->message);
	for (guint j = 0; j < r->refs->len; j++)
		g_string_append_printf(
		    out, "      %s→ %s%s\n", paint(color, DIM),
		    (char *)g_ptr_array_index(r->refs, j), paint(color, RESET));
}

static char *
findings_text(const StoreFindingFilter *filter, GPtrArray *rows, gboolean color)
{
	GString *out = g_string_new(NULL);
	const char *claim = NULL;
	guint claims = 0;

	text_filters(out, filter);
	if (rows->len == 0) {
		g_string_append(out, "没有符合条件的问题。\n");
		return g_string_free(out, FALSE);
	}
	for (guint i = 0; i < rows->len; i++) {
		const StoreFindingRow *r = g_ptr_array_index(rows, i);

		/* Rows come by claim id: a new id starts a group. */
		if (claim == NULL || strcmp(claim, r->claim_id) != 0) {
			if (claim != NULL)
				g_string_append_c(out, '\n');
			claim = r->claim_id;
			claims++;
			g_string_append_printf(
			    out,
			    "%s申报 %s%s  %s扫描 #%" G_GINT64_FORMAT "  %s%s\n",
			    paint(color, BOLD), r->claim_id,
			    paint(color, RESET), paint(color, DIM), r->scan_id,
			    r->scanned_at, paint(color, RESET));
		}
		text_row(out, r, color);
	}
	g_string_append_printf(out, "\n共 %u 项, 涉及 %u 个申报。\n", rows->len,
			       claims);
	return g_string_free(out, FALSE);
}

/* ---- json ----------------------------------------------------------- */

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
json_row(JsonBuilder *b, const StoreFindingRow *r)
{
	json_builder_begin_object(b);
	json_member(b, "claim_id", r->claim_id);
	json_builder_set_member_name(b, "scan_id");
	json_builder_add_int_value(b, r->scan_id);
	json_member(b, "scanned_at", r->scanned_at);
	json_member(b, "code", r->code);
	json_member(b, "severity", r->severity);
	json_member(b, "item", r->item);
	json_member(b, "message", r->message);
	json_builder_set_member_name(b, "refs");
	json_builder_begin_array(b);
	for (guint i = 0; i < r->refs->len; i++)
		json_builder_add_string_value(b, g_ptr_array_index(r->refs, i));
	json_builder_end_array(b);
	json_builder_end_object(b);
}

/* {"findings": [...]}: an object, so fields can be added later without
 * breaking a script. Caller owns. */
static char *
findings_json(GPtrArray *rows)
{
	JsonBuilder *b = json_builder_new();
	JsonGenerator *gen = json_generator_new();
	JsonNode *root;
	char *text;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "findings");
	json_builder_begin_array(b);
	for (guint i = 0; i < rows->len; i++)
		json_row(b, g_ptr_array_index(rows, i));
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_pretty(gen, TRUE);
	json_generator_set_root(gen, root);
	text = json_generator_to_data(gen, NULL);
	json_node_unref(root);
	g_object_unref(gen);
	g_object_unref(b);
	return text;
}

/* ---- command -------------------------------------------------------- */

static GOptionContext *
option_context(Options *o)
{
	const GOptionEntry entries[] = {
	    {"code", 'c', 0, G_OPTION_ARG_STRING, &o->code,
	     "Only this finding code, e.g. NAME_MISMATCH", "CODE"},
	    {"severity", 's', 0, G_OPTION_ARG_STRING, &o->severity,
	     "Only error or warning findings", "LEVEL"},
	    {"since", 0, 0, G_OPTION_ARG_STRING, &o->since,
	     "Only claims whose latest scan is on or after DATE (YYYY-MM-DD, "
	     "UTC)",
	     "DATE"},
	    {"format", 'f', 0, G_OPTION_ARG_STRING, &o->format,
	     "text (default) or json", "FORMAT"},
	    {"db", 0, 0, G_OPTION_ARG_FILENAME, &o->db,
	     "Store file (default: ~/.local/share/evidcheck/evidcheck.db)",
	     "FILE"},
	    {NULL, 0, 0, 0, NULL, NULL, NULL}};
	GOptionContext *oc =
	    g_option_context_new("- findings of the latest scan of each claim");

	g_option_context_add_main_entries(oc, entries, NULL);
	g_option_context_set_description(
	    oc, "Exit status: 0 (also when nothing matches), 2 usage or a "
		"store that cannot be read.");
	return oc;
}

/* YYYY-MM-DD and a real day: a typo must not silently match nothing. */
static gboolean
valid_date(const char *s)
{
	unsigned y, m, d;
	char end;

	return strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
	       sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d, &end) == 3 &&
	       g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

static gboolean
options_check(const Options *o, int argc, GError **error)
{
	const char *msg = NULL;

	if (argc != 1)
		msg = "findings takes no arguments, only options";
	else if (o->format != NULL && strcmp(o->format, "text") != 0 &&
		 strcmp(o->format, "json") != 0)
		msg = "--format must be text or json";
	else if (o->severity != NULL && strcmp(o->severity, "error") != 0 &&
		 strcmp(o->severity, "warning") != 0)
		msg = "--severity must be error or warning";
	else if (o->since != NULL && !valid_date(o->since))
		msg = "--since must be a date YYYY-MM-DD, e.g. 2026-03-01";
	if (msg == NULL)
		return TRUE;
	g_set_error_literal(error, CORE_ERROR, CORE_ERROR_USAGE, msg);
	return FALSE;
}

static int
run(const Options *o)
{
	StoreFindingFilter filter = {o->code, o->severity, o->since};
	GError *error = NULL;
	Store *store = cli_query_store(o->db, &error);
	GPtrArray *rows = NULL;
	char *text;

	if (store != NULL)
		rows = store_query_findings(store, &filter, &error);
	store_close(store);
	if (rows == NULL) {
		fprintf(stderr, "evidcheck: %s\n", error->message);
		g_clear_error(&error);
		return CLI_EXIT_FATAL;
	}
	if (o->format != NULL && strcmp(o->format, "json") == 0) {
		text = findings_json(rows);
		puts(text);
	} else {
		text = findings_text(&filter, rows, cli_use_color());
		fputs(text, stdout);
	}
	g_free(text);
	g_ptr_array_unref(rows);
	return CLI_EXIT_PASS;
}

int
cli_findings(int argc, char **argv)
{
	Options o = {0};
	GOptionContext *oc = option_context(&o);
	GError *error = NULL;
	int code = CLI_EXIT_FATAL;

	if (!g_option_context_parse(oc, &argc, &argv, &error) ||
	    !options_check(&o, argc, &error)) {
		fprintf(stderr,
			"evidcheck findings: %s\n(see evidcheck findings "
			"--help)\n",
			error->message);
		goto cleanup;
	}
	code = run(&o);
cleanup:
	g_clear_error(&error);
	g_option_context_free(oc);
	g_free(o.format);
	g_free(o.db);
	g_free(o.code);
	g_free(o.severity);
	g_free(o.since);
	return code;
}
