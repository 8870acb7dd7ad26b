/* drop_test.c - the drop page (serve/page/index.html) in headless Chromium,
 * end to end: start `evidcheck serve` and Chromium, open the page, drop
 * the generated claim folder on the drop zone as a file manager drops it
 * (Input.dispatchDragEvent with the folder's path: the page walks it with
 * webkitGetAsEntry), choose direction 4, scene 3 and 自研 on the form,
 * click 开始预审, wait for the verdict and check what the page shows
 * against what tests/browser/recipe.ini plants. Screenshots of the whole
 * page at 1366 wide and on a phone go to OUT_DIR and must not be blank.
 * Exits 77 (ctest SKIP_RETURN_CODE) when Chromium is not installed.
 * The server wants a token (--token-file): the page must ask for it once
 * and send it on every request, page images and report included.
 * usage: drop_test EVIDCHECK CLAIM_DIR OUT_DIR */
#include <allheaders.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "tests/browser/cdp.h"
#include "tests/check.h"
#include "tests/shot.h"

#define SKIP 77

/* Milliseconds: a process to say where it listens, a scan to end, the
 * page images and report to arrive, a process to obey SIGTERM. */
#define START_MS   30000
#define VERDICT_MS 120000
#define IMAGES_MS  20000
#define STOP_MS	   15000

#define LISTENING "evidcheck serve: listening on "

/* What recipe.ini plants: the checklist of direction 4, scene 3,
 * self-developed, item by item, as the page marks it. */
static const struct {
	const char *item;
	const char *mark;
} MARKS[] = {
    {"invoice_payment", "✓"}, {"software_copyright", "✓"},
    {"diagnosis_plan", "✗"},  {"run_screenshot", "✗"},
    {"scene_data", "✗"},      {"midterm_report", "✗"},
    {"test_reports", "✗"},    {"operation_records", "✗"},
    {"acceptance_form", "✓"}, {"training_materials", "✗"},
};
#define MISSING_ITEMS	7 /* one MISSING_EVIDENCE per ✗ */
#define VERDICT		"需要补正"
#define PRODUCT		"智能质检云平台"
#define CLAIM_FILES	5 /* claim.json is the claim part, not a file */
#define SUB_FOLDER_FILE "证书/软件著作权登记证书.pdf"
#define TOKEN		"drop-page-test-token-5f0c2a9e"
/* The file CMakeLists.txt adds: markup that sets window.pwned if it is
 * ever parsed. */
#define HOSTILE_NAME "<img src=x onerror=window.pwned=1>&.pdf"

/* The rules recipe.ini breaks (NAME_MISMATCH, NOT_STAMPED); no other
 * rule may fail. */
static const char *const FAILED_CHECKS[] = {"product_name", "stamped"};

/* The page's state while the claim is checked. */
static const char STATE_JS[] =
    "(() => { const $ = (i) => document.getElementById(i);"
    "  return { step: ['input', 'progress', 'result', 'failed']"
    "      .find((s) => !$('step-' + s).hidden) || '',"
    "    progress: $('prog-title').textContent + ' ' +"
    "      $('counts').innerText.replace(/\\s+/g, ' '),"
    "    alert: $('alert').hidden ? '' : $('alert').innerText,"
    "    reason: $('failed-reason').textContent }; })()";

/* What the drop filled in, before submitting. */
static const char DROPPED_JS[] =
    "(() => { const $ = (i) => document.getElementById(i);"
    "  return { files: document.querySelectorAll('#files li').length,"
    "    paths: Array.from(document.querySelectorAll('#files .fpath'),"
    "      (e) => e.title),"
    "    claim: !$('claim-note').hidden,"
    "    markup: document.querySelectorAll('img[src=\"x\"]').length,"
    "    product: $('product').value, direction: $('direction').value };"
    "})()";

/* The form as a provider fills it: the claim.json of the recipe names
 * no direction, scene nor delivery. */
static const char CHOOSE_JS[] =
    "(() => { const $ = (i) => document.getElementById(i);"
    "  const pick = (id, v) => { $(id).value = v;"
    "    $(id).dispatchEvent(new Event('change', { bubbles: true })); };"
    "  pick('direction', '4'); pick('scene', '3');"
    "  $('delivery-self').click();"
    "  return $('direction').value + '/' + $('scene').value + '/' +"
    "    document.querySelector('input[name=delivery]:checked').value;"
    "})()";

/* The verdict, the checklist's marks, each finding's code and its
 * thumbnail's natural width (0: not loaded, -1: none), the report link. */
static const char RESULT_JS[] =
    "(() => { const q = (s) => Array.from(document.querySelectorAll(s));"
    "  return { verdict: document.getElementById('verdict').textContent,"
    "    marks: q('#checklist li[data-item]').map((li) =>"
    "      [li.dataset.item, li.querySelector('.mark').textContent]),"
    "    findings: q('#findings li.finding').map((li) => {"
    "      const img = li.querySelector('.thumb img');"
    "      return [li.dataset.code, !img ? -1 :"
    "        img.complete ? img.naturalWidth : 0]; }),"
    "    report: document.getElementById('report-link')"
    "      .getAttribute('href') || '',"
    "    checks: q('#checks tr').map((tr) => [tr.dataset.check,"
    "      tr.querySelector('.st').textContent]),"
    "    refs: q('#findings .ref').map((e) => e.textContent),"
    "    pwned: window.pwned !== undefined ||"
    "      document.querySelectorAll('img[src=\"x\"]').length > 0 }; })()";

/* A child process, its output in a log file, reaped as it ends. */
typedef struct {
	GSubprocess *sub;
	gboolean exited;
} Proc;

typedef struct {
	Cdp *cdp;
	char *session;
} Page;

static void
proc_reaped(GObject *source, GAsyncResult *result, gpointer data)
{
	Proc *p = data;

	g_subprocess_wait_finish(G_SUBPROCESS(source), result, NULL);
	p->exited = TRUE;
}

static Proc *
proc_start(const char *const *argv, const char *log, GError **error)
{
	GSubprocessLauncher *l = g_subprocess_launcher_new(0);
	Proc *p = g_new0(Proc, 1);

	g_subprocess_launcher_set_stdout_file_path(l, log);
	g_subprocess_launcher_set_stderr_file_path(l, log);
	p->sub = g_subprocess_launcher_spawnv(l, argv, error);
	g_object_unref(l);
	if (p->sub == NULL) {
		g_free(p);
		return NULL;
	}
	g_subprocess_wait_async(p->sub, NULL, proc_reaped, p);
	return p;
}

/* Send SIGNUM, give it MS to end, then kill it. TRUE when it ended on
 * its own. */
static gboolean
proc_stop(Proc *p, int signum, guint ms)
{
	gboolean obeyed;

	if (p == NULL)
		return TRUE;
	if (!p->exited)
		g_subprocess_send_signal(p->sub, signum);
	obeyed = cdp_wait(&p->exited, ms);
	if (!obeyed) {
		g_subprocess_force_exit(p->sub);
		cdp_wait(&p->exited, G_MAXINT);
	}
	g_object_unref(p->sub);
	g_free(p);
	return obeyed;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0 && errno != ENOENT)
		printf("cannot remove %s: %s\n", path, g_strerror(errno));
	return 0;
}

static void
remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The rest of the first line of PATH that starts with PREFIX, waited
 * for while P runs, up to MS. */
static char *
wait_for_line(const char *path, const char *prefix, Proc *p, guint ms,
	      GError **error)
{
	gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;
	char *found = NULL;

	while (found == NULL && !p->exited && g_get_monotonic_time() < end) {
		char *text = NULL;
		char *at;

		cdp_wait(NULL, 50);
		if (!g_file_get_contents(path, &text, NULL, NULL))
			continue;
		at = strstr(text, prefix);
		if (at != NULL && strchr(at, '\n') != NULL)
			found = g_strndup(at + strlen(prefix),
					  strcspn(at + strlen(prefix), "\r\n"));
		g_free(text);
	}
	if (found == NULL)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
			    "%s: no \"%s\" line (%s)", path, prefix,
			    p->exited ? "the process ended" : "timed out");
	return found;
}

/* `evidcheck serve` on a free loopback port; *URL is where. */
static Proc *
start_server(const char *evidcheck, const char *work, char **url,
	     GError **error)
{
	char *data = g_build_filename(work, "data", NULL);
	char *db = g_build_filename(work, "x.db", NULL);
	char *log = g_build_filename(work, "serve.log", NULL);
	char *tokens = g_build_filename(work, "tokens", NULL);
	const char *argv[] = {
	    evidcheck, "serve", "--listen",	"127.0.0.1:0", "--data", data,
	    "--db",    db,	"--token-file", tokens,	       NULL};
	Proc *p = NULL;

	if (g_file_set_contents(tokens, TOKEN " browser-test\n", -1, error))
		p = proc_start(argv, log, error);
	if (p != NULL) {
		*url = wait_for_line(log, LISTENING, p, START_MS, error);
		if (*url == NULL) {
			proc_stop(p, SIGTERM, STOP_MS);
			p = NULL;
		}
	}
	g_free(tokens);
	g_free(log);
	g_free(db);
	g_free(data);
	return p;
}

/* The DevTools URL Chromium wrote to PROFILE/DevToolsActivePort: its
 * port, then the browser's path. */
static char *
devtools_url(const char *profile, Proc *p, GError **error)
{
	char *file = g_build_filename(profile, "DevToolsActivePort", NULL);
	gint64 end = g_get_monotonic_time() + (gint64)START_MS * 1000;
	char *url = NULL;

	while (url == NULL && !p->exited && g_get_monotonic_time() < end) {
		char *text = NULL;
		char **lines;

		cdp_wait(NULL, 50);
		if (!g_file_get_contents(file, &text, NULL, NULL))
			continue;
		lines = g_strsplit(text, "\n", 3);
		if (g_strv_length(lines) >= 2 && lines[1][0] == '/')
			url = g_strdup_printf("ws://127.0.0.1:%s%s", lines[0],
					      lines[1]);
		g_strfreev(lines);
		g_free(text);
	}
	if (url == NULL)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
			    "%s: not written (%s)", file,
			    p->exited ? "chromium ended" : "timed out");
	g_free(file);
	return url;
}

static Proc *
start_chromium(const char *chromium, const char *profile, const char *work,
	       char **url, GError **error)
{
	char *dir = g_strdup_printf("--user-data-dir=%s", profile);
	char *log = g_build_filename(work, "chromium.log", NULL);
	/* --no-sandbox: tests run as root in CI, where the sandbox refuses
	 * to start. */
	const char *argv[] = {chromium,
			      "--headless",
			      "--no-sandbox",
			      "--disable-gpu",
			      "--no-first-run",
			      "--hide-scrollbars",
			      "--remote-debugging-port=0",
			      dir,
			      "--window-size=1366,900",
			      "about:blank",
			      NULL};
	Proc *p = proc_start(argv, log, error);

	if (p != NULL) {
		*url = devtools_url(profile, p, error);
		if (*url == NULL) {
			proc_stop(p, SIGTERM, STOP_MS);
			p = NULL;
		}
	}
	g_free(log);
	g_free(dir);
	return p;
}

static gboolean
call(Page *pg, const char *method, JsonObject *params, GError **error)
{
	JsonObject *r =
	    cdp_call(pg->cdp, pg->session, method, params, 30000, error);

	if (r != NULL)
		json_object_unref(r);
	return r != NULL;
}

/* EXPR's value, an object, or NULL with ERROR. */
static JsonObject *
eval_object(Page *pg, const char *expr, GError **error)
{
	JsonNode *v = cdp_eval(pg->cdp, pg->session, expr, error);
	JsonObject *o = NULL;

	if (v != NULL && JSON_NODE_HOLDS_OBJECT(v))
		o = json_object_ref(json_node_get_object(v));
	else if (v != NULL)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "%.60s…: not an object", expr);
	if (v != NULL)
		json_node_unref(v);
	return o;
}

/* Wait up to MS for EXPR to be true in the page. */
static gboolean
eval_until(Page *pg, const char *expr, guint ms, GError **error)
{
	gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;
	gboolean yes = FALSE;

	while (!yes && g_get_monotonic_time() < end) {
		JsonNode *v = cdp_eval(pg->cdp, pg->session, expr, error);

		if (v == NULL)
			return FALSE;
		yes = JSON_NODE_HOLDS_VALUE(v) && json_node_get_boolean(v);
		json_node_unref(v);
		if (!yes)
			cdp_wait(NULL, 100);
	}
	if (!yes)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
			    "%s: still false after %u ms", expr, ms);
	return yes;
}

static void
set_viewport(Page *pg, int width, int height, double scale, gboolean mobile,
	     GError **error)
{
	JsonObject *p = json_object_new();

	json_object_set_int_member(p, "width", width);
	json_object_set_int_member(p, "height", height);
	json_object_set_double_member(p, "deviceScaleFactor", scale);
	json_object_set_boolean_member(p, "mobile", mobile);
	call(pg, "Emulation.setDeviceMetricsOverride", p, error);
}

/* A new tab, attached as a flattened session, showing URL at 1366x900
 * once it is loaded. ERROR is not NULL. */
static gboolean
open_page(Page *pg, const char *url, GError **error)
{
	JsonObject *p = json_object_new();
	JsonObject *r;

	json_object_set_string_member(p, "url", "about:blank");
	r = cdp_call(pg->cdp, NULL, "Target.createTarget", p, 30000, error);
	if (r == NULL)
		return FALSE;
	p = json_object_new();
	json_object_set_string_member(
	    p, "targetId", json_object_get_string_member(r, "targetId"));
	json_object_set_boolean_member(p, "flatten", TRUE);
	json_object_unref(r);
	r = cdp_call(pg->cdp, NULL, "Target.attachToTarget", p, 30000, error);
	if (r == NULL)
		return FALSE;
	pg->session = g_strdup(json_object_get_string_member(r, "sessionId"));
	json_object_unref(r);
	set_viewport(pg, 1366, 900, 1, FALSE, error);
	if (*error == NULL && call(pg, "Runtime.enable", NULL, error) &&
	    call(pg, "Page.enable", NULL, error)) {
		p = json_object_new();
		json_object_set_string_member(p, "url", url);
		call(pg, "Page.navigate", p, error);
	}
	return *error == NULL &&
	       eval_until(pg, "document.readyState === 'complete'", START_MS,
			  error);
}

/* The middle of element ID in the viewport, scrolled into view. */
static gboolean
element_center(Page *pg, const char *id, double *x, double *y, GError **error)
{
	char *expr = g_strdup_printf(
	    "(() => { const e = document.getElementById('%s');"
	    "  e.scrollIntoView({ block: 'center' });"
	    "  const r = e.getBoundingClientRect();"
	    "  return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; })()",
	    id);
	JsonObject *o = eval_object(pg, expr, error);

	g_free(expr);
	if (o == NULL)
		return FALSE;
	*x = json_object_get_double_member(o, "x");
	*y = json_object_get_double_member(o, "y");
	json_object_unref(o);
	return TRUE;
}

/* Drag the folder DIR over the drop zone and drop it, as a file manager
 * does: the drag data carries the folder's path, and the page reads it
 * through webkitGetAsEntry(). */
static gboolean
drop_folder(Page *pg, const char *dir, GError **error)
{
	static const char *const steps[] = {"dragEnter", "dragOver", "drop"};
	double x, y;
	gboolean ok = element_center(pg, "drop", &x, &y, error);

	for (guint i = 0; ok && i < G_N_ELEMENTS(steps); i++) {
		JsonObject *p = json_object_new();
		JsonObject *data = json_object_new();
		JsonArray *files = json_array_new();

		json_array_add_string_element(files, dir);
		json_object_set_array_member(data, "items", json_array_new());
		json_object_set_array_member(data, "files", files);
		json_object_set_int_member(data, "dragOperationsMask", 1);
		json_object_set_string_member(p, "type", steps[i]);
		json_object_set_double_member(p, "x", x);
		json_object_set_double_member(p, "y", y);
		json_object_set_object_member(p, "data", data);
		ok = call(pg, "Input.dispatchDragEvent", p, error);
	}
	return ok;
}

/* A left click with the mouse in the middle of element ID. */
static gboolean
click(Page *pg, const char *id, GError **error)
{
	static const char *const steps[] = {"mouseMoved", "mousePressed",
					    "mouseReleased"};
	double x, y;
	gboolean ok = element_center(pg, id, &x, &y, error);

	for (guint i = 0; ok && i < G_N_ELEMENTS(steps); i++) {
		JsonObject *p = json_object_new();

		json_object_set_string_member(p, "type", steps[i]);
		json_object_set_double_member(p, "x", x);
		json_object_set_double_member(p, "y", y);
		json_object_set_string_member(p, "button", "left");
		json_object_set_int_member(p, "clickCount", i > 0);
		ok = call(pg, "Input.dispatchMouseEvent", p, error);
	}
	return ok;
}

/* The API answers 401 until the page has the token: the page must ask
 * for it (the token box, focused), take it as typed, and go on by
 * itself to load the directions. */
static gboolean
give_token(Page *pg, GError **error)
{
	JsonObject *p;
	gboolean ok = eval_until(
	    pg,
	    "!document.getElementById('token-overlay').hidden && "
	    "document.activeElement === document.getElementById('token-input')",
	    START_MS, error);

	if (ok) {
		p = json_object_new();
		json_object_set_string_member(p, "text", TOKEN);
		ok = call(pg, "Input.insertText", p, error);
	}
	return ok && click(pg, "token-ok", error) &&
	       eval_until(pg,
			  "document.getElementById('token-overlay').hidden && "
			  "document.querySelectorAll('#direction option')"
			  ".length > 1",
			  START_MS, error);
}

static gboolean
strv_has(JsonArray *a, const char *s)
{
	for (guint i = 0; a != NULL && i < json_array_get_length(a); i++) {
		if (g_strcmp0(json_array_get_string_element(a, i), s) == 0)
			return TRUE;
	}
	return FALSE;
}

/* After the drop: the claim's files are listed with their sub-folders,
 * claim.json was read (the product is prefilled) and is not a file. */
static void
check_dropped(Page *pg, GError **error)
{
	JsonObject *o = eval_object(pg, DROPPED_JS, error);

	if (o == NULL)
		return;
	if (json_object_get_int_member(o, "files") != CLAIM_FILES)
		check_fail("the page lists %" G_GINT64_FORMAT
			   " files, not %d (claim.json is not one)",
			   json_object_get_int_member(o, "files"), CLAIM_FILES);
	if (!strv_has(json_object_get_array_member(o, "paths"),
		      SUB_FOLDER_FILE))
		check_fail("no %s in the file list: sub-folders lost, or the "
			   "dropped folder's name kept",
			   SUB_FOLDER_FILE);
	if (!strv_has(json_object_get_array_member(o, "paths"), HOSTILE_NAME))
		check_fail("the file list does not show %s as text",
			   HOSTILE_NAME);
	if (json_object_get_int_member(o, "markup") != 0)
		check_fail("a file name became markup in the file list");
	if (!json_object_get_boolean_member(o, "claim"))
		check_fail("the page does not say it read claim.json");
	if (g_strcmp0(json_object_get_string_member(o, "product"), PRODUCT))
		check_fail("product name \"%s\", not prefilled \"%s\" from "
			   "claim.json",
			   json_object_get_string_member(o, "product"),
			   PRODUCT);
	if (*json_object_get_string_member(o, "direction") != '\0')
		check_fail("a direction is chosen, but claim.json names none");
	json_object_unref(o);
}

/* Poll the page until it shows a verdict, a failure or an error. The
 * states it goes through are printed as they change. */
static JsonObject *
wait_verdict(Page *pg, GError **error)
{
	gint64 end = g_get_monotonic_time() + (gint64)VERDICT_MS * 1000;
	gint64 start = g_get_monotonic_time();
	char *last = NULL;
	JsonObject *o = NULL;
	const char *step = "progress";

	while (g_strcmp0(step, "progress") == 0 &&
	       g_get_monotonic_time() < end) {
		char *now;

		if (o != NULL) {
			json_object_unref(o);
			cdp_wait(NULL, 300);
		}
		o = eval_object(pg, STATE_JS, error);
		if (o == NULL)
			break;
		step = json_object_get_string_member(o, "step");
		now = g_strdup_printf(
		    "%s: %s", step,
		    json_object_get_string_member(
			o, g_strcmp0(step, "progress") ? "alert" : "progress"));
		if (g_strcmp0(now, last) != 0)
			printf("%5.1f s  %s\n",
			       (double)(g_get_monotonic_time() - start) / 1e6,
			       now);
		g_free(last);
		last = now;
	}
	g_free(last);
	if (o != NULL && g_strcmp0(step, "result") != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "no verdict: step %s, alert \"%s\", reason \"%s\"",
			    step, json_object_get_string_member(o, "alert"),
			    json_object_get_string_member(o, "reason"));
		g_clear_pointer(&o, json_object_unref);
	}
	return o;
}

/* The natural width of the first thumbnail of finding CODE: -1 when it
 * has none, 0 while it loads; -2 when CODE is not listed. */
static gint64
thumb_width(JsonObject *r, const char *code)
{
	JsonArray *f = json_object_get_array_member(r, "findings");

	for (guint i = 0; i < json_array_get_length(f); i++) {
		JsonArray *one = json_array_get_array_element(f, i);

		if (g_strcmp0(json_array_get_string_element(one, 0), code) == 0)
			return json_array_get_int_element(one, 1);
	}
	return -2;
}

static guint
count_code(JsonObject *r, const char *code)
{
	JsonArray *f = json_object_get_array_member(r, "findings");
	guint n = 0;

	for (guint i = 0; i < json_array_get_length(f); i++) {
		JsonArray *one = json_array_get_array_element(f, i);

		n +=
		    g_strcmp0(json_array_get_string_element(one, 0), code) == 0;
	}
	return n;
}

static gboolean
result_settled(JsonObject *r)
{
	return thumb_width(r, "NAME_MISMATCH") != 0 &&
	       thumb_width(r, "NOT_STAMPED") != 0 &&
	       g_str_has_prefix(json_object_get_string_member(r, "report"),
				"blob:");
}

/* The result once its page images and the full report have come (or
 * IMAGES_MS passed). */
static JsonObject *
wait_result(Page *pg, GError **error)
{
	gint64 end = g_get_monotonic_time() + (gint64)IMAGES_MS * 1000;
	JsonObject *r = eval_object(pg, RESULT_JS, error);

	while (r != NULL && !result_settled(r) &&
	       g_get_monotonic_time() < end) {
		json_object_unref(r);
		cdp_wait(NULL, 200);
		r = eval_object(pg, RESULT_JS, error);
	}
	return r;
}

static void
check_marks(JsonArray *marks)
{
	guint n = json_array_get_length(marks);

	if (n != G_N_ELEMENTS(MARKS))
		check_fail("the checklist has %u items, not %zu", n,
			   G_N_ELEMENTS(MARKS));
	for (guint i = 0; i < G_N_ELEMENTS(MARKS); i++) {
		const char *mark = NULL;

		for (guint j = 0; j < n; j++) {
			JsonArray *one = json_array_get_array_element(marks, j);

			if (g_strcmp0(json_array_get_string_element(one, 0),
				      MARKS[i].item) == 0)
				mark = json_array_get_string_element(one, 1);
		}
		if (g_strcmp0(mark, MARKS[i].mark) != 0)
			check_fail("checklist %s shows \"%s\", not \"%s\"",
				   MARKS[i].item, mark ? mark : "(absent)",
				   MARKS[i].mark);
	}
}

/* The rules table: exactly FAILED_CHECKS show 不通过. */
static void
check_rules(JsonArray *rows)
{
	guint n = json_array_get_length(rows), failed = 0;

	if (n == 0)
		check_fail("no rules are shown");
	for (guint i = 0; i < n; i++) {
		JsonArray *row = json_array_get_array_element(rows, i);
		const char *check = json_array_get_string_element(row, 0);
		gboolean planted = FALSE;

		if (g_strcmp0(json_array_get_string_element(row, 1), "不通过"))
			continue;
		failed++;
		for (guint j = 0; j < G_N_ELEMENTS(FAILED_CHECKS); j++)
			planted |= g_strcmp0(check, FAILED_CHECKS[j]) == 0;
		if (!planted)
			check_fail("rule %s shows 不通过", check);
	}
	if (failed != G_N_ELEMENTS(FAILED_CHECKS))
		check_fail("%u rules show 不通过, not %zu", failed,
			   G_N_ELEMENTS(FAILED_CHECKS));
}

/* What the page shows against what recipe.ini plants. */
static void
check_result(JsonObject *r)
{
	static const char *const with_page[] = {"NAME_MISMATCH", "NOT_STAMPED"};

	if (g_strcmp0(json_object_get_string_member(r, "verdict"), VERDICT))
		check_fail("verdict \"%s\", not \"%s\"",
			   json_object_get_string_member(r, "verdict"),
			   VERDICT);
	check_marks(json_object_get_array_member(r, "marks"));
	for (guint i = 0; i < G_N_ELEMENTS(with_page); i++) {
		gint64 w = thumb_width(r, with_page[i]);

		if (w == -2)
			check_fail("no %s finding on the page", with_page[i]);
		else if (w <= 0)
			check_fail("%s: its page image %s", with_page[i],
				   w < 0 ? "is not shown" : "did not load");
		else
			printf("%s shown with its page, %" G_GINT64_FORMAT
			       " px wide\n",
			       with_page[i], w);
	}
	check_rules(json_object_get_array_member(r, "checks"));
	if (count_code(r, "UNREADABLE_FILE") != 1 ||
	    !strv_has(json_object_get_array_member(r, "refs"), HOSTILE_NAME))
		check_fail("the UNREADABLE_FILE of %s is not shown as text",
			   HOSTILE_NAME);
	if (json_object_get_boolean_member(r, "pwned"))
		check_fail("a file name became markup on the result page");
	if (count_code(r, "MISSING_EVIDENCE") != MISSING_ITEMS)
		check_fail("%u MISSING_EVIDENCE findings, not %d",
			   count_code(r, "MISSING_EVIDENCE"), MISSING_ITEMS);
	if (!g_str_has_prefix(json_object_get_string_member(r, "report"),
			      "blob:"))
		check_fail("the full report was not fetched (link \"%s\")",
			   json_object_get_string_member(r, "report"));
}

/* The PNG shows a styled page: text and cards inked, and with RED the
 * verdict's red. */
static void
check_png(const guchar *png, gsize len, const char *path, gboolean red_too)
{
	PIX *raw = pixReadMem(png, len);
	PIX *pix = raw != NULL ? pixConvertTo32(raw) : NULL;
	double inked = 0;
	guint red = 0;

	if (pix == NULL) {
		check_fail("%s: not a PNG", path);
	} else {
		shot_measure(pix, &inked, &red);
		printf("%s: %dx%d, %.1f %% inked, %u verdict-red pixels\n",
		       path, pixGetWidth(pix), pixGetHeight(pix), inked * 100,
		       red);
		if (inked < 0.04 || (red_too && red < 500))
			check_fail("%s looks blank or unstyled", path);
	}
	pixDestroy(&pix);
	pixDestroy(&raw);
}

/* The whole page (scrolled to the top, beyond the viewport) as PNG;
 * RED_TOO: it shows the red verdict. */
static void
screenshot(Page *pg, const char *path, gboolean red_too, GError **error)
{
	JsonObject *size = eval_object(
	    pg,
	    "(() => { window.scrollTo(0, 0); return { w: innerWidth,"
	    "  h: document.documentElement.scrollHeight }; })()",
	    error);
	JsonObject *p, *clip, *r = NULL;

	if (size == NULL)
		return;
	p = json_object_new();
	clip = json_object_new();
	json_object_set_int_member(clip, "x", 0);
	json_object_set_int_member(clip, "y", 0);
	json_object_set_int_member(clip, "width",
				   json_object_get_int_member(size, "w"));
	json_object_set_int_member(clip, "height",
				   json_object_get_int_member(size, "h"));
	json_object_set_int_member(clip, "scale", 1);
	json_object_set_string_member(p, "format", "png");
	json_object_set_boolean_member(p, "captureBeyondViewport", TRUE);
	json_object_set_object_member(p, "clip", clip);
	r = cdp_call(pg->cdp, pg->session, "Page.captureScreenshot", p, 60000,
		     error);
	if (r != NULL) {
		gsize len = 0;
		guchar *png = g_base64_decode(
		    json_object_get_string_member(r, "data"), &len);

		if (g_file_set_contents(path, (const char *)png, (gssize)len,
					error))
			check_png(png, len, path, red_too);
		g_free(png);
		json_object_unref(r);
	}
	json_object_unref(size);
}

/* Drop the claim and fill in the form as a provider does: claim.json
 * names no direction, scene nor delivery. */
static gboolean
drop_and_choose(Page *pg, const char *claim, GError **error)
{
	JsonNode *chosen = NULL;
	gboolean ok = drop_folder(pg, claim, error) &&
		      eval_until(pg,
				 "document.querySelectorAll('#files li')"
				 ".length > 0",
				 10000, error);

	if (ok) {
		check_dropped(pg, error);
		ok = *error == NULL;
	}
	if (ok)
		chosen = cdp_eval(pg->cdp, pg->session, CHOOSE_JS, error);
	if (chosen != NULL &&
	    g_strcmp0(json_node_get_string(chosen), "4/3/self") != 0)
		check_fail("the form holds %s, not 4/3/self",
			   json_node_get_string(chosen));
	ok = chosen != NULL;
	if (chosen != NULL)
		json_node_unref(chosen);
	return ok;
}

/* Open the page, give the token, drop the claim and fill in the form;
 * a picture of the form. */
static gboolean
prepare(Page *pg, const char *url, const char *claim, const char *out,
	GError **error)
{
	char *png = g_build_filename(out, "drop_page_form.png", NULL);
	gboolean ok = open_page(pg, url, error) && give_token(pg, error) &&
		      drop_and_choose(pg, claim, error);

	if (ok) {
		screenshot(pg, png, FALSE, error);
		ok = *error == NULL;
	}
	g_free(png);
	return ok;
}

/* Submit, wait for the verdict, open the rules, check what is shown and
 * take pictures: at 1366 wide, then on a phone. ERROR is not NULL. */
static void
run_page(Page *pg, const char *url, const char *claim, const char *out,
	 GError **error)
{
	char *desk = g_build_filename(out, "drop_page.png", NULL);
	char *phone = g_build_filename(out, "drop_page_phone.png", NULL);
	JsonObject *r = NULL;

	if (prepare(pg, url, claim, out, error) && click(pg, "submit", error) &&
	    (r = wait_verdict(pg, error)) != NULL) {
		json_object_unref(r);
		r = click(pg, "checks-summary", error) ? wait_result(pg, error)
						       : NULL;
	}
	if (r != NULL) {
		check_result(r);
		json_object_unref(r);
		screenshot(pg, desk, TRUE, error);
	}
	if (r != NULL && *error == NULL) {
		set_viewport(pg, 390, 844, 2, TRUE, error);
		cdp_wait(NULL, 300);
	}
	/* r is only a flag from here. */
	if (r != NULL && *error == NULL)
		screenshot(pg, phone, TRUE, error);
	g_free(phone);
	g_free(desk);
}

/* Start both processes, drive the page, stop both. */
static void
run(const char *evidcheck, const char *chromium, const char *claim,
    const char *out)
{
	char *work = g_build_filename(out, "drop_run", NULL);
	char *url = NULL, *ws = NULL;
	Page pg = {NULL, NULL};
	Proc *server = NULL, *browser = NULL;
	GError *error = NULL;
	/* Outside the build folder: Chromium's profile path goes into a
	 * socket's name, which has a length limit. */
	char *profile = g_dir_make_tmp("evidcheck-chromium-XXXXXX", &error);
	gint64 t0 = g_get_monotonic_time();

	remove_tree(work);
	g_mkdir_with_parents(work, 0755);
	if (profile != NULL)
		server = start_server(evidcheck, work, &url, &error);
	if (server != NULL)
		browser = start_chromium(chromium, profile, work, &ws, &error);
	if (browser != NULL)
		pg.cdp = cdp_connect(ws, START_MS, &error);
	if (pg.cdp != NULL) {
		printf("%s serves %s; chromium at %s\n", evidcheck, url, ws);
		run_page(&pg, url, claim, out, &error);
		cdp_call(pg.cdp, NULL, "Browser.close", NULL, 5000, NULL);
	}
	if (error != NULL)
		check_fail("%s (logs in %s)", error->message, work);
	cdp_close(pg.cdp);
	proc_stop(browser, SIGTERM, STOP_MS);
	if (!proc_stop(server, SIGTERM, STOP_MS))
		check_fail("evidcheck serve did not stop on SIGTERM");
	printf("%.1f s in all\n", (double)(g_get_monotonic_time() - t0) / 1e6);
	if (profile != NULL)
		remove_tree(profile);
	g_clear_error(&error);
	g_free(pg.session);
	g_free(ws);
	g_free(url);
	g_free(profile);
	g_free(work);
}

int
main(int argc, char **argv)
{
	char *chromium;
	char *claim;

	if (argc != 4) {
		fprintf(stderr,
			"usage: drop_test EVIDCHECK CLAIM_DIR OUT_DIR\n");
		return 2;
	}
	chromium = shot_find_chromium();
	if (chromium == NULL) {
		printf("chromium is not installed: skipped\n");
		return SKIP;
	}
	/* The drag data carries a path, which must be absolute. */
	claim = g_canonicalize_filename(argv[2], NULL);
	run(argv[1], chromium, claim, argv[3]);
	g_free(claim);
	g_free(chromium);
	return check_failures() > 0 ? 1 : 0;
}
