/* policy.c - load rules/<edition>/evidence.ini into a ChecklistPolicy.
 * Strict on purpose: an unknown group or key, a bad expression, a scene
 * the direction does not have, or a number out of place is a load error
 * naming direction and item, since a typo here silently drops a check. */
#include <stdarg.h>
#include <string.h>

#include "checklist/checklist_int.h"

typedef struct {
	GKeyFile *kf;
	const char *file; /* display name for messages */
	GError **error;
} Loader;

static const char *const item_keys[] = {
    "number", "label", "requires", "optional", "otherwise", "undeclared", NULL};
static const char *const direction_keys[] = {
    "name", "category", "agency_allowed", "scenes", "items", NULL};

/* ---- freeing ---------------------------------------------------------- */

static void
item_free(PolicyItem *item)
{
	if (item == NULL)
		return;
	g_free(item->id);
	g_free(item->number);
	g_free(item->label);
	expr_free(item->requires);
	if (item->when != NULL)
		g_hash_table_unref(item->when);
	if (item->when_order != NULL)
		g_ptr_array_unref(item->when_order);
	expr_free(item->otherwise);
	g_free(item->undeclared);
	g_free(item);
}

static void
direction_free(PolicyDirection *dir)
{
	if (dir == NULL)
		return;
	g_free(dir->id);
	g_free(dir->name);
	g_free(dir->category);
	g_ptr_array_unref(dir->scene_ids);
	g_hash_table_unref(dir->scenes);
	g_ptr_array_unref(dir->items);
	g_free(dir);
}

void
checklist_policy_free(ChecklistPolicy *policy)
{
	if (policy == NULL)
		return;
	g_free(policy->edition);
	g_free(policy->source);
	if (policy->by_id != NULL)
		g_hash_table_unref(policy->by_id);
	if (policy->directions != NULL)
		g_ptr_array_unref(policy->directions);
	g_free(policy->direction_ids);
	g_free(policy);
}

/* ---- small helpers ------------------------------------------------------ */

static gboolean
is_id(const char *s)
{
	if (!g_ascii_islower(*s))
		return FALSE;
	for (; *s != '\0'; s++)
		if (!g_ascii_islower(*s) && !g_ascii_isdigit(*s) && *s != '_')
			return FALSE;
	return TRUE;
}

/* "4", "14.1": digits, optionally one dot and digits. */
static gboolean
is_direction_id(const char *s)
{
	const char *dot = strchr(s, '.');
	gsize len = strlen(s);

	if (len == 0 || len > 8 || s[0] == '.' || s[len - 1] == '.')
		return FALSE;
	for (const char *c = s; *c != '\0'; c++)
		if (!g_ascii_isdigit(*c) && c != dot)
			return FALSE;
	return TRUE;
}

/* "①" for position 0, up to "⑳". */
static char *
circled_number(guint index)
{
	char buf[8] = {0};

	g_unichar_to_utf8(0x2460 + index, buf);
	return g_strdup(buf);
}

/* Optional string key: stripped copy, or NULL when absent. */
static char *
get_opt(GKeyFile *kf, const char *group, const char *key)
{
	char *v = g_key_file_get_string(kf, group, key, NULL);

	return v != NULL ? g_strstrip(v) : NULL;
}

/* A ';'-separated list with blanks stripped and empty entries dropped
 * (a trailing ';' is common). */
static GPtrArray *
get_list(GKeyFile *kf, const char *group, const char *key)
{
	GPtrArray *out = core_ptr_array_new(g_free);
	char **raw = g_key_file_get_string_list(kf, group, key, NULL, NULL);

	for (guint i = 0; raw != NULL && raw[i] != NULL; i++) {
		char *s = g_strstrip(raw[i]);

		if (*s != '\0')
			g_ptr_array_add(out, g_strdup(s));
	}
	g_strfreev(raw);
	return out;
}

static gboolean
key_allowed(const char *key, const char *const *allowed)
{
	for (guint i = 0; allowed[i] != NULL; i++)
		if (strcmp(key, allowed[i]) == 0)
			return TRUE;
	return FALSE;
}

/* ---- items ---------------------------------------------------------- */

static gboolean item_fail(Loader *l, const PolicyDirection *dir,
			  const char *item, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

static gboolean
item_fail(Loader *l, const PolicyDirection *dir, const char *item,
	  const char *fmt, ...)
{
	va_list ap;
	char *what;

	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(l->error, CORE_ERROR, CORE_ERROR_RULES,
		    "%s: direction %s, item %s: %s", l->file, dir->id, item,
		    what);
	g_free(what);
	return FALSE;
}

/* Parse the expression under KEY; a failure gets the location prefix. */
static Expr *
item_expr(Loader *l, const PolicyDirection *dir, const char *group,
	  const char *item, const char *key)
{
	char *text = get_opt(l->kf, group, key);
	Expr *e = NULL;

	if (text == NULL || *text == '\0') {
		item_fail(l, dir, item, "%s is empty", key);
		goto cleanup;
	}
	e = expr_parse(text, l->error);
	if (e == NULL)
		g_prefix_error(l->error,
			       "%s: direction %s, item %s, %s: ", l->file,
			       dir->id, item, key);
cleanup:
	g_free(text);
	return e;
}

/* "when.scene.3" / "when.delivery.agency": the condition and its value. */
static gboolean
item_when(Loader *l, const PolicyDirection *dir, const char *group,
	  PolicyItem *item, const char *key)
{
	CondKey cond;
	const char *value;
	Expr *e;

	if (g_str_has_prefix(key, "when.scene.")) {
		cond = COND_SCENE;
		value = key + strlen("when.scene.");
		if (!g_hash_table_contains(dir->scenes, value))
			return item_fail(l, dir, item->id,
					 "%s names a scene the direction's "
					 "scenes do not have",
					 key);
	} else if (g_str_has_prefix(key, "when.delivery.")) {
		cond = COND_DELIVERY;
		value = key + strlen("when.delivery.");
		if (strcmp(value, "self") != 0 && strcmp(value, "agency") != 0)
			return item_fail(l, dir, item->id,
					 "%s: delivery is self or agency", key);
	} else {
		return item_fail(l, dir, item->id, "unknown key '%s'", key);
	}
	if (item->cond != COND_NONE && item->cond != cond)
		return item_fail(l, dir, item->id,
				 "%s: one item depends on one of scene or "
				 "delivery, not both",
				 key);
	item->cond = cond;
	e = item_expr(l, dir, group, item->id, key);
	if (e == NULL)
		return FALSE;
	g_hash_table_insert(item->when, g_strdup(value), e);
	g_ptr_array_add(item->when_order, g_strdup(value));
	return TRUE;
}

static gboolean
item_keys_read(Loader *l, const PolicyDirection *dir, const char *group,
	       PolicyItem *item)
{
	char **keys = g_key_file_get_keys(l->kf, group, NULL, NULL);
	gboolean ok = TRUE;

	for (guint i = 0; ok && keys[i] != NULL; i++) {
		if (g_str_has_prefix(keys[i], "when."))
			ok = item_when(l, dir, group, item, keys[i]);
		else if (!key_allowed(keys[i], item_keys))
			ok = item_fail(l, dir, item->id, "unknown key '%s'",
				       keys[i]);
	}
	g_strfreev(keys);
	return ok;
}

/* otherwise / undeclared only mean something next to when.* keys. */
static gboolean
item_fallbacks_read(Loader *l, const PolicyDirection *dir, const char *group,
		    PolicyItem *item)
{
	char *other = get_opt(l->kf, group, "otherwise");
	gboolean ok = FALSE;

	item->undeclared = get_opt(l->kf, group, "undeclared");
	if (item->cond == COND_NONE &&
	    (other != NULL || item->undeclared != NULL)) {
		item_fail(l, dir, item->id, "%s without when.* keys",
			  other != NULL ? "otherwise" : "undeclared");
		goto cleanup;
	}
	if (other != NULL && strcmp(other, "not_required") != 0) {
		item->otherwise =
		    item_expr(l, dir, group, item->id, "otherwise");
		if (item->otherwise == NULL)
			goto cleanup;
	}
	if (g_strcmp0(item->undeclared, "not_checked") == 0)
		g_clear_pointer(&item->undeclared, g_free);
	if (item->undeclared != NULL &&
	    !g_hash_table_contains(item->when, item->undeclared)) {
		item_fail(l, dir, item->id,
			  "undeclared = %s is not one of its when.* values",
			  item->undeclared);
		goto cleanup;
	}
	ok = TRUE;
cleanup:
	g_free(other);
	return ok;
}

static gboolean
item_body_read(Loader *l, const PolicyDirection *dir, const char *group,
	       PolicyItem *item, guint index)
{
	GError *local = NULL;

	item->number = get_opt(l->kf, group, "number");
	item->label = get_opt(l->kf, group, "label");
	if (item->label == NULL || *item->label == '\0')
		return item_fail(l, dir, item->id, "%s has no label", group);
	if (item->number != NULL && strcmp(item->number, "") != 0) {
		char *want = circled_number(index);
		gboolean same = strcmp(want, item->number) == 0;

		g_free(want);
		if (!same || g_str_has_prefix(group, "item "))
			return item_fail(l, dir, item->id,
					 "number %s does not match its place "
					 "in items (shared [item …] groups "
					 "take no number)",
					 item->number);
	}
	g_free(item->number);
	item->number = circled_number(index);
	item->optional =
	    g_key_file_get_boolean(l->kf, group, "optional", &local);
	if (local != NULL && local->code != G_KEY_FILE_ERROR_KEY_NOT_FOUND) {
		g_clear_error(&local);
		return item_fail(l, dir, item->id, "%s",
				 "optional is true or false");
	}
	g_clear_error(&local);
	return TRUE;
}

static gboolean
item_requirement_read(Loader *l, const PolicyDirection *dir, const char *group,
		      PolicyItem *item)
{
	gboolean has_requires =
	    g_key_file_has_key(l->kf, group, "requires", NULL);

	if (has_requires && item->cond != COND_NONE)
		return item_fail(l, dir, item->id, "%s",
				 "requires and when.* keys exclude each "
				 "other; use otherwise");
	if (!has_requires && item->cond == COND_NONE)
		return item_fail(l, dir, item->id, "%s",
				 "needs requires or when.* keys");
	if (!has_requires)
		return TRUE;
	item->requires = item_expr(l, dir, group, item->id, "requires");
	return item->requires != NULL;
}

/* Directions share identical items ("①发票及支付凭证") through [item ID];
 * a [direction D / ID] group replaces it for one direction. */
static PolicyItem *
item_load(Loader *l, const PolicyDirection *dir, const char *id, guint index)
{
	char *group = g_strdup_printf("direction %s / %s", dir->id, id);
	PolicyItem *item = g_new0(PolicyItem, 1);

	item->id = g_strdup(id);
	item->when = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					   (GDestroyNotify)expr_free);
	item->when_order = core_ptr_array_new(g_free);
	if (!g_key_file_has_group(l->kf, group)) {
		g_free(group);
		group = g_strdup_printf("item %s", id);
	}
	if (!g_key_file_has_group(l->kf, group)) {
		item_fail(l, dir, id, "no [direction %s / …] or [item …] group",
			  dir->id);
		goto fail;
	}
	if (!item_body_read(l, dir, group, item, index) ||
	    !item_keys_read(l, dir, group, item) ||
	    !item_fallbacks_read(l, dir, group, item) ||
	    !item_requirement_read(l, dir, group, item))
		goto fail;
	g_free(group);
	return item;
fail:
	g_free(group);
	item_free(item);
	return NULL;
}

/* ---- directions ---------------------------------------------------- */

static gboolean dir_fail(Loader *l, const char *dir, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static gboolean
dir_fail(Loader *l, const char *dir, const char *fmt, ...)
{
	va_list ap;
	char *what;

	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(l->error, CORE_ERROR, CORE_ERROR_RULES,
		    "%s: direction %s: %s", l->file, dir, what);
	g_free(what);
	return FALSE;
}

/* "1:多工厂/多基地协同排产; 2:生产工艺优化" */
static gboolean
scenes_read(Loader *l, const char *group, PolicyDirection *dir)
{
	GPtrArray *list = get_list(l->kf, group, "scenes");
	gboolean ok = TRUE;

	for (guint i = 0; ok && i < list->len; i++) {
		char *entry = g_ptr_array_index(list, i);
		char *colon = strchr(entry, ':');

		if (colon == NULL || colon == entry) {
			ok = dir_fail(l, dir->id, "scene '%s' is not ID:name",
				      entry);
			break;
		}
		*colon = '\0';
		g_strstrip(entry);
		if (g_hash_table_contains(dir->scenes, entry)) {
			ok = dir_fail(l, dir->id, "scene %s listed twice",
				      entry);
			break;
		}
		g_ptr_array_add(dir->scene_ids, g_strdup(entry));
		g_hash_table_insert(dir->scenes, g_strdup(entry),
				    g_strstrip(g_strdup(colon + 1)));
	}
	g_ptr_array_unref(list);
	return ok;
}

static gboolean
direction_keys_check(Loader *l, const char *group, const char *id)
{
	char **keys = g_key_file_get_keys(l->kf, group, NULL, NULL);
	gboolean ok = TRUE;

	for (guint i = 0; ok && keys[i] != NULL; i++)
		if (!key_allowed(keys[i], direction_keys))
			ok = dir_fail(l, id, "unknown key '%s'", keys[i]);
	g_strfreev(keys);
	return ok;
}

static gboolean
direction_agency_read(Loader *l, const char *group, PolicyDirection *dir)
{
	GError *local = NULL;
	gboolean v;

	dir->agency_allowed = -1;
	if (!g_key_file_has_key(l->kf, group, "agency_allowed", NULL))
		return TRUE;
	v = g_key_file_get_boolean(l->kf, group, "agency_allowed", &local);
	if (local != NULL) {
		g_clear_error(&local);
		return dir_fail(l, dir->id, "%s",
				"agency_allowed is true or false");
	}
	dir->agency_allowed = v ? 1 : 0;
	return TRUE;
}

static gboolean
direction_items_read(Loader *l, const char *group, PolicyDirection *dir)
{
	GPtrArray *ids = get_list(l->kf, group, "items");
	gboolean ok = TRUE;

	if (ids->len == 0 || ids->len > CHECKLIST_MAX_ITEMS)
		ok = dir_fail(l, dir->id, "%s",
			      "items must list 1 to 20 item ids");
	for (guint i = 0; ok && i < ids->len; i++) {
		const char *id = g_ptr_array_index(ids, i);
		PolicyItem *item;

		for (guint j = 0; ok && j < i; j++)
			if (strcmp(id, g_ptr_array_index(ids, j)) == 0)
				ok = dir_fail(l, dir->id,
					      "item %s listed twice", id);
		if (ok && !is_id(id))
			ok =
			    dir_fail(l, dir->id,
				     "item id '%s' is not [a-z][a-z0-9_]*", id);
		if (!ok)
			break;
		item = item_load(l, dir, id, i);
		if (item == NULL)
			ok = FALSE;
		else
			g_ptr_array_add(dir->items, item);
	}
	g_ptr_array_unref(ids);
	return ok;
}

static PolicyDirection *
direction_load(Loader *l, const char *group, const char *id)
{
	PolicyDirection *dir = g_new0(PolicyDirection, 1);

	dir->id = g_strdup(id);
	dir->scene_ids = core_ptr_array_new(g_free);
	dir->scenes =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	dir->items = core_ptr_array_new(item_free);
	dir->name = get_opt(l->kf, group, "name");
	dir->category = get_opt(l->kf, group, "category");
	if (!is_direction_id(id)) {
		dir_fail(l, id, "%s", "a direction id is like 4 or 14.1");
		goto fail;
	}
	if (dir->name == NULL || *dir->name == '\0') {
		dir_fail(l, id, "%s", "has no name");
		goto fail;
	}
	if (!direction_keys_check(l, group, id) ||
	    !direction_agency_read(l, group, dir) ||
	    !scenes_read(l, group, dir) || !direction_items_read(l, group, dir))
		goto fail;
	return dir;
fail:
	direction_free(dir);
	return NULL;
}

/* ---- the file ------------------------------------------------------- */

/* A [direction D / ID] group its direction does not list is a typo that
 * would otherwise be ignored. */
static gboolean
check_item_group(Loader *l, const ChecklistPolicy *policy, const char *group)
{
	const char *slash = strstr(group, " / ");
	char *dir_id = g_strndup(group + strlen("direction "),
				 (gsize)(slash - group - strlen("direction ")));
	const PolicyDirection *dir = g_hash_table_lookup(policy->by_id, dir_id);
	gboolean found = FALSE;

	for (guint i = 0; dir != NULL && i < dir->items->len; i++) {
		const PolicyItem *item = g_ptr_array_index(dir->items, i);

		found = found || strcmp(item->id, slash + 3) == 0;
	}
	if (!found)
		g_set_error(l->error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: [%s] is not listed in the items of direction "
			    "%s",
			    l->file, group, dir_id);
	g_free(dir_id);
	return found;
}

static gboolean
groups_read(Loader *l, ChecklistPolicy *policy)
{
	char **groups = g_key_file_get_groups(l->kf, NULL);
	gboolean ok = TRUE;

	for (guint i = 0; ok && groups[i] != NULL; i++) {
		const char *g = groups[i];
		PolicyDirection *dir;

		if (strcmp(g, "edition") == 0 || g_str_has_prefix(g, "item ") ||
		    strstr(g, " / ") != NULL)
			continue;
		if (!g_str_has_prefix(g, "direction ")) {
			ok = FALSE;
			g_set_error(l->error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: unknown group [%s]", l->file, g);
			break;
		}
		dir = direction_load(l, g, g + strlen("direction "));
		if (dir == NULL) {
			ok = FALSE;
		} else if (g_hash_table_contains(policy->by_id, dir->id)) {
			ok = dir_fail(l, dir->id, "%s", "defined twice");
			direction_free(dir);
		} else {
			g_ptr_array_add(policy->directions, dir);
			g_hash_table_insert(policy->by_id, dir->id, dir);
		}
	}
	for (guint i = 0; ok && groups[i] != NULL; i++)
		if (g_str_has_prefix(groups[i], "direction ") &&
		    strstr(groups[i], " / ") != NULL)
			ok = check_item_group(l, policy, groups[i]);
	g_strfreev(groups);
	return ok;
}

static gboolean
edition_read(Loader *l, ChecklistPolicy *policy)
{
	policy->edition = get_opt(l->kf, "edition", "edition");
	policy->source = get_opt(l->kf, "edition", "source");
	if (policy->edition != NULL && *policy->edition != '\0')
		return TRUE;
	g_set_error(l->error, CORE_ERROR, CORE_ERROR_RULES,
		    "%s: [edition] edition is missing", l->file);
	return FALSE;
}

static void
index_directions(ChecklistPolicy *policy)
{
	policy->direction_ids = g_new0(char *, policy->directions->len + 1);
	for (guint i = 0; i < policy->directions->len; i++) {
		PolicyDirection *dir = g_ptr_array_index(policy->directions, i);

		policy->direction_ids[i] = dir->id;
	}
}

ChecklistPolicy *
checklist_policy_load(const char *path, GError **error)
{
	char *file = g_filename_display_name(path);
	Loader l = {g_key_file_new(), file, error};
	ChecklistPolicy *policy = g_new0(ChecklistPolicy, 1);

	policy->directions = core_ptr_array_new(direction_free);
	policy->by_id = g_hash_table_new(g_str_hash, g_str_equal);
	if (!core_rules_file_load(l.kf, path, error) ||
	    !edition_read(&l, policy) || !groups_read(&l, policy)) {
		checklist_policy_free(policy);
		policy = NULL;
		goto cleanup;
	}
	if (policy->directions->len == 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: no [direction …] groups", file);
		checklist_policy_free(policy);
		policy = NULL;
		goto cleanup;
	}
	index_directions(policy);
cleanup:
	g_key_file_free(l.kf);
	g_free(file);
	return policy;
}

const char *
checklist_policy_edition(const ChecklistPolicy *policy)
{
	return policy->edition;
}

const char *const *
checklist_policy_directions(const ChecklistPolicy *policy)
{
	return (const char *const *)policy->direction_ids;
}

const PolicyDirection *
policy_find_direction(const ChecklistPolicy *policy, const char *direction)
{
	const PolicyDirection *dir;
	char *trimmed;

	if (direction == NULL)
		return NULL;
	dir = g_hash_table_lookup(policy->by_id, direction);
	if (dir != NULL || strchr(direction, '.') == NULL)
		return dir;
	trimmed = g_strdup(direction);
	for (gsize n = strlen(trimmed); n > 0 && trimmed[n - 1] == '0'; n--)
		trimmed[n - 1] = '\0';
	dir = g_hash_table_lookup(policy->by_id, trimmed);
	g_free(trimmed);
	return dir;
}

const char *
checklist_direction_name(const ChecklistPolicy *policy, const char *direction)
{
	const PolicyDirection *dir = policy_find_direction(policy, direction);

	return dir != NULL ? dir->name : NULL;
}

int
checklist_direction_agency(const ChecklistPolicy *policy, const char *direction)
{
	const PolicyDirection *dir = policy_find_direction(policy, direction);

	return dir != NULL ? dir->agency_allowed : -1;
}

const GPtrArray *
checklist_direction_scenes(const ChecklistPolicy *policy, const char *direction)
{
	static GPtrArray *none;
	const PolicyDirection *dir = policy_find_direction(policy, direction);

	if (dir != NULL)
		return dir->scene_ids;
	if (g_once_init_enter(&none))
		g_once_init_leave(&none, g_ptr_array_new());
	return none;
}

const char *
checklist_direction_scene_name(const ChecklistPolicy *policy,
			       const char *direction, const char *scene)
{
	const PolicyDirection *dir = policy_find_direction(policy, direction);

	return dir != NULL ? g_hash_table_lookup(dir->scenes, scene) : NULL;
}
