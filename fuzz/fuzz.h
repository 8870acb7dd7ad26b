/* fuzz.h - what the fuzz targets share: libFuzzer's entry point, and the
 * fuzzer's bytes as a file, since most parsers under test take a path. */
#ifndef EVIDCHECK_FUZZ_H
#define EVIDCHECK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "classify/classify.h"

/* libFuzzer calls this once per input; replay.c calls it per corpus file. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An in-memory file (memfd) holding DATA. */
typedef struct {
	int fd;
	char path[64]; /* "/proc/self/fd/N": opens like any regular file */
} FuzzFile;

/* Write SIZE bytes of DATA to a new in-memory file; FALSE when the system
 * refuses one (the input is then skipped). Close with fuzz_file_close. */
gboolean fuzz_file_open(FuzzFile *f, const uint8_t *data, size_t size);
void fuzz_file_close(FuzzFile *f);

/* DATA as a new NUL-terminated string (a NUL inside ends it early, as it
 * would for every C caller). g_free it. */
char *fuzz_strndup(const uint8_t *data, size_t size);

/* Abort with MSG when an invariant the parser documents does not hold:
 * libFuzzer keeps the input as a crash. */
#define FUZZ_ASSERT(cond, msg)                                                 \
	do {                                                                   \
		if (!(cond))                                                   \
			fuzz_fail(msg, __FILE__, __LINE__);                    \
	} while (0)
G_NORETURN void fuzz_fail(const char *msg, const char *file, int line);

/* Read DATA as an upload through ingest_file_read when its bytes sniff as
 * a PDF (WANT_PDF) or as an image (!WANT_PDF), then draw its first and
 * last page at a low resolution and look for seals and QR codes on them,
 * as a scan does. Other inputs are skipped: the other target reads them. */
void fuzz_ingest(const uint8_t *data, size_t size, gboolean want_pdf);

/* The real rules/2026/types.ini, loaded once (fuzz_fail when it cannot
 * be). Borrowed. */
const ClassifyRules *fuzz_real_types(void);

#endif
