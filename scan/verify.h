/* verify.h - the pure part of the second reading of text-layer fields
 * (types.ini "verify"): find where the layer's words hold a field's value,
 * and judge what OCR read of that place against it. No I/O, no Tesseract:
 * scan/second.c drives it, tests/unit/test_verify.c tests it. */
#ifndef EVIDCHECK_SCAN_VERIFY_H
#define EVIDCHECK_SCAN_VERIFY_H

#include <glib.h>

#include "core/core.h"
#include "scan/scan.h"

G_BEGIN_DECLS

/* At most this many consecutive words of one line make up a value as
 * written ("2026" "年" "04" "月" "25" "日" is six). */
#define SCAN_VERIFY_MAX_WORDS 8

/* A reading that differs from the layer counts as a disagreement only
 * when Tesseract was at least this sure of its least sure character;
 * below, a misread digit is as likely as an edited layer, and the field
 * is "unread". Clean 300 dpi crops of print read at 0.80-0.97. */
#define SCAN_VERIFY_MIN_CONFIDENCE 0.60

/* RAW as a value of KIND (classify_field_kind: "amount", "date",
 * "digits", "code", "credit_code", "capital" or "text"), in the form the
 * document's fields have: "¥60,000.00" is "60000.00", "2026年04月25日" is
 * "2026-04-25", OCR's O, o, l, I and | among digits are 0 and 1, codes are
 * upper case without spaces, text is normalised without spaces. Returns
 * a new string, or NULL when RAW is no such value. */
char *scan_verify_normalize(const char *kind, const char *raw);

/* Find VALUE, a field of KIND as the document has it, among WORDS (a
 * page's CoreWord, in reading order): the shortest run of consecutive
 * words on one line whose text, joined by spaces, holds a candidate that
 * normalises to VALUE; the first such run on the page. On TRUE, *BOX is
 * the run's union and *WRITTEN (new string) the candidate as written;
 * FALSE when the value is not found as such. */
gboolean scan_verify_locate(const GArray *words, const char *kind,
			    const char *value, CoreBox *box, char **written);

/* Whether WRITTEN, a value of KIND as the layer writes it
 * (scan_verify_locate), can be read by a reader of Latin script alone:
 * figures, dates and codes written with ASCII and ¥ only ("¥60,000.00",
 * "2026-01-18", not "2026年01月18日"); never text or 大写 amounts. */
gboolean scan_verify_latin(const char *kind, const char *written);

/* Judge IMAGE, what OCR read (with CONFIDENCE, of its least sure
 * character) where the layer holds VALUE, a field of KIND: AGREE when a
 * value read there normalises to VALUE; DISAGREE when a value read there
 * is another one, read with confidence (digits: of the same length; text
 * never disagrees, as OCR cannot prove a name wrong); else UNREAD. On
 * AGREE and DISAGREE, *SEEN (may be NULL) is the value read, normalised
 * (new string); else NULL. */
ScanVerifyStatus scan_verify_compare(const char *kind, const char *value,
				     const char *image, double confidence,
				     char **seen);

/* The verdict of two looks at one place, FIRST and SECOND (either may be
 * NULL: not read), each judged by scan_verify_compare: AGREE when either
 * shows VALUE (a misread is no evidence); DISAGREE only when both show
 * the same other value, so that one look's misread digit is never
 * reported as an edited layer; else UNREAD. *SEEN (may be NULL) as for
 * scan_verify_compare. */
ScanVerifyStatus scan_verify_judge(const char *kind, const char *value,
				   const char *first, double first_confidence,
				   const char *second, double second_confidence,
				   char **seen);

G_END_DECLS

#endif
