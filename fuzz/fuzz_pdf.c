/* fuzz_pdf.c - libFuzzer target: bytes that sniff as a PDF, read as an
 * upload (poppler: text layer, words, image cover) and drawn (page 1 and
 * the last page at 30 dpi, seals, QR codes, page hash). */
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_ingest(data, size, TRUE);
	return 0;
}
