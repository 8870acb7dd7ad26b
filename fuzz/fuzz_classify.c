/* fuzz_classify.c - libFuzzer target: a page's text, as OCR or a text
 * layer gives it, against the real rules/2026/types.ini: normalised,
 * classified, grouped into a document with its fields extracted (every
 * type's field patterns and converters), its QR payload cross-checked and
 * OCR'd names matched against the claim's. The first byte picks how the
 * page was read; the first line also serves as the page's QR payload. */
#include <string.h>

#include "classify/classify.h"
#include "fuzz/fuzz.h"

static CoreClaim *
claim_new(void)
{
	CoreClaim *c = core_claim_new();

	c->enterprise.name = g_strdup("广西桂鑫机械制造有限公司");
	c->provider.name = g_strdup("南宁智联科技有限公司");
	return c;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const ClassifyRules *rules = fuzz_real_types();
	gboolean ocr, image;
	char *raw, *text, *nl;
	CorePage *page;
	GPtrArray *pages, *docs;
	CoreClaim *claim;

	/* A page holds a few KB of text; the longest OCR'd pages 20 KB. */
	if (size < 1 || size > 32768)
		return 0;
	ocr = (data[0] & 1) != 0;
	image = (data[0] & 2) != 0;
	raw = fuzz_strndup(data + 1, size - 1);
	text = core_text_normalize(raw);
	page = core_page_new(image ? "f.jpg" : "f.pdf", 1);
	core_page_set_text(page, text, ocr ? CORE_TEXT_OCR : CORE_TEXT_PDF,
			   ocr ? 0.8 : 1.0);
	nl = strchr(text, '\n');
	g_ptr_array_add(page->codes, nl != NULL ? g_strndup(text, nl - text)
						: g_strdup(text));
	classify_page(rules, page, image);
	FUZZ_ASSERT(page->type != NULL, "a page without a type");
	FUZZ_ASSERT(page->type_confidence >= 0 && page->type_confidence <= 1,
		    "a type confidence outside 0..1");
	pages = core_ptr_array_new(core_page_free);
	g_ptr_array_add(pages, page);
	docs = classify_documents(rules, pages);
	classify_documents_update_codes(rules, docs, pages);
	claim = claim_new();
	classify_documents_match_names(rules, docs, pages, claim);
	for (guint i = 0; i < docs->len; i++) {
		CoreDocument *doc = docs->pdata[i];

		for (guint j = 0; j < doc->field_order->len; j++) {
			const char *v = core_document_get_field(
			    doc, doc->field_order->pdata[j]);

			FUZZ_ASSERT(v != NULL && g_utf8_validate(v, -1, NULL),
				    "a field value is missing or not UTF-8");
		}
	}
	core_claim_free(claim);
	g_ptr_array_unref(docs);
	g_ptr_array_unref(pages);
	g_free(text);
	g_free(raw);
	return 0;
}
