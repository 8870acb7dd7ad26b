/* history.c - what the cross-claim rules compare: each scan's facts and
 * evidence keys, saved with the scan, and the latest scan of every other
 * claim read back. Keys are gathered here, from the core records, so the
 * claim being checked and the claims in the store are keyed alike. */
#include <string.h>

#include "store/store_int.h"

/* ---- facts ----------------------------------------------------------- */

/* The first document of TYPE with field NAME, or NULL. Borrowed. */
static const char *
doc_field(GPtrArray *documents, const char *type, const char *name)
{
	for (guint i = 0; documents != NULL && i < documents->len; i++) {
		const CoreDocument *d = g_ptr_array_index(documents, i);
		const char *v;

		if (g_strcmp0(d->type, type) != 0)
			continue;
		v = core_document_get_field(d, name);
		if (v != NULL && *v != '\0')
			return v;
	}
	return NULL;
}

static char *
either(const char *declared, GPtrArray *documents, const char *type,
       const char *name)
{
	if (declared != NULL && *declared != '\0')
		return g_strdup(declared);
	return g_strdup(doc_field(documents, type, name));
}

StoreFacts *
store_facts_collect(const CoreClaim *claim, GPtrArray *documents)
{
	StoreFacts *f = g_new0(StoreFacts, 1);
	const CoreParty *e = &claim->enterprise;
	const CoreParty *p = &claim->provider;

	f->enterprise_name = either(e->name, documents, "contract", "party_a");
	f->enterprise_code =
	    either(e->credit_code, documents, "invoice", "buyer_credit_code");
	f->enterprise_tier = g_strdup(e->tier);
	f->provider_name = either(p->name, documents, "contract", "party_b");
	f->provider_code =
	    either(p->credit_code, documents, "invoice", "seller_credit_code");
	f->direction = g_strdup(claim->direction);
	f->scene = g_strdup(claim->scene);
	f->signed_on = either(claim->contract_signed_on, documents, "contract",
			      "signed_on");
	f->contract_amount =
	    either(claim->contract_amount, documents, "contract", "amount");
	f->voucher_amount = either(claim->voucher_amount, documents, "contract",
				   "voucher_amount");
	f->accepted_on = either(claim->accepted_on, documents,
				"acceptance_form", "accepted_on");
	return f;
}

void
store_facts_free(StoreFacts *f)
{
	if (f == NULL)
		return;
	g_free(f->enterprise_name);
	g_free(f->enterprise_code);
	g_free(f->enterprise_tier);
	g_free(f->provider_name);
	g_free(f->provider_code);
	g_free(f->direction);
	g_free(f->scene);
	g_free(f->signed_on);
	g_free(f->contract_amount);
	g_free(f->voucher_amount);
	g_free(f->accepted_on);
	g_free(f);
}

/* ---- keys ------------------------------------------------------------ */

void
store_key_free(StoreKey *k)
{
	if (k == NULL)
		return;
	g_free(k->claim_id);
	g_free(k->kind);
	g_free(k->value);
	g_free(k->file);
	g_free(k->type);
	g_free(k);
}

static StoreKey *
key_new(const char *kind, char *value, const char *file, int page,
	const char *type)
{
	StoreKey *k = g_new0(StoreKey, 1);

	k->kind = g_strdup(kind);
	k->value = value;
	k->file = g_strdup(file);
	k->page = page;
	k->type = g_strdup(type);
	return k;
}

/* An invoice number or bank serial as compared: OCR and layouts put
 * spaces in long numbers ("2645 2000 ..."), and letters may be either
 * case. NULL when nothing is left. */
static char *
code_key(const char *value)
{
	GString *s = g_string_new(NULL);

	for (const char *c = value; *c != '\0'; c = g_utf8_next_char(c)) {
		gunichar u = g_utf8_get_char(c);

		if (!g_unichar_isspace(u) && u != '-')
			g_string_append_unichar(s, g_unichar_toupper(u));
	}
	if (s->len == 0) {
		g_string_free(s, TRUE);
		return NULL;
	}
	return g_string_free(s, FALSE);
}

static void
add_document_keys(GPtrArray *keys, const CoreDocument *d)
{
	static const char *const map[][3] = {
	    {"invoice", "number", STORE_KEY_INVOICE},
	    {"payment_proof", "serial", STORE_KEY_SERIAL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(map); i++) {
		const char *v;
		char *key;

		if (g_strcmp0(d->type, map[i][0]) != 0)
			continue;
		v = core_document_get_field(d, map[i][1]);
		key = v != NULL ? code_key(v) : NULL;
		if (key != NULL)
			g_ptr_array_add(
			    keys, key_new(map[i][2], key, d->file,
					  d->pages->len > 0
					      ? g_array_index(d->pages, int, 0)
					      : 1,
					  d->type));
	}
}

/* The SHA-256 of TEXT without its whitespace (a layer's line breaks and
 * spacing change with the tool that wrote it); *CHARS the characters
 * hashed. */
static char *
text_hash(const char *text, int *chars)
{
	GString *s = g_string_new(NULL);
	char *hash;

	*chars = 0;
	for (const char *c = text; *c != '\0'; c = g_utf8_next_char(c)) {
		gunichar u = g_utf8_get_char(c);

		if (g_unichar_isspace(u))
			continue;
		g_string_append_unichar(s, u);
		(*chars)++;
	}
	hash = g_compute_checksum_for_data(G_CHECKSUM_SHA256,
					   (const guchar *)s->str, s->len);
	g_string_free(s, TRUE);
	return hash;
}

static void
add_page_keys(GPtrArray *keys, const CorePage *p)
{
	if (p->phash != 0)
		g_ptr_array_add(keys, key_new(STORE_KEY_PHASH,
					      store_phash_text(p->phash),
					      p->file, p->page, p->type));
	if (p->source == CORE_TEXT_PDF && p->text != NULL) {
		int chars;
		char *hash = text_hash(p->text, &chars);
		StoreKey *k;

		if (chars < STORE_TEXT_KEY_MIN_CHARS) {
			g_free(hash);
			return;
		}
		k = key_new(STORE_KEY_TEXT, hash, p->file, p->page, p->type);
		k->chars = chars;
		g_ptr_array_add(keys, k);
	}
}

/* The type of FILE's pages when they all have one, else NULL: a file of
 * several documents is keyed as such. Borrowed. */
static const char *
file_type(GPtrArray *pages, const char *file)
{
	const char *type = NULL;

	for (guint i = 0; pages != NULL && i < pages->len; i++) {
		const CorePage *p = g_ptr_array_index(pages, i);

		if (g_strcmp0(p->file, file) != 0)
			continue;
		if (p->type == NULL ||
		    (type != NULL && strcmp(type, p->type) != 0))
			return NULL;
		type = p->type;
	}
	return type;
}

GPtrArray *
store_keys_collect(GPtrArray *documents, GPtrArray *pages,
		   const StoreFileRef *files, guint n_files)
{
	GPtrArray *keys = core_ptr_array_new(store_key_free);

	for (guint i = 0; documents != NULL && i < documents->len; i++)
		add_document_keys(keys, g_ptr_array_index(documents, i));
	for (guint i = 0; i < n_files; i++)
		if (files[i].sha256 != NULL && files[i].sha256[0] != '\0')
			g_ptr_array_add(
			    keys,
			    key_new(STORE_KEY_FILE, g_strdup(files[i].sha256),
				    files[i].path, 0,
				    file_type(pages, files[i].path)));
	for (guint i = 0; pages != NULL && i < pages->len; i++)
		add_page_keys(keys, g_ptr_array_index(pages, i));
	return keys;
}

char *
store_phash_text(guint64 phash)
{
	return g_strdup_printf("%016" G_GINT64_MODIFIER "x", phash);
}

guint64
store_phash_parse(const char *text)
{
	char *end = NULL;
	guint64 v;

	if (text == NULL || strlen(text) != 16)
		return 0;
	v = g_ascii_strtoull(text, &end, 16);
	return end != NULL && *end == '\0' ? v : 0;
}

int
store_phash_distance(guint64 a, guint64 b)
{
	return __builtin_popcountll(a ^ b);
}

/* ---- saving ---------------------------------------------------------- */

static gboolean
save_facts(Store *s, gint64 id, const StoreFacts *f, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "INSERT INTO scan_fact(scan_id, enterprise_name, "
	    "enterprise_code, enterprise_tier, provider_name, provider_code, "
	    "direction, scene, signed_on, contract_amount, voucher_amount, "
	    "accepted_on) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
	    error);
	const char *v[] = {
	    f->enterprise_name, f->enterprise_code, f->enterprise_tier,
	    f->provider_name,	f->provider_code,   f->direction,
	    f->scene,		f->signed_on,	    f->contract_amount,
	    f->voucher_amount,	f->accepted_on};

	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, id);
	for (guint i = 0; i < G_N_ELEMENTS(v); i++)
		store_bind_text(st, (int)i + 2, v[i]);
	return store_step_done(s, st, error, "saving a claim's facts");
}

static gboolean
save_keys(Store *s, gint64 id, GPtrArray *keys, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "INSERT INTO scan_key(scan_id, kind, value, file, page, type) "
	    "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	    error);
	gboolean ok = st != NULL;

	for (guint i = 0; ok && i < keys->len; i++) {
		const StoreKey *k = g_ptr_array_index(keys, i);

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		store_bind_text(st, 2, k->kind);
		store_bind_text(st, 3, k->value);
		store_bind_text(st, 4, k->file);
		sqlite3_bind_int(st, 5, k->page);
		store_bind_text(st, 6, k->type);
		ok = sqlite3_step(st) == SQLITE_DONE;
		if (!ok)
			store_fail(s, error, "saving an evidence key");
	}
	sqlite3_finalize(st);
	return ok;
}

gboolean
store_history_save(Store *s, gint64 id, const StoreScan *scan, GError **error)
{
	if (scan->facts != NULL && !save_facts(s, id, scan->facts, error))
		return FALSE;
	return scan->keys == NULL || save_keys(s, id, scan->keys, error);
}

/* ---- reading --------------------------------------------------------- */

/* The latest scan of each claim id but ?1. A scan's id grows with time,
 * so the latest is the largest; scan_claim makes max(id) one look-up. */
#define LATEST                                                                 \
	"s.claim_id <> ?1 AND s.id = (SELECT max(id) FROM scan "               \
	"WHERE claim_id = s.claim_id)"

static gpointer
read_other(sqlite3_stmt *st)
{
	StoreOther *o = g_new0(StoreOther, 1);
	StoreFacts *f = g_new0(StoreFacts, 1);
	char **v[] = {
	    &f->enterprise_name, &f->enterprise_code, &f->enterprise_tier,
	    &f->provider_name,	 &f->provider_code,   &f->direction,
	    &f->scene,		 &f->signed_on,	      &f->contract_amount,
	    &f->voucher_amount,	 &f->accepted_on};

	o->claim_id = store_column_text(st, 0);
	o->scan_id = sqlite3_column_int64(st, 1);
	for (guint i = 0; i < G_N_ELEMENTS(v); i++)
		*v[i] = store_column_text(st, (int)i + 2);
	o->facts = f;
	return o;
}

void
store_other_free(StoreOther *o)
{
	if (o == NULL)
		return;
	g_free(o->claim_id);
	store_facts_free(o->facts);
	g_free(o);
}

/* Run ST (its parameters bound) and turn each row into an element of a
 * new array with READ; NULL with ERROR set on failure. Finalizes ST. */
static GPtrArray *
collect_rows(Store *s, sqlite3_stmt *st, gpointer (*read)(sqlite3_stmt *),
	     GDestroyNotify free_func, GError **error)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(free_func);
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		g_ptr_array_add(out, read(st));
	if (rc != SQLITE_DONE) {
		store_fail(s, error, "reading other claims");
		g_clear_pointer(&out, g_ptr_array_unref);
	}
	sqlite3_finalize(st);
	return out;
}

GPtrArray *
store_history_claims(Store *store, const char *exclude_claim_id, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT s.claim_id, s.id, f.enterprise_name, f.enterprise_code, "
	    "f.enterprise_tier, f.provider_name, f.provider_code, "
	    "f.direction, f.scene, f.signed_on, f.contract_amount, "
	    "f.voucher_amount, f.accepted_on FROM scan s "
	    "JOIN scan_fact f ON f.scan_id = s.id WHERE " LATEST
	    " ORDER BY s.claim_id",
	    error);

	if (st == NULL)
		return NULL;
	store_bind_text(st, 1,
			exclude_claim_id != NULL ? exclude_claim_id : "");
	return collect_rows(store, st, read_other,
			    (GDestroyNotify)store_other_free, error);
}

static gpointer
read_key(sqlite3_stmt *st)
{
	StoreKey *k = key_new(
	    (const char *)sqlite3_column_text(st, 1), store_column_text(st, 2),
	    (const char *)sqlite3_column_text(st, 3), sqlite3_column_int(st, 4),
	    (const char *)sqlite3_column_text(st, 5));

	k->claim_id = store_column_text(st, 0);
	return k;
}

#define KEY_COLUMNS "s.claim_id, k.kind, k.value, k.file, k.page, k.type "

GPtrArray *
store_history_find_key(Store *store, const char *exclude_claim_id,
		       const char *kind, const char *value, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT " KEY_COLUMNS "FROM scan_key k JOIN scan s ON "
	    "s.id = k.scan_id WHERE k.kind = ?2 AND k.value = ?3 AND " LATEST
	    " ORDER BY s.claim_id, k.file, k.page",
	    error);

	if (st == NULL)
		return NULL;
	store_bind_text(st, 1,
			exclude_claim_id != NULL ? exclude_claim_id : "");
	store_bind_text(st, 2, kind);
	store_bind_text(st, 3, value);
	return collect_rows(store, st, read_key, (GDestroyNotify)store_key_free,
			    error);
}

GPtrArray *
store_history_phashes(Store *store, const char *exclude_claim_id,
		      GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT " KEY_COLUMNS "FROM scan_key k JOIN scan s ON "
	    "s.id = k.scan_id WHERE k.kind = '" STORE_KEY_PHASH "' AND " LATEST
	    " ORDER BY s.claim_id, k.file, k.page",
	    error);

	if (st == NULL)
		return NULL;
	store_bind_text(st, 1,
			exclude_claim_id != NULL ? exclude_claim_id : "");
	return collect_rows(store, st, read_key, (GDestroyNotify)store_key_free,
			    error);
}
