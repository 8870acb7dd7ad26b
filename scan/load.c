/* load.c - the first task of every file, run on a worker once the file is
 * read (in a reading process or not): make its pages. A page with a trusted
 * text layer is finished here (text normalised, words copied, classified), so
 * that the main thread only has to decide what else it needs; a page to OCR is
 * left empty. */
#include "scan/scan_int.h"

static void
copy_words(CorePage *page, const GArray *words)
{
	g_array_set_size(page->words, 0);
	for (guint i = 0; words != NULL && i < words->len; i++) {
		CoreWord w = g_array_index(words, CoreWord, i);

		w.text = g_strdup(w.text);
		g_array_append_val(page->words, w);
	}
}

/* Text is kept raw in the store and normalised once, for rules. */
void
scan_page_normalize(CorePage *page)
{
	char *norm = core_text_normalize(page->text);

	g_free(page->text);
	page->text = norm;
}

static void
read_layer(const ScanTask *task, CorePage *page, const char *layer)
{
	const IngestFile *file = task->file;

	core_page_set_text(page, layer, CORE_TEXT_PDF, 1.0);
	scan_page_normalize(page);
	copy_words(page, g_ptr_array_index(file->layer_words, page->page - 1));
	/* Only a rasterised page can be a photo. */
	classify_page(task->rules, page, FALSE);
}

void
scan_load_pages(ScanTask *task)
{
	IngestFile *file = task->file;

	task->pages = core_ptr_array_new(core_page_free);
	for (int i = 1; i <= file->n_pages; i++) {
		CorePage *page = core_page_new(file->path, i);
		const char *layer =
		    file->layer_text != NULL
			? g_ptr_array_index(file->layer_text, i - 1)
			: "";

		g_ptr_array_add(task->pages, page);
		if (file->layer_verdict != NULL)
			page->layer = ingest_layer_verdict_name(g_array_index(
			    file->layer_verdict, IngestLayerVerdict, i - 1));
		if (*layer != '\0')
			read_layer(task, page, layer);
	}
}
