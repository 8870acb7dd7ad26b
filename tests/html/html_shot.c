/* html_shot.c - open the HTML report in headless Chromium as a reviewer's
 * laptop would (1366 x 900), take a screenshot and check it shows a page:
 * mostly not blank, and the red "flagged" verdict badge drawn by the
 * inline CSS. Exits 77 (ctest SKIP_RETURN_CODE) when Chromium is not
 * installed (scripts/debian-packages.txt lists it).
 * usage: html_shot REPORT.html OUT.png */
#include <allheaders.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <glib.h>

#include "tests/shot.h"

#define SKIP 77

static gboolean
screenshot(const char *chromium, const char *report, const char *png)
{
	char *abs = g_canonicalize_filename(report, NULL);
	char *uri = g_filename_to_uri(abs, NULL, NULL);
	char *shot = g_strdup_printf("--screenshot=%s", png);
	char *profile = g_strdup_printf("--user-data-dir=%s.profile", png);
	/* --no-sandbox: tests run as root in CI, where the sandbox refuses
	 * to start. */
	char *argv[] = {(char *)chromium,
			"--headless",
			"--disable-gpu",
			"--no-sandbox",
			"--hide-scrollbars",
			"--no-first-run",
			profile,
			shot,
			"--window-size=1366,900",
			uri,
			NULL};
	char *err = NULL;
	GError *error = NULL;
	int status = 0;
	gboolean ok = g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
				   NULL, NULL, NULL, &err, &status, &error);

	if (!ok)
		printf("FAIL: cannot run %s: %s\n", chromium, error->message);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		printf("FAIL: chromium exited %d: %s\n", status, err);
	ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	g_clear_error(&error);
	g_free(err);
	g_free(profile);
	g_free(shot);
	g_free(uri);
	g_free(abs);
	return ok;
}

int
main(int argc, char **argv)
{
	char *chromium;
	PIX *raw, *pix;
	double inked;
	guint red;

	if (argc != 3) {
		fprintf(stderr, "usage: html_shot REPORT.html OUT.png\n");
		return 2;
	}
	chromium = shot_find_chromium();
	if (chromium == NULL) {
		printf("chromium is not installed: skipped\n");
		return SKIP;
	}
	remove(argv[2]);
	if (!screenshot(chromium, argv[1], argv[2]))
		return 1;
	g_free(chromium);
	raw = pixRead(argv[2]);
	if (raw == NULL) {
		printf("FAIL: no screenshot at %s\n", argv[2]);
		return 1;
	}
	pix = pixConvertTo32(raw);
	shot_measure(pix, &inked, &red);
	printf("%s: %dx%d, %.1f %% inked, %u badge-red pixels\n", argv[2],
	       pixGetWidth(pix), pixGetHeight(pix), inked * 100, red);
	pixDestroy(&pix);
	pixDestroy(&raw);
	/* The page's grey background alone inks everything outside the
	 * cards; a blank or unstyled page inks almost nothing. */
	if (inked < 0.05 || red < 500) {
		printf("FAIL: the screenshot looks blank or unstyled\n");
		return 1;
	}
	return 0;
}
