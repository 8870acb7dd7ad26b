/* batch.c - the index of a batch run: summary.csv and summary.json for
 * programs and spreadsheets, index.html for a reviewer (one file, no
 * network: CSS and the few lines that sort the table are inline). A row's
 * figures come from the claim's JSON report, so a skipped claim (its
 * report reused from the store) and a scanned one read the same way. */
#include <string.h>

#include <json-glib/json-glib.h>

#include "reports/reports.h"

ReportsBatchRow *
reports_batch_row_new(const char *claim_id, const char *folder,
		      const char *status)
{
	ReportsBatchRow *row = g_new0(ReportsBatchRow, 1);

	row->claim_id = g_strdup(claim_id);
	row->folder = g_strdup(folder);
	row->status = status;
	row->codes = g_strdup("");
	return row;
}

void
reports_batch_row_free(ReportsBatchRow *row)
{
	if (row == NULL)
		return;
	g_free(row->claim_id);
	g_free(row->folder);
	g_free(row->direction);
	g_free(row->verdict);
	g_free(row->codes);
	g_free(row->reason);
	g_free(row->report);
	g_free(row->html);
	g_free(row);
}

static char *
member_dup(JsonObject *o, const char *name)
{
	JsonNode *n = json_object_get_member(o, name);

	if (n == NULL || JSON_NODE_TYPE(n) != JSON_NODE_VALUE)
		return NULL;
	return g_strdup(json_node_get_string(n));
}

/* For g_ptr_array_sort, whose items come by pointer. */
static int
compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Distinct codes, sorted, space-separated. */
static char *
codes_of(JsonObject *report)
{
	JsonArray *findings =
	    json_object_has_member(report, "findings")
		? json_object_get_array_member(report, "findings")
		: NULL;
	GPtrArray *codes = g_ptr_array_new();
	char *out;

	for (guint i = 0;
	     findings != NULL && i < json_array_get_length(findings); i++) {
		JsonObject *f = json_array_get_object_element(findings, i);
		const char *code =
		    f != NULL ? json_object_get_string_member_with_default(
				    f, "code", NULL)
			      : NULL;

		if (code != NULL && !g_ptr_array_find_with_equal_func(
					codes, code, g_str_equal, NULL))
			g_ptr_array_add(codes, (gpointer)code);
	}
	g_ptr_array_sort(codes, compare_strings);
	g_ptr_array_add(codes, NULL);
	out = g_strjoinv(" ", (char **)codes->pdata);
	g_ptr_array_free(codes, TRUE);
	return out;
}

static void
fill_from(ReportsBatchRow *row, JsonObject *report)
{
	JsonObject *summary =
	    json_object_has_member(report, "summary")
		? json_object_get_object_member(report, "summary")
		: NULL;

	g_free(row->direction);
	row->direction = member_dup(report, "direction");
	g_free(row->verdict);
	row->verdict = member_dup(report, "verdict");
	g_free(row->codes);
	row->codes = codes_of(report);
	if (summary != NULL) {
		row->errors = (int)json_object_get_int_member_with_default(
		    summary, "errors", 0);
		row->warnings = (int)json_object_get_int_member_with_default(
		    summary, "warnings", 0);
		row->pages = (int)json_object_get_int_member_with_default(
		    summary, "pages", 0);
	}
}

gboolean
reports_batch_row_fill(ReportsBatchRow *row, const char *report_json,
		       GError **error)
{
	JsonParser *parser = json_parser_new();
	JsonNode *root;
	gboolean ok = FALSE;

	if (!json_parser_load_from_data(parser, report_json, -1, error))
		goto cleanup;
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "the report of claim %s is not a JSON object",
			    row->claim_id);
		goto cleanup;
	}
	fill_from(row, json_node_get_object(root));
	ok = TRUE;
cleanup:
	g_object_unref(parser);
	return ok;
}

/* ---- summary.csv ---------------------------------------------------- */

static const char csv_header[] = "claim_id,folder,direction,verdict,errors,"
				 "warnings,codes,pages,seconds,status,reason,"
				 "report\r\n";

/* RFC 4180: quoted when it holds a comma, quote or line break. */
static void
csv_field(GString *out, const char *v, gboolean last)
{
	if (v == NULL)
		v = "";
	if (strpbrk(v, ",\"\r\n") != NULL) {
		g_string_append_c(out, '"');
		for (const char *p = v; *p != '\0'; p++) {
			if (*p == '"')
				g_string_append_c(out, '"');
			g_string_append_c(out, *p);
		}
		g_string_append_c(out, '"');
	} else {
		g_string_append(out, v);
	}
	g_string_append(out, last ? "\r\n" : ",");
}

static void
csv_row(GString *out, const ReportsBatchRow *r)
{
	char num[G_ASCII_DTOSTR_BUF_SIZE];

	csv_field(out, r->claim_id, FALSE);
	csv_field(out, r->folder, FALSE);
	csv_field(out, r->direction, FALSE);
	csv_field(out, r->verdict, FALSE);
	g_string_append_printf(out, "%d,%d,", r->errors, r->warnings);
	csv_field(out, r->codes, FALSE);
	g_string_append_printf(out, "%d,", r->pages);
	g_ascii_formatd(num, sizeof num, "%.2f", r->seconds);
	csv_field(out, num, FALSE);
	csv_field(out, r->status, FALSE);
	csv_field(out, r->reason, FALSE);
	csv_field(out, r->report, TRUE);
}

char *
reports_batch_csv(GPtrArray *rows)
{
	GString *out = g_string_new(csv_header);

	for (guint i = 0; i < rows->len; i++)
		csv_row(out, g_ptr_array_index(rows, i));
	return g_string_free(out, FALSE);
}

/* ---- summary.json --------------------------------------------------- */

static void
json_str(JsonBuilder *b, const char *key, const char *v)
{
	json_builder_set_member_name(b, key);
	if (v != NULL)
		json_builder_add_string_value(b, v);
	else
		json_builder_add_null_value(b);
}

/* CODES (space-separated) as an array of strings. */
static void
json_codes(JsonBuilder *b, const char *codes)
{
	char **v = g_strsplit(codes, " ", -1);

	json_builder_set_member_name(b, "codes");
	json_builder_begin_array(b);
	for (char **c = v; *c != NULL; c++)
		if (**c != '\0')
			json_builder_add_string_value(b, *c);
	json_builder_end_array(b);
	g_strfreev(v);
}

static void
json_row(JsonBuilder *b, const ReportsBatchRow *r)
{
	json_builder_begin_object(b);
	json_str(b, "claim_id", r->claim_id);
	json_str(b, "folder", r->folder);
	json_str(b, "direction", r->direction);
	json_str(b, "verdict", r->verdict);
	json_builder_set_member_name(b, "errors");
	json_builder_add_int_value(b, r->errors);
	json_builder_set_member_name(b, "warnings");
	json_builder_add_int_value(b, r->warnings);
	json_codes(b, r->codes);
	json_builder_set_member_name(b, "pages");
	json_builder_add_int_value(b, r->pages);
	json_builder_set_member_name(b, "seconds");
	/* Rounded so the file does not carry noise digits. */
	json_builder_add_double_value(
	    b, (double)(gint64)(r->seconds * 100 + 0.5) / 100);
	json_str(b, "status", r->status);
	json_str(b, "reason", r->reason);
	json_str(b, "report", r->report);
	json_builder_end_object(b);
}

char *
reports_batch_json(GPtrArray *rows)
{
	JsonBuilder *b = json_builder_new();
	JsonGenerator *gen = json_generator_new();
	JsonNode *root;
	char *out, *text;

	json_builder_begin_array(b);
	for (guint i = 0; i < rows->len; i++)
		json_row(b, g_ptr_array_index(rows, i));
	json_builder_end_array(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	json_generator_set_pretty(gen, TRUE);
	out = json_generator_to_data(gen, NULL);
	json_node_unref(root);
	g_object_unref(gen);
	g_object_unref(b);
	/* A text file ends in a newline. */
	text = out;
	out = g_strconcat(text, "\n", NULL);
	g_free(text);
	return out;
}

/* ---- index.html ----------------------------------------------------- */

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta "
    "charset=\"utf-8\">\n"
    "<title>evidcheck batch</title>\n<style>\n"
    "body{font:14px system-ui,sans-serif;margin:1.5em}\n"
    "table{border-collapse:collapse}\n"
    "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}\n"
    "th{background:#eee;cursor:pointer;user-select:none}\n"
    "td.n{text-align:right}\n"
    "tr.pass td.v{color:#060}tr.flagged td.v{color:#b00;font-weight:bold}\n"
    "tr.failed td{background:#fee}\n"
    "</style></head><body>\n"
    "<h1>evidcheck batch</h1>\n";

static const char html_table[] =
    "<table id=\"t\"><thead><tr><th>claim</th><th>folder</th>"
    "<th>direction</th><th>verdict</th><th>errors</th><th>warnings</th>"
    "<th>codes</th><th>pages</th><th>seconds</th><th>status</th>"
    "<th>reason</th></tr></thead><tbody>\n";

/* Sort by the clicked column, numerically when both cells are numbers;
 * a second click reverses. */
static const char html_tail[] =
    "</tbody></table>\n<script>\n"
    "document.querySelectorAll('#t th').forEach(function(th,i){\n"
    " th.onclick=function(){var b=th.closest('table').tBodies[0],"
    "d=th.dataset.d=th.dataset.d==='1'?'-1':'1',"
    "r=Array.from(b.rows);\n"
    "  r.sort(function(x,y){var a=x.cells[i].textContent,"
    "c=y.cells[i].textContent,p=parseFloat(a),q=parseFloat(c);\n"
    "   return d*(isNaN(p)||isNaN(q)?a.localeCompare(c):p-q);});\n"
    "  r.forEach(function(e){b.appendChild(e);});};});\n"
    "</script>\n</body></html>\n";

static void
html_cell(GString *out, const char *cls, const char *v)
{
	char *e = g_markup_escape_text(v != NULL ? v : "", -1);

	g_string_append_printf(
	    out, "<td%s%s%s>%s</td>", cls != NULL ? " class=\"" : "",
	    cls != NULL ? cls : "", cls != NULL ? "\"" : "", e);
	g_free(e);
}

static void
html_claim(GString *out, const ReportsBatchRow *r)
{
	char *id = g_markup_escape_text(r->claim_id, -1);

	if (r->report != NULL) {
		char *uri = g_uri_escape_string(
		    r->html != NULL ? r->html : r->report, NULL, TRUE);
		char *href = g_markup_escape_text(uri, -1);

		g_string_append_printf(out, "<td><a href=\"%s\">%s</a></td>",
				       href, id);
		g_free(href);
		g_free(uri);
	} else {
		g_string_append_printf(out, "<td>%s</td>", id);
	}
	g_free(id);
}

static void
html_row(GString *out, const ReportsBatchRow *r)
{
	char num[G_ASCII_DTOSTR_BUF_SIZE];
	const char *cls = r->verdict != NULL ? r->verdict : "failed";

	g_string_append_printf(out, "<tr class=\"%s\">",
			       g_str_equal(r->status, "failed") ? "failed"
								: cls);
	html_claim(out, r);
	html_cell(out, NULL, r->folder);
	html_cell(out, NULL, r->direction);
	html_cell(out, "v", r->verdict != NULL ? r->verdict : "-");
	g_snprintf(num, sizeof num, "%d", r->errors);
	html_cell(out, "n", num);
	g_snprintf(num, sizeof num, "%d", r->warnings);
	html_cell(out, "n", num);
	html_cell(out, NULL, r->codes);
	g_snprintf(num, sizeof num, "%d", r->pages);
	html_cell(out, "n", num);
	g_ascii_formatd(num, sizeof num, "%.1f", r->seconds);
	html_cell(out, "n", num);
	html_cell(out, NULL, r->status);
	html_cell(out, NULL, r->reason);
	g_string_append(out, "</tr>\n");
}

char *
reports_batch_html(GPtrArray *rows)
{
	guint pass = 0, flagged = 0, failed = 0;
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < rows->len; i++) {
		const ReportsBatchRow *r = g_ptr_array_index(rows, i);

		if (g_str_equal(r->status, "failed"))
			failed++;
		else if (g_strcmp0(r->verdict, "pass") == 0)
			pass++;
		else
			flagged++;
	}
	g_string_append(out, html_head);
	g_string_append_printf(out,
			       "<p>%u claims: %u pass, %u flagged, %u failed. "
			       "Click a heading to sort.</p>\n",
			       rows->len, pass, flagged, failed);
	g_string_append(out, html_table);
	for (guint i = 0; i < rows->len; i++)
		html_row(out, g_ptr_array_index(rows, i));
	g_string_append(out, html_tail);
	return g_string_free(out, FALSE);
}
