/* checklist.c - the public face of checklist/: status names, freeing
 * results, and checklist_evaluate, which hands classify/'s knowledge of
 * document types to the evaluator (evaluate.c) through ChecklistTypes. */
#include "checklist/checklist_int.h"

const char *
checklist_status_name(ChecklistStatus status)
{
	switch (status) {
	case CHECKLIST_PRESENT:
		return "present";
	case CHECKLIST_MISSING:
		return "missing";
	case CHECKLIST_NOT_REQUIRED:
		return "not_required";
	case CHECKLIST_NOT_CHECKED:
		return "not_checked";
	}
	return "not_checked";
}

void
checklist_item_free(ChecklistItem *item)
{
	if (item == NULL)
		return;
	g_free(item->item);
	g_free(item->number);
	g_free(item->label);
	g_ptr_array_unref(item->documents);
	g_free(item->note);
	g_free(item);
}

void
checklist_result_free(ChecklistResult *result)
{
	if (result == NULL)
		return;
	g_free(result->direction);
	g_free(result->direction_name);
	g_ptr_array_unref(result->items);
	g_ptr_array_unref(result->findings);
	g_free(result);
}

static gboolean
rules_knows(const char *type, gpointer data)
{
	return classify_rules_knows_type(data, type);
}

static const char *
rules_label(const char *type, gpointer data)
{
	return classify_type_label(data, type);
}

ChecklistResult *
checklist_evaluate(const ChecklistPolicy *policy, const ClassifyRules *rules,
		   const CoreClaim *claim, GPtrArray *documents)
{
	/* classify/ takes const rules; the callback data slot is untyped. */
	ChecklistTypes types = {rules_knows, rules_label, (gpointer)rules};

	return checklist_evaluate_types(policy, &types, claim, documents);
}
