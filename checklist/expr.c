/* expr.c - the requirement expressions of rules/<edition>/evidence.ini
 * ("invoice & payment_proof", "iim_cert | dcmm_cert", "2*photo"): parsed
 * once at load time into a small tree, then evaluated per claim with
 * three-valued logic so that "cannot recognise" never reads as "absent". */
#include <string.h>

#include "checklist/checklist_int.h"

typedef struct {
	const char *text;
	const char *at;
	int depth;
	GError **error;
} Parser;

static Expr *parse_any(Parser *p);

void
expr_free(Expr *expr)
{
	if (expr == NULL)
		return;
	g_free(expr->type);
	if (expr->kids != NULL)
		g_ptr_array_unref(expr->kids);
	g_free(expr);
}

/* Set the error once, where parsing fails; column counts characters so a
 * rules author can find the spot in an editor. */
static Expr *
fail(Parser *p, const char *what)
{
	glong col = g_utf8_pointer_to_offset(p->text, p->at) + 1;

	g_set_error(p->error, CORE_ERROR, CORE_ERROR_RULES,
		    "%s at column %ld of '%s'", what, col, p->text);
	return NULL;
}

static void
skip_space(Parser *p)
{
	while (g_ascii_isspace(*p->at))
		p->at++;
}

static gboolean
is_type_char(char c)
{
	return g_ascii_islower(c) || g_ascii_isdigit(c) || c == '_';
}

/* Optional "N*" before a type id. */
static gboolean
parse_count(Parser *p, int *count)
{
	const char *start = p->at;
	int n = 0;

	*count = 1;
	while (g_ascii_isdigit(*p->at)) {
		n = n * 10 + (*p->at - '0');
		p->at++;
		if (n > CHECKLIST_EXPR_MAX_COUNT) {
			fail(p, "count over 99");
			return FALSE;
		}
	}
	if (p->at == start)
		return TRUE;
	skip_space(p);
	if (*p->at != '*') {
		/* "2photo": a type id may not start with a digit. */
		p->at = start;
		fail(p, "expected '*' after a count");
		return FALSE;
	}
	p->at++;
	skip_space(p);
	if (n < 1) {
		p->at = start;
		fail(p, "count must be at least 1");
		return FALSE;
	}
	*count = n;
	return TRUE;
}

static Expr *
parse_type(Parser *p)
{
	const char *start;
	Expr *e;
	int count;

	if (!parse_count(p, &count))
		return NULL;
	start = p->at;
	if (!g_ascii_islower(*p->at))
		return fail(p, "expected a document type id");
	while (is_type_char(*p->at))
		p->at++;
	if (p->at - start > CHECKLIST_TYPE_MAX_LEN) {
		p->at = start;
		return fail(p, "document type id longer than 64 characters");
	}
	e = g_new0(Expr, 1);
	e->kind = EXPR_TYPE;
	e->type = g_strndup(start, (gsize)(p->at - start));
	e->count = count;
	return e;
}

static Expr *
parse_unary(Parser *p)
{
	Expr *e;

	skip_space(p);
	if (*p->at != '(')
		return parse_type(p);
	if (++p->depth > CHECKLIST_EXPR_MAX_DEPTH)
		return fail(p, "parentheses nested deeper than 16");
	p->at++;
	e = parse_any(p);
	if (e == NULL)
		return NULL;
	skip_space(p);
	if (*p->at != ')') {
		expr_free(e);
		return fail(p, "expected ')'");
	}
	p->at++;
	p->depth--;
	return e;
}

/* One level of "a OP b OP c"; a single operand is returned as is, so
 * "(a)" and "a" give the same tree. */
static Expr *
parse_chain(Parser *p, char op, ExprKind kind, Expr *(*operand)(Parser *))
{
	Expr *first = operand(p);
	Expr *node = NULL, *next;

	if (first == NULL)
		return NULL;
	for (;;) {
		skip_space(p);
		if (*p->at != op)
			break;
		p->at++;
		next = operand(p);
		if (next == NULL) {
			expr_free(node != NULL ? node : first);
			return NULL;
		}
		if (node == NULL) {
			node = g_new0(Expr, 1);
			node->kind = kind;
			node->kids = core_ptr_array_new(expr_free);
			g_ptr_array_add(node->kids, first);
		}
		g_ptr_array_add(node->kids, next);
	}
	return node != NULL ? node : first;
}

static Expr *
parse_all(Parser *p)
{
	return parse_chain(p, '&', EXPR_ALL, parse_unary);
}

static Expr *
parse_any(Parser *p)
{
	return parse_chain(p, '|', EXPR_ANY, parse_all);
}

Expr *
expr_parse(const char *text, GError **error)
{
	Parser p = {text, text, 0, error};
	Expr *e;

	g_return_val_if_fail(text != NULL, NULL);
	e = parse_any(&p);
	if (e == NULL)
		return NULL;
	skip_space(&p);
	if (*p.at != '\0') {
		expr_free(e);
		return fail(&p, *p.at == ')' ? "unmatched ')'"
					     : "expected '&', '|' or the end");
	}
	return e;
}

/* ---- evaluation ------------------------------------------------------ */

static void
outcome_init(ExprOutcome *out)
{
	out->value = TRI_TRUE;
	out->refs = core_ptr_array_new(g_free);
	out->absent = g_string_new(NULL);
	out->absent_en = g_string_new(NULL);
	out->unknown = core_ptr_array_new(g_free);
}

void
expr_outcome_clear(ExprOutcome *out)
{
	g_clear_pointer(&out->refs, g_ptr_array_unref);
	if (out->absent != NULL)
		g_string_free(out->absent, TRUE);
	out->absent = NULL;
	if (out->absent_en != NULL)
		g_string_free(out->absent_en, TRUE);
	out->absent_en = NULL;
	g_clear_pointer(&out->unknown, g_ptr_array_unref);
}

/* One document can serve two branches ("(cma_cert | cnas_cert) &
 * (cnas_cert | intl_accreditation_cert)"); list it once. */
static void
add_unique(GPtrArray *list, const char *s)
{
	for (guint i = 0; i < list->len; i++)
		if (strcmp(g_ptr_array_index(list, i), s) == 0)
			return;
	g_ptr_array_add(list, g_strdup(s));
}

static void
add_all_unique(GPtrArray *list, GPtrArray *from)
{
	for (guint i = 0; i < from->len; i++)
		add_unique(list, g_ptr_array_index(from, i));
}

/* Photos are counted by page: the classifier merges consecutive photo
 * pages of one PDF into one document, yet each page is its own photo. */
static void
eval_type(const Expr *e, GPtrArray *documents, const ChecklistTypes *types,
	  ExprOutcome *out)
{
	guint pages = 0;
	const char *label;

	for (guint i = 0; documents != NULL && i < documents->len; i++) {
		const CoreDocument *doc = g_ptr_array_index(documents, i);
		char *ref;

		if (doc->type == NULL || strcmp(doc->type, e->type) != 0)
			continue;
		pages += MAX(doc->pages->len, 1u);
		ref = core_document_ref(doc);
		add_unique(out->refs, ref);
		g_free(ref);
	}
	if (pages >= (guint)e->count)
		return;
	out->value =
	    types->knows(e->type, types->data) ? TRI_FALSE : TRI_UNKNOWN;
	g_ptr_array_set_size(out->refs, 0);
	label = types->label(e->type, types->data);
	/* A type without a Chinese label comes back as its id: say it once. */
	if (strcmp(label, e->type) == 0)
		g_string_append(out->absent, e->type);
	else
		g_string_append_printf(out->absent, "%s（%s）", label, e->type);
	g_string_append(out->absent_en, e->type);
	if (e->count > 1) {
		g_string_append_printf(out->absent, "至少%d页，仅见%u页",
				       e->count, pages);
		g_string_append_printf(out->absent_en,
				       " (at least %d pages, only %u seen)",
				       e->count, pages);
	}
	if (out->value == TRI_UNKNOWN)
		add_unique(out->unknown, e->type);
}

/* Kleene logic: ALL is the least of its parts, ANY the greatest, with
 * FALSE < UNKNOWN < TRUE. */
static void
eval_group(const Expr *e, GPtrArray *documents, const ChecklistTypes *types,
	   ExprOutcome *out)
{
	gboolean all = e->kind == EXPR_ALL;
	ExprOutcome *kids = g_new0(ExprOutcome, e->kids->len);

	out->value = all ? TRI_TRUE : TRI_FALSE;
	for (guint i = 0; i < e->kids->len; i++) {
		expr_eval(g_ptr_array_index(e->kids, i), documents, types,
			  &kids[i]);
		out->value = all ? MIN(out->value, kids[i].value)
				 : MAX(out->value, kids[i].value);
	}
	for (guint i = 0; i < e->kids->len; i++) {
		const Expr *kid = g_ptr_array_index(e->kids, i);
		ExprOutcome *k = &kids[i];

		if (out->value == TRI_TRUE && k->value == TRI_TRUE)
			add_all_unique(out->refs, k->refs);
		if (k->value != TRI_TRUE)
			add_all_unique(out->unknown, k->unknown);
		/* For ALL, name only the parts that decide the outcome (the
		 * known-absent ones when it failed); for ANY, every choice. */
		if (out->value != TRI_TRUE &&
		    (all ? k->value == out->value : TRUE)) {
			gboolean wrap = all && kid->kind == EXPR_ANY;

			if (out->absent->len > 0)
				g_string_append(out->absent, all ? "、" : "或");
			g_string_append_printf(out->absent, "%s%s%s",
					       wrap ? "「" : "", k->absent->str,
					       wrap ? "」" : "");
			if (out->absent_en->len > 0)
				g_string_append(out->absent_en,
						all ? ", " : " or ");
			g_string_append_printf(
			    out->absent_en, "%s%s%s", wrap ? "(" : "",
			    k->absent_en->str, wrap ? ")" : "");
		}
		expr_outcome_clear(k);
	}
	g_free(kids);
}

void
expr_eval(const Expr *expr, GPtrArray *documents, const ChecklistTypes *types,
	  ExprOutcome *out)
{
	outcome_init(out);
	if (expr->kind == EXPR_TYPE)
		eval_type(expr, documents, types, out);
	else
		eval_group(expr, documents, types, out);
}
