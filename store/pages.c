/* pages.c - the page cache: what was read from each page of each file, by
 * content hash and engine, so an unchanged file is never rendered or OCR'd
 * again. Words and seals are kept as compact JSON arrays. */
#include <json-glib/json-glib.h>

#include "store/store_int.h"

/* Four decimals of a page fraction are a tenth of a pixel at 300 dpi. */
static double
round4(double v)
{
	return (double)(gint64)(v * 10000 + (v < 0 ? -0.5 : 0.5)) / 10000;
}

/* A word's box to four decimals; a seal's (EXACT) as read: the report
 * prints seals, cut to four decimals, and a seal rounded here would then
 * differ from the first scan's by 0.0001 when read from the cache (found
 * by tests/faults/kill_batch.sh: a resumed claim's report differed). A
 * page has few seals and many words. */
static void
add_box(JsonArray *a, const CoreBox *b, gboolean exact)
{
	json_array_add_double_element(a, exact ? b->x : round4(b->x));
	json_array_add_double_element(a, exact ? b->y : round4(b->y));
	json_array_add_double_element(a, exact ? b->w : round4(b->w));
	json_array_add_double_element(a, exact ? b->h : round4(b->h));
}

static char *
to_json(JsonArray *arr)
{
	char *out =
	    store_json_take(json_node_init_array(json_node_alloc(), arr));

	json_array_unref(arr);
	return out;
}

/* [[text, x, y, w, h, confidence], ...] */
static char *
words_json(GArray *words)
{
	JsonArray *arr = json_array_new();

	for (guint i = 0; i < words->len; i++) {
		const CoreWord *w = &g_array_index(words, CoreWord, i);
		JsonArray *one = json_array_new();

		json_array_add_string_element(one, w->text);
		add_box(one, &w->box, FALSE);
		json_array_add_double_element(one, round4(w->confidence));
		json_array_add_array_element(arr, one);
	}
	return to_json(arr);
}

/* [[x, y, w, h], [x, y, w, h, "organisation"], ...]: the organisation
 * read from the ring when there is one. */
static char *
seals_json(const CorePage *page)
{
	JsonArray *arr = json_array_new();

	for (guint i = 0; i < page->seals->len; i++) {
		JsonArray *one = json_array_new();
		const char *org = i < page->seal_orgs->len
				      ? g_ptr_array_index(page->seal_orgs, i)
				      : NULL;

		add_box(one, &g_array_index(page->seals, CoreBox, i), TRUE);
		if (org != NULL)
			json_array_add_string_element(one, org);
		json_array_add_array_element(arr, one);
	}
	return to_json(arr);
}

/* ["payload", ...] */
static char *
codes_json(GPtrArray *codes)
{
	JsonArray *arr = json_array_new();

	for (guint i = 0; i < codes->len; i++)
		json_array_add_string_element(arr, g_ptr_array_index(codes, i));
	return to_json(arr);
}

static JsonArray *
parse_array(JsonParser *p, const char *json)
{
	JsonNode *root;

	if (json == NULL || !json_parser_load_from_data(p, json, -1, NULL))
		return NULL;
	root = json_parser_get_root(p);
	return root != NULL && JSON_NODE_HOLDS_ARRAY(root)
		   ? json_node_get_array(root)
		   : NULL;
}

/* Reads a box from ONE at OFFSET; FALSE when the row is not ours. */
static gboolean
read_box(JsonArray *one, guint offset, CoreBox *b)
{
	if (json_array_get_length(one) < offset + 4)
		return FALSE;
	b->x = json_array_get_double_element(one, offset);
	b->y = json_array_get_double_element(one, offset + 1);
	b->w = json_array_get_double_element(one, offset + 2);
	b->h = json_array_get_double_element(one, offset + 3);
	return TRUE;
}

static void
words_from_json(GArray *words, const char *json)
{
	JsonParser *p = json_parser_new_immutable();
	JsonArray *arr = parse_array(p, json);

	for (guint i = 0; arr != NULL && i < json_array_get_length(arr); i++) {
		JsonArray *one = json_array_get_array_element(arr, i);
		CoreWord w = {0};

		if (one == NULL || json_array_get_length(one) != 6 ||
		    !read_box(one, 1, &w.box))
			continue;
		w.text = g_strdup(json_array_get_string_element(one, 0));
		w.confidence = json_array_get_double_element(one, 5);
		g_array_append_val(words, w);
	}
	g_object_unref(p);
}

static void
seals_from_json(CorePage *page, const char *json)
{
	JsonParser *p = json_parser_new_immutable();
	JsonArray *arr = parse_array(p, json);

	core_page_set_seals(page, NULL, 0);
	for (guint i = 0; arr != NULL && i < json_array_get_length(arr); i++) {
		JsonArray *one = json_array_get_array_element(arr, i);
		CoreBox b;
		JsonNode *org;

		if (one == NULL || !read_box(one, 0, &b))
			continue;
		g_array_append_val(page->seals, b);
		org = json_array_get_length(one) > 4
			  ? json_array_get_element(one, 4)
			  : NULL;
		g_ptr_array_add(page->seal_orgs,
				org != NULL && JSON_NODE_HOLDS_VALUE(org) &&
					json_node_get_value_type(org) ==
					    G_TYPE_STRING
				    ? g_strdup(json_node_get_string(org))
				    : NULL);
	}
	page->stamped = page->seals->len > 0;
	g_object_unref(p);
}

static void
codes_from_json(GPtrArray *codes, const char *json)
{
	JsonParser *p = json_parser_new_immutable();
	JsonArray *arr = parse_array(p, json);

	g_ptr_array_set_size(codes, 0);
	for (guint i = 0; arr != NULL && i < json_array_get_length(arr); i++) {
		JsonNode *n = json_array_get_element(arr, i);

		if (JSON_NODE_HOLDS_VALUE(n) &&
		    json_node_get_value_type(n) == G_TYPE_STRING)
			g_ptr_array_add(codes,
					g_strdup(json_node_get_string(n)));
	}
	g_object_unref(p);
}

static CoreTextSource
source_from_name(const char *name)
{
	if (g_strcmp0(name, "pdf_text") == 0)
		return CORE_TEXT_PDF;
	if (g_strcmp0(name, "ocr") == 0)
		return CORE_TEXT_OCR;
	return CORE_TEXT_NONE;
}

static void
fill_page(sqlite3_stmt *st, CorePage *page)
{
	core_page_set_text(
	    page, (const char *)sqlite3_column_text(st, 1),
	    source_from_name((const char *)sqlite3_column_text(st, 0)),
	    sqlite3_column_double(st, 2));
	g_array_set_size(page->words, 0);
	words_from_json(page->words, (const char *)sqlite3_column_text(st, 3));
	seals_from_json(page, (const char *)sqlite3_column_text(st, 4));
	page->rotation = sqlite3_column_int(st, 5);
	codes_from_json(page->codes, (const char *)sqlite3_column_text(st, 6));
	/* SQLite integers are signed; the hash's bits go through as they
	 * are. */
	page->phash = (guint64)sqlite3_column_int64(st, 7);
}

gboolean
store_page_lookup(Store *store, const char *sha256, const char *engine,
		  CorePage *page)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "SELECT source, text, confidence, words_json, seals_json, "
	    "rotation, codes_json, phash FROM page WHERE sha256 = ?1 AND "
	    "page = ?2 "
	    "AND "
	    "engine = ?3",
	    NULL);
	gboolean found = FALSE;

	if (st == NULL)
		return FALSE;
	store_bind_text(st, 1, sha256);
	sqlite3_bind_int(st, 2, page->page);
	store_bind_text(st, 3, engine);
	if (sqlite3_step(st) == SQLITE_ROW) {
		fill_page(st, page);
		found = TRUE;
	}
	sqlite3_finalize(st);
	return found;
}

gboolean
store_page_save(Store *store, const char *sha256, const char *engine,
		const CorePage *page, GError **error)
{
	sqlite3_stmt *st = store_prepare(
	    store,
	    "INSERT OR REPLACE INTO page(sha256, page, engine, source, text, "
	    "confidence, words_json, seals_json, rotation, codes_json, phash) "
	    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	    error);
	char *words;
	char *seals;
	char *codes;

	if (st == NULL)
		return FALSE;
	words = words_json(page->words);
	seals = seals_json(page);
	codes = codes_json(page->codes);
	store_bind_text(st, 1, sha256);
	sqlite3_bind_int(st, 2, page->page);
	store_bind_text(st, 3, engine);
	store_bind_text(st, 4, core_text_source_name(page->source));
	store_bind_text(st, 5, page->text);
	sqlite3_bind_double(st, 6, page->confidence);
	store_bind_text(st, 7, words);
	store_bind_text(st, 8, seals);
	sqlite3_bind_int(st, 9, page->rotation);
	store_bind_text(st, 10, codes);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)page->phash);
	g_free(words);
	g_free(seals);
	g_free(codes);
	return store_cache_step(store, st, error, "saving a page");
}

int
store_page_count(Store *store, const char *sha256, const char *engine)
{
	return store_count(store,
			   "SELECT count(*) FROM page WHERE sha256 = ?1 AND "
			   "engine = ?2",
			   sha256, engine);
}
