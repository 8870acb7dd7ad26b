/* write.c - how every verb writes a report or an index: never half a
 * file where a reader (or the next batch) would trust it. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cli/cli.h"

/* Write all of TEXT to FD; FALSE with errno set. */
static gboolean
write_all(int fd, const char *text)
{
	size_t left = strlen(text);

	while (left > 0) {
		ssize_t n = write(fd, text, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		text += n;
		left -= (size_t)n;
	}
	return TRUE;
}

/* Close FD after a write that went OK (*OK); a failed close (NFS, a
 * full disk noticed late) fails it. Keeps the first errno in *SAVED. */
static void
close_checked(int fd, gboolean *ok, int *saved)
{
	if (fd >= 0 && close(fd) != 0 && *ok) {
		*ok = FALSE;
		*saved = errno;
	}
}

/* /dev/stdout, a pipe, /dev/full: renaming over a device would replace
 * it, so it is written in place. */
static gboolean
write_in_place(const char *path, const char *text, int *saved)
{
	int fd = g_open(path, O_WRONLY | O_TRUNC | O_CLOEXEC, 0);
	gboolean ok = fd >= 0 && write_all(fd, text);

	*saved = errno;
	close_checked(fd, &ok, saved);
	return ok;
}

gboolean
cli_write_file(const char *path, const char *text, GError **error)
{
	GStatBuf st;
	char *dir, *base, *tmp;
	int fd, saved = 0;
	gboolean ok;

	if (g_stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		ok = write_in_place(path, text, &saved);
		goto done;
	}
	dir = g_path_get_dirname(path);
	base = g_path_get_basename(path);
	tmp = g_strdup_printf("%s/.%s.tmp", dir, base);
	fd = g_open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ok = fd >= 0 && write_all(fd, text) && fsync(fd) == 0;
	saved = errno;
	close_checked(fd, &ok, &saved);
	if (ok && g_rename(tmp, path) != 0) {
		ok = FALSE;
		saved = errno;
	}
	if (!ok && fd >= 0)
		g_unlink(tmp);
	g_free(tmp);
	g_free(base);
	g_free(dir);
done:
	if (!ok)
		g_set_error(error, CORE_ERROR, CORE_ERROR_IO,
			    "cannot write %s: %s", path, g_strerror(saved));
	return ok;
}
