/* keys.c - reading a rule's keys the same way in every kind: text with a
 * default, ";"-separated lists, patterns, whole numbers, and the
 * directions a key names ("3-8; 14.1"). */
#include <stdlib.h>
#include <string.h>

#include "checks/checks_int.h"

char *
checks_key_string(GKeyFile *kf, const char *group, const char *key,
		  const char *dflt)
{
	char *v = g_key_file_get_string(kf, group, key, NULL);

	if (v == NULL || *g_strstrip(v) == '\0') {
		g_free(v);
		return g_strdup(dflt);
	}
	return v;
}

char **
checks_split_list(const char *text)
{
	char **parts = g_strsplit(text != NULL ? text : "", ";", -1);
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; parts[i] != NULL; i++)
		if (*g_strstrip(parts[i]) != '\0')
			g_ptr_array_add(out, g_strdup(parts[i]));
	g_strfreev(parts);
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

char **
checks_key_list(GKeyFile *kf, const char *group, const char *key)
{
	char *text = g_key_file_get_string(kf, group, key, NULL);
	char **list = text != NULL ? checks_split_list(text) : NULL;

	g_free(text);
	return list;
}

GRegex *
checks_key_regex(GKeyFile *kf, const char *group, const char *key,
		 const char *where, GRegexCompileFlags flags, gboolean required,
		 GError **error)
{
	char *text = checks_key_string(kf, group, key, NULL);
	GError *local = NULL;
	GRegex *re;

	if (text == NULL) {
		/* Present but empty or not UTF-8 is a mistake even where the
		 * key is optional: callers read NULL without an error as
		 * "not given", and a rule would lose its pattern silently. */
		if (g_key_file_has_key(kf, group, key, NULL))
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: key \"%s\" is empty or not UTF-8",
				    where, key);
		else if (required)
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: key \"%s\" is required", where, key);
		return NULL;
	}
	re = g_regex_new(text, flags, 0, &local);
	if (re == NULL) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: %s: bad pattern: %s", where, key,
			    local->message);
		g_error_free(local);
	}
	g_free(text);
	return re;
}

gboolean
checks_key_int(GKeyFile *kf, const char *group, const char *key,
	       const char *where, int lo, int hi, int dflt, int *out,
	       GError **error)
{
	char *v = checks_key_string(kf, group, key, NULL);
	char *end = NULL;
	long n;

	if (v == NULL) {
		if (dflt < 0) {
			g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
				    "%s: key \"%s\" is required", where, key);
			return FALSE;
		}
		*out = dflt;
		return TRUE;
	}
	n = strtol(v, &end, 10);
	if (end == v || *end != '\0' || n < lo || n > hi) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: %s: \"%s\" is not a whole number %d-%d", where,
			    key, v, lo, hi);
		g_free(v);
		return FALSE;
	}
	g_free(v);
	*out = (int)n;
	return TRUE;
}

gboolean
checks_key_amount(GKeyFile *kf, const char *group, const char *key,
		  const char *where, gint64 *fen, GError **error)
{
	char *v = checks_key_string(kf, group, key, NULL);
	gboolean ok = v != NULL && checks_amount_parse(v, fen);

	if (!ok)
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: key \"%s\" must be a decimal number, not "
			    "\"%s\"",
			    where, key, v != NULL ? v : "");
	g_free(v);
	return ok;
}

/* One entry: "4", "14.1", or a range of whole numbers "3-8", which takes
 * in the sub-items (14.1 is in 3-20). "14.10" is how a JSON number 14.1
 * comes back, hence the comparison as numbers. */
static gboolean
direction_in_one(const char *spec, double d)
{
	const char *dash = strchr(spec, '-');

	if (dash != NULL)
		return (int)d >= atoi(spec) && (int)d <= atoi(dash + 1);
	if (strchr(spec, '.') == NULL)
		return (int)d == atoi(spec);
	return ABS(d - g_ascii_strtod(spec, NULL)) < 1e-6;
}

gboolean
checks_direction_in(const char *spec, const char *direction)
{
	char **parts;
	double d;
	gboolean in = FALSE;

	if (spec == NULL)
		return TRUE;
	if (direction == NULL)
		return FALSE;
	d = g_ascii_strtod(direction, NULL);
	parts = checks_split_list(spec);
	for (guint i = 0; parts[i] != NULL && !in; i++)
		in = direction_in_one(parts[i], d);
	g_strfreev(parts);
	return in;
}
