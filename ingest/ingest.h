/* ingest.h - turn a claim folder into files and pages: walk the folder,
 * detect each file's kind from its bytes, hash it, read and judge a PDF's
 * text layer per page (with its words), decode a page to pixels (PDF render
 * or image load) when it must be OCR'd, and find the red seals on a page.
 * Only this module talks to poppler and libheif; pixels leave it as an
 * IngestImage, the project's own type. */
#ifndef EVIDCHECK_INGEST_H
#define EVIDCHECK_INGEST_H

#include <glib.h>

#include "core/core.h"

G_BEGIN_DECLS

/* Named limits, checked before the data they bound is decoded; each is
 * explained in docs/limits.md (its value, why, where it is checked, what
 * the provider is told). A file over one becomes an UNREADABLE_FILE
 * finding that names the file, the limit and the value found. */
#define INGEST_MAX_FILE_BYTES (256 * 1024 * 1024) /* one upload */
#define INGEST_MAX_PAGES      1000		  /* pages of one file */
#define INGEST_MAX_PIXELS     (120 * 1000 * 1000) /* one decoded page */
/* One image decoded: width x height x samples x bytes per sample, as its
 * header declares them (a 120 MP RGB photo is 360 MB). */
#define INGEST_MAX_DECODED_BYTES (512 * 1024 * 1024)
/* A PDF page's side in points (1/72 inch): 200 inches, the largest page
 * PDF readers are required to handle (ISO 32000-1, annex C). */
#define INGEST_MAX_PAGE_POINTS 14400
/* One Flate stream of a PDF, inflated, and all of them together: measured
 * before poppler opens the file (a "zip bomb" stream is refused, not
 * parsed). 384 MiB holds a 120 MP RGB page image. */
#define INGEST_MAX_PDF_STREAM_BYTES   (384 * 1024 * 1024)
#define INGEST_MAX_PDF_INFLATED_BYTES ((gint64)2 * 1024 * 1024 * 1024)
#define INGEST_RENDER_DPI	      300 /* PDF pages for OCR */
/* A PDF page whose text layer has fewer meaningful characters than this is
 * treated as having no text layer and is OCR'd. */
#define INGEST_MIN_LAYER_CHARS 20
/* A page's text layer is used instead of OCR when its score (see
 * ingest_layer_score) is at least this. */
#define INGEST_LAYER_MIN_SCORE 0.5
/* Images placed on one PDF page that are measured for the page's image
 * cover; a page with more is taken as fully covered. */
#define INGEST_MAX_PAGE_IMAGES 4096

typedef enum {
	INGEST_KIND_UNKNOWN = 0,
	INGEST_KIND_PDF,
	INGEST_KIND_JPEG,
	INGEST_KIND_PNG,
	INGEST_KIND_TIFF,
	INGEST_KIND_WEBP,
	INGEST_KIND_BMP,
	INGEST_KIND_HEIC /* HEIF stills: iPhone photos (ftyp heic, mif1...) */
} IngestKind;

/* "pdf", "jpeg", "png", "tiff", "webp", "bmp", "heic" or "unknown".
 * Static. */
const char *ingest_kind_name(IngestKind kind);

/* The kind of the LEN bytes at DATA, judged by magic numbers alone. */
IngestKind ingest_kind_sniff(const guint8 *data, gsize len);

typedef struct {
	char *path;	/* relative to the claim folder, UTF-8, '/' separated */
	char *abs_path; /* as found on disk (filename encoding) */
	IngestKind kind;
	char sha256[65]; /* lowercase hex of the whole file */
	gint64 size;	 /* bytes */
	int n_pages;	 /* pages (images: frames); 0 when unreadable */
	/* PDF only (NULL for images), one entry per page, index 0 = page 1.
	 * layer_text: char*, the page's text layer as UTF-8, or "" when it is
	 * not trusted (the page must be OCR'd).
	 * layer_score: double 0..1, how far the layer can be trusted (see
	 * ingest_layer_score); trusted when >= INGEST_LAYER_MIN_SCORE.
	 * layer_verdict: IngestLayerVerdict, the decision and its reason.
	 * layer_words: GArray* of CoreWord, the layer's words with their boxes
	 * (fractions of the upright page, confidence 1); an empty array for a
	 * page whose layer is not trusted. */
	GPtrArray *layer_text;
	GArray *layer_score;
	GArray *layer_verdict;
	GPtrArray *layer_words;
	/* Set when the file cannot be read at all (damaged, encrypted, over a
	 * limit, unsupported). The message names the file and the reason. */
	GError *error;
	gboolean loaded; /* ingest_file_load has run */
} IngestFile;

void ingest_file_free(IngestFile *file);

/* Walk DIR (sub-folders too) and return every evidence file as an
 * IngestFile*, sorted by path; the array owns them. Skipped: claim.json at
 * the top (its absolute path goes to *CLAIM_JSON if that is not NULL, else
 * NULL), hidden files and folders, and symbolic links to folders inside
 * DIR. A symbolic link to a regular file inside DIR is read under the
 * link's name (abs_path is the resolved target); a link leading outside
 * DIR, nowhere or in a loop is returned not followed, with ->error saying
 * so. A file that cannot be read is still returned, with ->error set.
 * Returns NULL with ERROR set only when DIR itself cannot be read. */
GPtrArray *ingest_claim_scan(const char *dir, char **claim_json,
			     GError **error);

/* ingest_claim_scan in two steps, so files can be read in parallel: the
 * walk alone returns the files as ingest_claim_scan does but not yet read
 * (only path, abs_path and, for an entry that could not be listed,
 * error); ingest_file_load then reads one of them. Loading different files
 * from different threads at once is safe. */
GPtrArray *ingest_claim_list(const char *dir, char **claim_json,
			     GError **error);

/* Read FILE (kind, hash, pages, text layer) in place; a second call does
 * nothing. Failures are left in FILE->error. */
void ingest_file_load(IngestFile *file);

/* Read one file as ingest_claim_scan does. REL_PATH is what the report
 * calls it. Never NULL. */
IngestFile *ingest_file_read(const char *abs_path, const char *rel_path);

/* Why a PDF page's text layer is or is not used. */
typedef enum {
	INGEST_LAYER_NONE = 0, /* fewer than INGEST_MIN_LAYER_CHARS letters or
				  digits: no text layer to speak of */
	INGEST_LAYER_TRUSTED,  /* read from the layer, not OCR'd */
	INGEST_LAYER_GARBLED,  /* junk: mojibake, replacement, private-use or
				  control characters, long runs of one letter,
				  or letters but almost no Chinese */
	INGEST_LAYER_SCANNED   /* an image covers most of the page and the
				  layer holds only a line or two (a typed header
				  or page number over a scan) */
} IngestLayerVerdict;

/* "none", "trusted", "garbled" or "scanned". Static. */
const char *ingest_layer_verdict_name(IngestLayerVerdict verdict);

/* Score TEXT, a PDF page's text layer, on a page whose area is covered by
 * images to the share IMAGE_COVER (0..1): 1 is clean text, 0 is nothing
 * worth reading. The page is read from the layer when the score is at
 * least INGEST_LAYER_MIN_SCORE. The score multiplies penalties for broken
 * characters (U+FFFD, private use, controls, unassigned, invalid UTF-8),
 * mojibake (Latin-1 letters where Chinese was encoded), runs of one letter,
 * mostly-symbol text, letters with under 10 % Chinese among them, and -
 * when images cover most of the page - too little text to be the page's
 * content. Fewer than INGEST_MIN_LAYER_CHARS letters or digits score below
 * INGEST_LAYER_MIN_SCORE. Sets *VERDICT (may be NULL). */
double ingest_layer_score(const char *text, double image_cover,
			  IngestLayerVerdict *verdict);

typedef struct {
	int width;
	int height;
	int channels; /* 1 = 8-bit grey, 3 = RGB */
	int stride;   /* bytes per row */
	int dpi;      /* resolution the pixels are at (best guess for photos) */
	guint8 *pixels; /* owned */
} IngestImage;

/* Decode page PAGE (1-based) of FILE to pixels: a PDF page is rendered at
 * INGEST_RENDER_DPI (lowered to stay under INGEST_MAX_PIXELS), an image is
 * loaded at its own resolution, scaled down to INGEST_RENDER_DPI when it is
 * finer (a 600 dpi scan, a 12 MP photo of an A4 page). The same as
 * ingest_page_render_at(FILE, PAGE, INGEST_RENDER_DPI, ERROR). Safe to
 * call from several threads at once for different or the same file.
 * Returns a new image the caller owns, or NULL with ERROR set. */
IngestImage *ingest_page_render(const IngestFile *file, int page,
				GError **error);

/* The same at DPI: a PDF page is rendered at DPI, lowered to stay under
 * INGEST_MAX_PIXELS; an image is scaled down when DPI is below its own
 * resolution (a JPEG is decoded at 1/2, 1/4 or 1/8 size when that is still
 * at least DPI), never up, so a cheap low-resolution look (seal detection)
 * stays cheap for photos too. image->dpi says what the result is at. A DPI
 * outside 1..INGEST_RENDER_DPI * 4 is a CORE_ERROR_USAGE. */
IngestImage *ingest_page_render_at(const IngestFile *file, int page, int dpi,
				   GError **error);

/* What ingest_pages_render_at hands over for each page: its IMAGE
 * (borrowed, freed after the call) or, when it could not be drawn, NULL
 * and the ERROR it met (borrowed). */
typedef void (*IngestPageFunc)(int page, const IngestImage *image,
			       const GError *error, gpointer data);

/* Draw pages FIRST..LAST of FILE at DPI, reading and parsing the file
 * once, and call EACH for every page in order: for a run of PDF pages
 * this costs a fraction of ingest_page_render_at per page. Returns FALSE
 * with ERROR set, before any call, when the file cannot be read at all.
 * Thread-safe as ingest_page_render is. */
gboolean ingest_pages_render_at(const IngestFile *file, int first, int last,
				int dpi, IngestPageFunc each, gpointer data,
				GError **error);

/* Draw only the regions BOXES[0..N) of PDF page PAGE of FILE at DPI,
 * parsing the file once: each box (fractions of the upright page, as the
 * text layer's word boxes are) widened by MARGIN_PT points on every side
 * and clipped to the page. For reading one line of a text-layer page
 * again from its pixels without drawing the page: about as many pixels
 * as the line has. Returns a new array of N IngestImage* (it frees them;
 * the caller owns it), or NULL with ERROR set: CORE_ERROR_UNSUPPORTED for
 * a file that is not a PDF, CORE_ERROR_USAGE for an empty box or one too
 * large to draw. Thread-safe as ingest_page_render is. */
GPtrArray *ingest_page_render_regions(const IngestFile *file, int page,
				      const CoreBox *boxes, guint n,
				      double margin_pt, int dpi,
				      GError **error);

/* Resolution at which seals are looked for on pages that are not OCR'd. */
#define INGEST_SEAL_DPI 45

/* Find the red seals (round company seals, oval 发票专用章, square
 * personal seals) on IMAGE by colour: append a CoreBox (fractions of the
 * page) per seal to BOXES, a core_boxes_new() array, top to bottom.
 * Returns how many were found; 0 for a grey image. Pages finer than 90 dpi
 * are looked at downscaled to 45-90 dpi, so any resolution is cheap: 1-2 ms
 * for an A4 page at INGEST_SEAL_DPI, about 4 ms at 300 dpi. Kept: red, not
 * orange-brown (the printed form of VAT invoices) nor purple; 12-60 mm
 * across; not thinner than about 1:2; neither sparse nor solid (bank logos,
 * printed emblems, red cloth); not among other strong colours (a picture).
 * A seal on a photo of people or things is found like any other.
 * Thread-safe. */
int ingest_image_find_seals(const IngestImage *image, GArray *boxes);

/* Draw each seal of BOXES (CoreBox, fractions of the upright page, as
 * ingest_image_find_seals gave them on a drawing of PDF page PAGE of FILE
 * at any resolution) alone, with some of the page around it, at DPI: for
 * reading a text-layer page's seal rings without drawing the page. The
 * seal is found again on each drawing, and its box there (fractions of
 * that drawing; the box carried over when it is not found again) appended
 * to FOUND, a core_boxes_new() array. Returns a new array of BOXES->len
 * IngestImage* (it frees them; the caller owns it), or NULL with ERROR set
 * as ingest_page_render_regions sets it. Thread-safe. */
GPtrArray *ingest_page_render_seals(const IngestFile *file, int page,
				    const GArray *boxes, int dpi, GArray *found,
				    GError **error);

void ingest_image_free(IngestImage *image);

/* A 64-bit perceptual hash (DCT pHash) of IMAGE as it looks turned
 * ROTATION degrees clockwise (0, 90, 180, 270: OcrResult.rotation), for
 * CorePage.phash: a re-encoded, re-saved or re-scanned copy of a page
 * lands within a few bits of it (store_phash_distance), another page
 * seldom. 0 for a blank page (no contrast), which would match every
 * other blank page. Averages at most 512 x 512 samples: 0.6 ms for a
 * 300 dpi A4 RGB page (docs/store.md), next to seconds of OCR.
 * Thread-safe. */
guint64 ingest_image_phash(const IngestImage *image, int rotation);

/* ---- codes ---------------------------------------------------------- */

/* Payloads longer than this are cut (a VAT invoice's is under 100 bytes),
 * and at most this many codes are kept per page. */
#define INGEST_MAX_CODE_BYTES 4096
#define INGEST_MAX_CODES      16

/* Decode the QR codes on IMAGE (grey or RGB, any angle) with ZBar: append
 * each payload, as a new UTF-8 string (invalid bytes replaced), to
 * PAYLOADS, a GPtrArray that frees with g_free and owns them; top to
 * bottom, each distinct payload once. Returns how many were appended.
 * Cheap enough for every OCR'd page (OCR takes seconds): CPU time
 * measured on generated pages, about 85 ms for an A4 scan at 300 dpi and
 * 40-50 ms for an invoice (241 x 140 mm); 15-30 ms for the invoice at
 * 150 dpi. Lines are scanned more sparsely the finer the image (IMAGE->dpi).
 * A QR code needs about 3 pixels per module: 150 dpi for an invoice's
 * 19 mm code; 45 dpi finds none. Thread-safe: each call has its own
 * scanner. */
int ingest_image_find_codes(const IngestImage *image, GPtrArray *payloads);

G_END_DECLS

#endif
