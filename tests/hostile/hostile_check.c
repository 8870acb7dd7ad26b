/* hostile_check.c - scan the hostile claim folder that `evidcheck-fixtures
 * hostile` writes, under an address-space limit, and check that every
 * hostile file cost only itself: evidcheck ended normally (exit 1, a
 * flagged claim), its report is JSON, each hostile file and the broken
 * claim.json have exactly one UNREADABLE_FILE finding naming them with
 * the cause, the good documents were still read and classified, the
 * 60-page blank scan under the page limit was read, and every entry of
 * the folder is in the report's files. Prints the scan's time and peak
 * memory.
 * With --crashers, the corpus holds the inputs that take a whole scan
 * down today too (evidcheck-fixtures hostile --crashers), and each must
 * be one UNREADABLE_FILE as well, whatever its cause.
 * usage: hostile_check EVIDCHECK CLAIM_DIR VMEM_MB MAX_CPU_S [--crashers]
 * VMEM_MB bounds the scan's address space, MAX_CPU_S the CPU time it may
 * take (the wall clock depends on what else the machine runs); 0: none. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <json-glib/json-glib.h>

#include "tests/check.h"

/* What the report must say of each file: its name as the report shows it
 * (not UTF-8 and control characters escaped) and words of the cause. */
typedef struct {
	const char *file;
	const char *cause;
} Hostile;

static const Hostile HOSTILE[] = {
    {"claim.json", "not valid JSON"},
    {"hostile/truncated.pdf", "damaged PDF"},
    {"hostile/encrypted.pdf", "password-protected"},
    {"hostile/empty.pdf", "the file is empty"},
    {"hostile/huge_mediabox.pdf", "over the limit of 5080 mm a side"},
    {"hostile/pages_1500.pdf", "1500 pages, over the limit of 1000"},
    {"hostile/flate_bomb.pdf", "unpacks to more than 384 MB"},
    {"hostile/png_bomb.png", "60000x60000 pixels, over the limit"},
    {"hostile/png_deep.png", "decoded (10000x10000 pixels"},
    {"hostile/jpeg_huge.jpg", "65000x65000 pixels, over the limit"},
    {"hostile/tiff_frames.tif", "1500 frames, over the limit of 1000"},
    {"hostile/noise.pdf", "damaged PDF"},
    {"hostile/noise.jpg", "damaged JPEG"},
    {"hostile/noise.png", "damaged PNG"},
    {"hostile/report.docx", "a ZIP container"},
    {"hostile/table.xlsx", "a ZIP container"},
    {"hostile/notes.txt", "a text file"},
    {"hostile/bad-\\xFF\\xFE.pdf", "damaged PDF"},
    {"hostile/ctl-\\x01\\x1B[31m\\x7F\\x0Aname.txt", "a text file"},
    {"hostile/link_out.pdf", "outside the claim folder: not followed"},
    {"hostile/link_etc", "outside the claim folder: not followed"},
    {"hostile/dangling.pdf", "does not exist: not followed"},
    {"hostile/loop.pdf", "loops back on itself: not followed"},
};

/* The crashers: files that exhaust a decoder's memory, which only the
 * reading process's limit stops (scan/worker.c). */
static const Hostile CRASHERS[] = {
    {"hostile/qnest_bomb.pdf", "needed more than 3072 MB of memory"},
};

/* Good documents and the type each must be read as. */
static const Hostile GOOD[] = {
    {"发票/电子发票.pdf", "invoice"},
    {"回单/银行回单.pdf", "payment_proof"},
};

#define BLANK	    "扫描/blank_60.pdf"
#define BLANK_PAGES 60

/* The address-space limit is set in the child only: the checker's own
 * json-glib has nothing to prove. */
static void
limit_memory(gpointer data)
{
	rlim_t bytes = (rlim_t)GPOINTER_TO_SIZE(data) * 1024 * 1024;
	struct rlimit rl = {bytes, bytes};

	if (bytes > 0)
		setrlimit(RLIMIT_AS, &rl);
}

/* Entries of the folder the report must list: everything but folders,
 * hidden entries and the top claim.json (links count, even to folders). */
static guint
count_entries(const char *dir, gboolean top)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	guint n = 0;

	if (d == NULL)
		return 0;
	while ((ent = readdir(d)) != NULL) {
		char *path;
		struct stat st;

		if (ent->d_name[0] == '.' ||
		    (top && strcmp(ent->d_name, "claim.json") == 0))
			continue;
		path = g_build_filename(dir, ent->d_name, NULL);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			n += count_entries(path, FALSE);
		else
			n++;
		g_free(path);
	}
	closedir(d);
	return n;
}

static JsonObject *
find_file(JsonArray *files, const char *name)
{
	for (guint i = 0; files != NULL && i < json_array_get_length(files);
	     i++) {
		JsonObject *f = json_array_get_object_element(files, i);

		if (g_strcmp0(check_str_member(f, "file"), name) == 0)
			return f;
	}
	return NULL;
}

/* Does finding F point at NAME (the file, or one of its pages)? */
static gboolean
names_file(JsonObject *f, const char *name)
{
	JsonArray *refs = check_array_member(f, "documents");
	gsize n = strlen(name);

	for (guint i = 0; refs != NULL && i < json_array_get_length(refs);
	     i++) {
		const char *ref = json_array_get_string_element(refs, i);

		if (ref != NULL && strncmp(ref, name, n) == 0 &&
		    (ref[n] == '\0' || ref[n] == '#'))
			return TRUE;
	}
	return FALSE;
}

static void
check_hostile(JsonArray *findings, JsonArray *files, const Hostile *list,
	      gsize n)
{
	for (gsize h = 0; h < n; h++) {
		const Hostile *want = &list[h];
		JsonObject *file = find_file(files, want->file);
		guint found = 0;

		for (guint i = 0; i < json_array_get_length(findings); i++) {
			JsonObject *f =
			    json_array_get_object_element(findings, i);
			const char *msg = check_str_member(f, "message_en");

			if (g_strcmp0(check_str_member(f, "code"),
				      "UNREADABLE_FILE") != 0 ||
			    !names_file(f, want->file))
				continue;
			found++;
			if (want->cause != NULL &&
			    (msg == NULL || strstr(msg, want->cause) == NULL))
				check_fail(
				    "%s: the finding says \"%s\", not \"%s\"",
				    want->file, msg ? msg : "(nothing)",
				    want->cause);
			if (g_strcmp0(check_str_member(f, "severity"),
				      "error") != 0)
				check_fail("%s: the finding is not an error",
					   want->file);
		}
		if (found != 1)
			check_fail("%s: %u UNREADABLE_FILE findings, want 1",
				   want->file, found);
		if (strcmp(want->file, "claim.json") == 0)
			continue;
		if (file == NULL)
			check_fail("%s: not in the report's files", want->file);
		else if (check_str_member(file, "error") == NULL)
			check_fail("%s: read without an error", want->file);
	}
}

static void
check_good(JsonArray *documents, JsonArray *files, JsonArray *findings)
{
	JsonObject *blank = find_file(files, BLANK);

	for (gsize g = 0; g < G_N_ELEMENTS(GOOD); g++) {
		gboolean typed = FALSE;
		JsonObject *file = find_file(files, GOOD[g].file);

		for (guint i = 0;
		     documents != NULL && i < json_array_get_length(documents);
		     i++) {
			JsonObject *d =
			    json_array_get_object_element(documents, i);

			typed |= g_strcmp0(check_str_member(d, "file"),
					   GOOD[g].file) == 0 &&
				 g_strcmp0(check_str_member(d, "type"),
					   GOOD[g].cause) == 0;
		}
		if (!typed)
			check_fail("%s: no %s document", GOOD[g].file,
				   GOOD[g].cause);
		if (file == NULL || check_str_member(file, "error") != NULL)
			check_fail("%s: not read", GOOD[g].file);
		for (guint i = 0; i < json_array_get_length(findings); i++) {
			JsonObject *f =
			    json_array_get_object_element(findings, i);

			if (g_strcmp0(check_str_member(f, "code"),
				      "UNREADABLE_FILE") == 0 &&
			    names_file(f, GOOD[g].file))
				check_fail("%s: reported unreadable",
					   GOOD[g].file);
		}
	}
	/* Under the page limit: read, every page, whatever it holds. */
	if (blank == NULL || check_str_member(blank, "error") != NULL ||
	    json_object_get_int_member_with_default(blank, "pages", 0) !=
		BLANK_PAGES)
		check_fail("%s: not read as %d pages", BLANK, BLANK_PAGES);
}

/* Every file of the report is one of the corpus's, and every entry of
 * the folder is in the report. */
static void
check_complete(JsonArray *files, const char *claim_dir, gboolean crashers)
{
	guint on_disk = count_entries(claim_dir, TRUE);
	guint listed = json_array_get_length(files);
	/* claim.json is not among the files; the blank scan is. */
	guint known = G_N_ELEMENTS(HOSTILE) - 1 + G_N_ELEMENTS(GOOD) + 1 +
		      (crashers ? G_N_ELEMENTS(CRASHERS) : 0);

	if (listed != on_disk || listed != known)
		check_fail(
		    "the report lists %u files; the folder holds %u entries, "
		    "the corpus %u",
		    listed, on_disk, known);
}

static JsonNode *
parse(const char *data)
{
	JsonParser *p = json_parser_new();
	GError *error = NULL;
	JsonNode *root = NULL;

	if (!json_parser_load_from_data(p, data, -1, &error))
		check_fail("the report is not JSON: %s", error->message);
	else if (json_parser_get_root(p) == NULL ||
		 !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)))
		check_fail("the report is not a JSON object");
	else
		root = json_node_copy(json_parser_get_root(p));
	g_clear_error(&error);
	g_object_unref(p);
	return root;
}

int
main(int argc, char **argv)
{
	char *scan[] = {argv[1],      "scan", argv[2], "--format", "json",
			"--no-store", "-j",   "1",     NULL};
	char *out = NULL, *err = NULL, *limit;
	GError *error = NULL;
	JsonNode *root = NULL;
	JsonObject *report;
	struct rusage ru;
	gint64 start;
	gboolean crashers = argc == 6 && strcmp(argv[5], "--crashers") == 0;
	double cpu, max_cpu;
	gsize vmem;
	int status = 0;

	if (argc != 5 && !crashers) {
		fputs("usage: hostile_check EVIDCHECK CLAIM_DIR VMEM_MB "
		      "MAX_CPU_S [--crashers]\n",
		      stderr);
		return 2;
	}
	vmem = (gsize)g_ascii_strtoull(argv[3], NULL, 10);
	max_cpu = g_ascii_strtod(argv[4], NULL);
	start = g_get_monotonic_time();
	if (!g_spawn_sync(NULL, scan, NULL, G_SPAWN_DEFAULT, limit_memory,
			  GSIZE_TO_POINTER(vmem), &out, &err, &status,
			  &error)) {
		check_fail("cannot run evidcheck: %s", error->message);
		goto done;
	}
	getrusage(RUSAGE_CHILDREN, &ru);
	limit = vmem > 0 ? g_strdup_printf("%s MB", argv[3]) : g_strdup("none");
	cpu = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	printf("scan: %.1f s, %.1f s of CPU, peak RSS %ld MB, address space "
	       "limit: %s\n",
	       (g_get_monotonic_time() - start) / 1e6, cpu, ru.ru_maxrss / 1024,
	       limit);
	g_free(limit);
	if (max_cpu > 0 && cpu > max_cpu)
		check_fail("the scan took %.1f s of CPU, over %.0f s", cpu,
			   max_cpu);
	if (err != NULL && *err != '\0')
		printf("evidcheck stderr:\n%s\n", err);
	if (!WIFEXITED(status)) {
		check_fail("evidcheck did not end normally (signal %d)",
			   WIFSIGNALED(status) ? WTERMSIG(status) : -1);
		goto done;
	}
	/* 1: flagged, as README.md documents for a claim with errors. */
	if (WEXITSTATUS(status) != 1)
		check_fail("evidcheck exited %d, want 1 (flagged)",
			   WEXITSTATUS(status));
	root = parse(out);
	if (root == NULL)
		goto done;
	report = json_node_get_object(root);
	if (g_strcmp0(check_str_member(report, "verdict"), "flagged") != 0)
		check_fail("the verdict is not flagged");
	if (check_array_member(report, "findings") == NULL ||
	    check_array_member(report, "files") == NULL) {
		check_fail("the report has no findings or files");
		goto done;
	}
	check_hostile(check_array_member(report, "findings"),
		      check_array_member(report, "files"), HOSTILE,
		      G_N_ELEMENTS(HOSTILE));
	if (crashers)
		check_hostile(check_array_member(report, "findings"),
			      check_array_member(report, "files"), CRASHERS,
			      G_N_ELEMENTS(CRASHERS));
	check_good(check_array_member(report, "documents"),
		   check_array_member(report, "files"),
		   check_array_member(report, "findings"));
	check_complete(check_array_member(report, "files"), argv[2], crashers);
done:
	if (check_failures() > 0 && out != NULL)
		printf("report:\n%s\n", out);
	g_clear_pointer(&root, json_node_unref);
	g_clear_error(&error);
	g_free(out);
	g_free(err);
	printf("%s\n", check_failures() > 0 ? "FAILED" : "ok");
	return check_failures() > 0 ? 1 : 0;
}
