/* shot.h - what the browser tests (tests/html/html_shot, tests/browser/
 * drop_test) share: finding Chromium and looking at a screenshot. */
#ifndef EVIDCHECK_TESTS_SHOT_H
#define EVIDCHECK_TESTS_SHOT_H

#include <allheaders.h>
#include <glib.h>

/* Chromium as Debian and others name it. Caller owns, or NULL. */
char *shot_find_chromium(void);

/* Of PIX (32-bit RGB): the share of pixels not near white, and how many
 * are the verdict's red (#c62828), so a test can tell a drawn page from a
 * blank or unstyled one. */
void shot_measure(PIX *pix, double *inked, guint *red);

#endif
