/* ingest.c - what fuzz_pdf and fuzz_image both run: an upload through
 * the same calls a scan makes (read, draw a page, seals, QR codes, page
 * hash), at low resolution so the fuzzer spends its time in the parsers
 * and not in drawing pixels. */
#include "ingest/ingest.h"
#include "fuzz/fuzz.h"

/* Low enough to keep a fuzzed A4 page at about 250 x 350 pixels; the
 * seal finder looks at 45-90 dpi and takes coarser images as they are. */
#define FUZZ_DPI 30

static void
check_boxes(const GArray *boxes)
{
	for (guint i = 0; i < boxes->len; i++) {
		const CoreBox *b = &g_array_index(boxes, CoreBox, i);

		FUZZ_ASSERT(b->x >= -1e-9 && b->y >= -1e-9 && b->w >= 0 &&
				b->h >= 0 && b->x + b->w <= 1 + 1e-6 &&
				b->y + b->h <= 1 + 1e-6,
			    "a seal box lies outside its page");
	}
}

static void
look_at_page(const IngestFile *file, int page)
{
	GError *error = NULL;
	IngestImage *image =
	    ingest_page_render_at(file, page, FUZZ_DPI, &error);
	GArray *seals;
	GPtrArray *codes;

	if (image == NULL) {
		FUZZ_ASSERT(error != NULL, "a render failed without an error");
		g_error_free(error);
		return;
	}
	FUZZ_ASSERT(image->width > 0 && image->height > 0 &&
			(image->channels == 1 || image->channels == 3) &&
			image->stride >= image->width * image->channels,
		    "a rendered page has an impossible shape");
	seals = core_boxes_new();
	ingest_image_find_seals(image, seals);
	check_boxes(seals);
	codes = g_ptr_array_new_with_free_func(g_free);
	ingest_image_find_codes(image, codes);
	for (guint i = 0; i < codes->len; i++)
		FUZZ_ASSERT(g_utf8_validate(codes->pdata[i], -1, NULL),
			    "a QR payload is not UTF-8");
	ingest_image_phash(image, 0);
	ingest_image_phash(image, 90);
	if (file->kind == INGEST_KIND_PDF && seals->len > 0) {
		GArray *found = core_boxes_new();
		GPtrArray *drawn = ingest_page_render_seals(
		    file, page, seals, 2 * FUZZ_DPI, found, &error);

		if (drawn != NULL)
			g_ptr_array_unref(drawn);
		g_clear_error(&error);
		g_array_unref(found);
	}
	g_ptr_array_unref(codes);
	g_array_unref(seals);
	ingest_image_free(image);
}

/* The second reading of a text-layer field draws a word's region alone. */
static void
draw_first_word(const IngestFile *file)
{
	GArray *words = g_ptr_array_index(file->layer_words, 0);
	GError *error = NULL;
	GPtrArray *images;
	CoreBox box;

	if (words == NULL || words->len == 0)
		return;
	box = g_array_index(words, CoreWord, 0).box;
	images =
	    ingest_page_render_regions(file, 1, &box, 1, 2.0, FUZZ_DPI, &error);
	if (images != NULL)
		g_ptr_array_unref(images);
	g_clear_error(&error);
}

void
fuzz_ingest(const uint8_t *data, size_t size, gboolean want_pdf)
{
	IngestKind kind = ingest_kind_sniff(data, size);
	IngestFile *file;
	FuzzFile f;

	if (kind == INGEST_KIND_UNKNOWN ||
	    (kind == INGEST_KIND_PDF) != want_pdf)
		return;
	if (!fuzz_file_open(&f, data, size))
		return;
	file = ingest_file_read(f.path, "fuzz");
	/* FUZZ_VERBOSE=1: what each input came to, for checking a corpus. */
	if (g_getenv("FUZZ_VERBOSE") != NULL)
		g_printerr("fuzz: %s, %d pages%s%s\n",
			   ingest_kind_name(file->kind), file->n_pages,
			   file->error != NULL ? ": " : "",
			   file->error != NULL ? file->error->message : "");
	FUZZ_ASSERT(file->error != NULL || file->n_pages > 0,
		    "a readable file without pages");
	if (file->error == NULL) {
		FUZZ_ASSERT(file->n_pages <= INGEST_MAX_PAGES,
			    "more pages than the limit");
		if (kind == INGEST_KIND_PDF) {
			FUZZ_ASSERT(
			    file->layer_text->len == (guint)file->n_pages &&
				file->layer_words->len == (guint)file->n_pages,
			    "text layers do not match the pages");
			draw_first_word(file);
		}
		look_at_page(file, 1);
		if (file->n_pages > 1)
			look_at_page(file, file->n_pages);
	}
	ingest_file_free(file);
	fuzz_file_close(&f);
}
