/* make_images.c - recipe for the tiny images test_ingest.c reads: a 24x16
 * picture whose left third is black, as JPEG, WebP and BMP, and a two-frame
 * TIFF (24x16 and 30x12). Deterministic; rebuild with
 *   gcc make_images.c $(pkg-config --cflags --libs lept) && ./a.out */
#include <allheaders.h>

static PIX *
make_frame(int w, int h)
{
	PIX *pix = pixCreate(w, h, 32);

	pixSetAllArbitrary(pix, 0xffffff00);
	pixRasterop(pix, 0, 0, w / 3, h, PIX_CLR, NULL, 0, 0);
	pixSetResolution(pix, 200, 200);
	return pix;
}

int
main(void)
{
	PIX *a = make_frame(24, 16);
	PIX *b = make_frame(30, 12);
	PIXA *pixa = pixaCreate(2);

	pixWrite("tiny.jpg", a, IFF_JFIF_JPEG);
	pixWrite("tiny.webp", a, IFF_WEBP);
	pixWrite("tiny.bmp", a, IFF_BMP);
	pixaAddPix(pixa, a, L_COPY);
	pixaAddPix(pixa, b, L_COPY);
	pixaWriteMultipageTiff("tiny2.tif", pixa);
	pixaDestroy(&pixa);
	pixDestroy(&a);
	pixDestroy(&b);
	return 0;
}
