/* classify.h - decide what each page is and pull out its fields, from
 * rules data (rules/<edition>/types.ini): weighted PCRE2 cues per document
 * type, and field patterns per type. Pages of one document are grouped. */
#ifndef EVIDCHECK_CLASSIFY_H
#define EVIDCHECK_CLASSIFY_H

#include <glib.h>

#include "core/core.h"

G_BEGIN_DECLS

typedef struct ClassifyRules ClassifyRules;

/* Load and compile the rules file at PATH. Every regex is compiled here, so
 * a bad pattern is an error naming the group, key and PCRE2's message.
 * Returns new rules the caller owns, or NULL with ERROR set. */
ClassifyRules *classify_rules_load(const char *path, GError **error);
void classify_rules_free(ClassifyRules *rules);

/* The edition the file declares (e.g. "2026"). Borrowed. */
const char *classify_rules_edition(const ClassifyRules *rules);

/* TRUE when the rules carry cues for TYPE, i.e. the classifier can
 * recognise it. A checklist item needing an unknown type is not_checked,
 * never missing. */
gboolean classify_rules_knows_type(const ClassifyRules *rules,
				   const char *type);

/* Chinese label of TYPE (e.g. "发票"), or TYPE itself when unknown.
 * Borrowed. */
const char *classify_type_label(const ClassifyRules *rules, const char *type);

/* Score PAGE->text (already normalised by core_text_normalize) against
 * every type and set PAGE->type and PAGE->type_confidence. Below the
 * rules' threshold the type is "other"; a page with almost no text is
 * "photo" when the page is an image, else "other". Thread-safe. */
void classify_page(const ClassifyRules *rules, CorePage *page,
		   gboolean is_image);

/* Group PAGES (CorePage*, classified, ordered by file then page) into
 * documents: consecutive pages of one file with the same type form one
 * document, and an "other" page continuing a multi-page document joins it.
 * Fields are extracted for each document. Returns CoreDocument* in an
 * array the caller owns. */
GPtrArray *classify_documents(const ClassifyRules *rules, GPtrArray *pages);

/* Extract the fields the rules define for DOC->type from TEXT (normalised)
 * into DOC (dates as YYYY-MM-DD, amounts as decimal strings). */
void classify_extract_fields(const ClassifyRules *rules, CoreDocument *doc,
			     const char *text);

G_END_DECLS

#endif
