/* ingest.c - one uploaded file: map it, hash it, tell its kind from its
 * bytes (never from its name: providers rename freely), and hand it to the
 * PDF or image reader. Every failure ends up in file->error, worded for the
 * reviewer, so a bad upload becomes a finding instead of a crash. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <nettle/sha2.h>

#include "ingest/ingest_int.h"

/* How far into the file "%PDF-" may start: some generators put junk (a
 * BOM, an HTTP header) in front and readers accept it. */
#define PDF_MAGIC_WINDOW 1024

const char *
ingest_kind_name(IngestKind kind)
{
	switch (kind) {
	case INGEST_KIND_PDF:
		return "pdf";
	case INGEST_KIND_JPEG:
		return "jpeg";
	case INGEST_KIND_PNG:
		return "png";
	case INGEST_KIND_TIFF:
		return "tiff";
	case INGEST_KIND_WEBP:
		return "webp";
	case INGEST_KIND_BMP:
		return "bmp";
	case INGEST_KIND_HEIC:
		return "heic";
	case INGEST_KIND_UNKNOWN:
		break;
	}
	return "unknown";
}

static gboolean
starts_with(const guint8 *data, gsize len, const void *magic, gsize n)
{
	return len >= n && memcmp(data, magic, n) == 0;
}

/* The ISO media file brands of HEIF still images: iPhones save "heic"
 * by default, other phones "mif1"/"heix". The same box format holds AVIF
 * pictures and MP4 videos, which are not read. */
static gboolean
is_heif_brand(const guint8 *brand)
{
	static const char *const brands[] = {"heic", "heix", "heim",
					     "heis", "mif1", "msf1"};

	for (gsize i = 0; i < G_N_ELEMENTS(brands); i++)
		if (memcmp(brand, brands[i], 4) == 0)
			return TRUE;
	return FALSE;
}

IngestKind
ingest_kind_sniff(const guint8 *data, gsize len)
{
	if (data == NULL)
		return INGEST_KIND_UNKNOWN;
	if (starts_with(data, len, "\xff\xd8\xff", 3))
		return INGEST_KIND_JPEG;
	if (starts_with(data, len, "\x89PNG\r\n\x1a\n", 8))
		return INGEST_KIND_PNG;
	if (starts_with(data, len, "II*\0", 4) ||
	    starts_with(data, len, "MM\0*", 4))
		return INGEST_KIND_TIFF;
	if (len >= 12 && starts_with(data, len, "RIFF", 4) &&
	    memcmp(data + 8, "WEBP", 4) == 0)
		return INGEST_KIND_WEBP;
	/* The first box of an ISO media file is "ftyp", major brand first. */
	if (len >= 12 && memcmp(data + 4, "ftyp", 4) == 0 &&
	    is_heif_brand(data + 8))
		return INGEST_KIND_HEIC;
	if (memmem(data, MIN(len, PDF_MAGIC_WINDOW), "%PDF-", 5) != NULL)
		return INGEST_KIND_PDF;
	/* "BM" alone is weak; a real header is at least 26 bytes. */
	if (len >= 26 && starts_with(data, len, "BM", 2))
		return INGEST_KIND_BMP;
	return INGEST_KIND_UNKNOWN;
}

/* UTF-8 over the first 4 KiB, allowing a character cut at the end. */
static gboolean
looks_like_text(const guint8 *data, gsize len)
{
	gsize n = MIN(len, 4096);
	const char *end = NULL;

	g_utf8_validate((const char *)data, (gssize)n, &end);
	return (const char *)data + n - end < 4 && memchr(data, 0, n) == NULL;
}

/* What an unsupported upload most likely is, so the message tells the
 * provider what to do instead. */
static const char *
describe_unsupported(const guint8 *data, gsize len)
{
	if (starts_with(data, len, "PK\x03\x04", 4))
		return "a ZIP container (an OFD invoice, a Word/Excel file or "
		       "a .zip archive; upload the PDF version or the files "
		       "inside)";
	if (starts_with(data, len, "\xd0\xcf\x11\xe0", 4))
		return "an old Word/Excel document (save it as PDF)";
	if (len >= 12 && memcmp(data + 4, "ftyp", 4) == 0)
		return memcmp(data + 8, "avif", 4) == 0
			   ? "an AVIF picture (export it as JPEG)"
			   : "a video or other ISO media file";
	if (starts_with(data, len, "GIF8", 4))
		return "a GIF image";
	if (starts_with(data, len, "Rar!", 4) ||
	    starts_with(data, len, "7z\xbc\xaf", 4))
		return "a compressed archive (upload the files inside)";
	if (starts_with(data, len, "<?xml", 5) ||
	    starts_with(data, len, "\xef\xbb\xbf<?xml", 8))
		return "an XML file (for an electronic invoice, upload its PDF "
		       "version)";
	if (looks_like_text(data, len))
		return "a text file";
	return "not a file type evidcheck knows";
}

IngestFile *
ingest_file_new(const char *abs_path, const char *rel_path)
{
	IngestFile *file = g_new0(IngestFile, 1);

	file->abs_path = g_strdup(abs_path);
	file->path = g_strdup(rel_path);
	return file;
}

void
ingest_file_fail(IngestFile *file, CoreErrorCode code, const char *fmt, ...)
{
	va_list ap;
	char *reason;

	/* The first failure is the one the reviewer can act on. */
	if (file->error != NULL)
		return;
	va_start(ap, fmt);
	reason = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(&file->error, CORE_ERROR, code, "cannot read '%s': %s",
		    file->path, reason);
	g_free(reason);
}

static void
unmap(gpointer mapped)
{
	g_mapped_file_unref(mapped);
}

/* fstat on the opened descriptor, not stat on the name, so the checks
 * apply to the very file that is mapped. O_NONBLOCK keeps a FIFO from
 * hanging the open. */
GBytes *
ingest_map(const char *abs_path, const char *rel_path, GError **error)
{
	GMappedFile *mapped = NULL;
	GBytes *bytes = NULL;
	GError *local = NULL;
	struct stat st;
	int fd;

	fd = open(abs_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_IO,
			    "cannot read '%s': %s", rel_path,
			    g_strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_IO,
			    "cannot read '%s': not a regular file", rel_path);
		goto cleanup;
	}
	if (st.st_size > INGEST_MAX_FILE_BYTES) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_LIMIT,
			    "cannot read '%s': the file is %" G_GINT64_FORMAT
			    " MB, over the limit of %d MB; split it or scan "
			    "at a lower resolution",
			    rel_path, (gint64)st.st_size / (1024 * 1024),
			    INGEST_MAX_FILE_BYTES / (1024 * 1024));
		goto cleanup;
	}
	if (st.st_size == 0) {
		bytes = g_bytes_new(NULL, 0);
		goto cleanup;
	}
	mapped = g_mapped_file_new_from_fd(fd, FALSE, &local);
	if (mapped == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_IO,
			    "cannot read '%s': %s", rel_path, local->message);
		goto cleanup;
	}
	bytes = g_bytes_new_with_free_func(g_mapped_file_get_contents(mapped),
					   g_mapped_file_get_length(mapped),
					   unmap, mapped);
cleanup:
	g_clear_error(&local);
	close(fd);
	return bytes;
}

/* Nettle, not GChecksum: every byte of every upload is hashed, and
 * nettle's SHA-256 uses the CPU's SHA instructions (3x GLib's here). */
static void
hash_bytes(IngestFile *file, GBytes *bytes)
{
	struct sha256_ctx ctx;
	guint8 digest[SHA256_DIGEST_SIZE];
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(digest), digest);
	for (gsize i = 0; i < sizeof(digest); i++)
		g_snprintf(file->sha256 + 2 * i, 3, "%02x", digest[i]);
}

/* ---- PDF streams, measured before poppler ---------------------------- */

/* Poppler inflates a stream as it reads it and gives no way to cap it,
 * so a small PDF can carry a stream that unpacks to gigabytes (a "zip
 * bomb"). Streams never sit inside other objects' compressed data (ISO
 * 32000-1, 7.5.7), so every one is found by its keyword in the raw
 * bytes; each that starts as a zlib stream is inflated into a scratch
 * buffer, counted and thrown away. A stream whose output is itself zlib
 * (a filter chain of FlateDecodes) is inflated again, layer by layer, up
 * to STREAM_LAYERS deep. Encrypted streams and other filters are not
 * measured: the scan worker's memory limit and deadline bound those. */
#define STREAM_LAYERS 4
#define STREAM_CHUNK  (64 * 1024)

typedef struct {
	GConverter *z[STREAM_LAYERS];
	gint64 out[STREAM_LAYERS]; /* bytes each layer has given */
	int n;			   /* layers still being inflated */
	gboolean over;
	guint8 *buf; /* STREAM_LAYERS chunks of scratch */
} Inflate;

/* A zlib header: deflate, a window of at most 32 KiB, the check bits. */
static gboolean
looks_zlib(const guint8 *p, gsize len)
{
	return len >= 2 && (p[0] & 0x0f) == 8 && (p[0] >> 4) <= 7 &&
	       ((p[0] << 8) | p[1]) % 31 == 0;
}

/* Push LEN bytes at DATA through layer LAYER and the ones inside it.
 * FALSE to stop: over the limit, or the outermost stream ended. An inner
 * layer that turns out not to be zlib is dropped; its input was counted. */
static gboolean
inflate_feed(Inflate *inf, int layer, const guint8 *data, gsize len,
	     gsize *consumed)
{
	guint8 *buf = inf->buf + (gsize)layer * STREAM_CHUNK;

	while (len > 0 && layer < inf->n) {
		gsize r = 0, w = 0;
		GConverterResult res = g_converter_convert(
		    inf->z[layer], data, len, buf, STREAM_CHUNK,
		    G_CONVERTER_NO_FLAGS, &r, &w, NULL);

		if (res == G_CONVERTER_ERROR) {
			inf->n = layer;
			return layer > 0;
		}
		data += r;
		len -= r;
		if (consumed != NULL)
			*consumed += r;
		if (w > 0) {
			inf->out[layer] += (gint64)w;
			if (inf->out[layer] > INGEST_MAX_PDF_STREAM_BYTES) {
				inf->over = TRUE;
				return FALSE;
			}
			if (layer + 1 == inf->n && inf->n < STREAM_LAYERS &&
			    inf->out[layer] == (gint64)w &&
			    looks_zlib(buf, w)) {
				inf->z[inf->n++] =
				    G_CONVERTER(g_zlib_decompressor_new(
					G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
			}
			if (!inflate_feed(inf, layer + 1, buf, w, NULL))
				return FALSE;
		}
		if (res == G_CONVERTER_FINISHED) {
			inf->n = layer;
			return layer > 0;
		}
		if (r == 0 && w == 0)
			break;
	}
	return TRUE;
}

/* Inflate the zlib stream at DATA (LEN bytes to the end of the file, the
 * stream ends itself): the most any of its layers gave, or -1 when that
 * is over INGEST_MAX_PDF_STREAM_BYTES. *USED gets the bytes read. */
static gint64
stream_inflated(const guint8 *data, gsize len, guint8 *scratch, gsize *used)
{
	Inflate inf = {.n = 1, .buf = scratch};
	gint64 most = 0;

	inf.z[0] =
	    G_CONVERTER(g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
	*used = 0;
	inflate_feed(&inf, 0, data, len, used);
	for (int i = 0; i < STREAM_LAYERS; i++) {
		most = MAX(most, inf.out[i]);
		g_clear_object(&inf.z[i]);
	}
	return inf.over ? -1 : most;
}

/* Refuse FILE (DATA, LEN bytes, a PDF) when a stream of it inflates past
 * INGEST_MAX_PDF_STREAM_BYTES or all of them past
 * INGEST_MAX_PDF_INFLATED_BYTES. TRUE when it is within both. */
static gboolean
pdf_streams_fit(IngestFile *file, const guint8 *data, gsize len)
{
	guint8 *scratch = g_malloc((gsize)STREAM_LAYERS * STREAM_CHUNK);
	const guint8 *end = data + len;
	const guint8 *p = data;
	gint64 total = 0;
	gboolean ok = TRUE;

	while (ok && (p = memmem(p, (gsize)(end - p), "stream", 6)) != NULL) {
		const guint8 *eol = p + 6;
		const guint8 *body = eol;
		gsize used = 0;
		gint64 n;

		/* The keyword, not "endstream", is followed by an end of
		 * line and the data. */
		if (p > data && g_ascii_isalpha(p[-1])) {
			p = eol;
			continue;
		}
		if (body < end && *body == '\r')
			body++;
		if (body < end && *body == '\n')
			body++;
		p = body;
		if (body == eol || !looks_zlib(body, (gsize)(end - body)))
			continue;
		n = stream_inflated(body, (gsize)(end - body), scratch, &used);
		if (n < 0) {
			ingest_file_fail(
			    file, CORE_ERROR_LIMIT,
			    "a compressed stream of the PDF (at "
			    "byte %" G_GSIZE_FORMAT ") unpacks "
			    "to more than %d MB, over the limit "
			    "of %d MB; save or print the "
			    "document to PDF again",
			    (gsize)(body - data),
			    INGEST_MAX_PDF_STREAM_BYTES / (1024 * 1024),
			    INGEST_MAX_PDF_STREAM_BYTES / (1024 * 1024));
			ok = FALSE;
			break;
		}
		total += n;
		if (total > INGEST_MAX_PDF_INFLATED_BYTES) {
			ingest_file_fail(
			    file, CORE_ERROR_LIMIT,
			    "the compressed streams of the PDF unpack to more "
			    "than %" G_GINT64_FORMAT
			    " MB together, over the limit of %" G_GINT64_FORMAT
			    " MB; save or print the document to PDF again",
			    total / (1024 * 1024),
			    INGEST_MAX_PDF_INFLATED_BYTES / (1024 * 1024));
			ok = FALSE;
		}
		p = body + MAX(used, 1);
	}
	g_free(scratch);
	return ok;
}

IngestFile *
ingest_file_read(const char *abs_path, const char *rel_path)
{
	IngestFile *file = ingest_file_new(abs_path, rel_path);

	ingest_file_load(file);
	return file;
}

void
ingest_file_load(IngestFile *file)
{
	GBytes *bytes = NULL;
	const guint8 *data;
	gsize len = 0;

	/* A walk failure is already the file's verdict. */
	if (file->error != NULL || file->loaded)
		return;
	file->loaded = TRUE;
	bytes = ingest_map(file->abs_path, file->path, &file->error);
	if (bytes == NULL)
		goto cleanup;
	data = g_bytes_get_data(bytes, &len);
	file->size = (gint64)len;
	if (len == 0) {
		ingest_file_fail(file, CORE_ERROR_FORMAT, "the file is empty");
		goto cleanup;
	}
	hash_bytes(file, bytes);
	file->kind = ingest_kind_sniff(data, len);
	switch (file->kind) {
	case INGEST_KIND_PDF:
		if (pdf_streams_fit(file, data, len))
			ingest_pdf_read(file, bytes);
		break;
	case INGEST_KIND_UNKNOWN:
		ingest_file_fail(file, CORE_ERROR_UNSUPPORTED,
				 "unsupported format: %s (evidcheck reads "
				 "PDF, JPEG, PNG, TIFF, WebP, BMP and HEIC)",
				 describe_unsupported(data, len));
		break;
	default:
		ingest_image_read(file, bytes);
		break;
	}
cleanup:
	if (file->error != NULL)
		file->n_pages = 0;
	g_clear_pointer(&bytes, g_bytes_unref);
}

void
ingest_file_free(IngestFile *file)
{
	if (file == NULL)
		return;
	g_free(file->path);
	g_free(file->abs_path);
	g_clear_pointer(&file->layer_text, g_ptr_array_unref);
	g_clear_pointer(&file->layer_score, g_array_unref);
	g_clear_pointer(&file->layer_verdict, g_array_unref);
	g_clear_pointer(&file->layer_words, g_ptr_array_unref);
	g_clear_error(&file->error);
	g_free(file);
}

IngestImage *
ingest_image_new(int width, int height, int channels, int dpi, GError **error)
{
	IngestImage *image = g_new0(IngestImage, 1);
	gsize size = (gsize)width * (gsize)height * (gsize)channels;

	image->width = width;
	image->height = height;
	image->channels = channels;
	image->stride = width * channels;
	image->dpi = dpi;
	/* g_malloc would abort the whole scan on one oversized page. */
	image->pixels = g_try_malloc(size);
	if (image->pixels == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_LIMIT,
			    "out of memory for a %dx%d page image", width,
			    height);
		g_free(image);
		return NULL;
	}
	return image;
}

void
ingest_image_free(IngestImage *image)
{
	if (image == NULL)
		return;
	g_free(image->pixels);
	g_free(image);
}

IngestImage *
ingest_page_render(const IngestFile *file, int page, GError **error)
{
	return ingest_page_render_at(file, page, INGEST_RENDER_DPI, error);
}

/* The file is mapped again rather than kept in memory from
 * ingest_file_read: a claim can hold gigabytes of scans, and only the pages
 * that need OCR are rendered. Checks what a render needs, then maps. */
static GBytes *
map_for_render(const IngestFile *file, int first, int last, int dpi,
	       GError **error)
{
	GBytes *bytes;

	if (dpi < 1 || dpi > INGEST_RENDER_DPI * 4) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "cannot read '%s': %d dpi is not a resolution "
			    "pages are drawn at",
			    file->path, dpi);
		return NULL;
	}
	if (file->error != NULL) {
		g_propagate_error(error, g_error_copy(file->error));
		return NULL;
	}
	if (first < 1 || last < first ||
	    (file->n_pages > 0 && last > file->n_pages)) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "cannot read '%s': it has no page %d", file->path,
			    first < 1 ? first : last);
		return NULL;
	}
	if (file->kind == INGEST_KIND_UNKNOWN) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_UNSUPPORTED,
			    "cannot read '%s': unsupported format", file->path);
		return NULL;
	}
	bytes = ingest_map(file->abs_path, file->path, error);
	if (bytes != NULL && file->size > 0 &&
	    (gint64)g_bytes_get_size(bytes) != file->size) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_IO,
			    "cannot read '%s': the file changed while it "
			    "was being checked",
			    file->path);
		g_clear_pointer(&bytes, g_bytes_unref);
	}
	return bytes;
}

IngestImage *
ingest_page_render_at(const IngestFile *file, int page, int dpi, GError **error)
{
	GBytes *bytes = map_for_render(file, page, page, dpi, error);
	IngestImage *image = NULL;

	if (bytes == NULL)
		return NULL;
	if (file->kind == INGEST_KIND_PDF)
		image = ingest_pdf_render(file, bytes, page, dpi, error);
	else
		image = ingest_image_render(file, bytes, page, dpi, error);
	g_bytes_unref(bytes);
	return image;
}

gboolean
ingest_pages_render_at(const IngestFile *file, int first, int last, int dpi,
		       IngestPageFunc each, gpointer data, GError **error)
{
	GBytes *bytes = map_for_render(file, first, last, dpi, error);
	gboolean ok = TRUE;

	if (bytes == NULL)
		return FALSE;
	if (file->kind == INGEST_KIND_PDF) {
		ok = ingest_pdf_render_pages(file, bytes, first, last, dpi,
					     each, data, error);
	} else {
		for (int page = first; page <= last; page++) {
			GError *local = NULL;
			IngestImage *image =
			    ingest_image_render(file, bytes, page, dpi, &local);

			each(page, image, local, data);
			ingest_image_free(image);
			g_clear_error(&local);
		}
	}
	g_bytes_unref(bytes);
	return ok;
}

GPtrArray *
ingest_page_render_regions(const IngestFile *file, int page,
			   const CoreBox *boxes, guint n, double margin_pt,
			   int dpi, GError **error)
{
	GBytes *bytes = NULL;
	GPtrArray *images = NULL;

	if (file->kind != INGEST_KIND_PDF) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_UNSUPPORTED,
			    "cannot read '%s': only PDF pages have regions "
			    "drawn on their own",
			    file->path);
		return NULL;
	}
	bytes = map_for_render(file, page, page, dpi, error);
	if (bytes != NULL)
		images = ingest_pdf_render_regions(file, bytes, page, boxes, n,
						   margin_pt, dpi, error);
	if (bytes != NULL)
		g_bytes_unref(bytes);
	return images;
}
