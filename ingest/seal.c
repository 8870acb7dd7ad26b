/* seal.c - find the red seals (公章, 发票专用章, 人名章) on a page image by
 * colour: a red mask at about 60 dpi, closed so a seal's ring, lettering and
 * star become one blob, and the blobs kept whose size and shape a seal can
 * have. Leptonica does the morphology and the connected components. */
#include <string.h>

#include <allheaders.h>

#include "ingest/ingest_int.h"

/* Pages are looked at in blocks of the whole number of pixels nearest to
 * WORK_DPI, between 45 and 90 dpi: enough for a 12 mm seal (21 px or
 * more), and a 300 dpi page costs one pass over its bytes. */
#define WORK_DPI 60

/* A seal is red: red over both green and blue by RED_MARGIN (paper,
 * shadows, warm light and black text stay below), strong against its own
 * brightness (MIN_CHROMA per cent), and neither orange nor purple: green
 * may exceed blue by at most MAX_ORANGE and blue green by MAX_PURPLE per
 * cent of the chroma. The brown-red print of VAT invoices (156,74,42) is
 * 28 % orange; seal ink is about 0 %, a little either way on photos. */
#define RED_MARGIN 40
#define MIN_CHROMA 25
#define MAX_ORANGE 20
#define MAX_PURPLE 55

/* Size and shape. A personal seal is ~15 mm, a company seal 38-42 mm, an
 * oval 发票专用章 40 x 28 mm; a seal is never a thin line (a red rule, a
 * header band) and never solid (a logo, a printed emblem, red cloth). */
#define SEAL_MIN_MM	    12.0
#define SEAL_MAX_MM	    60.0
#define SEAL_MIN_ASPECT_PCT 45 /* short side / long side */
#define SEAL_MIN_FILL_PCT   8  /* red pixels / box; seals have 15-30 */
#define SEAL_MAX_FILL_PCT   45 /* bank logos and printed emblems ~60 */
/* Seal ink lies on paper and black print: a box where other strong
 * colours (an emblem's gold, a photo) pass this share is a picture. A
 * colour is strong with CHROMA_STRONG and half its brightness. */
#define SEAL_MAX_COLOUR_PCT 15
#define CHROMA_STRONG	    80
/* Red straight strokes longer than this are rules and frames (a
 * certificate's red border, a header band), never part of a seal, whose
 * sides are at most SEAL_MAX_MM: they are taken out before the seals are
 * looked for, or a frame's box would swallow the seal inside it. */
#define LINE_MIN_MM 65.0
/* Closing joins strokes up to ~2 mm apart: the ring, the letters, the
 * star, and the ring where black text crossed it. */
#define CLOSE_MM 2.0

/* A seal's ring is read from a drawing of its box and this much (of its
 * size) of the page around it: room for a box found coarsely at
 * INGEST_SEAL_DPI to be found again, and the margin ocr_seal_read wants
 * away from the drawing's edge. */
#define SEAL_REGION_MARGIN 0.25

/* Blocks are at most this wide (a 3840 dpi page), so sums fit an int. */
#define MAX_FACTOR 64

/* Per-page work sizes are bounded by INGEST_MAX_PIXELS; this caps the
 * candidate count so a page of red confetti stays cheap. */
#define MAX_CANDIDATES 2000

typedef enum { INK_NONE, INK_RED, INK_OTHER } Ink;

/* The ink of a block whose N pixels sum to R, G, B. Every test is
 * homogeneous in N, so no block is divided: a page has a million. */
static Ink
classify(int r, int g, int b, int n)
{
	int hi = MAX(g, b), lo = MIN(g, b);
	int chroma = r - lo;
	int top = MAX(r, hi), spread = top - MIN(r, lo);

	if (r - hi >= RED_MARGIN * n && chroma * 100 >= MIN_CHROMA * r &&
	    (g - b) * 100 <= MAX_ORANGE * chroma &&
	    (b - g) * 100 <= MAX_PURPLE * chroma)
		return INK_RED;
	if (spread >= CHROMA_STRONG * n && spread * 2 >= top)
		return INK_OTHER;
	return INK_NONE;
}

/* The 1-bpp masks of IMAGE averaged over FACTOR x FACTOR blocks: seal red
 * into RED, other strong colours into OTHER. Rows are summed into
 * per-column totals so the bytes are read in order; blocks of 3 x 3 and
 * more are sampled at every other pixel, which a seal's strokes (0.5 mm
 * and wider: 4 px at 200 dpi) survive, at a quarter of the reads. */
static gboolean
colour_masks(const IngestImage *image, int factor, PIX **red, PIX **other)
{
	int ow = (image->width + factor - 1) / factor;
	int oh = (image->height + factor - 1) / factor;
	int step = factor >= 3 ? 2 : 1;
	guint32 *sums = NULL;
	l_uint32 *rdata, *odata;
	int wpl;

	*red = pixCreate(ow, oh, 1);
	*other = pixCreate(ow, oh, 1);
	if (*red == NULL || *other == NULL)
		return FALSE;
	rdata = pixGetData(*red);
	odata = pixGetData(*other);
	wpl = pixGetWpl(*red);
	sums = g_new(guint32, (gsize)ow * 3);
	for (int oy = 0; oy < oh; oy++) {
		int y0 = oy * factor, y1 = MIN(y0 + factor, image->height);
		l_uint32 *rline = rdata + (gsize)oy * wpl;
		l_uint32 *oline = odata + (gsize)oy * wpl;

		memset(sums, 0, (gsize)ow * 3 * sizeof(*sums));
		for (int y = y0; y < y1; y += step) {
			const guint8 *row =
			    image->pixels + (gsize)y * image->stride;

			for (int ox = 0; ox < ow; ox++) {
				int x1 = MIN((ox + 1) * factor, image->width);
				guint32 *s = sums + (gsize)ox * 3;

				for (int x = ox * factor; x < x1; x += step) {
					const guint8 *p = row + (gsize)x * 3;

					s[0] += p[0];
					s[1] += p[1];
					s[2] += p[2];
				}
			}
		}
		for (int ox = 0; ox < ow; ox++) {
			int x0 = ox * factor;
			int nx =
			    (MIN(x0 + factor, image->width) - x0 + step - 1) /
			    step;
			int n = nx * ((y1 - y0 + step - 1) / step);
			const guint32 *s = sums + (gsize)ox * 3;
			Ink ink = classify((int)s[0], (int)s[1], (int)s[2], n);

			if (ink == INK_RED)
				SET_DATA_BIT(rline, ox);
			else if (ink == INK_OTHER)
				SET_DATA_BIT(oline, ox);
		}
	}
	g_free(sums);
	return TRUE;
}

static double
px_to_mm(int px, double dpi)
{
	return px * 25.4 / dpi;
}

/* Whether box B of the masks RED and OTHER (at DPI) can be a seal. */
static gboolean
seal_shaped(PIX *red_mask, PIX *other_mask, BOX *b, double dpi)
{
	l_int32 x, y, w, h, red = 0, other = 0;
	double w_mm, h_mm;

	boxGetGeometry(b, &x, &y, &w, &h);
	w_mm = px_to_mm(w, dpi);
	h_mm = px_to_mm(h, dpi);
	if (MIN(w_mm, h_mm) < SEAL_MIN_MM || MAX(w_mm, h_mm) > SEAL_MAX_MM)
		return FALSE;
	if (MIN(w, h) * 100 < SEAL_MIN_ASPECT_PCT * MAX(w, h))
		return FALSE;
	if (pixCountPixelsInRect(red_mask, b, &red, NULL) != 0 ||
	    pixCountPixelsInRect(other_mask, b, &other, NULL) != 0)
		return FALSE;
	return red * 100 >= (l_int32)SEAL_MIN_FILL_PCT * w * h &&
	       red * 100 <= (l_int32)SEAL_MAX_FILL_PCT * w * h &&
	       other * 100 <= (l_int32)SEAL_MAX_COLOUR_PCT * w * h;
}

/* Take the long straight red strokes out of MASK. */
static void
remove_lines(PIX *mask, double dpi)
{
	int len = (int)(LINE_MIN_MM * dpi / 25.4 + 0.5);
	PIX *across = pixOpenBrick(NULL, mask, len, 1);
	PIX *down = pixOpenBrick(NULL, mask, 1, len);

	if (across != NULL && down != NULL) {
		pixOr(across, across, down);
		pixSubtract(mask, mask, across);
	}
	pixDestroy(&across);
	pixDestroy(&down);
}

int
ingest_image_find_seals(const IngestImage *image, GArray *boxes)
{
	PIX *mask = NULL, *other = NULL, *closed = NULL;
	BOXA *parts = NULL, *merged = NULL, *sorted = NULL;
	int factor, found = 0, n, close_px;
	double dpi;

	/* Grey pages cannot show a red seal. */
	if (image == NULL || boxes == NULL || image->channels != 3 ||
	    image->width < 1 || image->height < 1)
		return 0;
	ingest_quiet_leptonica();
	factor = CLAMP((image->dpi + WORK_DPI / 2) / WORK_DPI, 1, MAX_FACTOR);
	dpi = (double)MAX(image->dpi, 1) / factor;
	if (!colour_masks(image, factor, &mask, &other))
		goto cleanup;
	remove_lines(mask, dpi);
	/* 5-9 px; DWA closing is several times faster than rasterop and
	 * has brick sizes up to 15 built in. */
	close_px = CLAMP((int)(CLOSE_MM * dpi / 25.4 + 0.5) | 1, 3, 15);
	closed = pixCloseBrickDwa(NULL, mask, close_px, close_px);
	if (closed == NULL)
		goto cleanup;
	parts = pixConnCompBB(closed, 8);
	if (parts == NULL || boxaGetCount(parts) > MAX_CANDIDATES)
		goto cleanup;
	/* Lettering a closing did not reach still lies inside the ring's
	 * box: overlapping boxes are one seal. */
	merged = boxaCombineOverlaps(parts, NULL);
	sorted = merged != NULL
		     ? boxaSort(merged, L_SORT_BY_Y, L_SORT_INCREASING, NULL)
		     : NULL;
	n = sorted != NULL ? boxaGetCount(sorted) : 0;
	for (int i = 0; i < n; i++) {
		BOX *b = boxaGetBox(sorted, i, L_CLONE);
		l_int32 x, y, w, h;
		CoreBox box;

		if (b != NULL && seal_shaped(mask, other, b, dpi)) {
			boxGetGeometry(b, &x, &y, &w, &h);
			box.x = (double)x * factor / image->width;
			box.y = (double)y * factor / image->height;
			box.w =
			    MIN((double)w * factor / image->width, 1.0 - box.x);
			box.h = MIN((double)h * factor / image->height,
				    1.0 - box.y);
			g_array_append_val(boxes, box);
			found++;
		}
		boxDestroy(&b);
	}
cleanup:
	boxaDestroy(&sorted);
	boxaDestroy(&merged);
	boxaDestroy(&parts);
	pixDestroy(&closed);
	pixDestroy(&other);
	pixDestroy(&mask);
	return found;
}

/* BOX widened by SEAL_REGION_MARGIN of its size on every side, clipped to
 * the page. */
static CoreBox
seal_region(const CoreBox *box)
{
	double x0 = MAX(box->x - box->w * SEAL_REGION_MARGIN, 0);
	double y0 = MAX(box->y - box->h * SEAL_REGION_MARGIN, 0);
	double x1 = MIN(box->x + box->w * (1 + SEAL_REGION_MARGIN), 1);
	double y1 = MIN(box->y + box->h * (1 + SEAL_REGION_MARGIN), 1);
	CoreBox region = {x0, y0, x1 - x0, y1 - y0};

	return region;
}

/* The seal of BOX (fractions of the page) on IMAGE, a drawing of REGION:
 * the seal found on the drawing nearest BOX's centre, or, when the finer
 * look finds none there, BOX carried over. */
static CoreBox
seal_in_region(const IngestImage *image, const CoreBox *region,
	       const CoreBox *box)
{
	GArray *found = core_boxes_new();
	CoreBox out = {(box->x - region->x) / region->w,
		       (box->y - region->y) / region->h, box->w / region->w,
		       box->h / region->h};
	double cx = out.x + out.w / 2, cy = out.y + out.h / 2, best = 1;

	ingest_image_find_seals(image, found);
	for (guint i = 0; i < found->len; i++) {
		CoreBox *b = &g_array_index(found, CoreBox, i);
		double dx = b->x + b->w / 2 - cx, dy = b->y + b->h / 2 - cy;

		/* Within a quarter of the seal's size: the same seal, not a
		 * neighbour the widened region reached. */
		if (dx * dx + dy * dy < best * 0.0625 * out.w * out.w) {
			best = (dx * dx + dy * dy) / (0.0625 * out.w * out.w);
			out = *b;
		}
	}
	g_array_unref(found);
	return out;
}

GPtrArray *
ingest_page_render_seals(const IngestFile *file, int page, const GArray *boxes,
			 int dpi, GArray *found, GError **error)
{
	CoreBox *regions = g_new(CoreBox, MAX(boxes->len, 1));
	GPtrArray *images;

	for (guint i = 0; i < boxes->len; i++)
		regions[i] = seal_region(&g_array_index(boxes, CoreBox, i));
	images = ingest_page_render_regions(file, page, regions, boxes->len, 0,
					    dpi, error);
	for (guint i = 0; images != NULL && i < images->len; i++) {
		CoreBox b =
		    seal_in_region(g_ptr_array_index(images, i), &regions[i],
				   &g_array_index(boxes, CoreBox, i));

		g_array_append_val(found, b);
	}
	g_free(regions);
	return images;
}
