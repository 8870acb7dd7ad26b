/* money.c - amounts: the invoices add up to the contract (amount_match),
 * and the voucher stays within its cap (subsidy_cap, 办法 第十一条). All
 * in whole fen (checks_amount_parse), never floating point. */
#include <string.h>

#include "checks/checks_int.h"

/* An amount of SOURCE: TRUE with *FEN and *V set; FALSE when absent or not
 * an amount (*BAD then holds the value that is not one). */
static gboolean
source_amount(const ChecksSource *source, const ChecksInput *in, ChecksValue *v,
	      gint64 *fen, const char **bad)
{
	*bad = NULL;
	if (source == NULL || !checks_source_first(source, in, v))
		return FALSE;
	if (checks_amount_parse(v->value, fen))
		return TRUE;
	*bad = v->value;
	return FALSE;
}

/* Refs for a value: its document, or when it came from claim.json the
 * documents that state it (the contract for its amounts). */
static void
source_refs(ChecksRun *run, CoreFinding *f, const ChecksSource *source,
	    const ChecksInput *in, const CoreDocument *doc)
{
	GPtrArray *docs;

	if (doc != NULL) {
		checks_run_ref(run, f, doc);
		return;
	}
	docs = checks_source_documents(source, in);
	for (guint i = 0; i < docs->len; i++)
		checks_run_ref(run, f, g_ptr_array_index(docs, i));
	g_ptr_array_unref(docs);
}

/* The field part of SOURCE ("number" of "invoice.number"). Borrowed. */
static const char *
source_field(const ChecksSource *source)
{
	const char *dot =
	    source != NULL ? strchr(checks_source_text(source), '.') : NULL;

	return dot != NULL ? dot + 1 : NULL;
}

/* ---- amount_match ------------------------------------------------------ */

typedef struct {
	ChecksSource *expected;
	ChecksSource *sum, *distinct;
	ChecksSource *also, *also_distinct, *also_less;
	char *expected_label; /* 合同金额 */
	GHashTable *docs;     /* type -> Chinese */
} AmountMatch;

static void
amount_match_free(gpointer p)
{
	AmountMatch *am = p;

	checks_source_free(am->expected);
	checks_source_free(am->sum);
	checks_source_free(am->distinct);
	checks_source_free(am->also);
	checks_source_free(am->also_distinct);
	checks_source_free(am->also_less);
	g_free(am->expected_label);
	g_hash_table_unref(am->docs);
	g_free(am);
}

static gpointer
amount_match_parse(GKeyFile *kf, const char *group, const char *where,
		   GError **error)
{
	AmountMatch *am = g_new0(AmountMatch, 1);

	am->docs = checks_key_labels(kf, group, "doc");
	am->expected_label =
	    g_key_file_get_string(kf, group, "expected_label", NULL);
	if (am->expected_label == NULL)
		am->expected_label = g_strdup("合同金额");
	g_strstrip(am->expected_label);
	if (!checks_key_source(kf, group, "expected", where, TRUE,
			       &am->expected, error) ||
	    !checks_key_source(kf, group, "sum", where, TRUE, &am->sum,
			       error) ||
	    !checks_key_source(kf, group, "distinct", where, FALSE,
			       &am->distinct, error) ||
	    !checks_key_source(kf, group, "also", where, FALSE, &am->also,
			       error) ||
	    !checks_key_source(kf, group, "also_distinct", where, FALSE,
			       &am->also_distinct, error) ||
	    !checks_key_source(kf, group, "also_less", where, FALSE,
			       &am->also_less, error)) {
		amount_match_free(am);
		return NULL;
	}
	return am;
}

/* One paper counted once, however many copies were uploaded. */
typedef struct {
	const CoreDocument *doc;
	const char *number; /* NULL: none read */
	gint64 fen;
	guint copies;
} Counted;

typedef struct {
	GArray *counted;   /* Counted */
	gint64 total;	   /* fen */
	guint unnumbered;  /* counted without a number: copies not told */
	GPtrArray *unread; /* CoreDocument* of the type without an amount */
	GPtrArray *conflicting; /* two copies of one number, two amounts */
} Tally;

static void
tally_clear(Tally *t)
{
	g_array_unref(t->counted);
	g_ptr_array_unref(t->unread);
	g_ptr_array_unref(t->conflicting);
}

static void
tally_add(Tally *t, const ChecksValue *v, const char *number, gint64 fen)
{
	Counted c = {v->doc, number, fen, 1};

	for (guint i = 0; number != NULL && i < t->counted->len; i++) {
		Counted *o = &g_array_index(t->counted, Counted, i);

		if (o->number == NULL || strcmp(o->number, number) != 0)
			continue;
		o->copies++;
		if (o->fen != fen)
			g_ptr_array_add(t->conflicting, (gpointer)v->doc);
		return;
	}
	if (number == NULL)
		t->unnumbered++;
	g_array_append_val(t->counted, c);
	t->total += fen;
}

/* Every value of SUM, each paper once by its DISTINCT field. */
static void
tally(const ChecksSource *sum, const ChecksSource *distinct,
      const ChecksInput *in, Tally *t)
{
	GArray *all = checks_source_all(sum, in);
	const char *field = source_field(distinct);
	char *type = checks_source_type(sum);
	GPtrArray *docs =
	    type != NULL ? checks_documents_of(in, type) : g_ptr_array_new();

	t->counted = g_array_new(FALSE, TRUE, sizeof(Counted));
	t->total = 0;
	t->unnumbered = 0;
	t->unread = g_ptr_array_new();
	t->conflicting = g_ptr_array_new();
	for (guint i = 0; i < all->len; i++) {
		const ChecksValue *v = &g_array_index(all, ChecksValue, i);
		const char *number =
		    field != NULL && v->doc != NULL
			? core_document_get_field(v->doc, field)
			: NULL;
		gint64 fen;

		if (!checks_amount_parse(v->value, &fen)) {
			g_ptr_array_add(t->unread, (gpointer)v->doc);
			continue;
		}
		tally_add(t, v,
			  number != NULL && *number != '\0' ? number : NULL,
			  fen);
	}
	/* papers of the type whose amount was not read at all */
	for (guint i = 0; i < docs->len; i++) {
		gboolean seen = FALSE;

		for (guint k = 0; k < all->len && !seen; k++)
			seen = g_array_index(all, ChecksValue, k).doc ==
			       g_ptr_array_index(docs, i);
		if (!seen)
			g_ptr_array_add(t->unread, g_ptr_array_index(docs, i));
	}
	g_ptr_array_unref(docs);
	g_free(type);
	g_array_unref(all);
}

/* "No.2645…：30,000.00元（2份）；…" for messages; in English when EN. */
static char *
tally_list_in(const Tally *t, gboolean en)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < t->counted->len; i++) {
		const Counted *c = &g_array_index(t->counted, Counted, i);
		char *amount = en ? checks_amount_text_en(c->fen)
				  : checks_amount_text(c->fen);
		char *ref = core_document_ref(c->doc);

		if (i > 0)
			g_string_append(s, en ? "; " : "；");
		if (c->number != NULL)
			g_string_append_printf(s,
					       en ? "no. %s: %s" : "号码%s：%s",
					       c->number, amount);
		else
			g_string_append_printf(s,
					       en ? "%s (number not read): %s"
						  : "%s（未读出号码）：%s",
					       ref, amount);
		if (c->copies > 1)
			g_string_append_printf(s,
					       en ? " (%u copies uploaded, "
						    "counted once)"
						  : "（上传%u份，计一次）",
					       c->copies);
		g_free(ref);
		g_free(amount);
	}
	return g_string_free(s, FALSE);
}

static char *
tally_list(const Tally *t)
{
	return tally_list_in(t, FALSE);
}

static char *
tally_list_en(const Tally *t)
{
	return tally_list_in(t, TRUE);
}

/* The English for the expected amount's label. */
static const char *
expected_label_en(const AmountMatch *am)
{
	return strcmp(am->expected_label, "合同金额") == 0
		   ? "the contract amount"
		   : "the expected amount";
}

static void
tally_refs(ChecksRun *run, CoreFinding *f, const Tally *t)
{
	for (guint i = 0; i < t->counted->len; i++)
		checks_run_ref(run, f,
			       g_array_index(t->counted, Counted, i).doc);
}

/* The invoices against the contract. */
static void
amount_invoices(const AmountMatch *am, const ChecksInput *in, ChecksRun *run,
		const Tally *t, gint64 expected, const ChecksValue *ev)
{
	const char *what = checks_label(am->docs, "invoice");
	char *type = checks_source_type(am->sum);
	char *sum = checks_amount_text(t->total);
	char *want = checks_amount_text(expected);
	char *list = tally_list(t);
	char *diff = checks_amount_text(ABS(t->total - expected));
	CoreFinding *f;

	if (type != NULL)
		what = checks_label(am->docs, type);
	tally_refs(run, NULL, t);
	if (t->total == expected && t->conflicting->len == 0) {
		checks_run_pass(
		    run, "%s金额合计%s（%u张：%s）与%s%s一致%s", what, sum,
		    t->counted->len, list, am->expected_label, want,
		    t->unread->len > 0 ? "；另有未读出金额的副本，未计入" : "");
	} else if (t->total < expected && t->unread->len > 0) {
		checks_run_not_checked(
		    run,
		    "已读出%s金额合计%s（%s），少于%s%s；另有%u份%s未能读出"
		    "金额，请人工核对",
		    what, sum, list, am->expected_label, want, t->unread->len,
		    what);
	} else {
		char *sum_en = checks_amount_text_en(t->total);
		char *want_en = checks_amount_text_en(expected);
		char *diff_en = checks_amount_text_en(ABS(t->total - expected));
		char *list_en = tally_list_en(t);

		f = checks_run_fail(
		    run, "%s金额合计%s（%u张：%s）与%s%s不一致，%s%s%s", what,
		    sum, t->counted->len, list, am->expected_label, want,
		    t->total > expected ? "多出" : "相差", diff,
		    t->unnumbered > 0 ? "（有发票未读出号码，无法判断是否"
					"重复上传）"
		    : t->conflicting->len > 0
			? "（同一号码的副本读出的金额不同）"
			: "");
		core_finding_set_english(
		    f,
		    "The %s amounts total %s (%u counted: %s), which does not "
		    "match %s "
		    "of %s: %s by %s%s",
		    type != NULL ? type : "invoice", sum_en, t->counted->len,
		    list_en, expected_label_en(am), want_en,
		    t->total > expected ? "over" : "short", diff_en,
		    t->unnumbered > 0
			? " (an invoice's number was not read, so a repeated "
			  "upload cannot be ruled out)"
		    : t->conflicting->len > 0
			? " (copies with the same number read different "
			  "amounts)"
			: "");
		g_free(list_en);
		g_free(diff_en);
		g_free(want_en);
		g_free(sum_en);
		tally_refs(run, f, t);
		source_refs(run, f, am->expected, in, ev->doc);
	}
	g_free(diff);
	g_free(list);
	g_free(want);
	g_free(sum);
	g_free(type);
}

/* The payments: the whole contract amount, or (办法 第十八条) the amount
 * less the voucher's share, which the voucher pays. A difference is a
 * warning: instalments may still be due. */
static void
amount_payments(const AmountMatch *am, const ChecksInput *in, ChecksRun *run,
		gint64 expected)
{
	Tally t;
	ChecksValue lv;
	gint64 less = 0;
	const char *bad;
	gboolean has_less;
	char *type;

	if (am->also == NULL)
		return;
	tally(am->also, am->also_distinct, in, &t);
	has_less = source_amount(am->also_less, in, &lv, &less, &bad);
	type = checks_source_type(am->also);
	if (t.counted->len > 0 && t.total != expected &&
	    !(has_less && t.total == expected - less)) {
		char *sum = checks_amount_text(t.total);
		char *want = checks_amount_text(expected);
		char *net = checks_amount_text(expected - less);
		char *list = tally_list(&t);
		const char *what =
		    checks_label(am->docs, type != NULL ? type : "also");
		CoreFinding *f = checks_run_fail_as(
		    run, NULL, CORE_SEVERITY_WARNING,
		    "%s金额合计%s（%s）与%s%s不一致%s%s，请核对是否已全额支付",
		    what, sum, list, am->expected_label, want,
		    has_less ? "，也不等于扣除服务券抵扣额后的" : "",
		    has_less ? net : "");
		char *sum_en = checks_amount_text_en(t.total);
		char *want_en = checks_amount_text_en(expected);
		char *net_en = checks_amount_text_en(expected - less);
		char *list_en = tally_list_en(&t);

		core_finding_set_english(
		    f,
		    "The %s amounts total %s (%s), which does not match %s of "
		    "%s%s%s; please check whether it has been paid in full",
		    type != NULL ? type : "payment", sum_en, list_en,
		    expected_label_en(am), want_en,
		    has_less ? ", nor the amount less the voucher's share, "
			     : "",
		    has_less ? net_en : "");
		g_free(list_en);
		g_free(net_en);
		g_free(want_en);
		g_free(sum_en);
		tally_refs(run, f, &t);
		g_free(list);
		g_free(net);
		g_free(want);
		g_free(sum);
	} else if (t.counted->len > 0 &&
		   run->outcome->status != CHECKS_FAILED) {
		char *note = g_strdup_printf(
		    "%s；%s金额亦相符", run->outcome->note,
		    type != NULL ? checks_label(am->docs, type) : "支付");

		g_free(run->outcome->note);
		run->outcome->note = note;
		tally_refs(run, NULL, &t);
	}
	g_free(type);
	tally_clear(&t);
}

static void
amount_match_run(const ChecksRule *rule, const ChecksInput *in, ChecksRun *run)
{
	const AmountMatch *am = rule->params;
	ChecksValue ev;
	gint64 expected;
	const char *bad;
	Tally t;

	if (!source_amount(am->expected, in, &ev, &expected, &bad)) {
		if (bad != NULL)
			checks_run_not_checked(run, "%s「%s」不是金额",
					       am->expected_label, bad);
		else
			checks_run_not_checked(
			    run,
			    "未声明%s（claim.json 的 contract.amount），"
			    "合同上也未读出，无法核对",
			    am->expected_label);
		return;
	}
	tally(am->sum, am->distinct, in, &t);
	if (t.counted->len == 0)
		checks_run_not_checked(
		    run,
		    t.unread->len > 0 ? "%s上未能读出金额，无法与%s核对"
				      : "未找到%s，无法与%s核对",
		    checks_label(am->docs, "invoice"), am->expected_label);
	else
		amount_invoices(am, in, run, &t, expected, &ev);
	for (guint i = 0; i < t.unread->len; i++)
		checks_run_ref(run, NULL, g_ptr_array_index(t.unread, i));
	tally_clear(&t);
	amount_payments(am, in, run, expected);
}

static const char *const amount_match_keys[] = {
    "expected",	      "sum",   "distinct", "also", "also_distinct", "also_less",
    "expected_label", "doc.*", NULL};

const ChecksKind checks_kind_amount_match = {
    "amount_match", amount_match_keys, amount_match_parse, amount_match_free,
    amount_match_run};

/* ---- subsidy_cap ------------------------------------------------------- */

typedef struct {
	ChecksSource *voucher, *base;
	gint64 rate; /* percent, e.g. 80 of "0.80" */
	gint64 cap;  /* fen */
} SubsidyCap;

static void
subsidy_cap_free(gpointer p)
{
	SubsidyCap *sc = p;

	checks_source_free(sc->voucher);
	checks_source_free(sc->base);
	g_free(sc);
}

static gpointer
subsidy_cap_parse(GKeyFile *kf, const char *group, const char *where,
		  GError **error)
{
	SubsidyCap *sc = g_new0(SubsidyCap, 1);

	if (!checks_key_source(kf, group, "voucher", where, TRUE, &sc->voucher,
			       error) ||
	    !checks_key_source(kf, group, "base", where, TRUE, &sc->base,
			       error) ||
	    !checks_key_amount(kf, group, "rate", where, &sc->rate, error) ||
	    !checks_key_amount(kf, group, "cap", where, &sc->cap, error)) {
		subsidy_cap_free(sc);
		return NULL;
	}
	if (sc->rate <= 0 || sc->rate > 100) {
		g_set_error(error, CORE_ERROR, CORE_ERROR_RULES,
			    "%s: rate must be above 0 and at most 1", where);
		subsidy_cap_free(sc);
		return NULL;
	}
	return sc;
}

static void
subsidy_cap_run(const ChecksRule *rule, const ChecksInput *in, ChecksRun *run)
{
	const SubsidyCap *sc = rule->params;
	ChecksValue vv, bv;
	gint64 voucher, base = 0;
	const char *bad;
	gboolean has_base;
	gboolean over_rate, over_cap;
	char *vt, *ct, *bt = NULL, *lt = NULL;

	if (!source_amount(sc->voucher, in, &vv, &voucher, &bad)) {
		checks_run_not_checked(
		    run,
		    bad != NULL ? "用券金额「%s」不是金额"
				: "未声明用券金额%s（claim.json 的 "
				  "contract.voucher_amount），合同上也未"
				  "读出，无法核对",
		    bad != NULL ? bad : "");
		return;
	}
	has_base = source_amount(sc->base, in, &bv, &base, &bad);
	vt = checks_amount_text(voucher);
	ct = checks_amount_text(sc->cap);
	if (vv.doc != NULL)
		checks_run_ref(run, NULL, vv.doc);
	if (has_base) {
		bt = checks_amount_text(base);
		lt = checks_amount_text(base * sc->rate / 100);
		if (bv.doc != NULL)
			checks_run_ref(run, NULL, bv.doc);
	}
	/* voucher ≤ base × rate, compared exactly: voucher × 100 ≤ base × % */
	over_rate = has_base && voucher * 100 > base * sc->rate;
	over_cap = voucher > sc->cap;
	if (over_rate || over_cap) {
		CoreFinding *f;
		char *vt_en = checks_amount_text_en(voucher);
		char *ct_en = checks_amount_text_en(sc->cap);
		char *bt_en = has_base ? checks_amount_text_en(base) : NULL;
		char *lt_en = has_base
				  ? checks_amount_text_en(base * sc->rate / 100)
				  : NULL;

		if (over_rate && over_cap) {
			f = checks_run_fail(run,
					    "用券金额%s超过上限：合同金额%s的"
					    "%d%%为%s，单个项目封顶%s",
					    vt, bt, (int)sc->rate, lt, ct);
			core_finding_set_english(
			    f,
			    "The voucher amount %s exceeds the limits: %d%% "
			    "of the contract amount %s is %s, and the cap per "
			    "project is %s",
			    vt_en, (int)sc->rate, bt_en, lt_en, ct_en);
		} else if (over_rate) {
			f = checks_run_fail(
			    run, "用券金额%s超过合同金额%s的%d%%（%s）", vt, bt,
			    (int)sc->rate, lt);
			core_finding_set_english(
			    f,
			    "The voucher amount %s exceeds %d%% of the "
			    "contract amount %s (%s)",
			    vt_en, (int)sc->rate, bt_en, lt_en);
		} else {
			f = checks_run_fail(run, "用券金额%s超过单个项目封顶%s",
					    vt, ct);
			core_finding_set_english(
			    f,
			    "The voucher amount %s exceeds the cap of %s per "
			    "project",
			    vt_en, ct_en);
		}
		g_free(lt_en);
		g_free(bt_en);
		g_free(ct_en);
		g_free(vt_en);
		source_refs(run, f, sc->voucher, in, vv.doc);
		if (has_base)
			source_refs(run, f, sc->base, in, bv.doc);
	} else if (!has_base) {
		checks_run_not_checked(run,
				       "用券金额%s未超过封顶%s；未声明或未读出"
				       "合同金额，%d%%比例未核对",
				       vt, ct, (int)sc->rate);
	} else {
		checks_run_pass(run,
				"用券金额%s不超过合同金额%s的%d%%（%s）且不超过"
				"%s",
				vt, bt, (int)sc->rate, lt, ct);
	}
	g_free(vt);
	g_free(ct);
	g_free(bt);
	g_free(lt);
}

static const char *const subsidy_cap_keys[] = {"voucher", "base", "rate", "cap",
					       NULL};

const ChecksKind checks_kind_subsidy_cap = {"subsidy_cap", subsidy_cap_keys,
					    subsidy_cap_parse, subsidy_cap_free,
					    subsidy_cap_run};
