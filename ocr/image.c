/* image.c - a page image made ready for Tesseract with Leptonica: one grey
 * copy with red seal ink lifted out, levelled when it was photographed
 * tilted, turned when it was photographed sideways or upside down. Each
 * step replaces the grey copy, so a page never has two of them for long. */
#include <math.h>

#include "ocr/ocr_int.h"

/* Red seal ink: red clearly above both green and blue. Seal red is about
 * (230, 40, 40); the brown-red of printed invoice forms stays below. */
#define SEAL_RED_MARGIN 80

/* One grey level for an RGB pixel. BT.601 luma, except that seal-red ink
 * takes its red channel, which is near white: a red seal then no longer
 * hides the black text under it, while black text under red ink (ink
 * multiplies) stays black. Measured on a synthetic invoice page with a
 * seal over three lines: 6/14 lines read exactly with plain luma (or with
 * RGB given to Tesseract), 11/14 with this - the same as without a seal. */
static guint8
grey_level(const guint8 *rgb)
{
	int r = rgb[0], g = rgb[1], b = rgb[2];

	if (ocr_red_excess(rgb) > SEAL_RED_MARGIN)
		return (guint8)r;
	return (guint8)((299 * r + 587 * g + 114 * b + 500) / 1000);
}

/* Grey is also what Tesseract thresholds; handing it over is ~13 % faster
 * on an A4 page than letting Tesseract copy 32-bit pixels. */
PIX *
ocr_image_grey(const IngestImage *image)
{
	PIX *grey = pixCreate(image->width, image->height, 8);
	l_uint32 *data;
	int wpl;

	if (grey == NULL)
		return NULL;
	data = pixGetData(grey);
	wpl = pixGetWpl(grey);
	for (int y = 0; y < image->height; y++) {
		const guint8 *src = image->pixels + (gsize)y * image->stride;
		l_uint32 *line = data + (gsize)y * wpl;

		if (image->channels == 1) {
			for (int x = 0; x < image->width; x++)
				SET_DATA_BYTE(line, x, src[x]);
		} else {
			for (int x = 0; x < image->width; x++, src += 3)
				SET_DATA_BYTE(line, x, grey_level(src));
		}
	}
	pixSetResolution(grey, image->dpi, image->dpi);
	return grey;
}

/* Tilts looked for: +-LEVEL_SEARCH_DEGREES, so that a page tilted by the
 * most we straighten (LEVEL_MAX_DEGREES) is not at the edge of the search,
 * where Leptonica gives no confidence. */
#define LEVEL_SEARCH_DEGREES 12.0
#define LEVEL_MAX_DEGREES    10.0
/* Below this Leptonica's answer may be noise. Its own pixDeskew uses 3,
 * but a sparse page (10 lines on A5) tilted 3 degrees measured 2.91 at
 * 2.4; on 153 generated pages no tilt was measured more than 0.3 degrees
 * wrong, at any confidence (the lowest, 1.5, on sideways pages). */
#define LEVEL_MIN_CONFIDENCE 2.0
/* Smaller tilts are left as they are: Tesseract copes with them, and a
 * level page measures within 0.06 degrees anyway. Measured with chi_sim+eng
 * on generated pages at 200 dpi (9 types, scan and phone looks, tilted
 * both ways; share of the true characters found / edit distance to the
 * true text, both per character; CPU seconds per page):
 *   tilt  pages   as it is              levelled
 *   1       9     0.849 0.296 1.02 s    0.852 0.295 1.07 s
 *   1.5    12     0.865 0.280 0.93 s    0.870 0.284 0.99 s
 *   2      21     0.835 0.304 0.96 s    0.867 0.288 1.06 s
 *   3      21     0.774 0.390 0.91 s    0.860 0.301 1.02 s
 *   6      12     0.260 0.818 0.43 s    0.877 0.277 1.00 s
 * (at 6 degrees Tesseract loses whole blocks). Up to 1.5 degrees levelling
 * only moves which characters are missed, so it is left out there.
 * Measuring costs 2-15 ms a page, turning 17 ms at 200 dpi. */
#define LEVEL_MIN_DEGREES 1.75
/* An image smaller than this either way has no lines to level (and
 * Leptonica complains on stderr about its size). */
#define LEVEL_MIN_PIXELS 128

double
ocr_image_level(PIX **grey)
{
	PIX *half = NULL, *ink = NULL, *level = NULL;
	l_float32 angle = 0, conf = 0;

	if (pixGetWidth(*grey) < LEVEL_MIN_PIXELS ||
	    pixGetHeight(*grey) < LEVEL_MIN_PIXELS)
		return 0;
	half = pixScaleAreaMap2(*grey);

	/* Ink by Otsu's threshold over the whole page, at half size (the
	 * search below works at 1/4 and 1/2 anyway): a fixed threshold (130,
	 * as pixDeskew) lost the thin serif strokes of a scanned certificate
	 * and left Leptonica unsure (confidence 2.1-2.8, where Otsu gives
	 * 7-35). */
	if (half == NULL ||
	    pixOtsuAdaptiveThreshold(half, pixGetWidth(half),
				     pixGetHeight(half), 0, 0, 0.0, NULL,
				     &ink) != 0 ||
	    ink == NULL) {
		pixDestroy(&half);
		return 0;
	}
	pixDestroy(&half);
	/* pixFindSkew with a wider sweep: at 1/4 size, then a binary search
	 * at 1/2 size to 0.01 degrees. */
	if (pixFindSkewSweepAndSearch(ink, &angle, &conf, 2, 1,
				      LEVEL_SEARCH_DEGREES, 1.0, 0.01) != 0)
		conf = 0;
	pixDestroy(&ink);
	g_debug("ocr: lines tilted %.2f degrees (confidence %.1f)", 0.0 - angle,
		conf);
	if (conf < LEVEL_MIN_CONFIDENCE || fabs(angle) < LEVEL_MIN_DEGREES ||
	    fabs(angle) > LEVEL_MAX_DEGREES)
		return 0;
	/* ANGLE is the turn that levels the page, clockwise positive, as
	 * pixRotate takes it. Same size, about the centre: boxes on the
	 * levelled page stay where they were on the page as given, off only
	 * by the small turn; a corner of the image may be lost, which on a
	 * page photo is margin or background. */
	level = pixRotate(*grey, angle * (float)(M_PI / 180), L_ROTATE_AREA_MAP,
			  L_BRING_IN_WHITE, 0, 0);
	if (level == NULL)
		return 0;
	pixDestroy(grey);
	*grey = level;
	return angle;
}

gboolean
ocr_image_turn(PIX **grey, int degrees)
{
	PIX *turned;

	if (degrees == 0)
		return TRUE;
	turned = pixRotateOrth(*grey, degrees / 90);
	if (turned == NULL)
		return FALSE;
	pixDestroy(grey);
	*grey = turned;
	return TRUE;
}

PIX *
ocr_image_at_most(PIX *grey, int dpi, int max_dpi)
{
	float scale = (float)max_dpi / (float)dpi;
	PIX *small;

	if (dpi <= max_dpi)
		return pixClone(grey);
	/* pixScale smooths (area mapping below 0.7x, interpolation above)
	 * rather than samples, which would break the thin strokes OSD
	 * classifies. */
	small = pixScale(grey, scale, scale);
	if (small != NULL)
		pixSetResolution(small, max_dpi, max_dpi);
	return small;
}

/* The paper's brightness is taken per block as the brightest pixel there
 * (text is dark and thin; a block is ~1/12 of the page, far larger than
 * a character), and the page is uneven when its darkest block of paper is
 * under SHADOW_RATIO of its brightest. Generated phone photos with a
 * shadow of 0.5 give 0.45-0.55, with a shadow of 0.3 0.65-0.75 (the
 * classify corpus's upside-down photos: at 0.72 a third of them were
 * read with one global threshold, which lost the text in the shadow, and
 * read nearly nothing); clean scans, phone photos without shadow,
 * washed-out and noisy pages 0.85-1. */
#define SHADOW_GRID  12
#define SHADOW_RATIO 0.8

gboolean
ocr_image_unevenly_lit(PIX *grey)
{
	int w = pixGetWidth(grey), h = pixGetHeight(grey);
	int bx = MAX(w / SHADOW_GRID, 1), by = MAX(h / SHADOW_GRID, 1);
	PIX *paper = pixScaleGrayMinMax(grey, bx, by, L_CHOOSE_MAX);
	l_int32 lo = 0, hi = 0;
	gboolean uneven = FALSE;

	if (paper == NULL)
		return FALSE;
	if (pixGetExtremeValue(paper, 1, L_SELECT_MIN, NULL, NULL, NULL, &lo) ==
		0 &&
	    pixGetExtremeValue(paper, 1, L_SELECT_MAX, NULL, NULL, NULL, &hi) ==
		0)
		uneven = hi > 0 && (double)lo < SHADOW_RATIO * hi;
	g_debug("ocr: paper from %d to %d (%.2f)", lo, hi,
		hi > 0 ? (double)lo / hi : 0.0);
	pixDestroy(&paper);
	return uneven;
}

/* The paper's brightness is measured in tiles of FLAT_TILE px, from the
 * pixels brighter than FLAT_INK (at least FLAT_MIN_PAPER of them, else
 * taken from the neighbours), smoothed, and every pixel scaled so that
 * the paper comes out at 200 everywhere. Leptonica's defaults (10 x 15 px
 * tiles, ink under 100) took the grey strokes of an invoice's big brown
 * title for paper and washed it out (电子发票 -> "Par HR Ree"; the
 * classify corpus's invoice photo lost its type); its flexible variant
 * (pixBackgroundNormFlex) ate the strokes of forms and invoices
 * (phone_shadow 0.905 -> 0.761, 0.698 -> 0.434), and the morphological
 * one (pixBackgroundNormMorph) read the invoice photo as garbage. Paper
 * in a shadow of 0.3 is at 175-190, text under 150. */
#define FLAT_TILE      40
#define FLAT_INK       160
#define FLAT_MIN_PAPER 100
#define FLAT_PAPER     200

gboolean
ocr_image_flatten(PIX **grey)
{
	PIX *flat =
	    pixBackgroundNorm(*grey, NULL, NULL, FLAT_TILE, FLAT_TILE, FLAT_INK,
			      FLAT_MIN_PAPER, FLAT_PAPER, 2, 2);

	if (flat == NULL)
		return FALSE;
	pixCopyResolution(flat, *grey);
	pixDestroy(grey);
	*grey = flat;
	return TRUE;
}
