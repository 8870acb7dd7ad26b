/* make_images.c - recipe for the tiny images test_ingest.c reads: a 24x16
 * picture whose left third is black, as JPEG, WebP and BMP, a two-frame
 * TIFF (24x16 and 30x12), and heic_src.png (64x48: red left half, white,
 * black right quarter) that make_heic.sh turns into tiny.heic. Rebuild with
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

/* Red left half, white, black right quarter: colours that survive HEVC
 * and show which way the picture was turned. */
static PIX *
make_heic_source(void)
{
	PIX *pix = pixCreate(64, 48, 32);
	BOX *left = boxCreate(0, 0, 32, 48);

	pixSetAllArbitrary(pix, 0xffffff00);
	pixSetInRectArbitrary(pix, left, 0xff000000);
	pixRasterop(pix, 48, 0, 16, 48, PIX_CLR, NULL, 0, 0);
	boxDestroy(&left);
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
	pixDestroy(&a);
	a = make_heic_source();
	pixWrite("heic_src.png", a, IFF_PNG);
	pixaDestroy(&pixa);
	pixDestroy(&a);
	pixDestroy(&b);
	return 0;
}
