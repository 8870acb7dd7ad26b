/* serve.h - evidcheck as a service (issue 9, in progress): uploads of
 * claim folders over HTTP, queued as jobs in the store, scanned by the
 * same code as `evidcheck scan`. docs/api.md is the contract. */
#ifndef EVIDCHECK_SERVE_H
#define EVIDCHECK_SERVE_H

#include <glib.h>

G_BEGIN_DECLS

/* Limits of an upload path: bytes of one component, and components. */
#define SERVE_MAX_NAME_BYTES 255
#define SERVE_MAX_PATH_DEPTH 32

/* NAME, the filename of an uploaded part, as a path inside the job's
 * claim folder: relative, '/'-separated, every component non-empty, not
 * "." nor "..", no backslash, NUL or control character, valid UTF-8,
 * within the limits above. Returns NAME with repeated or trailing
 * slashes dropped as a new string, or NULL with ERROR
 * (CORE_ERROR_USAGE) saying what is wrong with it; the caller refuses
 * the whole upload then, never writes the file elsewhere. */
char *serve_upload_path(const char *name, GError **error);

G_END_DECLS

#endif
