/* html_check.c - scan a generated flawed claim with `--format html` (and
 * --out, --html) and check the HTML report a reviewer opens: it is one
 * self-contained page (page images are data: URIs, each page once,
 * nothing is loaded from a URL, no script), its elements are balanced, the
 * verdict and claim id are on top, every finding's message of the JSON report
 * is in it, escaped, words are marked on thumbnails, and a hostile file name is
 * shown as text, never as markup. stdout and --html must be the same
 * page. The page is left in WORK_DIR/report.html for html_shot.
 * usage: html_check EVIDCHECK CLAIM_DIR WORK_DIR */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <json-glib/json-glib.h>

#include "tests/check.h"

/* The file the test's generate step adds to the claim. */
#define HOSTILE_NAME "<img src=x onerror=alert(1)>&.pdf"

static guint
count(const char *hay, const char *needle)
{
	guint n = 0;

	for (const char *p = strstr(hay, needle); p != NULL;
	     p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Opening and closing tags of NAME are as many. */
static void
check_balanced(const char *html, const char *name)
{
	char *open_sp = g_strdup_printf("<%s ", name);
	char *open_gt = g_strdup_printf("<%s>", name);
	char *close = g_strdup_printf("</%s>", name);
	guint opened = count(html, open_sp) + count(html, open_gt);

	if (opened != count(html, close))
		check_fail("<%s> opened %u times, closed %u times", name,
			   opened, count(html, close));
	g_free(open_sp);
	g_free(open_gt);
	g_free(close);
}

/* Nothing is fetched: every page image is a data: URI in the page's
 * CSS (each page once, shown by class), no other URL, script or link. */
static void
check_self_contained(const char *html)
{
	static const char *const banned[] = {"http://", "https://", "<script",
					     "<link",	"@import",  "<iframe",
					     "<img ",	"src=\""};
	guint images = count(html, "url(");
	guint shown = count(html, "class=\"page pg");

	for (guint i = 0; i < G_N_ELEMENTS(banned); i++)
		if (strstr(html, banned[i]) != NULL)
			check_fail("the page holds '%s'", banned[i]);
	if (shown == 0)
		check_fail("no thumbnail in the report");
	if (count(html, "{background-image:url(\"data:image/jpeg;base64,") !=
	    images)
		check_fail("an image is not a data: URI");
	if (images == 0 || images > shown)
		check_fail("%u page images for %u thumbnails: not one per page",
			   images, shown);
}

static void
check_structure(const char *html)
{
	static const char *const tags[] = {
	    "html",   "head", "body",	 "main", "header", "section", "article",
	    "table",  "tr",   "td",	 "th",	 "div",	   "span",    "p",
	    "figure", "code", "details", "h1",	 "h2",	   "h3",      "footer"};

	if (!g_str_has_prefix(html, "<!DOCTYPE html>"))
		check_fail("the page does not start with <!DOCTYPE html>");
	if (!g_str_has_suffix(html, "</html>\n"))
		check_fail("the page does not end with </html>");
	if (strstr(html, "<meta charset=\"utf-8\">") == NULL)
		check_fail("no charset");
	for (guint i = 0; i < G_N_ELEMENTS(tags); i++)
		check_balanced(html, tags[i]);
	if (!g_utf8_validate(html, -1, NULL))
		check_fail("the page is not UTF-8");
}

/* Verdict and claim id in the banner; every finding's message escaped. */
static void
check_content(const char *html, JsonObject *report)
{
	JsonArray *findings = json_object_get_array_member(report, "findings");
	const char *banner = strstr(html, "<header class=\"verdict flagged\">");
	const char *id = json_object_get_string_member(report, "claim_id");

	if (banner == NULL || strstr(banner, "需复核") == NULL)
		check_fail("no flagged verdict banner");
	else if (strstr(banner, id) == NULL)
		check_fail("claim id %s is not in the banner", id);
	for (guint i = 0; i < json_array_get_length(findings); i++) {
		JsonObject *f = json_array_get_object_element(findings, i);
		char *msg = g_markup_escape_text(
		    json_object_get_string_member(f, "message"), -1);

		if (strstr(html, msg) == NULL)
			check_fail("finding %s: message not in the page: %s",
				   json_object_get_string_member(f, "code"),
				   msg);
		g_free(msg);
	}
	if (count(html, "<article class=\"finding") !=
	    json_array_get_length(findings))
		check_fail("not one article per finding");
	if (strstr(html, "class=\"hl\"") == NULL)
		check_fail("no word is marked on any thumbnail");
	if (strstr(html, "<details>") == NULL)
		check_fail("rules that do not apply are not folded away");
}

static void
check_hostile(const char *html)
{
	char *escaped = g_markup_escape_text(HOSTILE_NAME, -1);

	if (strstr(html, "<img src=x") != NULL)
		check_fail("the hostile file name is markup in the page");
	if (strstr(html, escaped) == NULL)
		check_fail("the hostile file name is not shown escaped: %s",
			   escaped);
	g_free(escaped);
}

static JsonObject *
load_report(const char *path, JsonParser *parser)
{
	GError *error = NULL;
	JsonNode *root;

	if (!json_parser_load_from_file(parser, path, &error)) {
		check_fail("%s: %s", path, error->message);
		g_error_free(error);
		return NULL;
	}
	root = json_parser_get_root(parser);
	return root != NULL && JSON_NODE_HOLDS_OBJECT(root)
		   ? json_node_get_object(root)
		   : NULL;
}

int
main(int argc, char **argv)
{
	char *json_path, *html_path, *page_path, *out = NULL, *err = NULL;
	char *file_html = NULL;
	GError *error = NULL;
	JsonParser *parser = json_parser_new();
	JsonObject *report;
	int status = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: html_check EVIDCHECK CLAIM_DIR "
				"WORK_DIR\n");
		return 2;
	}
	json_path = g_build_filename(argv[3], "report.json", NULL);
	html_path = g_build_filename(argv[3], "report-file.html", NULL);
	page_path = g_build_filename(argv[3], "report.html", NULL);
	{
		char *scan[] = {argv[1],    "scan",    argv[2], "--no-store",
				"--format", "html",    "--out", json_path,
				"--html",   html_path, NULL};

		if (!g_spawn_sync(NULL, scan, NULL, G_SPAWN_DEFAULT, NULL, NULL,
				  &out, &err, &status, &error)) {
			fprintf(stderr, "cannot run evidcheck: %s\n",
				error->message);
			return 1;
		}
	}
	status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	if (status != 1)
		check_fail("exit status %d, expected 1 (flagged); stderr: %s",
			   status, err);
	if (!g_file_set_contents(page_path, out, -1, &error)) {
		check_fail("%s", error->message);
		g_clear_error(&error);
	}
	if (!g_file_get_contents(html_path, &file_html, NULL, NULL) ||
	    strcmp(file_html, out) != 0)
		check_fail("--html did not write what stdout shows");
	report = load_report(json_path, parser);
	if (report == NULL)
		check_fail("--out did not write a JSON report");
	check_structure(out);
	check_self_contained(out);
	if (report != NULL)
		check_content(out, report);
	check_hostile(out);
	printf("%s: %zu bytes, %u thumbnails of %u pages, %u zooms, %u "
	       "marks\n",
	       page_path, strlen(out), count(out, "class=\"page pg"),
	       count(out, "url("), count(out, "class=\"zoom pg"),
	       count(out, "class=\"hl"));
	g_object_unref(parser);
	g_free(file_html);
	g_free(out);
	g_free(err);
	g_free(json_path);
	g_free(html_path);
	g_free(page_path);
	return check_failures() == 0 ? 0 : 1;
}
