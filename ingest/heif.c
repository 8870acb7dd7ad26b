/* heif.c - every libheif call of evidcheck: iPhones save photos as HEIC by
 * default, and providers upload them as they are. Only the primary image is
 * read; its size is checked before anything is decoded, and libheif turns
 * it upright (irot/imir) as a viewer would. */
#include <string.h>

#include <allheaders.h>
#include <libheif/heif.h>

#include "ingest/ingest_int.h"

/* One photo is decoded per call; evidcheck runs its own worker threads. */
#define HEIF_THREADS 0

static void
init_heif(void)
{
	static gsize done = 0;

	/* Plugins are registered once for the life of the process. */
	if (g_once_init_enter(&done)) {
		heif_init(NULL);
		g_once_init_leave(&done, 1);
	}
}

static void
fail(GError **error, CoreErrorCode code, const char *rel_path, const char *what,
     struct heif_error err)
{
	g_set_error(error, CORE_ERROR, code,
		    "cannot read '%s': damaged HEIC image (%s: %s)", rel_path,
		    what, err.message != NULL ? err.message : "unknown error");
}

/* Open DATA and its primary image; NULL context with ERROR on failure. */
static struct heif_context *
open_primary(const guint8 *data, gsize len, const char *rel_path,
	     struct heif_image_handle **handle, GError **error)
{
	struct heif_context *ctx;
	struct heif_error err;

	init_heif();
	*handle = NULL;
	ctx = heif_context_alloc();
	if (ctx == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_LIMIT,
			    "cannot read '%s': out of memory", rel_path);
		return NULL;
	}
	heif_context_set_max_decoding_threads(ctx, HEIF_THREADS);
	/* libheif's own guard, in case a tile grid says more than ispe. */
	heif_context_set_maximum_image_size_limit(ctx, INGEST_MAX_SIDE);
	err = heif_context_read_from_memory_without_copy(ctx, data, len, NULL);
	if (err.code == heif_error_Ok)
		err = heif_context_get_primary_image_handle(ctx, handle);
	if (err.code != heif_error_Ok) {
		fail(error, CORE_ERROR_FORMAT, rel_path, "no picture in it",
		     err);
		heif_context_free(ctx);
		return NULL;
	}
	return ctx;
}

static gboolean
check_size(const char *rel_path, int w, int h, GError **error)
{
	if (w <= 0 || h <= 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "cannot read '%s': the HEIC photo has no valid "
			    "size",
			    rel_path);
		return FALSE;
	}
	if ((gint64)w * h > INGEST_MAX_PIXELS) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_LIMIT,
			    "cannot read '%s': image 1 is %dx%d pixels, over "
			    "the limit of %d million; save or scan it at a "
			    "lower resolution",
			    rel_path, w, h, INGEST_MAX_PIXELS / 1000000);
		return FALSE;
	}
	return TRUE;
}

gboolean
ingest_heif_size(const guint8 *data, gsize len, const char *rel_path,
		 int *width, int *height, GError **error)
{
	struct heif_image_handle *handle = NULL;
	struct heif_context *ctx;
	gboolean ok;

	ctx = open_primary(data, len, rel_path, &handle, error);
	if (ctx == NULL)
		return FALSE;
	/* The handle's size is after rotation, as it will be decoded. */
	*width = heif_image_handle_get_width(handle);
	*height = heif_image_handle_get_height(handle);
	ok = check_size(rel_path, *width, *height, error);
	heif_image_handle_release(handle);
	heif_context_free(ctx);
	return ok;
}

/* Interleaved RGB rows (STRIDE bytes apart) into a new 32-bpp pix. */
static PIX *
rgb_to_pix(const guint8 *rgb, int stride, int w, int h)
{
	PIX *pix = pixCreate(w, h, 32);
	l_uint32 *data;
	int wpl;

	if (pix == NULL)
		return NULL;
	data = pixGetData(pix);
	wpl = pixGetWpl(pix);
	for (int y = 0; y < h; y++) {
		const guint8 *src = rgb + (gsize)y * stride;
		l_uint32 *line = data + (gsize)y * wpl;

		for (int x = 0; x < w; x++, src += 3)
			composeRGBPixel(src[0], src[1], src[2], line + x);
	}
	return pix;
}

struct Pix *
ingest_heif_decode(const guint8 *data, gsize len, const char *rel_path,
		   GError **error)
{
	struct heif_image_handle *handle = NULL;
	struct heif_image *img = NULL;
	struct heif_context *ctx;
	struct heif_error err;
	const guint8 *rgb;
	PIX *pix = NULL;
	int w, h, stride = 0;

	ctx = open_primary(data, len, rel_path, &handle, error);
	if (ctx == NULL)
		return NULL;
	if (!check_size(rel_path, heif_image_handle_get_width(handle),
			heif_image_handle_get_height(handle), error))
		goto cleanup;
	/* Default options: the transformations are applied. */
	err = heif_decode_image(handle, &img, heif_colorspace_RGB,
				heif_chroma_interleaved_RGB, NULL);
	if (err.code != heif_error_Ok) {
		fail(error, CORE_ERROR_FORMAT, rel_path, "cannot be decoded",
		     err);
		goto cleanup;
	}
	w = heif_image_get_width(img, heif_channel_interleaved);
	h = heif_image_get_height(img, heif_channel_interleaved);
	rgb = heif_image_get_plane_readonly(img, heif_channel_interleaved,
					    &stride);
	/* What was decoded is checked again before it is copied. */
	if (!check_size(rel_path, w, h, error))
		goto cleanup;
	if (rgb == NULL || stride < w * 3) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_FORMAT,
			    "cannot read '%s': damaged HEIC image (no pixels)",
			    rel_path);
		goto cleanup;
	}
	pix = rgb_to_pix(rgb, stride, w, h);
	if (pix == NULL)
		g_set_error(error, CORE_ERROR, CORE_ERROR_LIMIT,
			    "out of memory for a %dx%d page image", w, h);
cleanup:
	if (img != NULL)
		heif_image_release(img);
	heif_image_handle_release(handle);
	heif_context_free(ctx);
	return pix;
}
