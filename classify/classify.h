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

/* TRUE when documents of TYPE are issued under a red seal (the rules'
 * "sealed = true"), so their pages are searched for one. */
gboolean classify_type_is_sealed(const ClassifyRules *rules, const char *type);

/* TRUE when whose seal a document of TYPE carries is checked (the rules'
 * "seal_names = true": the acceptance form under the enterprise's seal,
 * the contract and mid-term report under both parties'), so the rings of
 * seals on its text-layer pages are read too; elsewhere a ring is read
 * only on pages OCR'd anyway. */
gboolean classify_type_names_seals(const ClassifyRules *rules,
				   const char *type);

/* TRUE when documents of TYPE carry a QR code worth decoding (the rules'
 * "codes = true": VAT invoices), so their text-layer pages are drawn fine
 * enough for one. */
gboolean classify_type_has_codes(const ClassifyRules *rules, const char *type);

/* The fields of TYPE whose text-layer value must agree with what the page
 * image shows (the rules' "verify = number, total, date"), as a
 * NULL-terminated vector in the order written, or NULL when none. Each
 * names a field of [fields TYPE]. Borrowed. */
const char *const *classify_type_verify_fields(const ClassifyRules *rules,
					       const char *type);

/* How field FIELD of TYPE is read: "text", "digits", "code",
 * "credit_code", "date", "amount" or "capital" (its first pattern's kind),
 * or NULL when TYPE has no such field. Static. */
const char *classify_field_kind(const ClassifyRules *rules, const char *type,
				const char *field);

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

/* Call EACH for every page of PAGES (as for classify_documents) that
 * belongs to a document of a sealed type, without building the documents:
 * which pages to search for seals, known as soon as a file's pages are
 * classified; TYPE is the type of the page's document. Documents never
 * span files, so one file's pages give the same answer as the whole
 * claim's. */
void classify_pages_sealed(const ClassifyRules *rules, GPtrArray *pages,
			   void (*each)(CorePage *page, const char *type,
					gpointer data),
			   gpointer data);

/* Set each document's stamped and stamped_page again from its PAGES (the
 * array classify_documents grouped), after they were searched for seals. */
void classify_documents_update_seals(GPtrArray *docs, GPtrArray *pages);

/* Cross-check each document of a "codes" type against the first invoice QR
 * payload its PAGES carry (see classify_invoice_qr_parse): set qr_number,
 * qr_code, qr_amount, qr_date and qr_check_code, and where the read
 * number, code, date or net amount disagrees with the QR or is missing,
 * take the QR's and say so in doc->notes. classify_documents does this
 * already; call it again after codes were added to pages. A document
 * checked once (it has qr_number) is left alone. */
void classify_documents_update_codes(const ClassifyRules *rules,
				     GPtrArray *docs, GPtrArray *pages);

/* Names read by OCR against the names the claim knows for sure: for each
 * OCR'd document of DOCS (source not pdf_text), each field its type lists
 * in "names = …" whose value is not a known name but within a small edit
 * distance (at most one character in six of the known name, at least one,
 * compared after classify_normalize_name; both names six characters or
 * more) of exactly one known name, is replaced by that name, and a note in
 * doc->notes keeps what OCR read. So are the organisations read from the
 * seal rings of PAGES (CorePage.seal_orgs, always an OCR reading; PAGES
 * may be NULL), with the note on the document holding the page. The known
 * names are CLAIM's enterprise and provider names (CLAIM may be NULL) and
 * the values of those fields on the text-layer documents of DOCS. Two
 * candidates, or none near enough, leave the value as read. Call once the
 * documents are final. */
void classify_documents_match_names(const ClassifyRules *rules, GPtrArray *docs,
				    GPtrArray *pages, const CoreClaim *claim);

/* Extract the fields the rules define for DOC->type from TEXT (normalised)
 * into DOC (dates as YYYY-MM-DD, amounts as decimal strings). A 大写
 * amount disagreeing with its 小写 twin drops the twin and sets
 * NAME_conflict; when DOC->source is not pdf_text, a credit code failing
 * its check character is repaired if exactly one OCR confusion fixes it
 * (NAME_corrected = "true" and a note in DOC->notes). */
void classify_extract_fields(const ClassifyRules *rules, CoreDocument *doc,
			     const char *text);

/* Explain how TEXT (normalised) scores: one line per type whose cues
 * fired, naming each cue with its weight and the type's sum, then the
 * verdict classify_page would give. For tuning the rules. Returns a new
 * string the caller owns. */
char *classify_explain(const ClassifyRules *rules, const char *text,
		       gboolean is_image);

/* ---- value converters (also for checklist/ and reports/) ------------- */

/* Read 大写 capital numerals as yuan with two decimals: "陆万圆整" is
 * "60000.00", "壹拾贰万叁仟肆佰伍拾陆元柒角捌分" is "123456.78". A leading
 * 人民币 and spaces are allowed; anything malformed (陆万万, 壹贰, 壹佰伍元
 * for 105, stray characters, invalid UTF-8) gives NULL. Returns a new
 * string or NULL. */
char *classify_amount_from_capital(const char *text);

/* "¥60,000.00", "60000元", "6万元", "Y6O000.00" (OCR) as "60000.00".
 * Returns a new string, or NULL when TEXT is not an amount. */
char *classify_normalize_amount(const char *text);

/* "2026年1月5日", "2026 年 1 月 5 日", "2026-01-05", "2026/1/5",
 * "2026.01.05", "20260105" or "二〇二六年一月五日" as "2026-01-05"; OCR's
 * O, o, l, I, | ] [ and S in the digits are read as 0, 1 and 5, and O, o or
 * 0 among Chinese numerals as 〇. Impossible dates (2026-02-30) and years
 * outside 1900..2100 give NULL. Returns a new string or NULL. */
char *classify_normalize_date(const char *text);

/* The fields of a Chinese VAT invoice's QR code. */
typedef struct {
	char type[3]; /* 01 专票, 04 普票, 10 电子普票, 31/32 全电 … */
	char code[13];	     /* 10 or 12 digits; "" on 全电 invoices */
	char number[21];     /* 20 digits (全电), or 8 with a code */
	char amount[24];     /* excluding tax, two decimals: "56603.77" */
	char date[11];	     /* YYYY-MM-DD */
	char check_code[33]; /* 校验码, letters and digits; may be "" */
} ClassifyInvoiceQr;

/* Read PAYLOAD, a VAT invoice QR code's text: "version,type,code,number,
 * amount,date,check code,tail", e.g. "01,32,,26452000000012345678,
 * 56603.77,20260310,,A1B2" or "01,04,4500201130,12345678,1000.00,20250105,
 * 12345678901234567890,ABCD". Tolerated: spaces around fields, full-width
 * commas, a trailing comma, no tail or check code, one-decimal amounts,
 * a minus (红字 invoices). Refused: another shape (a URL, too few fields,
 * an 8-digit number without a 10/12-digit code, an impossible date, a
 * non-decimal amount), over 512 bytes, invalid UTF-8. Fills *OUT on TRUE;
 * on FALSE *OUT is cleared. */
gboolean classify_invoice_qr_parse(const char *payload, ClassifyInvoiceQr *out);

/* TRUE when CODE has the shape of an 18-character unified social credit
 * code (GB 32100): [0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}. */
gboolean classify_is_credit_code(const char *code);

/* TRUE when CODE has that shape and its 18th character is the right check
 * character. Extraction does not require it (samples and some scans fail
 * it); checks may use it to tell an OCR misread from a different party. */
gboolean classify_credit_code_checksum_ok(const char *code);

/* When CODE has the shape but fails the check, try the one-character OCR
 * confusions 0/D/Q, 1/L, 8/B and 6/G at each position; the variant that
 * passes, when exactly one does, as a new string. NULL when CODE passes
 * already, is no code, or no single variant or several pass (a guess
 * between parties is no repair). Field extraction applies it to OCR'd
 * documents and records it in NAME_corrected. */
char *classify_credit_code_repair(const char *code);

/* TRUE when NUMBER (with CODE, the 发票代码, or NULL) is an invoice's
 * number by length and format: 20 digits of a 全电 invoice, starting with
 * the year's last two digits and a province's tax office code (11..65),
 * with no code; or 8 digits with a 10- or 12-digit code. A phone number,
 * a bank account or an 8-digit number without its code is not one. */
gboolean classify_invoice_number_ok(const char *number, const char *code);

/* One spelling of an organisation or person's name for comparing: full
 * width to half, whitespace and formatting punctuation (. , : ; 、 · quotes
 * 《》) dropped, every bracket as ( ), ASCII letters upper case. Words are
 * never merged: 有限公司 and 有限责任公司 stay different, as do 分公司 and
 * 公司. Returns a new string, or NULL for NULL, invalid UTF-8 or nothing
 * left. */
char *classify_normalize_name(const char *name);

G_END_DECLS

#endif
