/* evaluate.c - tick one claim's documents against its direction's list.
 * Each item picks its requirement by the claim's scene or delivery, then
 * the expression decides present / missing / not_checked; what a reviewer
 * must act on becomes a finding (MISSING_EVIDENCE, AGENCY_NOT_ALLOWED…). */
#include <stdarg.h>
#include <string.h>

#include "checklist/checklist_int.h"

/* The requirement an item applies to this claim, or none with the status
 * and note that say why. */
typedef struct {
	const Expr *expr;
	ChecklistStatus status; /* when EXPR is NULL */
	GString *note;
} Choice;

/* Append a finding about ITEM (or NULL); takes MESSAGE and MESSAGE_EN
 * (the same in English). */
static void
add_finding(ChecklistResult *result, const char *code, CoreSeverity severity,
	    const char *item, char *message, char *message_en)
{
	CoreFinding *f = core_finding_new(code, severity, message);

	core_finding_set_english(f, "%s", message_en);
	f->item = g_strdup(item);
	g_ptr_array_add(result->findings, f);
	g_free(message);
	g_free(message_en);
}

static void note_add(GString *note, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Notes can gather two reasons (an assumed delivery, then an unknown
 * type); keep them one sentence apart. */
static void
note_add(GString *note, const char *fmt, ...)
{
	va_list ap;

	if (note->len > 0)
		g_string_append(note, "；");
	va_start(ap, fmt);
	g_string_append_vprintf(note, fmt, ap);
	va_end(ap);
}

static char *
joined_directions(const ChecklistPolicy *policy)
{
	return g_strjoinv("、", policy->direction_ids);
}

static void
direction_unknown(const ChecklistPolicy *policy, const CoreClaim *claim,
		  ChecklistResult *result)
{
	char *known = joined_directions(policy);
	char *known_en = g_strjoinv(", ", policy->direction_ids);
	const char *given = claim != NULL ? claim->direction : NULL;
	char *msg, *msg_en;

	if (given == NULL || *given == '\0') {
		msg_en = g_strdup_printf(
		    "Direction unknown: no direction declared, so the "
		    "acceptance checklist cannot be applied; fill in "
		    "\"direction\" in claim.json (e.g. \"4\") or pass "
		    "--direction (directions of the %s guide: %s)",
		    policy->edition, known_en);
		msg = g_strdup_printf(
		    "申报方向未知：未声明 direction，无法对照验收材料清单；"
		    "请在 claim.json 中填写 \"direction\"（如 \"4\"），"
		    "或运行时用 --direction 指定（%s年指南的方向：%s）",
		    policy->edition, known);
	} else {
		msg_en = g_strdup_printf(
		    "Direction unknown: \"%s\" is not a direction of the %s "
		    "guide, so the acceptance checklist cannot be applied; "
		    "correct \"direction\" in claim.json or pass "
		    "--direction (one of: %s)",
		    given, policy->edition, known_en);
		msg = g_strdup_printf(
		    "申报方向未知：“%s”不是%s年指南的方向，无法对照验收"
		    "材料清单；请更正 claim.json 的 \"direction\"，或运行时"
		    "用 --direction 指定（可选：%s）",
		    given, policy->edition, known);
	}
	add_finding(result, "DIRECTION_UNKNOWN", CORE_SEVERITY_ERROR, NULL, msg,
		    msg_en);
	g_free(known);
	g_free(known_en);
}

static gboolean
is_agency(const CoreClaim *claim)
{
	return claim->delivery != NULL &&
	       strcmp(claim->delivery, "agency") == 0;
}

static void
check_agency(const PolicyDirection *dir, const CoreClaim *claim,
	     ChecklistResult *result)
{
	if (dir->agency_allowed != 0 || !is_agency(claim))
		return;
	add_finding(
	    result, "AGENCY_NOT_ALLOWED", CORE_SEVERITY_ERROR, NULL,
	    g_strdup_printf("方向%s（%s）暂不支持授权代理服务，本申报的"
			    "交付方式却为代理（delivery = agency）；"
			    "该方向只能以服务商自研产品（自有计算机"
			    "软件著作权）申报",
			    dir->id, dir->name),
	    g_strdup_printf("Direction %s does not yet accept "
			    "authorized-agency service, but this claim's "
			    "delivery is agency (delivery = agency); "
			    "this direction accepts only the provider's "
			    "own product (its own software copyright)",
			    dir->id));
}

static char *
scene_list(const PolicyDirection *dir)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < dir->scene_ids->len; i++) {
		const char *id = g_ptr_array_index(dir->scene_ids, i);

		g_string_append_printf(
		    s, "%s%s %s", i > 0 ? "、" : "", id,
		    (char *)g_hash_table_lookup(dir->scenes, id));
	}
	return g_string_free(s, FALSE);
}

/* Contracts must follow the guide's scene classification (通知 三), so a
 * scene the direction does not have is worth a reviewer's look. */
static void
check_scene(const PolicyDirection *dir, const CoreClaim *claim,
	    ChecklistResult *result)
{
	char *scenes, *scenes_en;

	if (dir->scene_ids->len == 0 || claim->scene == NULL ||
	    *claim->scene == '\0' ||
	    g_hash_table_contains(dir->scenes, claim->scene))
		return;
	scenes = scene_list(dir);
	{
		GString *s = g_string_new(NULL);

		for (guint i = 0; i < dir->scene_ids->len; i++)
			g_string_append_printf(
			    s, "%s%s", i > 0 ? ", " : "",
			    (char *)g_ptr_array_index(dir->scene_ids, i));
		scenes_en = g_string_free(s, FALSE);
	}
	add_finding(
	    result, "SCENE_UNKNOWN", CORE_SEVERITY_WARNING, NULL,
	    g_strdup_printf("申报场景“%s”不是方向%s（%s）的细分场景"
			    "（%s）；合同须对应《指南》场景分类签署，"
			    "请更正 claim.json 的 \"scene\"",
			    claim->scene, dir->id, dir->name, scenes),
	    g_strdup_printf("Scene \"%s\" is not one of direction "
			    "%s's scenes (%s); contracts must follow the "
			    "guide's scene classification, so correct "
			    "\"scene\" in claim.json",
			    claim->scene, dir->id, scenes_en));
	g_free(scenes);
	g_free(scenes_en);
}

/* "场景3（质量智能检测）" or "自研（self）", for notes. */
static char *
describe_value(const PolicyDirection *dir, CondKey cond, const char *value)
{
	if (cond == COND_SCENE)
		return g_strdup_printf(
		    "场景%s（%s）", value,
		    (char *)g_hash_table_lookup(dir->scenes, value));
	return g_strdup_printf(
	    "%s（%s）", strcmp(value, "agency") == 0 ? "代理" : "自研", value);
}

static char *
describe_when(const PolicyDirection *dir, const PolicyItem *item)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < item->when_order->len; i++) {
		char *v = describe_value(
		    dir, item->cond, g_ptr_array_index(item->when_order, i));

		g_string_append_printf(s, "%s%s", i > 0 ? "、" : "", v);
		g_free(v);
	}
	return g_string_free(s, FALSE);
}

static const char *
cond_word(CondKey cond)
{
	return cond == COND_SCENE ? "场景（scene）" : "交付方式（delivery）";
}

/* The claim gives no usable value: assume the rules' default, or leave the
 * item unchecked rather than guess. */
static void
choose_undeclared(const PolicyDirection *dir, const PolicyItem *item,
		  const char *given, Choice *c)
{
	char *v;

	if (given != NULL)
		g_string_append_printf(c->note, "申报的%s“%s”无法识别",
				       cond_word(item->cond), given);
	else
		g_string_append_printf(c->note, "未声明%s",
				       cond_word(item->cond));
	if (item->undeclared != NULL) {
		v = describe_value(dir, item->cond, item->undeclared);
		g_string_append_printf(c->note, "，按%s评估", v);
		c->expr = g_hash_table_lookup(item->when, item->undeclared);
	} else {
		v = describe_when(dir, item);
		g_string_append_printf(c->note, "；本项只对%s有要求，未检查",
				       v);
		c->status = CHECKLIST_NOT_CHECKED;
	}
	g_free(v);
}

/* A value the item can act on: a scene of the direction, or self/agency. */
static gboolean
value_usable(const PolicyDirection *dir, CondKey cond, const char *value)
{
	if (value == NULL || *value == '\0')
		return FALSE;
	if (cond == COND_SCENE)
		return g_hash_table_contains(dir->scenes, value);
	return strcmp(value, "self") == 0 || strcmp(value, "agency") == 0;
}

static void
choose(const PolicyDirection *dir, const PolicyItem *item,
       const CoreClaim *claim, Choice *c)
{
	const char *value =
	    item->cond == COND_SCENE ? claim->scene : claim->delivery;
	char *when, *mine;

	c->note = g_string_new(NULL);
	c->expr = item->requires;
	if (item->cond == COND_NONE)
		return;
	if (!value_usable(dir, item->cond, value)) {
		choose_undeclared(
		    dir, item, value != NULL && *value != '\0' ? value : NULL,
		    c);
		return;
	}
	c->expr = g_hash_table_lookup(item->when, value);
	if (c->expr == NULL)
		c->expr = item->otherwise;
	if (c->expr != NULL)
		return;
	when = describe_when(dir, item);
	mine = describe_value(dir, item->cond, value);
	g_string_append_printf(c->note, "本项只对%s有要求，本申报为%s", when,
			       mine);
	c->status = CHECKLIST_NOT_REQUIRED;
	g_free(when);
	g_free(mine);
}

static gboolean
is_single_type(const Expr *e)
{
	return e->kind == EXPR_TYPE && e->count == 1;
}

static void
raise_missing(const PolicyItem *item, const Expr *expr, const ExprOutcome *o,
	      ChecklistResult *result)
{
	char *msg, *msg_en;

	if (is_single_type(expr)) {
		msg = g_strdup_printf("缺少%s%s（%s）；请补充上传",
				      item->number, item->label, expr->type);
		msg_en = g_strdup_printf("Missing %s (item %s); please upload "
					 "it",
					 expr->type, item->id);
	} else {
		msg =
		    g_strdup_printf("缺少%s%s：未见%s；请补充上传",
				    item->number, item->label, o->absent->str);
		msg_en = g_strdup_printf("Missing item %s: no %s found; please "
					 "upload it",
					 item->id, o->absent_en->str);
	}
	add_finding(result, "MISSING_EVIDENCE", CORE_SEVERITY_ERROR, item->id,
		    msg, msg_en);
}

static char *
joined_types(GPtrArray *types)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < types->len; i++)
		g_string_append_printf(s, "%s%s", i > 0 ? "、" : "",
				       (char *)g_ptr_array_index(types, i));
	return g_string_free(s, FALSE);
}

/* Turn the expression's outcome into the item's status. */
static void
settle(const PolicyItem *item, const Expr *expr, const ExprOutcome *o,
       ChecklistItem *out, GString *note, ChecklistResult *result)
{
	char *unknown = joined_types(o->unknown);

	if (o->value == TRI_TRUE) {
		out->status = CHECKLIST_PRESENT;
		for (guint i = 0; i < o->refs->len; i++)
			g_ptr_array_add(
			    out->documents,
			    g_strdup(g_ptr_array_index(o->refs, i)));
	} else if (item->optional) {
		out->status = CHECKLIST_NOT_REQUIRED;
		note_add(note, "“如有”项，未见%s，不作要求", o->absent->str);
	} else if (o->value == TRI_UNKNOWN) {
		out->status = CHECKLIST_NOT_CHECKED;
		note_add(note, "分类器尚不能识别 %s，未检查", unknown);
	} else {
		out->status = CHECKLIST_MISSING;
		raise_missing(item, expr, o, result);
		if (o->unknown->len > 0)
			note_add(note, "另有分类器尚不能识别的 %s 未检查",
				 unknown);
	}
	g_free(unknown);
}

static ChecklistItem *
item_new(const PolicyItem *item)
{
	ChecklistItem *out = g_new0(ChecklistItem, 1);

	out->item = g_strdup(item->id);
	out->number = g_strdup(item->number);
	out->label = g_strdup(item->label);
	out->documents = core_ptr_array_new(g_free);
	return out;
}

static ChecklistItem *
evaluate_item(const PolicyDirection *dir, const PolicyItem *item,
	      const CoreClaim *claim, GPtrArray *documents,
	      const ChecklistTypes *types, ChecklistResult *result)
{
	ChecklistItem *out = item_new(item);
	Choice c = {NULL, CHECKLIST_NOT_CHECKED, NULL};

	choose(dir, item, claim, &c);
	if (c.expr == NULL) {
		out->status = c.status;
	} else {
		ExprOutcome o;

		expr_eval(c.expr, documents, types, &o);
		settle(item, c.expr, &o, out, c.note, result);
		expr_outcome_clear(&o);
	}
	if (c.note->len > 0)
		out->note = g_strdup(c.note->str);
	g_string_free(c.note, TRUE);
	return out;
}

ChecklistResult *
checklist_evaluate_types(const ChecklistPolicy *policy,
			 const ChecklistTypes *types, const CoreClaim *claim,
			 GPtrArray *documents)
{
	ChecklistResult *result = g_new0(ChecklistResult, 1);
	const PolicyDirection *dir;

	result->items =
	    g_ptr_array_new_with_free_func((GDestroyNotify)checklist_item_free);
	result->findings = core_ptr_array_new(core_finding_free);
	dir = policy_find_direction(policy,
				    claim != NULL ? claim->direction : NULL);
	if (dir == NULL) {
		direction_unknown(policy, claim, result);
		return result;
	}
	result->direction = g_strdup(dir->id);
	result->direction_name = g_strdup(dir->name);
	check_agency(dir, claim, result);
	check_scene(dir, claim, result);
	for (guint i = 0; i < dir->items->len; i++)
		g_ptr_array_add(result->items,
				evaluate_item(dir,
					      g_ptr_array_index(dir->items, i),
					      claim, documents, types, result));
	return result;
}
