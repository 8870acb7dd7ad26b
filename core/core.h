/* core.h - the vocabulary every evidcheck stage shares: the error domain,
 * a claim's declared facts (claim.json), pages, documents and findings.
 * Stages fill these plain structs; reports/ renders them. Names follow
 * ../shared/spec/CONTRACT.md, which other programs read. */
#ifndef EVIDCHECK_CORE_H
#define EVIDCHECK_CORE_H

#include <glib.h>

G_BEGIN_DECLS

#define CORE_ERROR (core_error_quark())

typedef enum {
	CORE_ERROR_IO,		/* a file or folder could not be read/written */
	CORE_ERROR_FORMAT,	/* bytes are damaged or not what they claim   */
	CORE_ERROR_UNSUPPORTED, /* a format or feature we do not read */
	CORE_ERROR_LIMIT, /* input over a named limit                    */
	CORE_ERROR_RULES, /* a rules file is malformed                   */
	CORE_ERROR_STORE, /* the SQLite store failed                     */
	CORE_ERROR_OCR,	  /* the OCR engine failed                       */
	CORE_ERROR_USAGE  /* the caller asked for something impossible   */
} CoreErrorCode;

GQuark core_error_quark(void);

/* ---- claim.json ------------------------------------------------------ */

typedef struct {
	char *name;	   /* NULL when not declared */
	char *credit_code; /* NULL when not declared */
	/* The enterprise's quota tier (001 §10), e.g. "general" or "5": NULL
	 * when not declared; checks.ini maps it to a yearly amount. */
	char *tier;
} CoreParty;

typedef struct {
	char *claim_id;	    /* NULL when not declared */
	char *direction;    /* "1".."20", "14.1".. ; NULL when not declared */
	char *scene;	    /* NULL when not declared */
	char *delivery;	    /* "self" | "agency" | NULL */
	char *product_name; /* NULL when not declared */
	char *project_kind; /* "single_line_mes" | "multi_system" | "other" |
			       NULL */
	CoreParty enterprise;
	CoreParty provider;
	char *contract_number;	  /* NULL when not declared */
	char *contract_signed_on; /* ISO date or NULL */
	char *contract_amount;	  /* decimal string in yuan or NULL */
	char *voucher_amount;	  /* decimal string in yuan or NULL */
	char *accepted_on; /* ISO date of acceptance (extension) or NULL */
	int trainees;	   /* -1 when not declared */
} CoreClaim;

/* An empty claim: every field unset. Caller owns; free with core_claim_free. */
CoreClaim *core_claim_new(void);

/* Parse claim.json at PATH. Unknown keys are ignored; a key of the wrong
 * JSON type is an error naming the key. Returns a new claim the caller owns,
 * or NULL with ERROR set. */
CoreClaim *core_claim_load(const char *path, GError **error);

/* Same, from a buffer (LEN bytes, need not be NUL-terminated). NAME is used
 * in error messages. */
CoreClaim *core_claim_parse(const char *data, gsize len, const char *name,
			    GError **error);

void core_claim_free(CoreClaim *claim);

/* ---- pages and documents -------------------------------------------- */

typedef enum {
	CORE_TEXT_NONE = 0, /* no text could be read */
	CORE_TEXT_PDF,	    /* the PDF's own text layer: "pdf_text" */
	CORE_TEXT_OCR	    /* Tesseract: "ocr" */
} CoreTextSource;

/* "pdf_text", "ocr" or "none". Static string. */
const char *core_text_source_name(CoreTextSource source);

/* A box on a page, as fractions of the upright page's width and height
 * from its top-left corner, so it means the same at any resolution. */
typedef struct {
	double x, y, w, h;
} CoreBox;

/* A word as read, for highlighting the words a rule matched. */
typedef struct {
	char *text; /* UTF-8, owned */
	CoreBox box;
	double confidence; /* 0..1; 1 for a PDF text layer */
} CoreWord;

/* Move B from an image's frame to the frame of that image turned clockwise
 * by DEGREES (0, 90, 180 or 270; anything else leaves B alone). */
void core_box_rotate(CoreBox *b, int degrees);

/* A GArray of CoreWord that frees each word's text. Caller owns. */
GArray *core_words_new(void);
/* A GArray of CoreBox. Caller owns. */
GArray *core_boxes_new(void);

typedef struct {
	char
	    *file; /* path relative to the claim folder, UTF-8, '/' separated */
	int page;  /* 1-based */
	CoreTextSource source;
	char *text;	   /* UTF-8, never NULL (may be "") */
	double confidence; /* 0..1: OCR mean word confidence; 1 for pdf_text */
	int stamped;	   /* 1 seal seen, 0 none seen, -1 not examined */
	GArray *seals;	   /* CoreBox of each red seal found, owned */
	/* char*, one per seal at the same index: the organisation read from
	 * the seal's ring, or NULL when it could not be read. Owned; kept
	 * the length of SEALS by whoever sets them (core_page_set_seals). */
	GPtrArray *seal_orgs;
	/* char*: payloads of the QR codes decoded on the page, in reading
	 * order (top to bottom). Owned. */
	GPtrArray *codes;
	GArray *words; /* CoreWord, owned; empty when not known */
	/* 64-bit perceptual hash of the upright page image (a re-encoded or
	 * re-scanned copy lands within a few bits); 0 when no image of the
	 * page was seen (a text-layer page). */
	guint64 phash;
	int rotation;	   /* degrees the page was turned clockwise to read */
	const char *layer; /* static: PDF text layer verdict ("trusted",
			      "garbled", "scanned", "none"); NULL: image */
	char *type;	   /* document type id from classify, or NULL */
	double type_confidence; /* 0..1 */
	/* When TYPE is "other": the type that scored best, though below the
	 * rules' threshold, so the report can say what the page nearly was;
	 * NULL when no type scored at all. Owned. */
	char *type_guess;
} CorePage;

/* New page with FILE and PAGE copied, text "" and source NONE, stamped -1.
 * Caller owns; free with core_page_free. */
CorePage *core_page_new(const char *file, int page);
void core_page_free(CorePage *page);

/* Replace PAGE's seals by copies of the N boxes at BOXES, their ring
 * organisations unknown, and set stamped (1 when N > 0, else 0). */
void core_page_set_seals(CorePage *page, const CoreBox *boxes, guint n);

/* Replace PAGE's text by a copy of TEXT. */
void core_page_set_text(CorePage *page, const char *text, CoreTextSource source,
			double confidence);

typedef struct {
	char *file;    /* relative path of the file holding the document */
	GArray *pages; /* int, 1-based page numbers within FILE, ascending */
	char *type;    /* CONTRACT.md §2 id */
	double confidence;
	CoreTextSource source;	/* OCR if any page was OCR'd, else PDF */
	int stamped;		/* 1, 0 or -1 as for pages (any page stamped) */
	int stamped_page;	/* first page with a seal, 0 when none */
	GHashTable *fields;	/* char* name -> char* value, both owned */
	GPtrArray *field_order; /* char* names in insertion order, owned */
	/* char*: what the reviewer should know about how the fields were
	 * read, e.g. that the invoice's QR code overrode a misread number.
	 * Chinese. Owned. */
	GPtrArray *notes;
} CoreDocument;

/* New document of TYPE in FILE with no pages. Caller owns. */
CoreDocument *core_document_new(const char *file, const char *type);
void core_document_free(CoreDocument *doc);
void core_document_add_page(CoreDocument *doc, int page);
/* Set field NAME to VALUE (both copied); a later set replaces the value. */
void core_document_set_field(CoreDocument *doc, const char *name,
			     const char *value);
/* Borrowed value of field NAME, or NULL. */
const char *core_document_get_field(const CoreDocument *doc, const char *name);
/* "file#page" of the document's first page. Caller owns (g_free). */
char *core_document_ref(const CoreDocument *doc);

/* ---- findings -------------------------------------------------------- */

typedef enum { CORE_SEVERITY_ERROR, CORE_SEVERITY_WARNING } CoreSeverity;

/* "error" or "warning". Static string. */
const char *core_severity_name(CoreSeverity severity);

typedef struct {
	char *code; /* CONTRACT.md §3 code, e.g. "MISSING_EVIDENCE" */
	CoreSeverity severity;
	char *message;	      /* for the reviewer, Chinese first */
	char *message_en;     /* the same in English (--lang en), or NULL */
	char *item;	      /* checklist item id it concerns, or NULL */
	GPtrArray *documents; /* char* "file#page" refs, owned */
} CoreFinding;

/* New finding; CODE and MESSAGE copied. Caller owns. */
CoreFinding *core_finding_new(const char *code, CoreSeverity severity,
			      const char *message);
/* Set FINDING's English message (printf-style); it replaces an earlier
 * one. Every finding should have one: reports fall back to the Chinese
 * message where it has none. */
void core_finding_set_english(CoreFinding *finding, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/* The message in LANG ("en" or "zh"; NULL: "zh"). Borrowed. */
const char *core_finding_message(const CoreFinding *finding, const char *lang);
/* Append the ref "FILE#PAGE" (PAGE <= 0 gives just "FILE"). */
void core_finding_add_ref(CoreFinding *finding, const char *file, int page);
void core_finding_free(CoreFinding *finding);

/* ---- small helpers --------------------------------------------------- */

/* Normalise TEXT for matching, the one place this is done: NFKC (full-width
 * letters, digits and punctuation to half-width), one spelling of dashes,
 * quotes, square brackets and middle dots, whitespace between two
 * CJK characters removed (OCR puts spaces there), other whitespace runs
 * folded to one space, lines kept. Returns a new string the caller owns. */
char *core_text_normalize(const char *text);

/* Read the whole file PATH, refusing it before reading when it is over
 * MAX_BYTES (people write these files; a huge one is a mistake or an
 * attack). *DATA is new and NUL-terminated, the caller owns it. Errors
 * name the file: CORE_ERROR_IO or CORE_ERROR_LIMIT. */
gboolean core_file_read_small(const char *path, gsize max_bytes, char **data,
			      gsize *len, GError **error);

/* Rules files are GKeyFiles of at most this size. */
#define CORE_RULES_MAX_BYTES (1024 * 1024)

/* Load the rules file PATH into KF via core_file_read_small; a syntax error
 * is CORE_ERROR_RULES naming the file and line. */
gboolean core_rules_file_load(GKeyFile *kf, const char *path, GError **error);

/* "FILE#PAGE" as a new string. */
char *core_ref(const char *file, int page);

/* A GPtrArray that frees its elements with FREE_FUNC. */
#define core_ptr_array_new(free_func)                                          \
	g_ptr_array_new_with_free_func((GDestroyNotify)(free_func))

G_END_DECLS

#endif
