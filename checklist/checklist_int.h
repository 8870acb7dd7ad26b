/* checklist_int.h - what the checklist sources share and the unit tests may
 * see: the parsed policy (directions, items, conditions), requirement
 * expression trees, and an evaluator that asks a callback, not classify/,
 * which document types can be recognised, so it can be tested alone. */
#ifndef EVIDCHECK_CHECKLIST_INT_H
#define EVIDCHECK_CHECKLIST_INT_H

#include <glib.h>

#include "checklist/checklist.h"
#include "core/core.h"

G_BEGIN_DECLS

/* ---- requirement expressions (expr.c) ------------------------------- */

/* The guide numbers items ①…⑳ at most; a longer list is a rules typo. */
#define CHECKLIST_MAX_ITEMS 20
/* Nesting and counts in hand-written rules never come near these. */
#define CHECKLIST_EXPR_MAX_DEPTH 16
#define CHECKLIST_EXPR_MAX_COUNT 99
#define CHECKLIST_TYPE_MAX_LEN	 64

typedef enum { EXPR_TYPE, EXPR_ALL, EXPR_ANY } ExprKind;

typedef struct Expr Expr;
struct Expr {
	ExprKind kind;
	char *type;	 /* EXPR_TYPE: document type id */
	int count;	 /* EXPR_TYPE: pages needed, >= 1 */
	GPtrArray *kids; /* EXPR_ALL / EXPR_ANY: Expr*, owned, >= 2 */
};

/* Parse TEXT: type ids joined by '&' (all) and '|' (any, binds looser),
 * parentheses, and "N*type" for at least N pages of that type. Returns a
 * new tree the caller frees with expr_free, or NULL with ERROR set to a
 * message saying what was expected where (no location prefix: the caller
 * knows the direction and item). */
Expr *expr_parse(const char *text, GError **error);
void expr_free(Expr *expr);

/* Three-valued outcome: FALSE only when a type the classifier knows is
 * absent, UNKNOWN when what is absent could not have been recognised. */
typedef enum { TRI_FALSE, TRI_UNKNOWN, TRI_TRUE } Tri;

/* What the evaluator asks about document types; classify/ in production,
 * a fake in tests. LABEL returns a borrowed Chinese name, or TYPE. */
typedef struct {
	gboolean (*knows)(const char *type, gpointer data);
	const char *(*label)(const char *type, gpointer data);
	gpointer data;
} ChecklistTypes;

typedef struct {
	Tri value;
	GPtrArray *refs;    /* char* "file#page" used, when TRUE; owned */
	GString *absent;    /* Chinese description of what is absent */
	GString *absent_en; /* the same in English, by type id */
	GPtrArray *unknown; /* char* type ids that could not be checked */
} ExprOutcome;

/* Evaluate EXPR against DOCUMENTS (CoreDocument*, may be NULL). Fills OUT,
 * which the caller clears with expr_outcome_clear. */
void expr_eval(const Expr *expr, GPtrArray *documents,
	       const ChecklistTypes *types, ExprOutcome *out);
void expr_outcome_clear(ExprOutcome *out);

/* ---- the policy (policy.c) ------------------------------------------ */

typedef enum { COND_NONE, COND_SCENE, COND_DELIVERY } CondKey;

typedef struct {
	char *id;
	char *number; /* "①" … */
	char *label;
	gboolean optional; /* "（如有）": never missing */
	CondKey cond;
	Expr *requires;	       /* COND_NONE */
	GHashTable *when;      /* value -> Expr*, for COND_SCENE/DELIVERY */
	GPtrArray *when_order; /* values in file order, for notes */
	Expr *otherwise;       /* NULL: not required when no value matches */
	char *undeclared;      /* value to assume when the claim has none;
				  NULL: not_checked */
} PolicyItem;

typedef struct {
	char *id; /* "4", "14.1" */
	char *name;
	char *category;
	int agency_allowed;   /* 1, 0, or -1: delivery does not apply */
	GPtrArray *scene_ids; /* char*, in order */
	GHashTable *scenes;   /* scene id -> name */
	GPtrArray *items;     /* PolicyItem*, in the guide's order */
} PolicyDirection;

struct ChecklistPolicy {
	char *edition;
	char *source;
	GPtrArray *directions; /* PolicyDirection*, in file order */
	GHashTable *by_id;     /* borrowed id -> PolicyDirection* */
	char **direction_ids;  /* NULL-terminated, borrowed strings */
};

/* The direction DIRECTION names, tolerating "14.10" for "14.1" (a JSON
 * number 14.1 written back with two decimals). Borrowed, or NULL. */
const PolicyDirection *policy_find_direction(const ChecklistPolicy *policy,
					     const char *direction);

/* ---- evaluation (evaluate.c) ---------------------------------------- */

void checklist_item_free(ChecklistItem *item);

/* checklist_evaluate with TYPES in place of classify's rules. */
ChecklistResult *checklist_evaluate_types(const ChecklistPolicy *policy,
					  const ChecklistTypes *types,
					  const CoreClaim *claim,
					  GPtrArray *documents);

G_END_DECLS

#endif
