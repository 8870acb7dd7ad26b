/* sealtext.c - read the organisation on a red seal's ring: keep the seal's
 * red ink alone, fit its ring (a circle; an ellipse, turned as stamped,
 * for an oval 发票专用章), find where along the band inside the ring the
 * lettering runs, unwrap it into a straight strip - letter by letter,
 * each turned upright about the ring's normal through it (a plain polar
 * unwrap, angle along x and radius along y, narrows every letter's top to
 * 0.6 of its foot, and is only the fallback when the letters cannot be
 * counted) - and read the strip as one line, twice at two scales. Only a
 * confident reading that looks like an organisation's name and reads the
 * same again is given back: a wrong name would be worse than none to a
 * check comparing parties. */
#include <math.h>
#include <string.h>

#include "ocr/ocr_int.h"

/* Seal ink on a crop: red over green and blue, less any orange, which
 * the brown-red print of VAT invoice forms is made of (156,74,42 gives 18;
 * seal ink 150-200). */
#define ORANGE_WEIGHT 2
/* Below this no pixel is ink, whatever the crop's own contrast. */
#define MIN_INK 30
/* A crop with fewer ink pixels (per cent of the box) is no seal. */
#define MIN_INK_PCT 4

/* The crop is the seal's box and this much (of its size) around it, so a
 * box drawn a little tight still holds the whole ring. */
#define CROP_MARGIN 0.08
/* Boxes wider than high (or higher than wide) by more than this are oval
 * seals (发票专用章, 40 x 28 mm: 1.43): their ring is fitted as an
 * ellipse, whose ratio of axes is looked for within OVAL_SLACK of the
 * box's, and their letters, which stand on the ellipse's normal, are
 * unwrapped along it. (Stretched round instead, the letters came out
 * slanted, and read as nothing.) */
#define OVAL_ASPECT 1.2
#define OVAL_SLACK  0.08
#define TILT_MAX    (10 * G_PI / 180)
#define OVAL_CELL   0.65
/* A box within this of the page edge may hold half a seal, whose ring
 * text is half a name. */
#define EDGE_FRACTION 0.003

/* The ring fit: centres up to FIT_SHIFT of the radius away from the box
 * centre, radii FIT_MIN..FIT_MAX of half the box, sampled at FIT_ANGLES
 * points around. */
#define FIT_SHIFT  0.08
#define FIT_MIN	   0.85
#define FIT_MAX	   1.10
#define FIT_ANGLES 180
/* Share of the ring that must be inked: black print across it and faint
 * ink leave gaps; a seal cut by the page edge or a red arc is below. */
#define MIN_RING_COVER 0.55
/* The ring line is where the fitted circle's ink stays above this share
 * of its best. */
#define RING_EDGE 0.6
/* The letters lie in a band this deep (of the ring's radius) inside the
 * ring line: seal letters are 0.25-0.30 of the radius tall, set a little
 * in from the ring. The star and the words across the middle stay
 * inside it. */
#define BAND_DEPTH 0.40
/* The ring line's blurred inner edge stays out of the band by this much
 * (of the radius); letters keep 0.05 or more away from the ring. */
#define RING_GAP 0.02

/* The text run is looked for within this many degrees either side of the
 * top: further down are the seal's code digits. */
#define RUN_MAX_DEG 140
/* Gaps between letters the run steps over, in degrees. */
#define RUN_GAP_DEG 12
/* A band where more than this share is ink is a solid logo. */
#define SOLID_SHARE 0.55

/* The strip is drawn with the band this many pixels deep (letters about
 * 45 px tall, what Tesseract reads Chinese best at), and a white border. */
#define STRIP_HEIGHT 48
#define STRIP_BORDER 16
/* A name read is read again from a strip this deep and kept only when
 * the two readings are at most one letter apart: Tesseract's misreads
 * come and go with the scale, a name drawn stays. A generated ring read
 * 南了千腾科枝有腿公司 at 0.91 read 南宁智联科技有腿公司 at this depth;
 * names read right read the same or one letter off (壮族, 壮旗). */
#define STRIP_HEIGHT_CHECK 40
/* Letters are looked for this far (of the radius) beyond the radii most
 * of their ink is at. */
#define LETTER_MARGIN 0.02
/* Seal letters are set PITCH_TYPICAL of their height apart (a squeezed
 * letter and its gap; 0.87 on the generated seals), never closer than
 * PITCH_MIN or further than PITCH_MAX; PITCH_WEIGHT trades a pitch's
 * distance from the typical against ink on the boundaries between
 * letters, which is what tells 12 letters from 6 or 24. Boundaries are
 * looked for within GAP_SLACK pixels of where even spacing puts them. */
#define PITCH_TYPICAL 0.85
#define PITCH_MIN     0.5
#define PITCH_MAX     1.4
#define PITCH_WEIGHT  0.5
#define GAP_SLACK     3.0
#define MAX_LETTERS   40
/* Readings whose least sure letter Tesseract is less sure of are dropped.
 * On the 29 generated seals of tests/accuracy/seals.ini the names read
 * exactly had 0.90-0.98; every wrong one (2-10 letters off) 0.85 or
 * less, most 0.65-0.80: confidence is no measure of a name otherwise. */
#define MIN_CONFIDENCE 0.89

/* The seal being read: its red ink as 8-bit (0 none .. 255), made round,
 * and the ring found on it. */
typedef struct {
	PIX *ink;
	int w, h;
	l_uint32 *data;
	int wpl;
	int thr;    /* ink at or above this is a seal pixel */
	int lo, hi; /* ink mapped to white..black in the strip */
	/* The ring: an ellipse of semi-axes R across and K * R down (K 1
	 * for a round seal). Radii (RHO) are across; a point at radius RHO
	 * lies R - RHO in from the ring along its normal. */
	double cx, cy, r, k;
	double tilt; /* an oval turned clockwise by this (radians) */
	double band_in, band_out; /* radii of the lettered band */
	double text_in, text_out; /* of the letters in it */
	int strip_h;		  /* the strip's band, in pixels */
	double up;		  /* clock angle (radians) of the page's top */
} Seal;

static int
seal_ink(const guint8 *rgb)
{
	int orange = MAX((int)rgb[1] - (int)rgb[2], 0);

	return CLAMP(ocr_red_excess(rgb) - ORANGE_WEIGHT * orange, 0, 255);
}

/* The ink of IMAGE's rectangle X, Y, W, H as a new 8-bit Pix. */
static PIX *
crop_ink(const IngestImage *image, int x0, int y0, int w, int h)
{
	PIX *pix = pixCreate(w, h, 8);
	l_uint32 *data;
	int wpl;

	if (pix == NULL)
		return NULL;
	data = pixGetData(pix);
	wpl = pixGetWpl(pix);
	for (int y = 0; y < h; y++) {
		const guint8 *src = image->pixels +
				    (gsize)(y0 + y) * image->stride +
				    (gsize)x0 * 3;
		l_uint32 *line = data + (gsize)y * wpl;

		for (int x = 0; x < w; x++, src += 3)
			SET_DATA_BYTE(line, x, seal_ink(src));
	}
	return pix;
}

/* Set the ink thresholds from the crop's own ink: faint ink on a phone
 * photo is 60-90, fresh ink on a scan 150-200. FALSE when there is too
 * little ink to be a seal. */
static gboolean
set_levels(Seal *s)
{
	guint hist[256] = {0};
	guint n = 0, seen = 0;
	int p90 = 0;

	for (int y = 0; y < s->h; y++) {
		l_uint32 *line = s->data + (gsize)y * s->wpl;

		for (int x = 0; x < s->w; x++) {
			int v = GET_DATA_BYTE(line, x);

			if (v >= MIN_INK) {
				hist[v]++;
				n++;
			}
		}
	}
	if ((guint64)n * 100 < (guint64)MIN_INK_PCT * s->w * s->h)
		return FALSE;
	for (p90 = 255; p90 > MIN_INK; p90--) {
		seen += hist[p90];
		if (seen * 10 >= n)
			break;
	}
	s->thr = MAX(MIN_INK, p90 * 2 / 5);
	s->lo = s->thr / 2;
	s->hi = MAX(s->lo + 10, p90 * 4 / 5);
	return TRUE;
}

static int
ink_at(const Seal *s, int x, int y)
{
	if (x < 0 || y < 0 || x >= s->w || y >= s->h)
		return 0;
	return GET_DATA_BYTE(s->data + (gsize)y * s->wpl, x);
}

/* (X, Y), a vector in the oval's own frame, turned by its TILT. */
static void
turn(double tilt, double *x, double *y)
{
	double c = cos(tilt), sn = sin(tilt), x0 = *x;

	*x = x0 * c - *y * sn;
	*y = x0 * sn + *y * c;
}

/* The outward normal of the ring at clock angle A (the ellipse's
 * parameter, in its own frame: A round a circle). */
static void
seal_normal(const Seal *s, double a, double *nx, double *ny)
{
	double x = s->k * sin(a), y = -cos(a), len;

	if (s->k == 1) {
		*nx = x;
		*ny = y;
		return;
	}
	len = hypot(x, y);
	*nx = x / len;
	*ny = y / len;
	turn(s->tilt, nx, ny);
}

/* The point at clock angle A and radius RHO of the seal's ring. */
static void
seal_point(const Seal *s, double a, double rho, double *x, double *y)
{
	double nx, ny;

	if (s->k == 1) {
		*x = s->cx + rho * sin(a);
		*y = s->cy - rho * cos(a);
		return;
	}
	seal_normal(s, a, &nx, &ny);
	*x = s->r * sin(a);
	*y = -s->k * s->r * cos(a);
	turn(s->tilt, x, y);
	*x += s->cx - (s->r - rho) * nx;
	*y += s->cy - (s->r - rho) * ny;
}

/* The clock angle (the ellipse's parameter) of the point (X, Y). */
static double
seal_angle(const Seal *s, double x, double y)
{
	x -= s->cx;
	y -= s->cy;
	turn(-s->tilt, &x, &y);
	return atan2(x * s->k, -y);
}

/* The ink at clock angle A, radius RHO. */
static int
ink_on(const Seal *s, double a, double rho)
{
	double x, y;

	seal_point(s, a, rho, &x, &y);
	return ink_at(s, (int)lround(x), (int)lround(y));
}

/* Inked points on the ellipse (CX, CY, R, K * R) turned by TILT, of
 * FIT_ANGLES; with SUM, the sum of their ink there too. */
/* sin and cos of the FIT_ANGLES angles of a fit: the fits of an oval
 * try some 90 000 ellipses. */
static const double *
fit_table(void)
{
	static double table[2 * FIT_ANGLES];
	static gsize ready;

	if (g_once_init_enter(&ready)) {
		for (int i = 0; i < FIT_ANGLES; i++) {
			double a = i * 2 * G_PI / FIT_ANGLES;

			table[2 * i] = sin(a);
			table[2 * i + 1] = cos(a);
		}
		g_once_init_leave(&ready, 1);
	}
	return table;
}

static int
ellipse_ink(const Seal *s, double cx, double cy, double r, double k,
	    double tilt, double *sum)
{
	const double *table = fit_table();
	double ct = cos(tilt), st = sin(tilt);
	int hits = 0;

	for (int i = 0; i < FIT_ANGLES; i++) {
		double ex = r * table[2 * i], ey = -k * r * table[2 * i + 1];
		int x, y, v;

		if (tilt != 0) {
			double x0 = ex;

			ex = x0 * ct - ey * st;
			ey = x0 * st + ey * ct;
		}
		x = (int)lround(cx + ex);
		y = (int)lround(cy + ey);
		v = ink_at(s, x, y);
		if (sum != NULL)
			*sum += v;
		hits += v >= s->thr;
	}
	return hits;
}

static int
circle_ink(const Seal *s, double cx, double cy, double r, double k, double tilt)
{
	return ellipse_ink(s, cx, cy, r, k, tilt, NULL);
}

/* The ring's size for what is measured against it: the smaller
 * semi-axis, the radius of a round seal. */
static double
seal_size(const Seal *s, double r)
{
	return r * MIN(1.0, s->k);
}

/* The ratios of axes tried for S's ring: its box's alone for a round
 * seal, within OVAL_SLACK of it in steps of 0.02 for an oval. */
static int
fit_ratios(const Seal *s, double *ratios, int max)
{
	int n = 0;

	if (s->k == 1) {
		ratios[n++] = 1;
		return n;
	}
	for (double f = 1 - OVAL_SLACK; f <= 1 + OVAL_SLACK + 1e-9 && n < max;
	     f += 0.02)
		ratios[n++] = s->k * f;
	return n;
}

/* An oval is stamped turned a little: refine its fitted ellipse by
 * turns up to TILT_MAX, with its axes, size and centre a few steps
 * (STEP, RSTEP pixels) about the level fit, to the most ink: a ring line
 * wider than a turn's shift is inked all round for several turns, its
 * ink is darkest along its middle. Returns the inked points of the
 * best. */
static int
fit_tilt(Seal *s, double step, double rstep)
{
	Seal level = *s;
	double best = -1;

	for (double t = -TILT_MAX; t <= TILT_MAX + 1e-9; t += G_PI / 360)
		for (double f = 0.96; f <= 1.04 + 1e-9; f += 0.01)
			for (int i = -3; i <= 3; i++)
				for (int dy = -2; dy <= 2; dy++)
					for (int dx = -2; dx <= 2; dx++) {
						double cx =
						    level.cx + dx * step;
						double cy =
						    level.cy + dy * step;
						double r = level.r + i * rstep;
						double sum = 0;

						ellipse_ink(s, cx, cy, r,
							    level.k * f, t,
							    &sum);
						if (sum > best) {
							best = sum;
							s->cx = cx;
							s->cy = cy;
							s->r = r;
							s->k = level.k * f;
							s->tilt = t;
						}
					}
	return circle_ink(s, s->cx, s->cy, s->r, s->k, s->tilt);
}

/* Fit the ring line around R0 from (CX0, CY0): the circle (ellipse,
 * for an oval) with the most ink, then its line's outer and inner edges,
 * which set the band. */
static gboolean
fit_ring(Seal *s, double cx0, double cy0, double r0)
{
	double step = MAX(1.0, r0 * 0.015), rstep = MAX(1.0, r0 * 0.01);
	double shift = r0 * FIT_SHIFT, out, in, ratios[16];
	int best = -1, n_ratios = fit_ratios(s, ratios, 16);
	double k = s->k;

	for (double dy = -shift; dy <= shift; dy += step)
		for (double dx = -shift; dx <= shift; dx += step)
			for (double r = r0 * FIT_MIN; r <= r0 * FIT_MAX;
			     r += rstep)
				for (int i = 0; i < n_ratios; i++) {
					int hits =
					    circle_ink(s, cx0 + dx, cy0 + dy, r,
						       ratios[i], 0);

					if (hits > best) {
						best = hits;
						s->cx = cx0 + dx;
						s->cy = cy0 + dy;
						s->r = r;
						k = ratios[i];
					}
				}
	s->k = k;
	if (s->k != 1)
		best = fit_tilt(s, step, rstep);
	if (best < MIN_RING_COVER * FIT_ANGLES)
		return FALSE;
	out = s->r;
	while (circle_ink(s, s->cx, s->cy, out + 1, s->k, s->tilt) >=
	       RING_EDGE * best)
		out += 1;
	in = s->r;
	while (in > 2 && circle_ink(s, s->cx, s->cy, in - 1, s->k, s->tilt) >=
			     RING_EDGE * best)
		in -= 1;
	s->r = out;
	s->band_out = in - RING_GAP * seal_size(s, out);
	s->band_in = s->band_out - BAND_DEPTH * seal_size(s, out);
	return s->band_in > 0;
}

/* Pixels along the ring at radius RHO from clock angle A0 to A1: the
 * arc's length. */
static double
arc_length(const Seal *s, double a0, double a1, double rho)
{
	double len = 0, x0, y0, x1, y1;

	if (s->k == 1)
		return (a1 - a0) * rho;
	seal_point(s, a0, rho, &x0, &y0);
	for (int i = 1; i <= 64; i++) {
		seal_point(s, a0 + (a1 - a0) * i / 64, rho, &x1, &y1);
		len += hypot(x1 - x0, y1 - y0);
		x0 = x1;
		y0 = y1;
	}
	return len;
}

/* Share of ink in the band along clock angle A (radians). */
static double
ray_ink(const Seal *s, double a)
{
	int hits = 0, n = 0;

	for (double rho = s->band_in; rho <= s->band_out; rho += 1, n++) {
		hits += ink_on(s, a, rho) >= s->thr;
	}
	return n > 0 ? (double)hits / n : 0;
}

/* Share of ink on the radial line at clock angle A from radius IN to
 * OUT. */
static double
line_ink(const Seal *s, double a, double in, double out)
{
	int hits = 0, n = 0;

	for (double rho = in; rho <= out; rho += 1, n++) {
		hits += ink_on(s, a, rho) >= s->thr;
	}
	return n > 0 ? (double)hits / n : 0;
}

/* Where the ring's lettering runs: *FROM and *TO, clock angles from the
 * page's top in degrees, found from the ink in the band degree by degree
 * (half-degree rays, summed over 9 degrees: about a letter). FALSE when
 * there is no lettering at the top, or the band is solid ink. */
static gboolean
find_run(const Seal *s, int *from, int *to)
{
	double deg[2 * RUN_MAX_DEG + 1], smooth[2 * RUN_MAX_DEG + 1];
	double top = 0, sum = 0;
	int n = 2 * RUN_MAX_DEG + 1, peak = RUN_MAX_DEG, gap;

	for (int i = 0; i < n; i++) {
		double a = s->up + (i - RUN_MAX_DEG) * G_PI / 180;

		deg[i] =
		    (ray_ink(s, a - G_PI / 720) + ray_ink(s, a + G_PI / 720)) /
		    2;
	}
	for (int i = 0; i < n; i++) {
		double t = 0;
		int m = 0;

		for (int j = MAX(i - 4, 0); j <= MIN(i + 4, n - 1); j++, m++)
			t += deg[j];
		smooth[i] = t / m;
		if (abs(i - RUN_MAX_DEG) <= 30 && smooth[i] > top) {
			top = smooth[i];
			peak = i;
		}
		if (abs(i - RUN_MAX_DEG) <= 60)
			sum += deg[i];
	}
	if (top < 0.04 || sum / 121 > SOLID_SHARE)
		return FALSE;
	*to = peak;
	gap = 0;
	for (int i = peak; i < n && gap <= RUN_GAP_DEG; i++) {
		gap = smooth[i] >= top * 0.2 ? 0 : gap + 1;
		if (gap == 0)
			*to = i;
	}
	*from = peak;
	gap = 0;
	for (int i = peak; i >= 0 && gap <= RUN_GAP_DEG; i--) {
		gap = smooth[i] >= top * 0.2 ? 0 : gap + 1;
		if (gap == 0)
			*from = i;
	}
	*from -= RUN_MAX_DEG;
	*to -= RUN_MAX_DEG;
	return *to - *from >= 20;
}

/* Bilinear ink at (X, Y), as the strip's grey: ink black, else white. */
static int
strip_grey(const Seal *s, double x, double y)
{
	int x0 = (int)floor(x), y0 = (int)floor(y);
	double fx = x - x0, fy = y - y0;
	double v = (1 - fy) * ((1 - fx) * ink_at(s, x0, y0) +
			       fx * ink_at(s, x0 + 1, y0)) +
		   fy * ((1 - fx) * ink_at(s, x0, y0 + 1) +
			 fx * ink_at(s, x0 + 1, y0 + 1));
	int g = (int)lround((v - s->lo) * 255 / (s->hi - s->lo));

	return 255 - CLAMP(g, 0, 255);
}

/* The band from clock angle FROM to TO (degrees from the page's top)
 * unwrapped by polar transform (angle along x, the outer edge at the
 * top) into a new 8-bit strip, white-bordered: the fallback when the
 * letters cannot be counted. */
static PIX *
unwrap(const Seal *s, int from, int to)
{
	double a0 = s->up + (from - 3) * G_PI / 180;
	double a1 = s->up + (to + 3) * G_PI / 180;
	double depth = s->band_out - s->band_in;
	double mid = (s->band_out + s->band_in) / 2;
	double scale = s->strip_h / depth;
	int w = MAX((int)lround(arc_length(s, a0, a1, mid) * scale), 1);
	PIX *strip = pixCreate(w, s->strip_h, 8), *framed;
	l_uint32 *data;
	int wpl;

	if (strip == NULL)
		return NULL;
	data = pixGetData(strip);
	wpl = pixGetWpl(strip);
	for (int y = 0; y < s->strip_h; y++) {
		double rho = s->band_out - (y + 0.5) / scale;
		l_uint32 *line = data + (gsize)y * wpl;

		for (int x = 0; x < w; x++) {
			double a = a0 + (a1 - a0) * (x + 0.5) / w, px, py;

			seal_point(s, a, rho, &px, &py);
			SET_DATA_BYTE(line, x, strip_grey(s, px, py));
		}
	}
	framed = pixAddBorder(strip, STRIP_BORDER, 255);
	pixDestroy(&strip);
	return framed;
}

/* Share of ink on the arc of radius RHO from clock angle A0 to A1. */
static double
arc_ink(const Seal *s, double rho, double a0, double a1)
{
	double step = 0.5 / MAX(rho, 1);
	int hits = 0, n = 0;

	for (double a = a0; a <= a1; a += step, n++) {
		hits += ink_on(s, a, rho) >= s->thr;
	}
	return n > 0 ? (double)hits / n : 0;
}

/* Narrow the band to the radii the lettering really has between clock
 * angles A0 and A1: the run of radii around the most inked one whose ink
 * stays above a fifth of it, and a little more. (An eighth and twice the
 * margin read the generated seals worse: 2 of 29 exactly, not 3.) */
static void
fit_letters(Seal *s, double a0, double a1)
{
	int n = (int)(s->band_out - s->band_in) + 1, peak = 0;
	double *ink = g_new0(double, n);
	int lo, hi;

	/* The peak is looked for away from the ring line, whose edge may
	 * still reach into the band. */
	for (int i = 0; i < n; i++) {
		ink[i] = arc_ink(s, s->band_in + i, a0, a1);
		if (ink[i] > ink[peak] &&
		    i < n - LETTER_MARGIN * 3 * seal_size(s, s->r))
			peak = i;
	}
	for (lo = peak; lo > 0 && ink[lo - 1] >= ink[peak] / 5; lo--)
		;
	for (hi = peak; hi < n - 1 && ink[hi + 1] >= ink[peak] / 5; hi++)
		;
	g_free(ink);
	s->text_in = MAX(s->band_in,
			 s->band_in + lo - LETTER_MARGIN * seal_size(s, s->r));
	s->text_out = MIN(s->band_out,
			  s->band_in + hi + LETTER_MARGIN * seal_size(s, s->r));
}

/* How many letters stand between clock angles A0 and A1 (radians), the
 * ends of the run: seal lettering is evenly spaced, so the count whose
 * boundaries fall in the gaps - least ink on the radial lines between
 * letters - with a pitch near a letter's height. 0 when none fits. */
static int
count_letters(const Seal *s, double a0, double a1)
{
	double height = s->text_out - s->text_in;
	/* Pixels per radian along the middle of the letters: on an oval,
	 * the mean over the run. */
	double mid =
	    arc_length(s, a0, a1, (s->text_out + s->text_in) / 2) / (a1 - a0);
	double arc = (a1 - a0) * mid, total = 0, best_score = G_MAXDOUBLE;
	int best = 0, lo = MAX((int)ceil(arc / (PITCH_MAX * height)), 2);
	int hi = (int)floor(arc / (PITCH_MIN * height));
	double in = s->text_in, out = s->text_out;

	for (double a = a0; a <= a1; a += 1.0 / mid)
		total += line_ink(s, a, in, out);
	total /= MAX((a1 - a0) * mid, 1);
	if (total <= 0)
		return 0;
	for (int n = lo; n <= MIN(hi, MAX_LETTERS); n++) {
		double pitch = (a1 - a0) / n, gaps = 0, score;

		for (int k = 1; k < n; k++) {
			double at = a0 + k * pitch, least = 1;

			for (double d = -GAP_SLACK; d <= GAP_SLACK; d += 0.5)
				least = MIN(least,
					    line_ink(s, at + d / mid, in, out));
			gaps += least;
		}
		score = gaps / (n - 1) / total +
			PITCH_WEIGHT *
			    fabs(log(pitch * mid / height / PITCH_TYPICAL));
		if (score < best_score) {
			best_score = score;
			best = n;
		}
	}
	return best;
}

/* Letter I of N between clock angles A0 and A1, turned upright, drawn
 * into STRIP from column X0 at SCALE strip pixels per seal pixel. Each
 * letter is cut out along the radial lines to its neighbours, so the
 * turn does not bring theirs in. */
static void
draw_letter(const Seal *s, PIX *strip, int x0, int w, double scale, double a0,
	    double a1, int i, int n)
{
	double pitch = (a1 - a0) / n, mid_a = a0 + (i + 0.5) * pitch;
	double sn, cs, half = s->k == 1 ? 0.5 : OVAL_CELL;
	l_uint32 *data = pixGetData(strip);
	int wpl = pixGetWpl(strip), h = pixGetHeight(strip);

	/* The letter stands on the ring's normal N = (SN, -CS); across it
	 * runs the tangent (CS, SN). */
	seal_normal(s, mid_a, &sn, &cs);
	cs = -cs;
	for (int y = 0; y < h; y++) {
		double rho = s->text_out - (y + 0.5) / scale, ox, oy;
		l_uint32 *line = data + (gsize)y * wpl;

		seal_point(s, mid_a, rho, &ox, &oy);
		for (int x = 0; x < w; x++) {
			double u = (x + 0.5 - w / 2.0) / scale;
			double px = ox + u * cs;
			double py = oy + u * sn;
			double a = seal_angle(s, px, py);
			double off = remainder(a - mid_a, 2 * G_PI);

			/* The first and last letters have no neighbour
			 * outside the run, where the run's ends, found
			 * from the ink, may have cut them. */
			gboolean own = fabs(off) <= pitch * half ||
				       (i == 0 && off < 0) ||
				       (i == n - 1 && off > 0);

			SET_DATA_BYTE(line, x0 + x,
				      own ? strip_grey(s, px, py) : 255);
		}
	}
}

/* The run from clock angle FROM to TO (degrees from the page's top) as a
 * line of upright letters, white-bordered; NULL when its letters cannot
 * be counted. */
static PIX *
unwrap_letters(Seal *s, int from, int to)
{
	double a0 = s->up + from * G_PI / 180, a1 = s->up + to * G_PI / 180;
	double mid, scale, pitch;
	int n, w;
	PIX *strip, *framed;

	fit_letters(s, a0, a1);
	n = count_letters(s, a0, a1);
	if (n == 0)
		return NULL;
	mid = arc_length(s, a0, a1, (s->text_out + s->text_in) / 2) / (a1 - a0);
	scale = s->strip_h / (s->text_out - s->text_in);
	pitch = (a1 - a0) / n;
	w = MAX((int)lround(pitch * mid * scale), 1);
	strip = pixCreate(w * n, s->strip_h, 8);
	if (strip == NULL)
		return NULL;
	for (int i = 0; i < n; i++)
		draw_letter(s, strip, i * w, w, scale, a0, a1, i, n);
	framed = pixAddBorder(strip, STRIP_BORDER, 255);
	pixDestroy(&strip);
	return framed;
}

/* The crop of IMAGE around BOX, ink only, and the ring's first guess:
 * the box's; FALSE for a box at the page edge or without enough ink. */
static gboolean
load_seal(Seal *s, const IngestImage *image, const CoreBox *box)
{
	double bw = box->w * image->width, bh = box->h * image->height;
	int x0 =
	    MAX((int)floor((box->x - box->w * CROP_MARGIN) * image->width), 0);
	int y0 =
	    MAX((int)floor((box->y - box->h * CROP_MARGIN) * image->height), 0);
	int x1 =
	    MIN((int)ceil((box->x + box->w * (1 + CROP_MARGIN)) * image->width),
		image->width);
	int y1 = MIN(
	    (int)ceil((box->y + box->h * (1 + CROP_MARGIN)) * image->height),
	    image->height);
	gboolean oval = bw > OVAL_ASPECT * bh || bh > OVAL_ASPECT * bw;

	if (box->x < EDGE_FRACTION || box->y < EDGE_FRACTION ||
	    box->x + box->w > 1 - EDGE_FRACTION ||
	    box->y + box->h > 1 - EDGE_FRACTION || x1 - x0 < 16 || y1 - y0 < 16)
		return FALSE;
	s->ink = crop_ink(image, x0, y0, x1 - x0, y1 - y0);
	if (s->ink == NULL)
		return FALSE;
	s->w = pixGetWidth(s->ink);
	s->h = pixGetHeight(s->ink);
	s->data = pixGetData(s->ink);
	s->wpl = pixGetWpl(s->ink);
	s->cx = (box->x + box->w / 2) * image->width - x0;
	s->cy = (box->y + box->h / 2) * image->height - y0;
	s->r = oval ? bw / 2 : MAX(bw, bh) / 2;
	s->k = oval ? bh / bw : 1;
	return set_levels(s);
}

/* The run from FROM to TO read as one line from a strip STRIP_H deep:
 * a new string, NULL when the strip cannot be drawn, and in *CONFIDENCE
 * how sure Tesseract is of its least sure letter. */
static char *
read_run(OcrEngine *engine, Seal *s, int from, int to, int strip_h, int dpi,
	 double *confidence)
{
	PIX *strip;
	char *raw = NULL;

	s->strip_h = strip_h;
	strip = unwrap_letters(s, from, to);
	if (strip == NULL)
		strip = unwrap(s, from, to);
	*confidence = 0;
	if (strip != NULL)
		raw = ocr_engine_read_line(engine, strip, dpi, confidence);
	g_debug("ocr: seal ring (axes %.2f, turned %.0f degrees) %d..%d "
		"degrees at %d px read '%s' (confidence %.2f)",
		s->k, s->tilt * 180 / G_PI, from, to, strip_h,
		raw != NULL ? g_strstrip(raw) : "", *confidence);
	pixDestroy(&strip);
	return raw;
}

/* Whether A and B (UTF-8) are at most one letter apart: one changed,
 * added or dropped. */
static gboolean
one_apart(const char *a, const char *b)
{
	glong na = 0, nb = 0, i = 0;
	gunichar *ua = g_utf8_to_ucs4_fast(a, -1, &na);
	gunichar *ub = g_utf8_to_ucs4_fast(b, -1, &nb);
	gboolean near = FALSE;

	while (i < na && i < nb && ua[i] == ub[i])
		i++;
	if (i == na && i == nb) {
		near = TRUE;
	} else if (ABS(na - nb) <= 1) {
		/* Past the first difference the rest is the same once the
		 * letter there is skipped: in the longer one, or in both. */
		glong ia = i + (na >= nb), ib = i + (nb >= na);

		near = na - ia == nb - ib &&
		       memcmp(ua + ia, ub + ib,
			      (gsize)(na - ia) * sizeof(gunichar)) == 0;
	}
	g_free(ua);
	g_free(ub);
	return near;
}

/* The name read from the run, if it is read with confidence, looks like
 * a name, and reads about the same from a strip of another depth. */
static char *
read_name(OcrEngine *engine, Seal *s, int from, int to, int dpi)
{
	double confidence = 0, again_confidence = 0;
	char *raw =
	    read_run(engine, s, from, to, STRIP_HEIGHT, dpi, &confidence);
	char *name = NULL, *again = NULL, *raw_again = NULL;

	if (raw != NULL && confidence >= MIN_CONFIDENCE)
		name = ocr_seal_name_clean(raw);
	if (name != NULL) {
		raw_again = read_run(engine, s, from, to, STRIP_HEIGHT_CHECK,
				     dpi, &again_confidence);
		again = ocr_seal_name_clean(raw_again);
		if (again == NULL || !one_apart(name, again))
			g_clear_pointer(&name, g_free);
	}
	g_free(again);
	g_free(raw_again);
	g_free(raw);
	return name;
}

char *
ocr_seal_read(OcrEngine *engine, const IngestImage *image, const CoreBox *box,
	      int rotation, GError **error)
{
	Seal s = {0};
	char *name = NULL;
	int from, to;

	if (!ocr_image_check(image, error))
		return NULL;
	if (image->channels != 3 || box == NULL || box->w <= 0 || box->h <= 0)
		return NULL;
	/* The page's top, in the image as given, is where turning it by
	 * ROTATION clockwise brings to the top. */
	s.up = -rotation * G_PI / 180;
	if (load_seal(&s, image, box) && fit_ring(&s, s.cx, s.cy, s.r) &&
	    find_run(&s, &from, &to))
		name = read_name(engine, &s, from, to,
				 image->dpi > 0 ? image->dpi : 300);
	pixDestroy(&s.ink);
	return name;
}

/* ---- the name ----------------------------------------------------------- */

/* Words that close a special seal's lettering rather than the name. */
static const char *const seal_marks[] = {
    "检验检测专用章", "电子回单专用章", "合同专用章", "财务专用章",
    "发票专用章",     "业务专用章",	"专用章",     "公章",
};

/* Endings of organisation names, longest first where one ends another. */
static const char *const org_endings[] = {
    "公司", "局",     "中心",	"研究院", "研究所", "事务所", "所",
    "厂",   "银行",   "分行",	"支行",	  "委员会", "协会",   "学会",
    "大学", "学院",   "学校",	"医院",	  "站",	    "部",     "院",
    "集团", "合作社", "办公室", "政府",	  "厅",	    "馆",     "处",
};

/* Only names this long (in characters) and this Chinese are taken. */
#define NAME_MIN_CHARS 4
#define NAME_MIN_HAN   0.8
#define NAME_MIN_OWN   2

static gboolean
ends_with(const GString *s, const char *end)
{
	gsize n = strlen(end);

	return s->len >= n && memcmp(s->str + s->len - n, end, n) == 0;
}

/* Whether NAME ends as an organisation's name does, after at least
 * NAME_MIN_OWN characters of its own ("有限公司" alone is no name). */
static gboolean
has_org_ending(const GString *name)
{
	static const char *const company[] = {"股份有限公司", "有限责任公司",
					      "有限公司"};
	gsize own = name->len;

	for (guint i = 0; i < G_N_ELEMENTS(company); i++)
		if (ends_with(name, company[i])) {
			own = name->len - strlen(company[i]);
			break;
		}
	for (guint i = 0; i < G_N_ELEMENTS(org_endings) && own == name->len;
	     i++)
		if (ends_with(name, org_endings[i]))
			own = name->len - strlen(org_endings[i]);
	return own < name->len &&
	       g_utf8_strlen(name->str, (gssize)own) >= NAME_MIN_OWN;
}

/* The characters of RAW a name keeps, brackets made full-width. *HAN and
 * *CHARS count the Chinese ones and all. */
static GString *
name_chars(const char *raw, int *han, int *chars)
{
	GString *out = g_string_new(NULL);

	*han = *chars = 0;
	for (const char *p = raw; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c == '(' || c == 0xFF08)
			c = 0xFF08;
		else if (c == ')' || c == 0xFF09)
			c = 0xFF09;
		else if (g_unichar_get_script(c) == G_UNICODE_SCRIPT_HAN)
			(*han)++;
		else if (!(c < 0x80 && g_ascii_isalnum((char)c)))
			continue;
		g_string_append_unichar(out, c);
		(*chars)++;
	}
	return out;
}

char *
ocr_seal_name_clean(const char *raw)
{
	GString *name;
	int han, chars;
	gboolean ok = FALSE;

	if (raw == NULL)
		return NULL;
	name = name_chars(raw, &han, &chars);
	for (guint i = 0; i < G_N_ELEMENTS(seal_marks); i++)
		if (ends_with(name, seal_marks[i])) {
			gsize cut = strlen(seal_marks[i]);

			g_string_truncate(name, name->len - cut);
			han -= (int)g_utf8_strlen(seal_marks[i], -1);
			chars -= (int)g_utf8_strlen(seal_marks[i], -1);
			break;
		}
	if (chars >= NAME_MIN_CHARS && han >= NAME_MIN_HAN * chars)
		ok = has_org_ending(name);
	if (!ok) {
		g_string_free(name, TRUE);
		return NULL;
	}
	return g_string_free(name, FALSE);
}
