/* phash.c - a 64-bit perceptual hash of a page image (DCT pHash), so the
 * same page uploaded again after a re-save, a re-scan or another JPEG
 * quality is recognised: the image is averaged down to 32 x 32 grey
 * cells, its lowest 8 x 8 cosine frequencies taken, and each bit says
 * whether a frequency is above their median. Detail and compression
 * noise live in the frequencies left out. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"

#define CELLS 32 /* the thumbnail's side */
#define FREQS 8	 /* frequencies kept per axis: 64 bits */
/* Samples per thumbnail side at most: a 300 dpi A4 page is averaged
 * from about a quarter of its pixels, enough for ink density per cell
 * (64 and more samples a cell), at a fraction of a full pass. */
#define SAMPLES 512
/* A page whose cells differ by less than this (grey levels, standard
 * deviation) is blank: every blank page would hash alike. */
#define MIN_SPREAD 2.0

/* Grey (ITU-R 601 weights, in 1/256) of the pixel at P. */
static guint
grey_at(const IngestImage *im, const guint8 *p)
{
	if (im->channels < 3)
		return p[0];
	return (77u * p[0] + 150u * p[1] + 29u * p[2]) >> 8;
}

/* Average IMAGE into CELLS x CELLS grey cells, from every SX-th pixel of
 * every SY-th row. */
static void
thumbnail(const IngestImage *im, double cell[CELLS][CELLS])
{
	guint64 sum[CELLS][CELLS] = {{0}};
	guint n[CELLS][CELLS] = {{0}};
	int sx = MAX(1, im->width / SAMPLES);
	int sy = MAX(1, im->height / SAMPLES);
	int *column = g_new(int, im->width);

	for (int x = 0; x < im->width; x += sx)
		column[x] = (int)((gint64)x * CELLS / im->width);
	for (int y = 0; y < im->height; y += sy) {
		int cy = (int)((gint64)y * CELLS / im->height);
		const guint8 *row = im->pixels + (gsize)y * im->stride;

		for (int x = 0; x < im->width; x += sx) {
			sum[cy][column[x]] +=
			    grey_at(im, row + (gsize)x * (gsize)im->channels);
			n[cy][column[x]]++;
		}
	}
	for (int y = 0; y < CELLS; y++)
		for (int x = 0; x < CELLS; x++)
			cell[y][x] =
			    n[y][x] > 0 ? (double)sum[y][x] / n[y][x] : 255;
	g_free(column);
}

/* Turn CELL clockwise by DEGREES (0, 90, 180, 270): averaging to a fixed
 * grid commutes with a quarter turn, so this is the upright page's
 * thumbnail, without turning the page. */
static void
turn(double cell[CELLS][CELLS], int degrees)
{
	double out[CELLS][CELLS];
	int quarters = ((degrees / 90) % 4 + 4) % 4;

	for (int q = 0; q < quarters; q++) {
		for (int y = 0; y < CELLS; y++)
			for (int x = 0; x < CELLS; x++)
				out[x][CELLS - 1 - y] = cell[y][x];
		memcpy(cell, out, sizeof(out));
	}
}

static double
spread(double cell[CELLS][CELLS])
{
	double sum = 0, sq = 0;

	for (int y = 0; y < CELLS; y++)
		for (int x = 0; x < CELLS; x++) {
			sum += cell[y][x];
			sq += cell[y][x] * cell[y][x];
		}
	sum /= CELLS * CELLS;
	return sqrt(MAX(0.0, sq / (CELLS * CELLS) - sum * sum));
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The lowest FREQS x FREQS coefficients of CELL's 2-D DCT-II. */
static void
dct(double cell[CELLS][CELLS], double coef[FREQS * FREQS])
{
	double c[FREQS][CELLS];
	double rows[CELLS][FREQS];

	for (int u = 0; u < FREQS; u++)
		for (int x = 0; x < CELLS; x++)
			c[u][x] = cos((2 * x + 1) * u * G_PI / (2.0 * CELLS));
	for (int y = 0; y < CELLS; y++)
		for (int u = 0; u < FREQS; u++) {
			double s = 0;

			for (int x = 0; x < CELLS; x++)
				s += cell[y][x] * c[u][x];
			rows[y][u] = s;
		}
	for (int v = 0; v < FREQS; v++)
		for (int u = 0; u < FREQS; u++) {
			double s = 0;

			for (int y = 0; y < CELLS; y++)
				s += rows[y][u] * c[v][y];
			coef[v * FREQS + u] = s;
		}
}

guint64
ingest_image_phash(const IngestImage *image, int rotation)
{
	double cell[CELLS][CELLS];
	double coef[FREQS * FREQS];
	double sorted[FREQS * FREQS - 1];
	double median;
	guint64 hash = 0;

	if (image == NULL || image->width < 1 || image->height < 1)
		return 0;
	thumbnail(image, cell);
	turn(cell, rotation);
	if (spread(cell) < MIN_SPREAD)
		return 0;
	dct(cell, coef);
	/* The median of the frequencies but the mean (coefficient 0), which
	 * only says how dark the page is. */
	memcpy(sorted, coef + 1, sizeof(sorted));
	qsort(sorted, G_N_ELEMENTS(sorted), sizeof(double), cmp_double);
	median = sorted[G_N_ELEMENTS(sorted) / 2];
	for (int i = 1; i < FREQS * FREQS; i++)
		if (coef[i] > median)
			hash |= G_GUINT64_CONSTANT(1) << i;
	/* Bit 0 (the mean) is left clear; a hash of 0 means "none", so a
	 * page that would hash to 0 gets bit 0 set instead. */
	return hash != 0 ? hash : 1;
}
