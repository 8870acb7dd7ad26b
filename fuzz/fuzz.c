/* fuzz.c - the fuzzer's bytes as a file without touching the disk: a memfd
 * opened again through /proc/self/fd, which the readers under test map
 * like any upload (a regular file, fstat gives its size). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz/fuzz.h"

gboolean
fuzz_file_open(FuzzFile *f, const uint8_t *data, size_t size)
{
	size_t done = 0;

	f->fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (f->fd < 0)
		return FALSE;
	while (done < size) {
		ssize_t n = write(f->fd, data + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(f->fd);
			f->fd = -1;
			return FALSE;
		}
		done += (size_t)n;
	}
	g_snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
	return TRUE;
}

void
fuzz_file_close(FuzzFile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

char *
fuzz_strndup(const uint8_t *data, size_t size)
{
	return g_strndup((const char *)data, size);
}

/* A GLib critical (a g_return_if_fail that failed: a bug of the caller)
 * must end the run as a crash libFuzzer keeps. G_DEBUG=fatal-criticals
 * alone raises SIGTRAP, which libFuzzer does not catch, so the input
 * would be lost; abort() is caught and the input saved. */
static void
fatal_criticals(const gchar *domain, GLogLevelFlags level, const gchar *msg,
		gpointer data)
{
	g_log_default_handler(domain, level, msg, data);
	if (level & G_LOG_LEVEL_CRITICAL)
		abort();
}

__attribute__((constructor)) static void
fuzz_init(void)
{
	g_log_set_default_handler(fatal_criticals, NULL);
}

void
fuzz_fail(const char *msg, const char *file, int line)
{
	fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, msg);
	abort();
}

const ClassifyRules *
fuzz_real_types(void)
{
	static ClassifyRules *rules;

	if (rules == NULL) {
		GError *error = NULL;

		rules = classify_rules_load(FUZZ_RULES "/types.ini", &error);
		if (rules == NULL)
			fuzz_fail(error->message, __FILE__, __LINE__);
	}
	return rules;
}
