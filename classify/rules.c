/* rules.c - load rules/<edition>/types.ini: settings, shared pattern
 * snippets, and per document type its weighted cues and field patterns.
 * Everything is checked and compiled here, so a typo in the policy data is
 * one error naming the group and key, never a silently dead rule. */
#include <stdlib.h>
#include <string.h>

#include "classify/classify_int.h"

#define GROUP_SETTINGS	  "rules"
#define GROUP_PATTERNS	  "patterns"
#define PREFIX_TYPE	  "type "
#define PREFIX_FIELDS	  "fields "
#define MAX_SNIPPET_DEPTH 8 /* {{a}} inside {{b}} inside ... */

/* Where a message points: the file, group and key being read. */
typedef struct {
	const char *path;
	const char *group;
	const char *key;
} Where;

static void rules_error(GError **error, const Where *w, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void
rules_error(GError **error, const Where *w, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (w->key != NULL)
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: [%s] %s: %s", w->path, w->group, w->key, msg);
	else
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES, "%s: [%s]: %s",
			    w->path, w->group, msg);
	g_free(msg);
}

/* ---- freeing ----------------------------------------------------------- */

static void
cue_free(Cue *c)
{
	if (c == NULL)
		return;
	g_free(c->key);
	pcre2_code_free(c->re);
	g_free(c);
}

static void
field_rule_free(FieldRule *f)
{
	if (f == NULL)
		return;
	g_free(f->name);
	g_free(f->key);
	g_free(f->checks);
	g_free(f->version_to);
	pcre2_code_free(f->re);
	g_free(f);
}

static void
type_rules_free(TypeRules *t)
{
	if (t == NULL)
		return;
	g_free(t->id);
	g_free(t->label);
	g_strfreev(t->verify);
	g_strfreev(t->names);
	g_ptr_array_unref(t->cues);
	g_ptr_array_unref(t->fields);
	g_free(t);
}

void
classify_rules_free(ClassifyRules *rules)
{
	if (rules == NULL)
		return;
	g_free(rules->path);
	g_free(rules->edition);
	g_ptr_array_unref(rules->types);
	g_hash_table_unref(rules->by_id);
	pcre2_match_context_free(rules->mctx);
	g_free(rules);
}

static ClassifyRules *
rules_new(const char *path)
{
	ClassifyRules *r = g_new0(ClassifyRules, 1);

	r->path = g_strdup(path);
	/* Defaults a policy officer may override in [rules]. */
	r->min_score = 4;
	r->half_score = 3;
	r->photo_max_chars = 30;
	r->photo_confidence = 0.6;
	r->photo_word_confidence = 0.5;
	r->title_lines = 4;
	r->title_chars = 120;
	r->types = core_ptr_array_new(type_rules_free);
	r->by_id = g_hash_table_new(g_str_hash, g_str_equal);
	r->ovector_pairs = 1;
	r->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(r->mctx, CLASSIFY_MATCH_LIMIT);
	return r;
}

/* ---- small parsers ---------------------------------------------------- */

/* The value as written: g_key_file_get_string would unescape "\d" into
 * "d". GKeyFile keeps trailing spaces, which nobody means in a pattern
 * (write \s or [ ] for a space at the end). Never NULL. */
static char *
raw_value(GKeyFile *kf, const char *group, const char *key)
{
	char *v = g_key_file_get_value(kf, group, key, NULL);

	return g_strchomp(v != NULL ? v : g_strdup(""));
}

static gboolean
parse_double(const char *s, double *out)
{
	char *end = NULL;

	while (g_ascii_isspace(*s))
		s++;
	if (*s == '\0')
		return FALSE;
	*out = g_ascii_strtod(s, &end);
	while (g_ascii_isspace(*end))
		end++;
	return *end == '\0';
}

static gboolean
parse_int(const char *s, int lo, int hi, int *out)
{
	gint64 v;

	if (!g_ascii_string_to_signed(s, 10, lo, hi, &v, NULL))
		return FALSE;
	*out = (int)v;
	return TRUE;
}

/* Split "HEAD : REGEX" at the first ':'. HEAD comes back stripped and
 * owned; *REGEX points into VALUE past the spaces after the colon. */
static char *
split_head(const char *value, const char **regex)
{
	const char *colon = strchr(value, ':');

	if (colon == NULL)
		return NULL;
	*regex = colon + 1;
	while (**regex == ' ' || **regex == '\t')
		(*regex)++;
	return g_strstrip(g_strndup(value, (gsize)(colon - value)));
}

/* ---- [patterns]: named snippets, written {{name}} in patterns ---------- */

static char *
expand_snippets(GHashTable *snippets, const char *pattern, const Where *w,
		int depth, GError **error)
{
	GString *out = g_string_new(NULL);
	const char *p = pattern;

	while (*p != '\0') {
		const char *open = strstr(p, "{{");
		const char *close;
		char *name, *body, *expanded;

		if (open == NULL || (close = strstr(open + 2, "}}")) == NULL) {
			g_string_append(out, p);
			break;
		}
		g_string_append_len(out, p, open - p);
		name =
		    g_strstrip(g_strndup(open + 2, (gsize)(close - open - 2)));
		body = g_hash_table_lookup(snippets, name);
		if (body == NULL || depth >= MAX_SNIPPET_DEPTH) {
			rules_error(error, w,
				    body == NULL
					? "unknown pattern {{%s}} (define it "
					  "in [patterns])"
					: "pattern {{%s}} nests too deep",
				    name);
			g_free(name);
			g_string_free(out, TRUE);
			return NULL;
		}
		g_free(name);
		expanded = expand_snippets(snippets, body, w, depth + 1, error);
		if (expanded == NULL) {
			g_string_free(out, TRUE);
			return NULL;
		}
		/* A group keeps an alternation inside the snippet from
		 * swallowing what surrounds it. */
		g_string_append_printf(out, "(?:%s)", expanded);
		g_free(expanded);
		p = close + 2;
	}
	return g_string_free(out, FALSE);
}

static pcre2_code *
compile_pattern(ClassifyRules *r, GHashTable *snippets, const char *pattern,
		const Where *w, GError **error)
{
	char *full = NULL;
	pcre2_code *re = NULL;
	PCRE2_SIZE offset = 0;
	uint32_t groups = 0;
	int code = 0;

	if (*pattern == '\0') {
		rules_error(error, w, "empty pattern");
		goto cleanup;
	}
	full = expand_snippets(snippets, pattern, w, 0, error);
	if (full == NULL)
		goto cleanup;
	re = pcre2_compile((PCRE2_SPTR)full, PCRE2_ZERO_TERMINATED,
			   PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS |
			       PCRE2_MULTILINE,
			   &code, &offset, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof(msg));
		rules_error(error, w, "bad pattern at byte %zu of '%s': %s",
			    (size_t)offset, full, (const char *)msg);
		goto cleanup;
	}
	/* Matching is most of classification's time; where the JIT is not
	 * available the interpreter reads the same patterns. */
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups);
	if (groups + 1 > r->ovector_pairs)
		r->ovector_pairs = groups + 1;
cleanup:
	g_free(full);
	return re;
}

static GHashTable *
load_snippets(GKeyFile *kf, const char *path, GError **error)
{
	GHashTable *snippets =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	char **keys = NULL;
	gsize i, n = 0;

	if (!g_key_file_has_group(kf, GROUP_PATTERNS))
		return snippets;
	keys = g_key_file_get_keys(kf, GROUP_PATTERNS, &n, NULL);
	for (i = 0; i < n; i++) {
		char *raw = raw_value(kf, GROUP_PATTERNS, keys[i]);

		if (*raw == '\0') {
			Where w = {path, GROUP_PATTERNS, keys[i]};

			rules_error(error, &w, "empty pattern");
			g_free(raw);
			g_hash_table_unref(snippets);
			snippets = NULL;
			break;
		}
		g_hash_table_replace(snippets, g_strdup(keys[i]), raw);
	}
	g_strfreev(keys);
	return snippets;
}

/* ---- [rules]: settings ----------------------------------------------- */

static gboolean
load_setting(ClassifyRules *r, const char *key, const char *value,
	     const Where *w, GError **error)
{
	gboolean ok = TRUE;

	if (strcmp(key, "edition") == 0) {
		g_free(r->edition);
		r->edition = g_strstrip(g_strdup(value));
		ok = *r->edition != '\0';
	} else if (strcmp(key, "min_score") == 0) {
		ok = parse_double(value, &r->min_score) && r->min_score > 0;
	} else if (strcmp(key, "half_score") == 0) {
		ok = parse_double(value, &r->half_score) && r->half_score > 0;
	} else if (strcmp(key, "photo_confidence") == 0) {
		ok = parse_double(value, &r->photo_confidence) &&
		     r->photo_confidence >= 0 && r->photo_confidence <= 1;
	} else if (strcmp(key, "photo_word_confidence") == 0) {
		ok = parse_double(value, &r->photo_word_confidence) &&
		     r->photo_word_confidence >= 0 &&
		     r->photo_word_confidence <= 1;
	} else if (strcmp(key, "photo_max_chars") == 0) {
		ok = parse_int(value, 0, 100000, &r->photo_max_chars);
	} else if (strcmp(key, "title_lines") == 0) {
		ok = parse_int(value, 1, 1000, &r->title_lines);
	} else if (strcmp(key, "title_chars") == 0) {
		ok = parse_int(value, 1, 100000, &r->title_chars);
	} else {
		rules_error(error, w, "unknown setting");
		return FALSE;
	}
	if (!ok)
		rules_error(error, w, "bad value '%s'", value);
	return ok;
}

static gboolean
load_settings(ClassifyRules *r, GKeyFile *kf, GError **error)
{
	char **keys = NULL;
	gsize i, n = 0;
	gboolean ok = TRUE;

	keys = g_key_file_get_keys(kf, GROUP_SETTINGS, &n, NULL);
	for (i = 0; ok && i < n; i++) {
		Where w = {r->path, GROUP_SETTINGS, keys[i]};
		char *value = raw_value(kf, GROUP_SETTINGS, keys[i]);

		ok = load_setting(r, keys[i], value, &w, error);
		g_free(value);
	}
	g_strfreev(keys);
	if (ok && r->edition == NULL) {
		Where w = {r->path, GROUP_SETTINGS, NULL};

		rules_error(error, &w, "'edition' is missing");
		ok = FALSE;
	}
	return ok;
}

/* ---- [type ID]: label and cues ---------------------------------------- */

static gboolean
cue_kind_of(const char *key, CueKind *kind)
{
	static const struct {
		const char *prefix;
		CueKind kind;
	} kinds[] = {{"title.", CUE_TITLE},
		     {"cue.", CUE_ANY},
		     {"neg.", CUE_NEG},
		     {"each.", CUE_EACH},
		     {"untitled.", CUE_UNTITLED}};
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(kinds); i++) {
		if (g_str_has_prefix(key, kinds[i].prefix) &&
		    key[strlen(kinds[i].prefix)] != '\0') {
			*kind = kinds[i].kind;
			return TRUE;
		}
	}
	return FALSE;
}

/* Split HEAD into at most MAX words; returns the count, or MAX + 1 when
 * there are more. WORDS point into the vector *TOK, which the caller frees. */
static int
head_words(const char *head, char ***tok, char **words, int max)
{
	char **t;
	int n = 0;

	*tok = g_strsplit_set(head, " \t", -1);
	for (t = *tok; *t != NULL; t++) {
		if (**t == '\0')
			continue;
		if (n == max)
			return max + 1;
		words[n++] = *t;
	}
	return n;
}

/* HEAD is "WEIGHT" or, for each.*, "WEIGHT max N". */
static gboolean
parse_cue_head(Cue *c, const char *head, const Where *w, GError **error)
{
	char **tok = NULL;
	char *words[3];
	int n = head_words(head, &tok, words, 3);
	gboolean ok = FALSE;

	if (n != 1 && n != 3) {
		rules_error(error, w, "expected 'WEIGHT : pattern'%s",
			    c->kind == CUE_EACH ? " or 'WEIGHT max N : pattern'"
						: "");
		goto cleanup;
	}
	if (!parse_double(words[0], &c->weight)) {
		rules_error(error, w, "bad weight '%s'", words[0]);
		goto cleanup;
	}
	if (n == 3 && (c->kind != CUE_EACH || strcmp(words[1], "max") != 0 ||
		       !parse_int(words[2], 1, 1000, &c->max_hits))) {
		rules_error(error, w, "only each.* cues take 'max N' (N ≥ 1)");
		goto cleanup;
	}
	if ((c->kind == CUE_NEG) != (c->weight < 0) || c->weight == 0) {
		rules_error(
		    error, w,
		    c->kind == CUE_NEG
			? "a neg.* weight must be below 0"
			: "weight must be above 0 (use neg.* to subtract)");
		goto cleanup;
	}
	ok = TRUE;
cleanup:
	g_strfreev(tok);
	return ok;
}

static Cue *
load_cue(ClassifyRules *r, GHashTable *snippets, CueKind kind,
	 const char *value, const Where *w, GError **error)
{
	Cue *c = g_new0(Cue, 1);
	const char *regex = NULL;
	char *head = split_head(value, &regex);

	c->key = g_strdup(w->key);
	c->kind = kind;
	c->max_hits = kind == CUE_EACH ? 3 : 1;
	if (head == NULL) {
		rules_error(error, w, "expected 'WEIGHT : pattern'");
		goto fail;
	}
	if (!parse_cue_head(c, head, w, error))
		goto fail;
	c->re = compile_pattern(r, snippets, regex, w, error);
	if (c->re == NULL)
		goto fail;
	g_free(head);
	return c;
fail:
	g_free(head);
	cue_free(c);
	return NULL;
}

static gboolean
parse_flag(const char *value, gboolean *flag, const Where *w, GError **error)
{
	if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0) {
		rules_error(error, w, "expected true or false");
		return FALSE;
	}
	*flag = strcmp(value, "true") == 0;
	return TRUE;
}

static gboolean valid_id(const char *id);

/* "number, total, date": field names, each once, into *LIST (verify,
 * names). Whether the type has such fields is checked once its [fields]
 * group is read. */
static gboolean
parse_field_list(char ***list, const char *value, const Where *w,
		 GError **error)
{
	char **names = g_strsplit(value, ",", -1);
	gboolean ok = names[0] != NULL;

	for (guint i = 0; ok && names[i] != NULL; i++) {
		g_strstrip(names[i]);
		ok = valid_id(names[i]);
		for (guint j = 0; ok && j < i; j++)
			ok = strcmp(names[i], names[j]) != 0;
	}
	if (!ok) {
		rules_error(error, w,
			    "expected field names separated by commas, "
			    "each once");
		g_strfreev(names);
		return FALSE;
	}
	g_strfreev(*list);
	*list = names;
	return TRUE;
}

static gboolean
load_type_key(ClassifyRules *r, TypeRules *t, GHashTable *snippets,
	      const char *value, const Where *w, GError **error)
{
	CueKind kind;
	Cue *c;

	if (strcmp(w->key, "label") == 0) {
		g_free(t->label);
		t->label = g_strstrip(g_strdup(value));
		return TRUE;
	}
	if (strcmp(w->key, "one_per_page") == 0)
		return parse_flag(value, &t->one_per_page, w, error);
	if (strcmp(w->key, "sealed") == 0)
		return parse_flag(value, &t->sealed, w, error);
	if (strcmp(w->key, "codes") == 0)
		return parse_flag(value, &t->codes, w, error);
	if (strcmp(w->key, "seal_names") == 0)
		return parse_flag(value, &t->seal_names, w, error);
	if (strcmp(w->key, "rows") == 0)
		return parse_flag(value, &t->rows, w, error);
	if (strcmp(w->key, "verify") == 0)
		return parse_field_list(&t->verify, value, w, error);
	if (strcmp(w->key, "names") == 0)
		return parse_field_list(&t->names, value, w, error);
	if (strcmp(w->key, "untitled_min") == 0) {
		if (!parse_double(value, &t->untitled_min) ||
		    t->untitled_min <= 0) {
			rules_error(error, w, "expected a score above 0");
			return FALSE;
		}
		return TRUE;
	}
	if (!cue_kind_of(w->key, &kind)) {
		rules_error(error, w,
			    "unknown key (expected label, one_per_page, "
			    "sealed, seal_names, rows, codes, verify, names, "
			    "untitled_min, "
			    "title.*, cue.*, neg.*, each.* or untitled.*)");
		return FALSE;
	}
	c = load_cue(r, snippets, kind, value, w, error);
	if (c == NULL)
		return FALSE;
	g_ptr_array_add(t->cues, c);
	return TRUE;
}

static gboolean
valid_id(const char *id)
{
	const char *p = id;

	for (; *p != '\0'; p++)
		if (!g_ascii_islower(*p) && !g_ascii_isdigit(*p) && *p != '_')
			return FALSE;
	return p != id;
}

static gboolean
load_type(ClassifyRules *r, GKeyFile *kf, GHashTable *snippets,
	  const char *group, GError **error)
{
	TypeRules *t = g_new0(TypeRules, 1);
	char **keys = NULL;
	gsize i, n = 0;
	gboolean ok = TRUE;
	Where w = {r->path, group, NULL};

	t->id = g_strdup(group + strlen(PREFIX_TYPE));
	t->cues = core_ptr_array_new(cue_free);
	t->fields = core_ptr_array_new(field_rule_free);
	if (!valid_id(t->id) || g_hash_table_contains(r->by_id, t->id)) {
		rules_error(
		    error, &w,
		    valid_id(t->id)
			? "type defined twice"
			: "a type id is lower-case letters, digits and _");
		type_rules_free(t);
		return FALSE;
	}
	g_ptr_array_add(r->types, t);
	g_hash_table_insert(r->by_id, t->id, t);
	keys = g_key_file_get_keys(kf, group, &n, NULL);
	for (i = 0; ok && i < n; i++) {
		char *value = raw_value(kf, group, keys[i]);

		w.key = keys[i];
		ok = load_type_key(r, t, snippets, value, &w, error);
		g_free(value);
	}
	g_strfreev(keys);
	if (ok && (t->label == NULL || *t->label == '\0')) {
		w.key = NULL;
		rules_error(error, &w, "'label' is missing");
		ok = FALSE;
	}
	return ok;
}

/* ---- [fields ID]: field patterns ------------------------------------- */

static gboolean
value_kind_of(const char *word, ValueKind *kind)
{
	static const struct {
		const char *name;
		ValueKind kind;
	} kinds[] = {
	    {"text", VALUE_TEXT},      {"digits", VALUE_DIGITS},
	    {"code", VALUE_CODE},      {"credit_code", VALUE_CREDIT_CODE},
	    {"date", VALUE_DATE},      {"amount", VALUE_AMOUNT},
	    {"capital", VALUE_CAPITAL}};
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(kinds); i++) {
		if (strcmp(word, kinds[i].name) == 0) {
			*kind = kinds[i].kind;
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean
parse_lengths(FieldRule *f, const char *list)
{
	char **parts = g_strsplit(list, ",", -1);
	gboolean ok = parts[0] != NULL;
	int i;

	for (i = 0; ok && parts[i] != NULL; i++)
		ok = i < CLASSIFY_MAX_LENGTHS &&
		     parse_int(parts[i], 1, CLASSIFY_MAX_VALUE_CHARS,
			       &f->lengths[f->n_lengths++]);
	g_strfreev(parts);
	return ok;
}

/* One option word after the kind: nth=N, last, checks=F, version=F, len=…
 * Each is allowed only with the kinds where it means something. */
static gboolean
parse_field_option(FieldRule *f, const char *opt, const Where *w,
		   GError **error)
{
	gboolean ok;

	if (strcmp(opt, "last") == 0) {
		f->nth = 0;
		return TRUE;
	}
	if (g_str_has_prefix(opt, "nth=")) {
		ok = parse_int(opt + 4, 1, 1000, &f->nth);
	} else if (g_str_has_prefix(opt, "checks=")) {
		ok = f->kind == VALUE_CAPITAL && f->checks == NULL &&
		     valid_id(opt + 7);
		if (ok)
			f->checks = g_strdup(opt + 7);
	} else if (g_str_has_prefix(opt, "version=")) {
		ok = f->kind == VALUE_TEXT && f->version_to == NULL &&
		     valid_id(opt + 8);
		if (ok)
			f->version_to = g_strdup(opt + 8);
	} else if (g_str_has_prefix(opt, "len=")) {
		ok = (f->kind == VALUE_DIGITS || f->kind == VALUE_CODE) &&
		     f->n_lengths == 0 && parse_lengths(f, opt + 4);
	} else {
		ok = FALSE;
	}
	if (!ok)
		rules_error(error, w,
			    "bad or misplaced option '%s' (see "
			    "docs/rules-types.md)",
			    opt);
	return ok;
}

static gboolean
parse_field_head(FieldRule *f, const char *head, const Where *w, GError **error)
{
	char **tok = g_strsplit_set(head, " \t", -1);
	gboolean ok = TRUE, have_kind = FALSE;
	int i;

	for (i = 0; ok && tok[i] != NULL; i++) {
		if (*tok[i] == '\0')
			continue;
		if (!have_kind) {
			have_kind = value_kind_of(tok[i], &f->kind);
			if (!have_kind)
				rules_error(error, w,
					    "unknown value kind '%s' "
					    "(text, digits, code, credit_code, "
					    "date, amount or capital)",
					    tok[i]);
			ok = have_kind;
			continue;
		}
		ok = parse_field_option(f, tok[i], w, error);
	}
	if (ok && !have_kind) {
		rules_error(error, w, "expected 'KIND [options] : pattern'");
		ok = FALSE;
	}
	g_strfreev(tok);
	return ok;
}

static FieldRule *
load_field(ClassifyRules *r, GHashTable *snippets, const char *value,
	   const Where *w, GError **error)
{
	FieldRule *f = g_new0(FieldRule, 1);
	const char *regex = NULL, *dot = strchr(w->key, '.');
	char *head = split_head(value, &regex);
	int group;

	f->key = g_strdup(w->key);
	f->name = dot != NULL ? g_strndup(w->key, (gsize)(dot - w->key))
			      : g_strdup(w->key);
	f->nth = 1;
	if (!valid_id(f->name)) {
		rules_error(error, w,
			    "a field name is lower-case letters, "
			    "digits and _ (alternatives: name.2, name.3 …)");
		goto fail;
	}
	if (head == NULL) {
		rules_error(error, w, "expected 'KIND [options] : pattern'");
		goto fail;
	}
	if (!parse_field_head(f, head, w, error))
		goto fail;
	f->re = compile_pattern(r, snippets, regex, w, error);
	if (f->re == NULL)
		goto fail;
	group = pcre2_substring_number_from_name(f->re, (PCRE2_SPTR) "v");
	f->group = group > 0 ? group : 0;
	g_free(head);
	return f;
fail:
	g_free(head);
	field_rule_free(f);
	return NULL;
}

static gboolean
load_fields(ClassifyRules *r, GKeyFile *kf, GHashTable *snippets,
	    const char *group, GError **error)
{
	const char *id = group + strlen(PREFIX_FIELDS);
	TypeRules *t = g_hash_table_lookup(r->by_id, id);
	char **keys = NULL;
	gsize i, n = 0;
	gboolean ok = TRUE;
	Where w = {r->path, group, NULL};

	if (t == NULL) {
		rules_error(error, &w, "no [type %s] group for these fields",
			    id);
		return FALSE;
	}
	keys = g_key_file_get_keys(kf, group, &n, NULL);
	for (i = 0; ok && i < n; i++) {
		char *value = raw_value(kf, group, keys[i]);
		FieldRule *f;

		w.key = keys[i];
		f = load_field(r, snippets, value, &w, error);
		g_free(value);
		ok = f != NULL;
		if (ok)
			g_ptr_array_add(t->fields, f);
	}
	g_strfreev(keys);
	return ok;
}

/* The first rule of field NAME of T, or NULL. */
static const FieldRule *
field_of(const TypeRules *t, const char *name)
{
	for (guint i = 0; i < t->fields->len; i++) {
		const FieldRule *f = g_ptr_array_index(t->fields, i);

		if (strcmp(f->name, name) == 0)
			return f;
	}
	return NULL;
}

/* A verify or names list naming a field the type never reads would do
 * nothing, silently. */
static gboolean
check_field_list(const ClassifyRules *r, const TypeRules *t, char *const *list,
		 const char *key, GError **error)
{
	char *group = g_strconcat(PREFIX_TYPE, t->id, NULL);
	Where w = {r->path, group, key};
	gboolean ok = TRUE;

	for (char *const *n = list; ok && n != NULL && *n != NULL; n++)
		ok = field_of(t, *n) != NULL;
	if (!ok)
		rules_error(error, &w,
			    "names a field [fields %s] does not define", t->id);
	g_free(group);
	return ok;
}

static gboolean
check_field_lists(const ClassifyRules *r, GError **error)
{
	for (guint i = 0; i < r->types->len; i++) {
		const TypeRules *t = g_ptr_array_index(r->types, i);

		if (!check_field_list(r, t, t->verify, "verify", error) ||
		    !check_field_list(r, t, t->names, "names", error))
			return FALSE;
	}
	return TRUE;
}

/* ---- the file --------------------------------------------------------- */

/* Types first, then fields: a [fields X] group may come before [type X]. */
static gboolean
load_groups(ClassifyRules *r, GKeyFile *kf, GHashTable *snippets,
	    GError **error)
{
	char **groups = g_key_file_get_groups(kf, NULL);
	gboolean ok = TRUE;
	int i;

	for (i = 0; ok && groups[i] != NULL; i++) {
		const char *g = groups[i];
		Where w = {r->path, g, NULL};

		if (g_str_has_prefix(g, PREFIX_TYPE))
			ok = load_type(r, kf, snippets, g, error);
		else if (!g_str_has_prefix(g, PREFIX_FIELDS) &&
			 strcmp(g, GROUP_SETTINGS) != 0 &&
			 strcmp(g, GROUP_PATTERNS) != 0) {
			rules_error(error, &w,
				    "unknown group (expected [rules], "
				    "[patterns], [type ID] or [fields ID])");
			ok = FALSE;
		}
	}
	for (i = 0; ok && groups[i] != NULL; i++)
		if (g_str_has_prefix(groups[i], PREFIX_FIELDS))
			ok = load_fields(r, kf, snippets, groups[i], error);
	g_strfreev(groups);
	if (ok)
		ok = check_field_lists(r, error);
	return ok;
}

ClassifyRules *
classify_rules_load(const char *path, GError **error)
{
	GKeyFile *kf = g_key_file_new();
	GHashTable *snippets = NULL;
	ClassifyRules *r = NULL, *ret = NULL;

	if (!core_rules_file_load(kf, path, error))
		goto cleanup;
	r = rules_new(path);
	if (!load_settings(r, kf, error))
		goto cleanup;
	snippets = load_snippets(kf, path, error);
	if (snippets == NULL || !load_groups(r, kf, snippets, error))
		goto cleanup;
	ret = r;
	r = NULL;
cleanup:
	if (snippets != NULL)
		g_hash_table_unref(snippets);
	classify_rules_free(r);
	g_key_file_free(kf);
	return ret;
}

/* ---- lookups ---------------------------------------------------------- */

const char *
classify_rules_edition(const ClassifyRules *rules)
{
	return rules->edition;
}

gboolean
classify_type_is_sealed(const ClassifyRules *rules, const char *type)
{
	const TypeRules *t =
	    type != NULL ? g_hash_table_lookup(rules->by_id, type) : NULL;

	return t != NULL && t->sealed;
}

gboolean
classify_type_names_seals(const ClassifyRules *rules, const char *type)
{
	const TypeRules *t =
	    type != NULL ? g_hash_table_lookup(rules->by_id, type) : NULL;

	return t != NULL && t->seal_names;
}

gboolean
classify_type_has_codes(const ClassifyRules *rules, const char *type)
{
	const TypeRules *t =
	    type != NULL ? g_hash_table_lookup(rules->by_id, type) : NULL;

	return t != NULL && t->codes;
}

gboolean
classify_rules_knows_type(const ClassifyRules *rules, const char *type)
{
	const TypeRules *t;

	if (type == NULL)
		return FALSE;
	t = g_hash_table_lookup(rules->by_id, type);
	if (t == NULL)
		return FALSE;
	/* photo and other are assigned by the classifier itself, not cues. */
	return t->cues->len > 0 || strcmp(type, CLASSIFY_TYPE_PHOTO) == 0 ||
	       strcmp(type, CLASSIFY_TYPE_OTHER) == 0;
}

const char *const *
classify_type_verify_fields(const ClassifyRules *rules, const char *type)
{
	const TypeRules *t =
	    type != NULL ? g_hash_table_lookup(rules->by_id, type) : NULL;

	return t != NULL ? (const char *const *)t->verify : NULL;
}

const char *
classify_field_kind(const ClassifyRules *rules, const char *type,
		    const char *field)
{
	static const char *const names[] = {
	    [VALUE_TEXT] = "text",	[VALUE_DIGITS] = "digits",
	    [VALUE_CODE] = "code",	[VALUE_CREDIT_CODE] = "credit_code",
	    [VALUE_DATE] = "date",	[VALUE_AMOUNT] = "amount",
	    [VALUE_CAPITAL] = "capital"};
	const TypeRules *t =
	    type != NULL ? g_hash_table_lookup(rules->by_id, type) : NULL;
	const FieldRule *f = t != NULL ? field_of(t, field) : NULL;

	return f != NULL ? names[f->kind] : NULL;
}

const char *
classify_type_label(const ClassifyRules *rules, const char *type)
{
	const TypeRules *t =
	    type != NULL ? g_hash_table_lookup(rules->by_id, type) : NULL;

	return t != NULL ? t->label : type;
}
