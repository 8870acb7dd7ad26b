/* replay.c - main() for the ordinary builds: feed every file of the corpus
 * folders (or files) named on the command line to the target's
 * LLVMFuzzerTestOneInput, in name order, so each committed corpus runs as
 * a plain ctest under gcc, -Werror and the sanitizer build. */
#include <stdio.h>
#include <string.h>

#include "fuzz/fuzz.h"

static int
run_file(const char *path)
{
	char *data = NULL;
	gsize len = 0;
	GError *error = NULL;

	if (!g_file_get_contents(path, &data, &len, &error)) {
		fprintf(stderr, "replay: %s\n", error->message);
		g_error_free(error);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	g_free(data);
	return 0;
}

static int
compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file directly in DIR, sorted so runs are repeatable. */
static int
run_dir(const char *dir, guint *count)
{
	GError *error = NULL;
	GDir *d = g_dir_open(dir, 0, &error);
	GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	int failed = 0;

	if (d == NULL) {
		fprintf(stderr, "replay: %s\n", error->message);
		g_error_free(error);
		g_ptr_array_unref(paths);
		return 1;
	}
	while ((name = g_dir_read_name(d)) != NULL) {
		char *path = g_build_filename(dir, name, NULL);

		if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
			g_ptr_array_add(paths, path);
		else
			g_free(path);
	}
	g_dir_close(d);
	g_ptr_array_sort(paths, compare_names);
	for (guint i = 0; i < paths->len; i++) {
		failed |= run_file(paths->pdata[i]);
		(*count)++;
	}
	g_ptr_array_unref(paths);
	return failed;
}

int
main(int argc, char **argv)
{
	guint count = 0;
	int failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR|FILE...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
			failed |= run_dir(argv[i], &count);
		} else {
			failed |= run_file(argv[i]);
			count++;
		}
	}
	printf("replayed %u inputs\n", count);
	return failed ? 1 : 0;
}
