/* checklist.h - tick a claim's evidence against its direction's numbered
 * list, from rules data (rules/<edition>/evidence.ini), and raise the
 * findings a reviewer would: MISSING_EVIDENCE first of all. */
#ifndef EVIDCHECK_CHECKLIST_H
#define EVIDCHECK_CHECKLIST_H

#include <glib.h>

#include "classify/classify.h"
#include "core/core.h"

G_BEGIN_DECLS

typedef struct ChecklistPolicy ChecklistPolicy;

/* Load the evidence lists at PATH. Every item's requirement expression is
 * parsed here, so a bad one is an error naming the direction and item.
 * Returns a new policy the caller owns, or NULL with ERROR set. */
ChecklistPolicy *checklist_policy_load(const char *path, GError **error);
void checklist_policy_free(ChecklistPolicy *policy);

/* Edition declared by the file (e.g. "2026"). Borrowed. */
const char *checklist_policy_edition(const ChecklistPolicy *policy);

/* The direction ids the policy has ("1" … "14.1" … "20"), in file order,
 * NULL-terminated; for --direction help and messages. Borrowed. */
const char *const *checklist_policy_directions(const ChecklistPolicy *policy);

/* Chinese name of DIRECTION (e.g. "生产制造"), or NULL when the policy does
 * not have it. Borrowed. */
const char *checklist_direction_name(const ChecklistPolicy *policy,
				     const char *direction);

/* Whether DIRECTION allows agency delivery: 1, 0, or -1 where the guide
 * does not speak of delivery (and for an unknown direction). */
int checklist_direction_agency(const ChecklistPolicy *policy,
			       const char *direction);

/* The scene ids of DIRECTION in the guide's order ("1", "2", …), each
 * with its name from checklist_direction_scene_name; an empty array when
 * it has none or is unknown. Borrowed. */
const GPtrArray *checklist_direction_scenes(const ChecklistPolicy *policy,
					    const char *direction);
const char *checklist_direction_scene_name(const ChecklistPolicy *policy,
					   const char *direction,
					   const char *scene);

typedef enum {
	CHECKLIST_PRESENT,
	CHECKLIST_MISSING,
	CHECKLIST_NOT_REQUIRED,
	CHECKLIST_NOT_CHECKED
} ChecklistStatus;

/* "present", "missing", "not_required", "not_checked". Static. */
const char *checklist_status_name(ChecklistStatus status);

typedef struct {
	char *item;   /* stable id, e.g. "invoice_payment" */
	char *number; /* the guide's number, e.g. "①" */
	char *label;  /* the guide's words, e.g. "发票及支付凭证" */
	ChecklistStatus status;
	GPtrArray *documents; /* char* "file#page" refs that satisfy it */
	char *note;	      /* why not_checked / not_required, or NULL */
} ChecklistItem;

typedef struct {
	char *direction;      /* as evaluated, or NULL when unknown */
	char *direction_name; /* or NULL */
	GPtrArray *items;     /* ChecklistItem*, owned, in the guide's order */
	GPtrArray *findings;  /* CoreFinding*, owned */
} ChecklistResult;

/* Tick CLAIM's DOCUMENTS (CoreDocument*) against the list of
 * CLAIM->direction. An item is present when its requirement holds, missing
 * (MISSING_EVIDENCE, error) when it does not, not_required when its
 * condition (scene, delivery, "如有") excludes it, and not_checked when it
 * needs a type RULES cannot recognise. An unknown or absent direction gives
 * an empty list and a DIRECTION_UNKNOWN error finding. Also raised:
 * AGENCY_NOT_ALLOWED (error) for agency delivery where the direction has
 * agency_allowed = false, SCENE_UNKNOWN (warning) for a scene the
 * direction does not have. CLAIM may be NULL (direction unknown). Never
 * NULL; the caller owns the result. */
ChecklistResult *checklist_evaluate(const ChecklistPolicy *policy,
				    const ClassifyRules *rules,
				    const CoreClaim *claim,
				    GPtrArray *documents);
void checklist_result_free(ChecklistResult *result);

G_END_DECLS

#endif
