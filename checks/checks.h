/* checks.h - the guide's rules that look across a claim's documents and
 * across claims (rules/<edition>/checks.ini): names, periods, parties,
 * amounts, caps, seals, certificates, duplicates, contract counts and
 * quotas. Every rule gives an outcome the report lists (passed, failed,
 * not_checked with its reason, or not_applicable); a failed rule raises
 * findings that name the pages showing it. */
#ifndef EVIDCHECK_CHECKS_H
#define EVIDCHECK_CHECKS_H

#include <glib.h>

#include "core/core.h"
#include "store/store.h"

G_BEGIN_DECLS

typedef struct ChecksPolicy ChecksPolicy;

/* Load the rules at PATH. Every rule's keys are read and checked here, so
 * a typo is an error naming the file, the rule and the key. Returns a new
 * policy the caller owns, or NULL with ERROR set. */
ChecksPolicy *checks_policy_load(const char *path, GError **error);
void checks_policy_free(ChecksPolicy *policy);

/* Edition declared by the file (e.g. "2026"). Borrowed. */
const char *checks_policy_edition(const ChecksPolicy *policy);

typedef enum {
	CHECKS_PASSED,
	CHECKS_FAILED,
	CHECKS_NOT_CHECKED,   /* an input is missing: never a silent pass */
	CHECKS_NOT_APPLICABLE /* the rule does not apply to this claim */
} ChecksStatus;

/* "passed", "failed", "not_checked", "not_applicable". Static. */
const char *checks_status_name(ChecksStatus status);

typedef struct {
	char *check;  /* rule id in checks.ini, e.g. "cycle" */
	char *code;   /* the finding code it raises, e.g. "CYCLE_TOO_SHORT" */
	char *label;  /* the rule in a reviewer's words (Chinese) */
	char *clause; /* where the guide or the measures say it */
	ChecksStatus status;
	char *note;	      /* Chinese: what was compared, or why not */
	GPtrArray *documents; /* char* "file#page" refs looked at */
} ChecksOutcome;

typedef struct {
	GPtrArray *outcomes; /* ChecksOutcome*, owned, in checks.ini order */
	GPtrArray *findings; /* CoreFinding*, owned */
} ChecksResult;

/* What a claim gives the rules. Everything is borrowed. */
typedef struct {
	const char *claim_id;
	const CoreClaim *claim;
	GPtrArray *documents; /* CoreDocument* */
	GPtrArray *pages;     /* CorePage*, by file then page */
	const StoreFileRef *files;
	guint n_files;
	/* The other claims already scanned. NULL: the cross-claim rules are
	 * not_checked (a scan without a store cannot know them). */
	Store *store;
	/* ISO date taken as today (tests); NULL: the real date. */
	const char *today;
} ChecksInput;

/* Run every rule of POLICY that applies to INPUT's claim (its direction
 * and delivery). Never NULL; the caller owns the result. */
ChecksResult *checks_evaluate(const ChecksPolicy *policy,
			      const ChecksInput *input);
void checks_result_free(ChecksResult *result);

G_END_DECLS

#endif
