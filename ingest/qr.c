/* qr.c - decode the QR codes on a page with ZBar. A VAT invoice's QR code
 * repeats its type, code, number, amount, date and check code, a second
 * reading of the fields OCR most often gets wrong; classify/ compares the
 * two. ZBar because Debian packages it, it has a plain C API, and it finds
 * QR codes on 8-bit grey images of any size and at any angle. */
#include <string.h>
#include <zbar.h>

#include "ingest/ingest.h"

/* Grey copy of IMAGE, rows packed (ZBar takes no stride). RGB is weighed
 * as luma (BT.601 in integers). The caller owns the copy (g_free). */
static guint8 *
grey_pixels(const IngestImage *image)
{
	gsize w = (gsize)image->width, h = (gsize)image->height;
	guint8 *grey = g_malloc(w * h);

	for (gsize y = 0; y < h; y++) {
		const guint8 *row = image->pixels + y * (gsize)image->stride;
		guint8 *out = grey + y * w;

		if (image->channels == 1) {
			memcpy(out, row, w);
			continue;
		}
		for (gsize x = 0; x < w; x++) {
			const guint8 *p = row + x * (gsize)image->channels;

			out[x] =
			    (guint8)((77 * p[0] + 150 * p[1] + 29 * p[2]) >> 8);
		}
	}
	return grey;
}

/* The topmost corner of SYM, for reading order. */
static int
symbol_top(const zbar_symbol_t *sym)
{
	unsigned n = zbar_symbol_get_loc_size(sym);
	int top = G_MAXINT;

	for (unsigned i = 0; i < n; i++)
		top = MIN(top, zbar_symbol_get_loc_y(sym, i));
	return n > 0 ? top : 0;
}

typedef struct {
	int top;
	char *payload;
} Found;

static gint
by_top(gconstpointer a, gconstpointer b)
{
	const Found *fa = a, *fb = b;

	return (fa->top > fb->top) - (fa->top < fb->top);
}

/* A payload as a UTF-8 string the report can hold: cut at
 * INGEST_MAX_CODE_BYTES, invalid bytes replaced. New string. */
static char *
payload_text(const zbar_symbol_t *sym)
{
	const char *data = zbar_symbol_get_data(sym);
	gsize len = zbar_symbol_get_data_length(sym);

	return g_utf8_make_valid(data, (gssize)MIN(len, INGEST_MAX_CODE_BYTES));
}

static gboolean
seen(GArray *found, const char *payload)
{
	for (guint i = 0; i < found->len; i++)
		if (strcmp(g_array_index(found, Found, i).payload, payload) ==
		    0)
			return TRUE;
	return FALSE;
}

/* The QR symbols ZBar found, sorted top to bottom, into PAYLOADS. */
static int
collect(const zbar_image_t *zimage, GPtrArray *payloads)
{
	GArray *found = g_array_new(FALSE, FALSE, sizeof(Found));
	const zbar_symbol_t *sym = zbar_image_first_symbol(zimage);
	int n;

	for (; sym != NULL && found->len < INGEST_MAX_CODES;
	     sym = zbar_symbol_next(sym)) {
		Found f;

		if (zbar_symbol_get_type(sym) != ZBAR_QRCODE)
			continue;
		f.payload = payload_text(sym);
		if (seen(found, f.payload)) {
			g_free(f.payload);
			continue;
		}
		f.top = symbol_top(sym);
		g_array_append_val(found, f);
	}
	g_array_sort(found, by_top);
	for (guint i = 0; i < found->len; i++)
		g_ptr_array_add(payloads,
				g_array_index(found, Found, i).payload);
	n = (int)found->len;
	g_array_unref(found);
	return n;
}

/* Scan the W x H grey pixels at GREY (rows packed) every DENSITY lines. */
static int
scan_grey(guint8 *grey, int w, int h, int density, GPtrArray *payloads)
{
	/* One scanner per call: ZBar keeps its decoding state in it, so
	 * calls on different threads share nothing. */
	zbar_image_scanner_t *scanner = zbar_image_scanner_create();
	zbar_image_t *zimage = zbar_image_create();
	int n = 0;

	zbar_image_scanner_set_config(scanner, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(scanner, 0, ZBAR_CFG_X_DENSITY, density);
	zbar_image_scanner_set_config(scanner, 0, ZBAR_CFG_Y_DENSITY, density);
	zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(zimage, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(zimage, (unsigned)w, (unsigned)h);
	zbar_image_set_data(zimage, grey, (unsigned long)w * h, NULL);
	if (zbar_scan_image(scanner, zimage) > 0)
		n = collect(zimage, payloads);
	zbar_image_destroy(zimage);
	zbar_image_scanner_destroy(scanner);
	return n;
}

int
ingest_image_find_codes(const IngestImage *image, GPtrArray *payloads)
{
	int n;
	guint8 *grey;

	g_return_val_if_fail(image != NULL && payloads != NULL, 0);
	if (image->width <= 0 || image->height <= 0 ||
	    (image->channels != 1 && image->channels != 3))
		return 0;
	grey = grey_pixels(image);
	/* Every line below 150 dpi, every other at 150 (an invoice's
	 * text-layer page), every third from 225: a finder pattern, seven
	 * modules of at least 3 pixels, is still crossed by ten lines. */
	n = scan_grey(grey, image->width, image->height,
		      CLAMP(image->dpi / 75, 1, 3), payloads);
	g_free(grey);
	return n;
}
