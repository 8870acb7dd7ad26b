/* image.c - the Leptonica calls that read images: an image's header (size,
 * TIFF frame count) without decoding it, and one frame decoded to the
 * project's IngestImage - turned upright by the JPEG's EXIF orientation, as
 * phones save photos sideways and let the viewer rotate them, and scaled
 * down when a lower resolution is asked for. HEIC photos come from heif.c. */
#include <stdio.h>
#include <string.h>

#include <allheaders.h>

#include "ingest/ingest_int.h"

/* A declared resolution is believed when it makes the page's long side a
 * plausible paper size (a receipt to A3). Phones write 72 dpi into a
 * 4000-pixel photo of an A4 page: a picture that large is taken as A4
 * instead. Small pictures keep a sane declared value, else 300 dpi. */
#define MIN_PAGE_INCHES	      3.0
#define MAX_PAGE_INCHES	      17.0
#define A4_LONG_INCHES	      11.69
#define PAGE_PHOTO_MIN_PIXELS 1200
#define MIN_SANE_DPI	      70
#define MAX_SANE_DPI	      2400
#define FALLBACK_DPI	      300

void
ingest_quiet_leptonica(void)
{
	static gsize done = 0;

	if (g_once_init_enter(&done)) {
		setMsgSeverity(L_SEVERITY_NONE);
		g_once_init_leave(&done, 1);
	}
}

/* The format as people write it, for messages. */
static const char *
kind_label(IngestKind kind)
{
	switch (kind) {
	case INGEST_KIND_JPEG:
		return "JPEG";
	case INGEST_KIND_PNG:
		return "PNG";
	case INGEST_KIND_TIFF:
		return "TIFF";
	case INGEST_KIND_WEBP:
		return "WebP";
	case INGEST_KIND_BMP:
		return "BMP";
	case INGEST_KIND_HEIC:
		return "HEIC";
	default:
		return "image";
	}
}

static gboolean
check_size(const char *rel_path, int frame, int w, int h, GError **error)
{
	if (w <= 0 || h <= 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "cannot read '%s': image %d has no valid size",
			    rel_path, frame);
		return FALSE;
	}
	if ((gint64)w * h > INGEST_MAX_PIXELS) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_LIMIT,
			    "cannot read '%s': image %d is %dx%d pixels, over "
			    "the limit of %d million; save or scan it at a "
			    "lower resolution",
			    rel_path, frame, w, h, INGEST_MAX_PIXELS / 1000000);
		return FALSE;
	}
	return TRUE;
}

/* What decoding frame FRAME (W x H, SPP samples of BPS bits, as its
 * header says) takes at least: Leptonica holds the whole frame, and a
 * PNG of a few kilobytes can declare gigabytes of pixels. */
static gboolean
check_decoded(const char *rel_path, int frame, int w, int h, int spp, int bps,
	      GError **error)
{
	gint64 bytes = (gint64)w * h * MAX(spp, 1) * MAX((bps + 7) / 8, 1);

	if (bytes > INGEST_MAX_DECODED_BYTES) {
		g_set_error(
		    error, CORE_ERROR, CORE_ERROR_LIMIT,
		    "cannot read '%s': image %d would take %" G_GINT64_FORMAT
		    " MB decoded (%dx%d pixels, %d samples of %d bits), "
		    "over the limit of %d MB; save it as an 8-bit JPEG or "
		    "PNG",
		    rel_path, frame, bytes / (1024 * 1024), w, h, spp, bps,
		    INGEST_MAX_DECODED_BYTES / (1024 * 1024));
		return FALSE;
	}
	return TRUE;
}

/* Leptonica counts TIFF frames only through a FILE; fmemopen gives it one
 * over the bytes already in memory. */
static int
tiff_count(const guint8 *data, gsize len)
{
	FILE *fp = fmemopen((void *)data, len, "rb");
	l_int32 n = 0;

	if (fp == NULL)
		return 0;
	if (tiffGetCount(fp, &n) != 0)
		n = 0;
	fclose(fp);
	return n;
}

/* Header of frame FRAME (0-based; only TIFF has more than one): its size,
 * checked against the limits, into *W and *H. */
static gboolean
frame_header(const IngestFile *file, const guint8 *data, gsize len, int frame,
	     int *w_out, int *h_out, GError **error)
{
	l_int32 w = 0, h = 0, bps = 0, spp = 0, res, cmap, format;
	l_ok bad;

	if (file->kind == INGEST_KIND_HEIC)
		return ingest_heif_size(data, len, file->path, w_out, h_out,
					error);
	if (file->kind == INGEST_KIND_TIFF)
		bad = readHeaderMemTiff(data, len, frame, &w, &h, &bps, &spp,
					&res, &cmap, &format);
	else
		bad = pixReadHeaderMem(data, len, &format, &w, &h, &bps, &spp,
				       &cmap);
	if (bad) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "cannot read '%s': damaged %s image (the header "
			    "cannot be read)",
			    file->path, kind_label(file->kind));
		return FALSE;
	}
	*w_out = w;
	*h_out = h;
	return check_size(file->path, frame + 1, w, h, error) &&
	       check_decoded(file->path, frame + 1, w, h, spp, bps, error);
}

void
ingest_image_read(IngestFile *file, GBytes *bytes)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	int n = 1, w, h;

	ingest_quiet_leptonica();
	if (file->kind == INGEST_KIND_TIFF) {
		n = tiff_count(data, len);
		if (n < 1) {
			ingest_file_fail(file, CORE_ERROR_FORMAT,
					 "damaged TIFF image (no frames)");
			return;
		}
		if (n > INGEST_MAX_PAGES) {
			ingest_file_fail(file, CORE_ERROR_LIMIT,
					 "the TIFF has %d frames, over the "
					 "limit of %d; split it into smaller "
					 "files",
					 n, INGEST_MAX_PAGES);
			return;
		}
	}
	for (int i = 0; i < n; i++)
		if (!frame_header(file, data, len, i, &w, &h, &file->error))
			return;
	file->n_pages = n;
}

/* ---- EXIF orientation ------------------------------------------------ */

static guint
get16(const guint8 *p, gboolean le)
{
	return le ? p[0] | p[1] << 8 : p[0] << 8 | p[1];
}

static guint32
get32(const guint8 *p, gboolean le)
{
	return le ? (guint32)get16(p, TRUE) | (guint32)get16(p + 2, TRUE) << 16
		  : (guint32)get16(p, FALSE) << 16 | get16(p + 2, FALSE);
}

/* Tag 0x0112 of IFD0 in the TIFF block T (LEN bytes) of an Exif segment. */
static int
tiff_orientation(const guint8 *t, gsize len)
{
	gboolean le;
	guint32 ifd;
	guint n;

	if (len < 8 || (memcmp(t, "II", 2) != 0 && memcmp(t, "MM", 2) != 0))
		return 1;
	le = t[0] == 'I';
	ifd = get32(t + 4, le);
	if (ifd > len - 2)
		return 1;
	n = get16(t + ifd, le);
	for (guint i = 0; i < n; i++) {
		gsize at = ifd + 2 + (gsize)i * 12;

		if (at + 12 > len)
			break;
		if (get16(t + at, le) == 0x0112 && get16(t + at + 2, le) == 3)
			return (int)get16(t + at + 8, le);
	}
	return 1;
}

/* The EXIF orientation (1..8) of JPEG DATA; 1 when there is none. Walks
 * the marker segments up to the image data, every length checked. */
static int
jpeg_orientation(const guint8 *data, gsize len)
{
	gsize at = 2;

	while (at + 4 <= len && data[at] == 0xff) {
		guint marker = data[at + 1];
		gsize seg = get16(data + at + 2, FALSE);

		if (marker == 0xda || marker == 0xd9 || seg < 2 ||
		    at + 2 + seg > len)
			break;
		if (marker == 0xe1 && seg >= 8 &&
		    memcmp(data + at + 4, "Exif\0\0", 6) == 0)
			return tiff_orientation(data + at + 10, seg - 8);
		at += 2 + seg;
	}
	return 1;
}

/* A new pix showing PIX as EXIF ORIENTATION says it should be seen;
 * orientations 5 and 7 are mirrored, then turned. */
static PIX *
apply_orientation(PIX *pix, int orientation)
{
	PIX *flipped = NULL;
	PIX *out;

	switch (orientation) {
	case 2:
		return pixFlipLR(NULL, pix);
	case 3:
		return pixRotate180(NULL, pix);
	case 4:
		return pixFlipTB(NULL, pix);
	case 5:
	case 7:
		flipped = pixFlipLR(NULL, pix);
		out = flipped != NULL
			  ? pixRotateOrth(flipped, orientation == 5 ? 3 : 1)
			  : NULL;
		pixDestroy(&flipped);
		return out;
	case 6:
		return pixRotateOrth(pix, 1);
	case 8:
		return pixRotateOrth(pix, 3);
	default:
		return pixClone(pix);
	}
}

/* ---- decoding -------------------------------------------------------- */

/* The resolution of a page W x H pixels large that declares RES dpi (0
 * when it declares none). */
static int
page_dpi(int w, int h, int res)
{
	int long_side = MAX(w, h);
	double inches = res > 0 ? (double)long_side / res : 0;

	if (inches >= MIN_PAGE_INCHES && inches <= MAX_PAGE_INCHES)
		return res;
	if (long_side >= PAGE_PHOTO_MIN_PIXELS)
		return CLAMP((int)(long_side / A4_LONG_INCHES), MIN_SANE_DPI,
			     MAX_SANE_DPI);
	return res >= MIN_SANE_DPI && res <= MAX_SANE_DPI ? res : FALLBACK_DPI;
}

/* Grey stays one channel (less memory, and OCR thresholds grey anyway);
 * anything with colour becomes RGB so seals stay red. */
static gboolean
pix_has_colour(PIX *pix)
{
	PIXCMAP *cmap = pixGetColormap(pix);
	l_int32 colour = 1;

	if (pixGetDepth(pix) == 32)
		return TRUE;
	if (cmap == NULL)
		return FALSE;
	pixcmapHasColor(cmap, &colour);
	return colour != 0;
}

static void
copy_grey(IngestImage *image, PIX *pix8)
{
	l_uint32 *data = pixGetData(pix8);
	int wpl = pixGetWpl(pix8);

	for (int y = 0; y < image->height; y++) {
		l_uint32 *line = data + (gsize)y * wpl;
		guint8 *dst = image->pixels + (gsize)y * image->stride;

		for (int x = 0; x < image->width; x++)
			dst[x] = GET_DATA_BYTE(line, x);
	}
}

static void
copy_rgb(IngestImage *image, PIX *pix32)
{
	l_uint32 *data = pixGetData(pix32);
	int wpl = pixGetWpl(pix32);

	for (int y = 0; y < image->height; y++) {
		l_uint32 *line = data + (gsize)y * wpl;
		guint8 *dst = image->pixels + (gsize)y * image->stride;

		for (int x = 0; x < image->width; x++, dst += 3) {
			dst[0] = (line[x] >> L_RED_SHIFT) & 0xff;
			dst[1] = (line[x] >> L_GREEN_SHIFT) & 0xff;
			dst[2] = (line[x] >> L_BLUE_SHIFT) & 0xff;
		}
	}
}

/* PIX, at HAVE dpi, as an IngestImage at WANT dpi when that is lower
 * (pixScale: area mapping below 0.7, so thin seal strokes keep their
 * colour; sharpened interpolation above), else at HAVE.
 * A transparent PNG (screenshots often are) is laid on white first: its
 * hidden colour under alpha 0 is often black. */
static IngestImage *
pix_to_image(PIX *pix, double have, int want, const char *rel_path,
	     GError **error)
{
	gboolean colour = pix_has_colour(pix);
	PIX *conv = NULL;
	IngestImage *image = NULL;
	int dpi = MAX(1, (int)(have + 0.5));

	if (colour && pixGetSpp(pix) == 4)
		conv = pixAlphaBlendUniform(pix, 0xffffff00);
	else
		conv = colour ? pixConvertTo32(pix) : pixConvertTo8(pix, FALSE);
	if (conv != NULL && want < dpi) {
		float f = (float)(want / have);
		PIX *scaled = pixScale(conv, f, f);

		pixDestroy(&conv);
		conv = scaled;
		dpi = want;
	}
	if (conv == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "cannot read '%s': unusual pixel format (%d bits)",
			    rel_path, pixGetDepth(pix));
		return NULL;
	}
	image = ingest_image_new(pixGetWidth(conv), pixGetHeight(conv),
				 colour ? 3 : 1, dpi, error);
	if (image != NULL && colour)
		copy_rgb(image, conv);
	else if (image != NULL)
		copy_grey(image, conv);
	pixDestroy(&conv);
	return image;
}

/* Decode JPEG DATA at the largest libjpeg reduction (1, 2, 4, 8) that
 * still gives at least WANT dpi of its OWN: a phone photo looked at for
 * seals is decoded at 1/8 size, several times faster. *HAVE gets the
 * resolution of what was decoded. */
static PIX *
read_jpeg(const guint8 *data, gsize len, double own, int want, double *have)
{
	int reduction = 1;

	while (reduction < 8 && own / (reduction * 2) >= want)
		reduction *= 2;
	*have = own / reduction;
	return pixReadMemJpeg(data, len, 0, reduction, NULL, 0);
}

IngestImage *
ingest_image_render(const IngestFile *file, GBytes *bytes, int page, int dpi,
		    GError **error)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	PIX *pix = NULL;
	PIX *upright = NULL;
	IngestImage *image = NULL;
	l_int32 xres = 0, yres = 0;
	double have = 0;
	int w = 0, h = 0;

	ingest_quiet_leptonica();
	if (page > 1 && file->kind != INGEST_KIND_TIFF) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "cannot read '%s': it has no page %d", file->path,
			    page);
		return NULL;
	}
	/* Check again: the bytes are mapped anew and the limit guards the
	 * decode that follows. */
	if (!frame_header(file, data, len, page - 1, &w, &h, error))
		return NULL;
	switch (file->kind) {
	case INGEST_KIND_HEIC:
		/* HEIF has no resolution field: judged by size alone. */
		pix = ingest_heif_decode(data, len, file->path, error);
		if (pix == NULL)
			return NULL;
		have = page_dpi(w, h, 0);
		break;
	case INGEST_KIND_JPEG:
		if (readResolutionMemJpeg(data, len, &xres, &yres) != 0)
			xres = 0;
		pix = read_jpeg(data, len, page_dpi(w, h, xres), dpi, &have);
		break;
	case INGEST_KIND_TIFF:
		pix = pixReadMemTiff(data, len, page - 1);
		break;
	default:
		pix = pixReadMem(data, len);
		break;
	}
	if (pix == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "cannot read '%s': damaged %s image (page %d "
			    "cannot be decoded)",
			    file->path, kind_label(file->kind), page);
		return NULL;
	}
	if (have <= 0)
		have = page_dpi(w, h, pixGetXRes(pix));
	if (file->kind == INGEST_KIND_JPEG)
		upright = apply_orientation(pix, jpeg_orientation(data, len));
	else
		upright = pixClone(pix);
	if (upright == NULL)
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "cannot read '%s': the photo cannot be turned "
			    "upright",
			    file->path);
	else
		image = pix_to_image(upright, have, dpi, file->path, error);
	pixDestroy(&upright);
	pixDestroy(&pix);
	return image;
}
