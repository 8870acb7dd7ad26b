/* core.c - the shared records of a scan: pages, documents and findings,
 * and the error domain every module reports through. */
#include "core/core.h"

G_DEFINE_QUARK(evidcheck - error - quark, core_error)

const char *
core_text_source_name(CoreTextSource source)
{
	switch (source) {
	case CORE_TEXT_PDF:
		return "pdf_text";
	case CORE_TEXT_OCR:
		return "ocr";
	case CORE_TEXT_NONE:
		break;
	}
	return "none";
}

const char *
core_severity_name(CoreSeverity severity)
{
	return severity == CORE_SEVERITY_ERROR ? "error" : "warning";
}

char *
core_ref(const char *file, int page)
{
	if (page <= 0)
		return g_strdup(file);
	return g_strdup_printf("%s#%d", file, page);
}

void
core_box_rotate(CoreBox *b, int degrees)
{
	CoreBox r = *b;

	switch (degrees) {
	case 90:
		r = (CoreBox){1 - (b->y + b->h), b->x, b->h, b->w};
		break;
	case 180:
		r = (CoreBox){1 - (b->x + b->w), 1 - (b->y + b->h), b->w, b->h};
		break;
	case 270:
		r = (CoreBox){b->y, 1 - (b->x + b->w), b->h, b->w};
		break;
	default:
		break;
	}
	*b = r;
}

static void
word_clear(gpointer data)
{
	CoreWord *w = data;

	g_free(w->text);
}

GArray *
core_words_new(void)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(CoreWord));

	g_array_set_clear_func(a, word_clear);
	return a;
}

GArray *
core_boxes_new(void)
{
	return g_array_new(FALSE, FALSE, sizeof(CoreBox));
}

CorePage *
core_page_new(const char *file, int page)
{
	CorePage *p = g_new0(CorePage, 1);

	p->file = g_strdup(file);
	p->page = page;
	p->text = g_strdup("");
	p->stamped = -1;
	p->seals = core_boxes_new();
	p->seal_orgs = core_ptr_array_new(g_free);
	p->codes = core_ptr_array_new(g_free);
	p->words = core_words_new();
	return p;
}

void
core_page_free(CorePage *page)
{
	if (page == NULL)
		return;
	g_free(page->file);
	g_free(page->text);
	g_free(page->type);
	g_free(page->type_guess);
	g_array_unref(page->seals);
	g_ptr_array_unref(page->seal_orgs);
	g_ptr_array_unref(page->codes);
	g_array_unref(page->words);
	g_free(page);
}

void
core_page_set_seals(CorePage *page, const CoreBox *boxes, guint n)
{
	g_array_set_size(page->seals, 0);
	g_array_append_vals(page->seals, boxes, n);
	g_ptr_array_set_size(page->seal_orgs, 0);
	g_ptr_array_set_size(page->seal_orgs, n);
	page->stamped = n > 0;
}

void
core_page_set_text(CorePage *page, const char *text, CoreTextSource source,
		   double confidence)
{
	g_free(page->text);
	page->text = g_strdup(text != NULL ? text : "");
	page->source = source;
	page->confidence = confidence;
}

CoreDocument *
core_document_new(const char *file, const char *type)
{
	CoreDocument *d = g_new0(CoreDocument, 1);

	d->file = g_strdup(file);
	d->type = g_strdup(type);
	d->pages = g_array_new(FALSE, FALSE, sizeof(int));
	d->stamped = -1;
	d->fields =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	d->field_order = core_ptr_array_new(g_free);
	d->notes = core_ptr_array_new(g_free);
	return d;
}

void
core_document_free(CoreDocument *doc)
{
	if (doc == NULL)
		return;
	g_free(doc->file);
	g_free(doc->type);
	g_array_unref(doc->pages);
	g_hash_table_unref(doc->fields);
	g_ptr_array_unref(doc->field_order);
	g_ptr_array_unref(doc->notes);
	g_free(doc);
}

void
core_document_add_page(CoreDocument *doc, int page)
{
	g_array_append_val(doc->pages, page);
}

void
core_document_set_field(CoreDocument *doc, const char *name, const char *value)
{
	if (!g_hash_table_contains(doc->fields, name))
		g_ptr_array_add(doc->field_order, g_strdup(name));
	g_hash_table_replace(doc->fields, g_strdup(name), g_strdup(value));
}

const char *
core_document_get_field(const CoreDocument *doc, const char *name)
{
	return g_hash_table_lookup(doc->fields, name);
}

char *
core_document_ref(const CoreDocument *doc)
{
	int first = doc->pages->len > 0 ? g_array_index(doc->pages, int, 0) : 0;

	return core_ref(doc->file, first);
}

CoreFinding *
core_finding_new(const char *code, CoreSeverity severity, const char *message)
{
	CoreFinding *f = g_new0(CoreFinding, 1);

	f->code = g_strdup(code);
	f->severity = severity;
	f->message = g_strdup(message);
	f->documents = core_ptr_array_new(g_free);
	return f;
}

void
core_finding_set_english(CoreFinding *finding, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_free(finding->message_en);
	finding->message_en = g_strdup_vprintf(fmt, ap);
	va_end(ap);
}

const char *
core_finding_message(const CoreFinding *finding, const char *lang)
{
	if (g_strcmp0(lang, "en") == 0 && finding->message_en != NULL)
		return finding->message_en;
	return finding->message;
}

void
core_finding_add_ref(CoreFinding *finding, const char *file, int page)
{
	g_ptr_array_add(finding->documents, core_ref(file, page));
}

void
core_finding_free(CoreFinding *finding)
{
	if (finding == NULL)
		return;
	g_free(finding->code);
	g_free(finding->message);
	g_free(finding->message_en);
	g_free(finding->item);
	g_ptr_array_unref(finding->documents);
	g_free(finding);
}
