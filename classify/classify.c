/* classify.c - group classified pages into documents. Uploads put several
 * documents in one PDF and spread one document over several pages; the
 * page order and the page types are all there is to go on, so the rules
 * here are few and explained where they are applied. */
#include <string.h>

#include "classify/classify_int.h"

static const char *
page_type(const CorePage *p)
{
	return p->type != NULL ? p->type : CLASSIFY_TYPE_OTHER;
}

static gboolean
is_type(const char *type, const char *id)
{
	return strcmp(type, id) == 0;
}

/* Does NEXT continue the document that starts at FIRST and has PREV as
 * its last page so far? Only the next page of the same file can. */
static gboolean
continues(const ClassifyRules *rules, const CorePage *first,
	  const CorePage *prev, const CorePage *next)
{
	const char *type = page_type(first), *ntype = page_type(next);
	const TypeRules *t;

	if (strcmp(prev->file, next->file) != 0 || next->page != prev->page + 1)
		return FALSE;
	/* Each photo is a piece of evidence of its own. */
	if (is_type(type, CLASSIFY_TYPE_PHOTO) ||
	    is_type(ntype, CLASSIFY_TYPE_PHOTO))
		return FALSE;
	if (is_type(ntype, type)) {
		/* Invoices, receipts, certificates: a PDF of three invoices is
		 * three documents, each with its own number. */
		t = g_hash_table_lookup(rules->by_id, type);
		return t == NULL || !t->one_per_page;
	}
	/* An unrecognised page after a typed one is most often its second
	 * page (terms, signatures, an attachment table). */
	return is_type(ntype, CLASSIFY_TYPE_OTHER);
}

static CoreTextSource
merge_source(CoreTextSource a, CoreTextSource b)
{
	if (a == CORE_TEXT_OCR || b == CORE_TEXT_OCR)
		return CORE_TEXT_OCR;
	if (a == CORE_TEXT_PDF || b == CORE_TEXT_PDF)
		return CORE_TEXT_PDF;
	return CORE_TEXT_NONE;
}

static void
take_seal(CoreDocument *doc, const CorePage *p)
{
	doc->stamped = MAX(doc->stamped, p->stamped);
	if (p->stamped > 0 && doc->stamped_page == 0)
		doc->stamped_page = p->page;
}

void
classify_documents_update_seals(GPtrArray *docs, GPtrArray *pages)
{
	GHashTable *by_ref =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; i < pages->len; i++) {
		CorePage *p = g_ptr_array_index(pages, i);

		g_hash_table_insert(by_ref, core_ref(p->file, p->page), p);
	}
	for (guint d = 0; d < docs->len; d++) {
		CoreDocument *doc = g_ptr_array_index(docs, d);

		doc->stamped = -1;
		doc->stamped_page = 0;
		for (guint k = 0; k < doc->pages->len; k++) {
			char *ref = core_ref(doc->file,
					     g_array_index(doc->pages, int, k));
			const CorePage *p = g_hash_table_lookup(by_ref, ref);

			if (p != NULL)
				take_seal(doc, p);
			g_free(ref);
		}
	}
	g_hash_table_unref(by_ref);
}

/* One document from PAGES[FIRST..END): pages, source, seal, confidence
 * (the best of the pages that carry the document's own type), fields from
 * the pages' texts joined. */
static CoreDocument *
document_from_span(const ClassifyRules *rules, GPtrArray *pages, guint first,
		   guint end)
{
	const CorePage *p0 = g_ptr_array_index(pages, first);
	CoreDocument *doc = core_document_new(p0->file, page_type(p0));
	GString *text = g_string_new(NULL);
	guint i;

	doc->source = CORE_TEXT_NONE;
	doc->confidence = p0->type_confidence;
	for (i = first; i < end; i++) {
		const CorePage *p = g_ptr_array_index(pages, i);

		core_document_add_page(doc, p->page);
		doc->source = merge_source(doc->source, p->source);
		take_seal(doc, p);
		if (is_type(page_type(p), doc->type))
			doc->confidence =
			    MAX(doc->confidence, p->type_confidence);
		if (text->len + strlen(p->text) < CLASSIFY_MAX_DOC_BYTES)
			g_string_append(g_string_append(text, p->text), "\n");
	}
	classify_extract_fields(rules, doc, text->str);
	/* The QR code, read without OCR, corrects what OCR misread. */
	classify_check_codes(
	    rules, doc, (CorePage *const *)pages->pdata + first, end - first);
	g_string_free(text, TRUE);
	return doc;
}

/* The end of the document that starts at PAGES[FIRST]. */
static guint
span_end(const ClassifyRules *rules, GPtrArray *pages, guint first)
{
	guint end;

	for (end = first + 1; end < pages->len; end++)
		if (!continues(rules, g_ptr_array_index(pages, first),
			       g_ptr_array_index(pages, end - 1),
			       g_ptr_array_index(pages, end)))
			break;
	return end;
}

GPtrArray *
classify_documents(const ClassifyRules *rules, GPtrArray *pages)
{
	GPtrArray *docs = core_ptr_array_new(core_document_free);
	guint first = 0, end;

	for (; first < pages->len; first = end) {
		end = span_end(rules, pages, first);
		g_ptr_array_add(docs,
				document_from_span(rules, pages, first, end));
	}
	return docs;
}

void
classify_pages_sealed(const ClassifyRules *rules, GPtrArray *pages,
		      void (*each)(CorePage *page, gpointer data),
		      gpointer data)
{
	guint first = 0, end;

	for (; first < pages->len; first = end) {
		const CorePage *p0 = g_ptr_array_index(pages, first);

		end = span_end(rules, pages, first);
		if (!classify_type_is_sealed(rules, page_type(p0)))
			continue;
		for (guint i = first; i < end; i++)
			each(g_ptr_array_index(pages, i), data);
	}
}
