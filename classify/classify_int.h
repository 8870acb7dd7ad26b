/* classify_int.h - private to classify/: the compiled form of
 * rules/<edition>/types.ini and the helpers its files share (regex walking,
 * value conversion). Other modules see only classify.h; the format itself
 * is documented in docs/rules-types.md. */
#ifndef EVIDCHECK_CLASSIFY_INT_H
#define EVIDCHECK_CLASSIFY_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "classify/classify.h"

/* Named limits. A text layer is untrusted input: a broken PDF can carry
 * megabytes of junk on one page, and a rule can backtrack badly on it. */
#define CLASSIFY_MAX_PAGE_BYTES	 (256 * 1024)	   /* scored per page */
#define CLASSIFY_MAX_DOC_BYTES	 (2 * 1024 * 1024) /* searched per document */
#define CLASSIFY_MATCH_LIMIT	 2000000	   /* PCRE2 steps per match */
#define CLASSIFY_MAX_VALUE_CHARS 200		   /* longer values dropped */
#define CLASSIFY_MAX_LENGTHS	 4		   /* len=a,b,c,d */

/* Fixed type ids the classifier itself assigns (CONTRACT.md §2). */
#define CLASSIFY_TYPE_OTHER "other"
#define CLASSIFY_TYPE_PHOTO "photo"

typedef enum {
	CUE_TITLE,   /* counts only within the top of the page */
	CUE_ANY,     /* anywhere, once */
	CUE_NEG,     /* anywhere, once, negative weight */
	CUE_EACH,    /* each different matched text, up to max_hits */
	CUE_UNTITLED /* anywhere, once, only when no title.* matched */
} CueKind;

typedef struct {
	char *key; /* "cue.code", for messages and explanations */
	CueKind kind;
	double weight;
	int max_hits; /* 1 except for CUE_EACH */
	pcre2_code *re;
} Cue;

typedef enum {
	VALUE_TEXT,
	VALUE_DIGITS,
	VALUE_CODE,
	VALUE_CREDIT_CODE,
	VALUE_DATE,
	VALUE_AMOUNT,
	VALUE_CAPITAL
} ValueKind;

typedef struct {
	char *name; /* field name: the key up to its first '.' */
	char *key;  /* the full key, for messages */
	ValueKind kind;
	int nth;	  /* take the nth valid match, 1-based; 0 = the last */
	char *checks;	  /* VALUE_CAPITAL: field it is checked against */
	char *version_to; /* VALUE_TEXT: field a trailing version goes to */
	int lengths[CLASSIFY_MAX_LENGTHS]; /* accepted lengths; none = any */
	int n_lengths;
	int group; /* capture group holding the value: "v", else 0 */
	pcre2_code *re;
} FieldRule;

typedef struct {
	char *id;
	char *label;
	gboolean one_per_page; /* each page of this type is its own document */
	gboolean sealed;       /* issued under a seal: look for one */
	gboolean seal_names;   /* whose seal it is matters: read the ring */
	/* Fields of its text-layer pages are read from the words laid out
	 * in rows by their boxes, not in the layer's own order. */
	gboolean rows;
	gboolean codes;	     /* carries a QR code worth decoding */
	double untitled_min; /* score needed when no title.* cue matched;
				0 = no such requirement */
	/* Fields whose text-layer value is read again from the page image
	 * ("verify = a, b"): a NULL-terminated vector, or NULL. */
	char **verify;
	/* Fields holding a party's name ("names = buyer_name, seller_name"),
	 * matched against the claim's known names on OCR'd documents
	 * (classify_documents_match_names): NULL-terminated, or NULL. */
	char **names;
	GPtrArray *cues;   /* Cue*, in file order */
	GPtrArray *fields; /* FieldRule*, in file order */
} TypeRules;

struct ClassifyRules {
	char *path;
	char *edition;
	double min_score;
	double half_score;
	double photo_confidence;
	double photo_word_confidence;
	int photo_max_chars;
	int title_lines;
	int title_chars;
	GPtrArray *types; /* TypeRules*, in file order (ties go to the first) */
	GHashTable *by_id;	   /* id -> TypeRules*, borrowed from types */
	guint32 ovector_pairs;	   /* enough for the pattern with most groups */
	pcre2_match_context *mctx; /* read-only after load, so shared */
};

/* ---- match.c: walking one subject with many patterns ----------------- */

/* A text prepared for matching: valid UTF-8, cut at a named limit on a
 * character boundary, with a match data block of its own so that callers
 * on different threads never share one. */
typedef struct {
	const char *text;
	size_t len;
	char *owned; /* a repaired copy of the text, or NULL */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
} ClassifySubject;

void classify_subject_init(ClassifySubject *s, const ClassifyRules *rules,
			   const char *text, size_t max_bytes);
void classify_subject_clear(ClassifySubject *s);

/* Find the next match of RE in S's first LIMIT bytes at or after *FROM.
 * On TRUE, [*START, *END) is capture GROUP and *FROM has moved past the
 * whole match. FALSE at the end, or when PCRE2 gives up (match limit). */
gboolean classify_subject_next(ClassifySubject *s, const pcre2_code *re,
			       int group, size_t limit, size_t *from,
			       size_t *start, size_t *end);

/* ---- values.c: from captured text to report values ----------------- */

/* Convert RAW as FIELD's kind and options say. Returns a new string, or
 * NULL when RAW is not a valid value of that kind. */
char *classify_value_convert(const FieldRule *field, const char *raw);

/* Split a trailing version ("V1.0", "1.0", "V2.3.1") off NAME in place,
 * after cutting out a bracketed short name ("[简称：XX]"). Returns the
 * version as "V<numbers>" (new string), or NULL when there is none. */
char *classify_split_version(char *name);

/* ---- qr.c: the invoice's QR code as a second reading ----------------- */

/* Cross-check DOC against the invoice QR payloads of its N PAGES, as
 * classify_documents_update_codes does for one document. */
void classify_check_codes(const ClassifyRules *rules, CoreDocument *doc,
			  CorePage *const *pages, guint n);

#endif
