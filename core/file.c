/* file.c - reading the small files people write by hand (claim.json, the
 * rules): the size is checked before a byte is read, and every error names
 * the file. */
#include <errno.h>

#include <glib/gstdio.h>

#include "core/core.h"

gboolean
core_file_read_small(const char *path, gsize max_bytes, char **data, gsize *len,
		     GError **error)
{
	char *name = g_filename_display_name(path);
	GError *local = NULL;
	GStatBuf st;
	gboolean ok = FALSE;

	if (g_stat(path, &st) != 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_IO,
			    "cannot read '%s': %s", name, g_strerror(errno));
	} else if ((guint64)st.st_size > max_bytes) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_LIMIT,
			    "'%s' is %" G_GUINT64_FORMAT
			    " bytes, over the %" G_GSIZE_FORMAT
			    "-byte limit for this kind of file",
			    name, (guint64)st.st_size, max_bytes);
	} else if (!g_file_get_contents(path, data, len, &local)) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_IO,
			    "cannot read '%s': %s", name, local->message);
	} else {
		ok = TRUE;
	}
	g_clear_error(&local);
	g_free(name);
	return ok;
}

gboolean
core_rules_file_load(GKeyFile *kf, const char *path, GError **error)
{
	char *name = g_filename_display_name(path);
	char *data = NULL;
	gsize len = 0;
	GError *local = NULL;
	gboolean ok = FALSE;

	if (!core_file_read_small(path, CORE_RULES_MAX_BYTES, &data, &len,
				  error))
		goto cleanup;
	if (!g_key_file_load_from_data(kf, data, len, G_KEY_FILE_NONE,
				       &local)) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "rules '%s': %s", name, local->message);
		goto cleanup;
	}
	ok = TRUE;
cleanup:
	g_clear_error(&local);
	g_free(data);
	g_free(name);
	return ok;
}
