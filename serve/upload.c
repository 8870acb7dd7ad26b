/* upload.c - what an uploaded file may be called. A part's filename comes
 * from a stranger and becomes a path under the job's folder: it must
 * never lead out of it, nor name a hidden or special place in it. */
#include <string.h>

#include "core/core.h"
#include "serve/serve.h"

static gboolean
component_ok(const char *c, GError **error)
{
	if (strcmp(c, ".") == 0 || strcmp(c, "..") == 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "'%s' may not be part of a file's path", c);
		return FALSE;
	}
	if (strlen(c) > SERVE_MAX_NAME_BYTES) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "a name in the path is longer than %d bytes",
			    SERVE_MAX_NAME_BYTES);
		return FALSE;
	}
	for (const char *p = c; *p != '\0'; p++)
		if ((guchar)*p < 0x20 || *p == 0x7f || *p == '\\') {
			g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
				    "a file's path holds a control character "
				    "or a backslash");
			return FALSE;
		}
	return TRUE;
}

char *
serve_upload_path(const char *name, GError **error)
{
	char **parts = NULL;
	GPtrArray *kept = NULL;
	char *out = NULL;

	if (name == NULL || *name == '\0' || !g_utf8_validate(name, -1, NULL)) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "a file has no name, or one that is not UTF-8");
		return NULL;
	}
	if (name[0] == '/') {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "'%s' is an absolute path: paths are relative to "
			    "the claim folder",
			    name);
		return NULL;
	}
	parts = g_strsplit(name, "/", -1);
	kept = g_ptr_array_new();
	for (char **p = parts; *p != NULL; p++) {
		if (**p == '\0')
			continue;
		if (!component_ok(*p, error))
			goto done;
		g_ptr_array_add(kept, *p);
	}
	if (kept->len == 0 || kept->len > SERVE_MAX_PATH_DEPTH) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "'%s' has no name or is more than %d folders deep",
			    name, SERVE_MAX_PATH_DEPTH);
		goto done;
	}
	g_ptr_array_add(kept, NULL);
	out = g_strjoinv("/", (char **)kept->pdata);
done:
	if (kept != NULL)
		g_ptr_array_unref(kept);
	g_strfreev(parts);
	return out;
}
