/* shot.c - finding Chromium and measuring its screenshots, for the tests
 * that look at a page as a reviewer or a provider would. */
#include "tests/shot.h"

char *
shot_find_chromium(void)
{
	static const char *const names[] = {"chromium", "chromium-browser",
					    "google-chrome"};
	char *path = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(names) && path == NULL; i++)
		path = g_find_program_in_path(names[i]);
	return path;
}

void
shot_measure(PIX *pix, double *inked, guint *red)
{
	int w = pixGetWidth(pix), h = pixGetHeight(pix);
	guint n = 0;

	*red = 0;
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			l_int32 r, g, b;

			pixGetRGBPixel(pix, x, y, &r, &g, &b);
			n += r < 235 || g < 235 || b < 235;
			*red += r > 170 && r < 220 && g < 70 && b < 70;
		}
	}
	*inked = (double)n / ((double)w * h);
}
