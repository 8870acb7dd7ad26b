/* checks_int.h - what the rule kinds share: the parsed rule, the run a kind
 * fills (outcome and findings), value sources ("claim.KEY" or
 * "TYPE.FIELD"), and the date, amount and name helpers every kind uses the
 * same way. One kind per ChecksKind; policy.c lists them. */
#ifndef EVIDCHECK_CHECKS_INT_H
#define EVIDCHECK_CHECKS_INT_H

#include <glib.h>

#include "checks/checks.h"
#include "core/core.h"

G_BEGIN_DECLS

typedef struct ChecksRule ChecksRule;
typedef struct ChecksRun ChecksRun;

/* A kind of rule: the C that one or more [check ID] groups of checks.ini
 * parametrise with their keys. */
typedef struct {
	const char *name;	 /* kind = NAME */
	const char *const *keys; /* its own keys, NULL-terminated */
	/* Read the kind's keys of GROUP into new params (freed with FREE).
	 * WHERE ("checks.ini: check cycle") starts error messages. NULL
	 * with ERROR set on a missing or bad key. */
	gpointer (*parse)(GKeyFile *kf, const char *group, const char *where,
			  GError **error);
	void (*free)(gpointer params);
	/* Decide the rule for IN: exactly one of checks_run_pass,
	 * checks_run_fail (one or more times), checks_run_not_checked or
	 * checks_run_not_applicable. */
	void (*run)(const ChecksRule *rule, const ChecksInput *in,
		    ChecksRun *run);
} ChecksKind;

struct ChecksRule {
	char *id; /* [check ID] */
	const ChecksKind *kind;
	char *code; /* finding code raised */
	CoreSeverity severity;
	char *label;	   /* Chinese */
	char *clause;	   /* the guide's clause */
	char **directions; /* NULL-terminated; NULL: every direction */
	char *delivery;	   /* only when the claim's delivery is this; or NULL */
	gpointer params;   /* the kind's */
};

struct ChecksRun {
	const ChecksRule *rule;
	ChecksOutcome *outcome;
	GPtrArray *findings; /* CoreFinding*, where failures go */
};

/* The outcome's status and note (printf-style, Chinese). */
void checks_run_pass(ChecksRun *run, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void checks_run_not_checked(ChecksRun *run, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
void checks_run_not_applicable(ChecksRun *run, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/* Mark the rule failed and raise a finding of its code and severity with
 * MESSAGE; returns the finding (owned by the run) for refs. Call again
 * for another finding; the outcome's note is the first message. */
CoreFinding *checks_run_fail(ChecksRun *run, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/* The same with another severity or code than the rule's (CODE NULL: the
 * rule's), e.g. a warning where OCR may have misread a name. */
CoreFinding *checks_run_fail_as(ChecksRun *run, const char *code,
				CoreSeverity severity, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
/* Add DOC's first page ("file#page") to the outcome's documents, and to
 * FINDING's refs when FINDING is not NULL. Duplicates are skipped. */
void checks_run_ref(ChecksRun *run, CoreFinding *finding,
		    const CoreDocument *doc);
/* The same for page PAGE of FILE (e.g. the page with the seal). */
void checks_run_ref_page(ChecksRun *run, CoreFinding *finding, const char *file,
			 int page);

/* ---- value sources (source.c) --------------------------------------- */

/* "claim.KEY" or "TYPE.FIELD", alternatives joined by '|', tried in
 * order. Claim keys: product_name, direction, scene, delivery,
 * project_kind, enterprise.name, enterprise.credit_code, enterprise.tier,
 * provider.name, provider.credit_code, contract.number,
 * contract.signed_on, contract.amount, contract.voucher_amount,
 * accepted_on, trainees. */
typedef struct ChecksSource ChecksSource;

ChecksSource *checks_source_parse(const char *text, GError **error);
void checks_source_free(ChecksSource *source);
/* The text it was parsed from, for messages. Borrowed. */
const char *checks_source_text(const ChecksSource *source);

/* A value found, and the document it came from (NULL: claim.json or the
 * command line). */
typedef struct {
	const char *value; /* borrowed */
	const CoreDocument *doc;
	const char *field; /* "contract.signed_on" or the document field */
} ChecksValue;

/* The first alternative that has a value: for a TYPE.FIELD, the first
 * document of TYPE (in claim order) with that field. FALSE when none. */
gboolean checks_source_first(const ChecksSource *source, const ChecksInput *in,
			     ChecksValue *out);
/* Every value of the first alternative that has any: all documents of
 * TYPE with the field. A new array of ChecksValue the caller frees. */
GArray *checks_source_all(const ChecksSource *source, const ChecksInput *in);

/* Read KEY of GROUP as a source; a missing key is an error when REQUIRED,
 * else *OUT stays NULL. */
gboolean checks_key_source(GKeyFile *kf, const char *group, const char *key,
			   const char *where, gboolean required,
			   ChecksSource **out, GError **error);

/* The claim value of KEY ("enterprise.name"), or NULL. Borrowed. */
const char *checks_claim_value(const CoreClaim *claim, const char *key);

/* The documents of TYPE in IN, in claim order. New array, borrowed
 * elements. */
GPtrArray *checks_documents_of(const ChecksInput *in, const char *type);

/* ---- dates, amounts, names (values.c) ------------------------------- */

/* An ISO YYYY-MM-DD date into *OUT; FALSE when not a real date. */
gboolean checks_date_parse(const char *iso, GDate *out);
/* FROM plus MONTHS calendar months: the same day of the month, or the
 * month's last day when it has no such day (GLib's g_date_add_months):
 * 2025-08-31 + 6 = 2026-02-28. docs/rules.md says why. */
void checks_date_add_months(const GDate *from, int months, GDate *out);
/* TRUE when TO is at least MONTHS months after FROM (TO >= FROM+MONTHS). */
gboolean checks_period_at_least(const GDate *from, const GDate *to, int months);
/* Whole months and days from FROM to TO, e.g. "5个月29天". Caller owns. */
char *checks_period_text(const GDate *from, const GDate *to);
/* "2026年1月10日". Caller owns. */
char *checks_date_text(const GDate *date);
/* English forms for core_finding_set_english: "2026-01-10", "5 months
 * 29 days", "60,000.00 yuan". Caller owns. */
char *checks_date_text_en(const GDate *date);
char *checks_period_text_en(const GDate *from, const GDate *to);

/* A decimal yuan amount ("60000.00", "60,000") into fen; FALSE when not
 * an amount. */
gboolean checks_amount_parse(const char *text, gint64 *fen);
/* "60,000.00元". Caller owns. */
char *checks_amount_text(gint64 fen);
char *checks_amount_text_en(gint64 fen);

/* NAME as compared: NFKC, whitespace and punctuation dropped, letters
 * lower-cased; brackets of either width are the same. Caller owns. */
char *checks_name_key(const char *name);
/* Characters to change, insert or delete to turn A into B (UTF-8). */
guint checks_text_distance(const char *a, const char *b);
/* TRUE when the name key READ is within what OCR misreads of the name key
 * KNOWN: at most one character in six of KNOWN, at least one (the
 * tolerance classify_documents_match_names snaps names with). */
gboolean checks_name_ocr_near(const char *read, const char *known);

/* ---- labels (values.c) ------------------------------------------------ */

/* The keys "PREFIX.X = 中文" of GROUP as a new table X -> 中文, so that
 * messages name documents and fields in a reviewer's words while the
 * words stay in checks.ini ("doc.invoice = 发票"). */
GHashTable *checks_key_labels(GKeyFile *kf, const char *group,
			      const char *prefix);
/* The label of X in LABELS (may be NULL), else X itself. Borrowed. */
const char *checks_label(GHashTable *labels, const char *x);

/* KEY of GROUP as sources separated by ';' ("invoice.buyer_name;
 * contract.party_a"), each with its own '|' alternatives, into *OUT (a new
 * array of ChecksSource*; NULL when the key is absent and not REQUIRED). */
gboolean checks_key_source_list(GKeyFile *kf, const char *group,
				const char *key, const char *where,
				gboolean required, GPtrArray **out,
				GError **error);
/* The document type of SOURCE's first alternative ("invoice" of
 * "invoice.total"), or NULL for a claim value. New string. */
char *checks_source_type(const ChecksSource *source);
/* The documents of every TYPE.FIELD alternative of SOURCE, whether or
 * not they hold the field: where a reviewer looks when the value came
 * from claim.json (the contract for its amount). New array, borrowed
 * elements. */
GPtrArray *checks_source_documents(const ChecksSource *source,
				   const ChecksInput *in);

/* ---- keys every kind reads (keys.c) ---------------------------------- */

/* KEY of GROUP, trimmed; a copy of DFLT (may be NULL) when absent or
 * empty. Caller owns. */
char *checks_key_string(GKeyFile *kf, const char *group, const char *key,
			const char *dflt);
/* "a; b; c" as a NULL-terminated vector of trimmed, non-empty items (TEXT
 * NULL: empty). Caller owns (g_strfreev). */
char **checks_split_list(const char *text);
/* KEY as such a list; NULL when absent. */
char **checks_key_list(GKeyFile *kf, const char *group, const char *key);
/* KEY as a pattern compiled with FLAGS. NULL when absent (an error when
 * REQUIRED) or bad (ERROR names the key and the problem). */
GRegex *checks_key_regex(GKeyFile *kf, const char *group, const char *key,
			 const char *where, GRegexCompileFlags flags,
			 gboolean required, GError **error);
/* KEY as a whole number LO..HI into *OUT; absent: DFLT, or an error when
 * DFLT < 0. */
gboolean checks_key_int(GKeyFile *kf, const char *group, const char *key,
			const char *where, int lo, int hi, int dflt, int *out,
			GError **error);
/* KEY as a decimal number (an amount in yuan, or a rate: "0.80" is 80)
 * into *FEN, hundredths; absent or not a number is an error. */
gboolean checks_key_amount(GKeyFile *kf, const char *group, const char *key,
			   const char *where, gint64 *fen, GError **error);
/* Whether DIRECTION ("4", "14.1") is in SPEC ("3-8; 14.1; 20"; a range of
 * whole numbers takes in the sub-items). SPEC NULL: every direction;
 * DIRECTION NULL: none. */
gboolean checks_direction_in(const char *spec, const char *direction);

/* ---- the kinds (one file each group; policy.c lists them) ----------- */

extern const ChecksKind checks_kind_period;	      /* periods.c */
extern const ChecksKind checks_kind_records_span;     /* periods.c */
extern const ChecksKind checks_kind_authorization;    /* certs.c */
extern const ChecksKind checks_kind_cert_valid;	      /* certs.c */
extern const ChecksKind checks_kind_name_match;	      /* names.c */
extern const ChecksKind checks_kind_party_match;      /* names.c */
extern const ChecksKind checks_kind_amount_match;     /* money.c */
extern const ChecksKind checks_kind_subsidy_cap;      /* money.c */
extern const ChecksKind checks_kind_stamped;	      /* seals.c */
extern const ChecksKind checks_kind_seal_owner;	      /* seals.c */
extern const ChecksKind checks_kind_count_limit;      /* scope.c */
extern const ChecksKind checks_kind_excluded_service; /* scope.c */
extern const ChecksKind checks_kind_duplicate;	      /* history.c */
extern const ChecksKind checks_kind_contract_limit;   /* history.c */
extern const ChecksKind checks_kind_quota;	      /* history.c */

/* checks_evaluate with one kind's rules only, for unit tests: the rules of
 * POLICY whose id is RULE_ID (NULL: all). */
ChecksResult *checks_evaluate_only(const ChecksPolicy *policy,
				   const ChecksInput *input,
				   const char *rule_id);

G_END_DECLS

#endif
