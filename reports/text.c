/* text.c - the terminal summary: what a reviewer reads first. The verdict,
 * then every checklist item and every applicable rule with a mark, then
 * each finding with the pages
 * that show it, so the next step is always a file#page to open. */
#include <string.h>

#include "reports/reports.h"

typedef struct {
	gboolean color;
	GString *out;
	const char *lang; /* of the findings' messages */
} Out;

static const char *
paint(const Out *o, const char *code)
{
	return o->color ? code : "";
}

#define RED    "\033[31m"
#define GREEN  "\033[32m"
#define YELLOW "\033[33m"
#define DIM    "\033[2m"
#define BOLD   "\033[1m"
#define RESET  "\033[0m"

static void
header(Out *o, const ScanResult *r)
{
	const ChecklistResult *cl = r->checklist;
	gboolean pass = g_str_equal(scan_result_verdict(r), "pass");

	g_string_append_printf(
	    o->out, "%s申报 %s%s  方向 %s %s  政策 %s\n", paint(o, BOLD),
	    r->claim_id, paint(o, RESET),
	    cl->direction != NULL ? cl->direction : "?",
	    cl->direction_name != NULL ? cl->direction_name : "", r->policy);
	g_string_append_printf(
	    o->out, "结论: %s%s%s\n\n", paint(o, pass ? GREEN BOLD : RED BOLD),
	    pass ? "通过 (pass)" : "需复核 (flagged)", paint(o, RESET));
}

static const char *
mark(const Out *o, ChecklistStatus status, const char **color)
{
	switch (status) {
	case CHECKLIST_PRESENT:
		*color = paint(o, GREEN);
		return "✓";
	case CHECKLIST_MISSING:
		*color = paint(o, RED);
		return "✗";
	case CHECKLIST_NOT_REQUIRED:
		*color = paint(o, DIM);
		return "–";
	case CHECKLIST_NOT_CHECKED:
		break;
	}
	*color = paint(o, YELLOW);
	return "?";
}

static void
item_line(Out *o, const ChecklistItem *it)
{
	const char *color;
	const char *m = mark(o, it->status, &color);

	g_string_append_printf(o->out, "  %s%s %s %s%s", color, m, it->number,
			       it->label, paint(o, RESET));
	if (it->status == CHECKLIST_PRESENT && it->documents->len > 0) {
		g_string_append_printf(
		    o->out, "  %s← %s", paint(o, DIM),
		    (char *)g_ptr_array_index(it->documents, 0));
		if (it->documents->len > 1)
			g_string_append_printf(o->out, " 等%u份",
					       it->documents->len);
		g_string_append(o->out, paint(o, RESET));
	} else if (it->note != NULL) {
		g_string_append_printf(o->out, "  %s(%s)%s", paint(o, DIM),
				       it->note, paint(o, RESET));
	}
	g_string_append_c(o->out, '\n');
}

static void
checklist(Out *o, const ChecklistResult *cl)
{
	if (cl->items->len == 0)
		return;
	g_string_append(o->out, "佐证清单:\n");
	for (guint i = 0; i < cl->items->len; i++)
		item_line(o, g_ptr_array_index(cl->items, i));
	g_string_append_c(o->out, '\n');
}

/* Rules that do not apply are counted, not listed: a direction-2 claim
 * has no software to name. */
static void
checks(Out *o, const ChecksResult *cr)
{
	guint skipped = 0;

	if (cr == NULL || cr->outcomes->len == 0)
		return;
	g_string_append(o->out, "核查规则:\n");
	for (guint i = 0; i < cr->outcomes->len; i++) {
		const ChecksOutcome *c = g_ptr_array_index(cr->outcomes, i);
		const char *color = paint(o, YELLOW), *m = "?";

		if (c->status == CHECKS_NOT_APPLICABLE) {
			skipped++;
			continue;
		}
		if (c->status == CHECKS_PASSED) {
			color = paint(o, GREEN);
			m = "✓";
		} else if (c->status == CHECKS_FAILED) {
			color = paint(o, RED);
			m = "✗";
		}
		g_string_append_printf(o->out, "  %s%s %s%s", color, m,
				       c->label, paint(o, RESET));
		if (c->status != CHECKS_FAILED && c->note != NULL)
			g_string_append_printf(o->out, "  %s(%s)%s",
					       paint(o, DIM), c->note,
					       paint(o, RESET));
		g_string_append_c(o->out, '\n');
	}
	if (skipped > 0)
		g_string_append_printf(o->out,
				       "  %s另有 %u 项规则不适用于本方向%s\n",
				       paint(o, DIM), skipped, paint(o, RESET));
	g_string_append_c(o->out, '\n');
}

static void
findings(Out *o, GPtrArray *list)
{
	gboolean en = g_strcmp0(o->lang, "en") == 0;

	if (list->len == 0) {
		g_string_append(o->out,
				en ? "No findings.\n\n" : "未发现问题。\n\n");
		return;
	}
	g_string_append_printf(o->out, en ? "%u findings:\n" : "发现 %u 项:\n",
			       list->len);
	for (guint i = 0; i < list->len; i++) {
		const CoreFinding *f = g_ptr_array_index(list, i);
		gboolean err = f->severity == CORE_SEVERITY_ERROR;

		g_string_append_printf(
		    o->out, "  %s[%s] %s%s %s\n", paint(o, err ? RED : YELLOW),
		    err ? (en ? "error" : "错误") : (en ? "warning" : "提示"),
		    f->code, paint(o, RESET), core_finding_message(f, o->lang));
		for (guint j = 0; j < f->documents->len; j++)
			g_string_append_printf(
			    o->out, "      %s→ %s%s\n", paint(o, DIM),
			    (char *)g_ptr_array_index(f->documents, j),
			    paint(o, RESET));
	}
	g_string_append_c(o->out, '\n');
}

/* Terminal columns of S: CJK characters take two. */
static int
display_width(const char *s)
{
	int w = 0;

	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p))
		w += g_unichar_iswide(g_utf8_get_char(p)) ? 2 : 1;
	return w;
}

static void
append_padded(GString *out, const char *s, int width)
{
	g_string_append(out, s);
	for (int w = display_width(s); w < width; w++)
		g_string_append_c(out, ' ');
}

/* The first page of DOC among PAGES, or NULL. */
static const CorePage *
first_page(const CoreDocument *doc, GPtrArray *pages)
{
	int first = g_array_index(doc->pages, int, 0);

	for (guint i = 0; i < pages->len; i++) {
		const CorePage *p = g_ptr_array_index(pages, i);

		if (p->page == first && strcmp(p->file, doc->file) == 0)
			return p;
	}
	return NULL;
}

/* A page no type recognised says so, with what it came closest to, so the
 * reviewer can tell an unusual layout from a document that is not
 * evidence at all. */
static void
unrecognised(Out *o, const CoreDocument *d, GPtrArray *pages,
	     const ClassifyRules *rules)
{
	const CorePage *p = first_page(d, pages);

	g_string_append_printf(o->out, " %s（未能识别类型", paint(o, YELLOW));
	if (p != NULL && p->type_guess != NULL)
		g_string_append_printf(
		    o->out, "，最接近%s",
		    classify_type_label(rules, p->type_guess));
	g_string_append_printf(o->out, "）%s", paint(o, RESET));
}

/* Key fields whose text layer the page image contradicts: the figure a
 * settlement would rest on is not the one printed. */
static void
disagreements(Out *o, GPtrArray *entries)
{
	const char *sep = "";

	for (guint i = 0; entries != NULL && i < entries->len; i++) {
		const ScanVerified *v = g_ptr_array_index(entries, i);

		if (v->status != SCAN_VERIFY_DISAGREE)
			continue;
		if (*sep == '\0')
			g_string_append_printf(
			    o->out, " %s· 文本层与图像不符：", paint(o, RED));
		g_string_append_printf(o->out, "%s%s（图像为 %s）", sep,
				       v->field, v->seen);
		sep = "，";
	}
	if (*sep != '\0')
		g_string_append(o->out, paint(o, RESET));
}

/* What each document was taken for, so a wrong classification is seen
 * before the checklist built on it is trusted. */
static void
documents(Out *o, const ScanResult *r, const ClassifyRules *rules)
{
	GPtrArray *docs = r->documents, *pages = r->pages;

	g_string_append_printf(o->out, "识别出的材料 %u 份:\n", docs->len);
	for (guint i = 0; i < docs->len; i++) {
		const CoreDocument *d = g_ptr_array_index(docs, i);
		char *ref = core_document_ref(d);

		g_string_append(o->out, "  ");
		append_padded(o->out, ref, 36);
		g_string_append_printf(
		    o->out, " %s%s", classify_type_label(rules, d->type),
		    d->source == CORE_TEXT_OCR ? " (OCR)" : "");
		if (d->pages->len > 1)
			g_string_append_printf(o->out, " 共%u页",
					       d->pages->len);
		if (d->stamped > 0)
			g_string_append(o->out, " · 有印章");
		if (strcmp(d->type, "other") == 0) /* CONTRACT §2 */
			unrecognised(o, d, pages, rules);
		if (r->verified != NULL)
			disagreements(o, g_hash_table_lookup(r->verified, d));
		g_string_append_c(o->out, '\n');
		g_free(ref);
	}
	g_string_append_c(o->out, '\n');
}

static void
footer(Out *o, const ScanResult *r)
{
	const ScanStats *s = &r->stats;

	g_string_append_printf(
	    o->out,
	    "%s文件 %d · 页 %d（文本层 %d，OCR %d，缓存 %d）· "
	    "%.1f 秒%s\n",
	    paint(o, DIM), s->files, s->pages, s->pages_pdf_text, s->pages_ocr,
	    s->pages_cached, s->seconds, paint(o, RESET));
}

char *
reports_text(const ScanResult *result, const ScanContext *ctx, gboolean color,
	     const char *lang)
{
	Out o = {color, g_string_new(NULL), lang};

	header(&o, result);
	documents(&o, result, scan_context_rules(ctx));
	checklist(&o, result->checklist);
	checks(&o, result->checks);
	findings(&o, result->findings);
	footer(&o, result);
	return g_string_free(o.out, FALSE);
}
