/* classify.c - group classified pages into documents. Uploads put several
 * documents in one PDF and spread one document over several pages; the
 * page order and the page types are all there is to go on, so the rules
 * here are few and explained where they are applied. Then, across the
 * claim, names OCR misread are matched to the names the claim knows. */
#include <stdlib.h>
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

/* The order of word indices by the top of their boxes. */
static gint
by_top(gconstpointer a, gconstpointer b, gpointer data)
{
	const CoreWord *w = (const CoreWord *)((GArray *)data)->data;
	const CoreBox *x = &w[*(const guint *)a].box;
	const CoreBox *y = &w[*(const guint *)b].box;

	return x->y < y->y ? -1 : x->y > y->y ? 1 : x->x < y->x ? -1 : 1;
}

static gint
by_left(gconstpointer a, gconstpointer b, gpointer data)
{
	const CoreWord *w = (const CoreWord *)((GArray *)data)->data;

	return w[*(const guint *)a].box.x < w[*(const guint *)b].box.x ? -1 : 1;
}

/* Append ROW (word indices) left to right, a space where words stand
 * apart, and a newline. */
static void
append_row(GString *out, GArray *words, GArray *row)
{
	const CoreWord *w = (const CoreWord *)words->data;
	double right = -1;

	g_array_sort_with_data(row, by_left, words);
	for (guint i = 0; i < row->len; i++) {
		const CoreWord *x = &w[g_array_index(row, guint, i)];

		if (right >= 0 && x->box.x - right > 0.3 * x->box.h)
			g_string_append_c(out, ' ');
		g_string_append(out, x->text);
		right = x->box.x + x->box.w;
	}
	g_string_append_c(out, '\n');
	g_array_set_size(row, 0);
}

/* P's text as its words stand on the page, row by row: a form drawn
 * column by column (an e-invoice's buyer block, then the seller's) has
 * its layer in drawing order, which says nothing of which name is the
 * buyer's; the rows do, as OCR's do. NULL when P has no words. */
static char *
rows_text(const CorePage *p)
{
	GArray *order, *row;
	GString *out;
	double top = 0, bottom = 0;

	if (p->source != CORE_TEXT_PDF || p->words == NULL ||
	    p->words->len == 0)
		return NULL;
	order = g_array_sized_new(FALSE, FALSE, sizeof(guint), p->words->len);
	row = g_array_new(FALSE, FALSE, sizeof(guint));
	out = g_string_new(NULL);
	for (guint i = 0; i < p->words->len; i++)
		g_array_append_val(order, i);
	g_array_sort_with_data(order, by_top, p->words);
	for (guint i = 0; i < order->len; i++) {
		guint k = g_array_index(order, guint, i);
		const CoreBox *b = &g_array_index(p->words, CoreWord, k).box;
		double overlap = MIN(bottom, b->y + b->h) - MAX(top, b->y);

		/* Half the smaller height shared: the same line. */
		if (row->len > 0 && overlap < 0.5 * MIN(b->h, bottom - top))
			append_row(out, p->words, row);
		if (row->len == 0) {
			top = b->y;
			bottom = b->y + b->h;
		}
		bottom = MAX(bottom, b->y + b->h);
		g_array_append_val(row, k);
	}
	if (row->len > 0)
		append_row(out, p->words, row);
	g_array_unref(order);
	g_array_unref(row);
	return g_string_free(out, FALSE);
}

/* What fields are read from on page P of a document of TYPE. Caller
 * owns. */
static char *
field_text(const ClassifyRules *rules, const char *type, const CorePage *p)
{
	const TypeRules *t = g_hash_table_lookup(rules->by_id, type);
	char *rows = t != NULL && t->rows ? rows_text(p) : NULL;
	char *norm;

	if (rows == NULL)
		return g_strdup(p->text);
	norm = core_text_normalize(rows);
	g_free(rows);
	return norm;
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
	char *page_text;
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
		page_text = field_text(rules, doc->type, p);
		if (text->len + strlen(page_text) < CLASSIFY_MAX_DOC_BYTES)
			g_string_append(g_string_append(text, page_text), "\n");
		g_free(page_text);
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
		      void (*each)(CorePage *page, const char *type,
				   gpointer data),
		      gpointer data)
{
	guint first = 0, end;

	for (; first < pages->len; first = end) {
		const CorePage *p0 = g_ptr_array_index(pages, first);

		end = span_end(rules, pages, first);
		if (!classify_type_is_sealed(rules, page_type(p0)))
			continue;
		for (guint i = first; i < end; i++)
			each(g_ptr_array_index(pages, i), page_type(p0), data);
	}
}

/* ---- names read by OCR against the claim's known names ---------------- */

/* Shorter names (a person's) are not matched: one character in two or
 * three is another person, not a misread. */
#define NAME_MATCH_MIN_CHARS 6
/* One edit allowed per this many characters of the known name. */
#define NAME_MATCH_CHARS_PER_EDIT 6

/* The name fields of DOC's type, or NULL. */
static char *const *
name_fields(const ClassifyRules *rules, const CoreDocument *doc)
{
	const TypeRules *t = g_hash_table_lookup(rules->by_id, doc->type);

	return t != NULL ? t->names : NULL;
}

/* Remember NAME as printed under its compared spelling; the first spelling
 * seen of a name is kept. */
static void
add_known(GHashTable *known, const char *name)
{
	char *norm = classify_normalize_name(name);

	if (norm == NULL || g_utf8_strlen(norm, -1) < NAME_MATCH_MIN_CHARS ||
	    g_hash_table_contains(known, norm)) {
		g_free(norm);
		return;
	}
	g_hash_table_insert(known, norm, g_strdup(name));
}

/* The names nobody had to read from a picture: the claim's parties and
 * what the text layers print in the same fields. */
static GHashTable *
known_names(const ClassifyRules *rules, GPtrArray *docs, const CoreClaim *claim)
{
	GHashTable *known =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	if (claim != NULL) {
		if (claim->enterprise.name != NULL)
			add_known(known, claim->enterprise.name);
		if (claim->provider.name != NULL)
			add_known(known, claim->provider.name);
	}
	for (guint d = 0; d < docs->len; d++) {
		const CoreDocument *doc = g_ptr_array_index(docs, d);
		char *const *f = name_fields(rules, doc);

		if (doc->source != CORE_TEXT_PDF)
			continue;
		for (; f != NULL && *f != NULL; f++) {
			const char *v = core_document_get_field(doc, *f);

			if (v != NULL)
				add_known(known, v);
		}
	}
	return known;
}

/* Levenshtein distance between the N and M characters at A and B. */
static glong
edit_distance(const gunichar *a, glong n, const gunichar *b, glong m)
{
	glong *row = g_new(glong, m + 1), ret;

	for (glong j = 0; j <= m; j++)
		row[j] = j;
	for (glong i = 1; i <= n; i++) {
		glong diag = row[0];

		row[0] = i;
		for (glong j = 1; j <= m; j++) {
			glong up = row[j];

			row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1),
				     diag + (a[i - 1] != b[j - 1]));
			diag = up;
		}
	}
	ret = row[m];
	g_free(row);
	return ret;
}

/* The one known name READ is a misreading of, as printed; NULL when READ
 * is a known name already, is near none, or is near several. */
static const char *
unique_known(GHashTable *known, const char *read)
{
	char *norm = classify_normalize_name(read);
	const char *found = NULL;
	GHashTableIter it;
	gpointer key, value;
	gunichar *r;
	glong nr;
	int hits = 0;

	if (norm == NULL || g_hash_table_contains(known, norm)) {
		g_free(norm);
		return NULL;
	}
	r = g_utf8_to_ucs4_fast(norm, -1, &nr);
	g_hash_table_iter_init(&it, known);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		glong nk;
		gunichar *k = g_utf8_to_ucs4_fast(key, -1, &nk);
		glong most = MAX(1, nk / NAME_MATCH_CHARS_PER_EDIT);

		if (nr >= NAME_MATCH_MIN_CHARS && labs(nr - nk) <= most &&
		    edit_distance(r, nr, k, nk) <= most) {
			hits++;
			found = value;
		}
		g_free(k);
	}
	g_free(r);
	g_free(norm);
	return hits == 1 ? found : NULL;
}

static void
match_document(const ClassifyRules *rules, GHashTable *known, CoreDocument *doc)
{
	char *const *f = name_fields(rules, doc);

	for (; f != NULL && *f != NULL; f++) {
		const char *read = core_document_get_field(doc, *f);
		const char *name =
		    read != NULL ? unique_known(known, read) : NULL;

		if (name == NULL)
			continue;
		g_ptr_array_add(doc->notes,
				g_strdup_printf("名称（%s）OCR 读作「%s」，"
						"按申报材料中的名称「%s」校正",
						*f, read, name));
		core_document_set_field(doc, *f, name); /* frees READ */
	}
}

/* The document of DOCS holding page PAGE of FILE, or NULL. */
static CoreDocument *
document_of(GPtrArray *docs, const char *file, int page)
{
	for (guint d = 0; d < docs->len; d++) {
		CoreDocument *doc = g_ptr_array_index(docs, d);

		if (strcmp(doc->file, file) != 0)
			continue;
		for (guint k = 0; k < doc->pages->len; k++)
			if (g_array_index(doc->pages, int, k) == page)
				return doc;
	}
	return NULL;
}

static void
match_seals(GHashTable *known, GPtrArray *docs, CorePage *page)
{
	for (guint i = 0; i < page->seal_orgs->len; i++) {
		char *read = page->seal_orgs->pdata[i];
		const char *name =
		    read != NULL ? unique_known(known, read) : NULL;
		CoreDocument *doc;

		if (name == NULL)
			continue;
		doc = document_of(docs, page->file, page->page);
		if (doc != NULL)
			g_ptr_array_add(
			    doc->notes,
			    g_strdup_printf("第%d页印章环文 OCR 读作"
					    "「%s」，按申报材料中的"
					    "名称「%s」校正",
					    page->page, read, name));
		page->seal_orgs->pdata[i] = g_strdup(name);
		g_free(read);
	}
}

/* A text layer prints a name as it was typed; a photo's OCR rarely reads
 * one exactly. Only OCR'd readings are touched, only by a small distance
 * and only towards a unique candidate, and the reading stays in a note. */
void
classify_documents_match_names(const ClassifyRules *rules, GPtrArray *docs,
			       GPtrArray *pages, const CoreClaim *claim)
{
	GHashTable *known = known_names(rules, docs, claim);

	for (guint d = 0; d < docs->len && g_hash_table_size(known) > 0; d++) {
		CoreDocument *doc = g_ptr_array_index(docs, d);

		if (doc->source == CORE_TEXT_OCR)
			match_document(rules, known, doc);
	}
	for (guint p = 0;
	     pages != NULL && p < pages->len && g_hash_table_size(known) > 0;
	     p++)
		match_seals(known, docs, g_ptr_array_index(pages, p));
	g_hash_table_unref(known);
}
