/* fuzz_claim.c - libFuzzer target: claim.json, written by providers, read
 * both ways a scan can (core_claim_load from a file, core_claim_parse
 * from a buffer that is not NUL-terminated). */
#include "core/core.h"
#include "fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	GError *error = NULL;
	CoreClaim *claim;
	FuzzFile f;

	claim =
	    core_claim_parse((const char *)data, size, "claim.json", &error);
	FUZZ_ASSERT((claim == NULL) == (error != NULL),
		    "core_claim_parse: result and error disagree");
	core_claim_free(claim);
	g_clear_error(&error);
	if (!fuzz_file_open(&f, data, size))
		return 0;
	claim = core_claim_load(f.path, &error);
	FUZZ_ASSERT((claim == NULL) == (error != NULL),
		    "core_claim_load: result and error disagree");
	core_claim_free(claim);
	g_clear_error(&error);
	fuzz_file_close(&f);
	return 0;
}
