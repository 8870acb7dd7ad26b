/* tokens.c - who may use the API: a file of "TOKEN [SCOPE]" lines. A
 * token reads the jobs of its own scope only; scope "*" reads all. */
#include <string.h>

#include "core/core.h"
#include "serve/serve_int.h"

/* Short tokens are guessable. */
#define TOKEN_MIN_BYTES 16

typedef struct {
	char *token;
	char *scope;
} Token;

struct ServeTokens {
	GArray *list; /* Token */
};

static void
token_clear(gpointer p)
{
	Token *t = p;

	g_free(t->token);
	g_free(t->scope);
}

void
serve_tokens_free(ServeTokens *tokens)
{
	if (tokens == NULL)
		return;
	g_array_unref(tokens->list);
	g_free(tokens);
}

static gboolean
add_line(ServeTokens *tokens, const char *path, int n, char *line,
	 GError **error)
{
	char **words;
	Token t;
	guint count;

	g_strstrip(line);
	if (line[0] == '\0' || line[0] == '#')
		return TRUE;
	words = g_strsplit_set(line, " \t", -1);
	count = 0;
	for (char **w = words; *w != NULL; w++)
		if (**w != '\0')
			words[count++] = *w;
		else
			g_free(*w);
	words[count] = NULL;
	if (count > 2 || strlen(words[0]) < TOKEN_MIN_BYTES) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "%s line %d: expected 'TOKEN [SCOPE]' with a token "
			    "of at least %d characters",
			    path, n, TOKEN_MIN_BYTES);
		g_strfreev(words);
		return FALSE;
	}
	t.token = g_strdup(words[0]);
	/* Without a scope a token is a scope of its own. */
	t.scope = g_strdup(count == 2 ? words[1] : words[0]);
	g_array_append_val(tokens->list, t);
	g_strfreev(words);
	return TRUE;
}

ServeTokens *
serve_tokens_load(const char *path, GError **error)
{
	ServeTokens *tokens = g_new0(ServeTokens, 1);
	char *text = NULL;
	char **lines = NULL;
	gboolean ok = g_file_get_contents(path, &text, NULL, error);

	tokens->list = g_array_new(FALSE, FALSE, sizeof(Token));
	g_array_set_clear_func(tokens->list, token_clear);
	if (ok) {
		lines = g_strsplit(text, "\n", -1);
		for (int i = 0; ok && lines[i] != NULL; i++)
			ok = add_line(tokens, path, i + 1, lines[i], error);
	}
	if (ok && tokens->list->len == 0) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_USAGE,
			    "%s has no token", path);
		ok = FALSE;
	}
	g_strfreev(lines);
	g_free(text);
	if (!ok)
		g_clear_pointer(&tokens, serve_tokens_free);
	return tokens;
}

/* Equal bytes, in a time that does not tell how many matched. */
static gboolean
same_secret(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	guint8 diff = la != lb;

	for (size_t i = 0; i < la; i++)
		diff |= (guint8)a[i] ^ (guint8)(lb > 0 ? b[i % lb] : 0);
	return diff == 0;
}

const char *
serve_tokens_scope(const ServeTokens *tokens, const char *token)
{
	const char *scope = NULL;

	/* Every token is compared, so the time does not tell which one
	 * came close. */
	for (guint i = 0; i < tokens->list->len; i++) {
		const Token *t = &g_array_index(tokens->list, Token, i);

		if (same_secret(t->token, token) && scope == NULL)
			scope = t->scope;
	}
	return scope;
}
