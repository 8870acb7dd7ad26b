/* ingest.h - turn a claim folder into files and pages: walk the folder,
 * detect each file's kind from its bytes, hash it, read a PDF's text layer
 * per page, and decode a page to pixels (PDF render or image load) when it
 * must be OCR'd. Only this module talks to poppler; pixels leave it as an
 * IngestImage, the project's own type. */
#ifndef EVIDCHECK_INGEST_H
#define EVIDCHECK_INGEST_H

#include <glib.h>

G_BEGIN_DECLS

/* Named limits, checked before the data they bound is used. */
#define INGEST_MAX_FILE_BYTES (256 * 1024 * 1024) /* one upload */
#define INGEST_MAX_PAGES      1000		  /* pages of one file */
#define INGEST_MAX_PIXELS     (120 * 1000 * 1000) /* one decoded page */
#define INGEST_RENDER_DPI     300		  /* PDF pages for OCR */
/* A PDF page whose text layer has fewer meaningful characters than this is
 * treated as having no text layer and is OCR'd. */
#define INGEST_MIN_LAYER_CHARS 20

typedef enum {
	INGEST_KIND_UNKNOWN = 0,
	INGEST_KIND_PDF,
	INGEST_KIND_JPEG,
	INGEST_KIND_PNG,
	INGEST_KIND_TIFF,
	INGEST_KIND_WEBP,
	INGEST_KIND_BMP
} IngestKind;

/* "pdf", "jpeg", "png", "tiff", "webp", "bmp" or "unknown". Static. */
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
	/* PDF only: per page (index 0 = page 1) the text layer as UTF-8, or ""
	 * when the page has none worth using (see ingest_text_is_usable).
	 * NULL for images. */
	GPtrArray *layer_text;
	/* Set when the file cannot be read at all (damaged, encrypted, over a
	 * limit, unsupported). The message names the file and the reason. */
	GError *error;
} IngestFile;

void ingest_file_free(IngestFile *file);

/* Walk DIR (sub-folders too) and return every evidence file as an
 * IngestFile*, sorted by path; the array owns them. Skipped: claim.json at
 * the top (its absolute path goes to *CLAIM_JSON if that is not NULL, else
 * NULL), hidden files and folders, and symbolic links. A file that cannot
 * be read is still returned, with ->error set. Returns NULL with ERROR set
 * only when DIR itself cannot be read. */
GPtrArray *ingest_claim_scan(const char *dir, char **claim_json,
			     GError **error);

/* Read one file (kind, hash, pages, text layer) as ingest_claim_scan does.
 * REL_PATH is what the report calls it. Never NULL. */
IngestFile *ingest_file_read(const char *abs_path, const char *rel_path);

/* TRUE when TEXT has at least INGEST_MIN_LAYER_CHARS letters or digits
 * (CJK included) - enough to trust a PDF text layer over OCR. */
gboolean ingest_text_is_usable(const char *text);

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
 * loaded. Safe to call from several threads at once for different or the
 * same file. Returns a new image the caller owns, or NULL with ERROR set. */
IngestImage *ingest_page_render(const IngestFile *file, int page,
				GError **error);

/* The same at DPI (a PDF page; lowered to stay under INGEST_MAX_PIXELS).
 * An image file is scaled down when DPI is below its own resolution, so a
 * cheap low-resolution look (seal detection) stays cheap for photos too. */
IngestImage *ingest_page_render_at(const IngestFile *file, int page, int dpi,
				   GError **error);

/* Resolution at which seals are looked for on pages that are not OCR'd. */
#define INGEST_SEAL_DPI 60

/* Find the red seals (company chops, 发票专用章) on IMAGE by colour:
 * append a CoreBox (fractions of the page) per seal to BOXES, a
 * core_boxes_new() array. Returns how many were found. Thread-safe. */
int ingest_image_find_seals(const IngestImage *image, GArray *boxes);

void ingest_image_free(IngestImage *image);

G_END_DECLS

#endif
