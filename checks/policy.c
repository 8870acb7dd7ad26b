/* policy.c - load checks.ini into rules (the keys every rule has here, the
 * kind's own keys by the kind), decide which rules apply to a claim, run
 * them and collect their outcomes and findings. */
#include <stdlib.h>
#include <string.h>

#include "checks/checks_int.h"

struct ChecksPolicy {
	char *edition;
	GPtrArray *rules; /* ChecksRule*, in file order */
};

static const ChecksKind *const kinds[] = {
    &checks_kind_period,	&checks_kind_records_span,
    &checks_kind_authorization, &checks_kind_cert_valid,
    &checks_kind_name_match,	&checks_kind_party_match,
    &checks_kind_amount_match,	&checks_kind_subsidy_cap,
    &checks_kind_stamped,	&checks_kind_seal_owner,
    &checks_kind_count_limit,	&checks_kind_excluded_service,
    &checks_kind_duplicate,	&checks_kind_contract_limit,
    &checks_kind_quota,
};

static const char *const common_keys[] = {"kind",     "code",	"severity",
					  "label",    "clause", "directions",
					  "delivery", NULL};

static const ChecksKind *
find_kind(const char *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++)
		if (strcmp(kinds[i]->name, name) == 0)
			return kinds[i];
	return NULL;
}

/* A kind's key list may end an entry in ".*": any key with that prefix
 * ("months.single_line_mes"). */
static gboolean
key_allowed(const char *const *keys, const char *key)
{
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		if (strcmp(keys[i], "*") == 0)
			return TRUE;
		gsize n = strlen(keys[i]);

		if (n >= 2 && strcmp(keys[i] + n - 2, ".*") == 0
			? strncmp(key, keys[i], n - 1) == 0 &&
			      key[n - 1] != '\0'
			: strcmp(key, keys[i]) == 0)
			return TRUE;
	}
	return FALSE;
}

static void
rule_free(ChecksRule *rule)
{
	if (rule == NULL)
		return;
	if (rule->kind != NULL && rule->params != NULL)
		rule->kind->free(rule->params);
	g_free(rule->id);
	g_free(rule->code);
	g_free(rule->label);
	g_free(rule->clause);
	g_strfreev(rule->directions);
	g_free(rule->delivery);
	g_free(rule);
}

static char *
required_string(GKeyFile *kf, const char *group, const char *key,
		const char *where, GError **error)
{
	char *v = g_key_file_get_string(kf, group, key, NULL);

	if (v == NULL || *g_strstrip(v) == '\0') {
		g_free(v);
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: key \"%s\" is required", where, key);
		return NULL;
	}
	return v;
}

/* "3-8; 14.1; 20": integers, ranges of integers (which take in the
 * sub-items 14.x and 15.x), or exact ids. */
static gboolean
parse_directions(const char *text, const char *where, char ***out,
		 GError **error)
{
	char **parts = g_strsplit(text, ";", -1);
	GPtrArray *list = g_ptr_array_new();
	gboolean ok = TRUE;

	for (guint i = 0; parts[i] != NULL && ok; i++) {
		char *p = g_strstrip(parts[i]);

		if (*p == '\0')
			continue;
		if (!g_regex_match_simple(
			"^[0-9]{1,2}(\\.[0-9])?(-[0-9]{1,2})?$", p, 0, 0)) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: directions: \"%s\" is neither a "
				    "direction (4, 14.1) nor a range (3-8)",
				    where, p);
			ok = FALSE;
			break;
		}
		g_ptr_array_add(list, g_strdup(p));
	}
	g_ptr_array_add(list, NULL);
	*out = (char **)g_ptr_array_free(list, FALSE);
	g_strfreev(parts);
	if (!ok) {
		g_strfreev(*out);
		*out = NULL;
	}
	return ok;
}

static gboolean
parse_common(GKeyFile *kf, const char *group, const char *where,
	     ChecksRule *rule, GError **error)
{
	char *sev = NULL;
	char *dirs = NULL;
	gboolean ok = FALSE;

	if ((rule->code = required_string(kf, group, "code", where, error)) ==
		NULL ||
	    (rule->label = required_string(kf, group, "label", where, error)) ==
		NULL ||
	    (rule->clause =
		 required_string(kf, group, "clause", where, error)) == NULL ||
	    (sev = required_string(kf, group, "severity", where, error)) ==
		NULL)
		goto out;
	if (strcmp(sev, "error") == 0)
		rule->severity = CORE_SEVERITY_ERROR;
	else if (strcmp(sev, "warning") == 0)
		rule->severity = CORE_SEVERITY_WARNING;
	else {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: severity must be error or warning, not \"%s\"",
			    where, sev);
		goto out;
	}
	dirs = g_key_file_get_string(kf, group, "directions", NULL);
	if (dirs != NULL &&
	    !parse_directions(dirs, where, &rule->directions, error))
		goto out;
	rule->delivery = g_key_file_get_string(kf, group, "delivery", NULL);
	if (rule->delivery != NULL &&
	    strcmp(g_strstrip(rule->delivery), "self") != 0 &&
	    strcmp(rule->delivery, "agency") != 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: delivery must be self or agency, not \"%s\"",
			    where, rule->delivery);
		goto out;
	}
	ok = TRUE;
out:
	g_free(sev);
	g_free(dirs);
	return ok;
}

static gboolean
check_keys(GKeyFile *kf, const char *group, const char *where,
	   const ChecksKind *kind, GError **error)
{
	char **keys = g_key_file_get_keys(kf, group, NULL, NULL);
	gboolean ok = TRUE;

	for (guint i = 0; keys != NULL && keys[i] != NULL && ok; i++) {
		char *value;

		if (!key_allowed(common_keys, keys[i]) &&
		    !key_allowed(kind->keys, keys[i])) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: unknown key \"%s\" for kind %s", where,
				    keys[i], kind->name);
			ok = FALSE;
			break;
		}
		/* The kinds read values as strings and take NULL for "not
		 * given" (or pass it on): a value GKeyFile cannot give as a
		 * string (not UTF-8) is refused here, once for all kinds. */
		value = g_key_file_get_string(kf, group, keys[i], NULL);
		if (value == NULL) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: the value of \"%s\" is not UTF-8",
				    where, keys[i]);
			ok = FALSE;
		}
		g_free(value);
	}
	g_strfreev(keys);
	return ok;
}

static ChecksRule *
parse_rule(GKeyFile *kf, const char *group, const char *path, GError **error)
{
	ChecksRule *rule = g_new0(ChecksRule, 1);
	char *where = g_strdup_printf("%s: %s", path, group);
	char *kind = NULL;

	rule->id = g_strstrip(g_strdup(group + strlen("check ")));
	kind = required_string(kf, group, "kind", where, error);
	if (kind == NULL)
		goto fail;
	rule->kind = find_kind(kind);
	if (rule->kind == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: unknown kind \"%s\"", where, kind);
		goto fail;
	}
	if (!check_keys(kf, group, where, rule->kind, error) ||
	    !parse_common(kf, group, where, rule, error))
		goto fail;
	rule->params = rule->kind->parse(kf, group, where, error);
	if (rule->params == NULL)
		goto fail;
	g_free(kind);
	g_free(where);
	return rule;
fail:
	g_free(kind);
	g_free(where);
	rule_free(rule);
	return NULL;
}

static gboolean
parse_groups(GKeyFile *kf, const char *path, ChecksPolicy *policy,
	     GError **error)
{
	char **groups = g_key_file_get_groups(kf, NULL);
	gboolean ok = TRUE;

	for (guint i = 0; groups[i] != NULL && ok; i++) {
		ChecksRule *rule;

		if (strcmp(groups[i], "edition") == 0)
			continue;
		if (!g_str_has_prefix(groups[i], "check ") ||
		    strspn(groups[i] + 6, " ") == strlen(groups[i] + 6)) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: unknown group [%s] (rules are [check "
				    "ID])",
				    path, groups[i]);
			ok = FALSE;
			break;
		}
		rule = parse_rule(kf, groups[i], path, error);
		if (rule == NULL)
			ok = FALSE;
		else
			g_ptr_array_add(policy->rules, rule);
	}
	g_strfreev(groups);
	return ok;
}

ChecksPolicy *
checks_policy_load(const char *path, GError **error)
{
	GKeyFile *kf = g_key_file_new();
	ChecksPolicy *policy = g_new0(ChecksPolicy, 1);

	policy->rules = core_ptr_array_new(rule_free);
	if (!core_rules_file_load(kf, path, error))
		goto fail;
	policy->edition = g_key_file_get_string(kf, "edition", "edition", NULL);
	if (policy->edition == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: [edition] edition is required", path);
		goto fail;
	}
	if (!parse_groups(kf, path, policy, error))
		goto fail;
	g_key_file_free(kf);
	return policy;
fail:
	g_key_file_free(kf);
	checks_policy_free(policy);
	return NULL;
}

void
checks_policy_free(ChecksPolicy *policy)
{
	if (policy == NULL)
		return;
	g_free(policy->edition);
	g_ptr_array_unref(policy->rules);
	g_free(policy);
}

const char *
checks_policy_edition(const ChecksPolicy *policy)
{
	return policy->edition;
}

const char *
checks_status_name(ChecksStatus status)
{
	switch (status) {
	case CHECKS_PASSED:
		return "passed";
	case CHECKS_FAILED:
		return "failed";
	case CHECKS_NOT_APPLICABLE:
		return "not_applicable";
	case CHECKS_NOT_CHECKED:
	default:
		return "not_checked";
	}
}

/* ---- evaluation ------------------------------------------------------ */

static void
outcome_free(ChecksOutcome *o)
{
	g_free(o->check);
	g_free(o->code);
	g_free(o->label);
	g_free(o->clause);
	g_free(o->note);
	g_ptr_array_unref(o->documents);
	g_free(o);
}

static ChecksOutcome *
outcome_new(const ChecksRule *rule)
{
	ChecksOutcome *o = g_new0(ChecksOutcome, 1);

	o->check = g_strdup(rule->id);
	o->code = g_strdup(rule->code);
	o->label = g_strdup(rule->label);
	o->clause = g_strdup(rule->clause);
	o->status = CHECKS_NOT_CHECKED;
	o->documents = core_ptr_array_new(g_free);
	return o;
}

/* Whether RULE applies to the claim; when it cannot be told or it does
 * not, the outcome says why and FALSE is returned. */
static gboolean
applies(const ChecksRule *rule, const CoreClaim *claim, ChecksRun *run)
{
	const char *direction = claim != NULL ? claim->direction : NULL;
	const char *delivery = claim != NULL ? claim->delivery : NULL;
	gboolean in = rule->directions == NULL;

	if (rule->directions != NULL && direction == NULL) {
		checks_run_not_checked(run, "未声明申报方向（direction），"
					    "无法判断本项是否适用");
		return FALSE;
	}
	for (guint i = 0; !in && rule->directions[i] != NULL; i++)
		in = checks_direction_in(rule->directions[i], direction);
	if (!in) {
		checks_run_not_applicable(run, "不适用于方向%s", direction);
		return FALSE;
	}
	if (rule->delivery != NULL &&
	    g_strcmp0(rule->delivery, delivery) != 0) {
		checks_run_not_applicable(
		    run, "仅适用于%s交付；本申报%s",
		    strcmp(rule->delivery, "agency") == 0 ? "代理" : "自研",
		    delivery == NULL ? "未声明交付方式，按自研处理"
		    : strcmp(delivery, "agency") == 0 ? "为代理"
						      : "为自研");
		return FALSE;
	}
	return TRUE;
}

ChecksResult *
checks_evaluate_only(const ChecksPolicy *policy, const ChecksInput *input,
		     const char *rule_id)
{
	ChecksResult *result = g_new0(ChecksResult, 1);

	result->outcomes = core_ptr_array_new(outcome_free);
	result->findings = core_ptr_array_new(core_finding_free);
	for (guint i = 0; i < policy->rules->len; i++) {
		const ChecksRule *rule = g_ptr_array_index(policy->rules, i);
		ChecksRun run = {rule, outcome_new(rule), result->findings};

		if (rule_id != NULL && strcmp(rule->id, rule_id) != 0) {
			outcome_free(run.outcome);
			continue;
		}
		if (applies(rule, input->claim, &run))
			rule->kind->run(rule, input, &run);
		if (run.outcome->note == NULL)
			run.outcome->note = g_strdup("未能判定");
		g_ptr_array_add(result->outcomes, run.outcome);
	}
	return result;
}

ChecksResult *
checks_evaluate(const ChecksPolicy *policy, const ChecksInput *input)
{
	return checks_evaluate_only(policy, input, NULL);
}

void
checks_result_free(ChecksResult *result)
{
	if (result == NULL)
		return;
	g_ptr_array_unref(result->outcomes);
	g_ptr_array_unref(result->findings);
	g_free(result);
}

/* ---- what kinds call while they run ------------------------------------ */

static void
set_note(ChecksRun *run, ChecksStatus status, const char *fmt, va_list ap)
{
	run->outcome->status = status;
	g_free(run->outcome->note);
	run->outcome->note = g_strdup_vprintf(fmt, ap);
}

void
checks_run_pass(ChecksRun *run, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_note(run, CHECKS_PASSED, fmt, ap);
	va_end(ap);
}

void
checks_run_not_checked(ChecksRun *run, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_note(run, CHECKS_NOT_CHECKED, fmt, ap);
	va_end(ap);
}

void
checks_run_not_applicable(ChecksRun *run, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_note(run, CHECKS_NOT_APPLICABLE, fmt, ap);
	va_end(ap);
}

static CoreFinding *
fail_v(ChecksRun *run, const char *code, CoreSeverity severity, const char *fmt,
       va_list ap)
{
	char *message = g_strdup_vprintf(fmt, ap);
	CoreFinding *f = core_finding_new(code != NULL ? code : run->rule->code,
					  severity, message);

	if (run->outcome->status != CHECKS_FAILED) {
		run->outcome->status = CHECKS_FAILED;
		g_free(run->outcome->note);
		run->outcome->note = g_strdup(message);
	}
	g_free(message);
	g_ptr_array_add(run->findings, f);
	return f;
}

CoreFinding *
checks_run_fail(ChecksRun *run, const char *fmt, ...)
{
	va_list ap;
	CoreFinding *f;

	va_start(ap, fmt);
	f = fail_v(run, NULL, run->rule->severity, fmt, ap);
	va_end(ap);
	return f;
}

CoreFinding *
checks_run_fail_as(ChecksRun *run, const char *code, CoreSeverity severity,
		   const char *fmt, ...)
{
	va_list ap;
	CoreFinding *f;

	va_start(ap, fmt);
	f = fail_v(run, code, severity, fmt, ap);
	va_end(ap);
	return f;
}

static void
add_unique(GPtrArray *refs, const char *ref)
{
	for (guint i = 0; i < refs->len; i++)
		if (strcmp(g_ptr_array_index(refs, i), ref) == 0)
			return;
	g_ptr_array_add(refs, g_strdup(ref));
}

void
checks_run_ref_page(ChecksRun *run, CoreFinding *finding, const char *file,
		    int page)
{
	char *ref = core_ref(file, page);

	add_unique(run->outcome->documents, ref);
	if (finding != NULL)
		add_unique(finding->documents, ref);
	g_free(ref);
}

/* The first page: where a document's title, parties and most fields are,
 * and where a reviewer opens it. */
void
checks_run_ref(ChecksRun *run, CoreFinding *finding, const CoreDocument *doc)
{
	if (doc != NULL && doc->pages->len > 0)
		checks_run_ref_page(run, finding, doc->file,
				    g_array_index(doc->pages, int, 0));
}
