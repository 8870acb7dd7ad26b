/* fuzz_image.c - libFuzzer target: bytes that sniff as a JPEG, PNG, TIFF,
 * WebP, BMP or HEIC photo, read as an upload (Leptonica, libjpeg, libheif:
 * headers, frames, EXIF rotation) and decoded (page 1 and the last frame
 * at 30 dpi, seals, QR codes, page hash). */
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_ingest(data, size, FALSE);
	return 0;
}
