/* test_classify_types.c - the document types the 2026 evidence lists name
 * beyond CONTRACT.md §2 (docs/rules-evidence.md, "Document types beyond
 * CONTRACT §2"): every one has cues in rules/2026/types.ini, hand-written
 * page texts of each (tests/data/classify/types/<id>_<n>.txt, different
 * title synonyms and issuers; the _2 sample is OCR-noisy) get their type,
 * and pages of similar types, or pages that merely mention one, are told
 * apart the way a settlement reviewer would. */
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "core/core.h"

#ifndef EVIDCHECK_RULES_DIR
#define EVIDCHECK_RULES_DIR "rules"
#endif
#ifndef EVIDCHECK_TEST_DATA
#define EVIDCHECK_TEST_DATA "tests/data"
#endif

#define MIN_SAMPLES    2   /* per type */
#define MIN_CONFIDENCE 0.4 /* a titled page is more than a coin toss */

static ClassifyRules *rules; /* the shipped 2026 rules, loaded once */

/* The ids of the table, as of this test; the table itself is read too, so
 * an id added there without cues fails /classify/types/table-has-cues. */
static const char *const new_types[] = {
    "energy_audit_report",
    "test_data",
    "site_inspection_records",
    "study_plan",
    "course_outline",
    "instructor_profiles",
    "trainee_list",
    "study_reflections",
    "study_summary_report",
    "rd_cycle_comparison",
    "design_drawings",
    "simulation_report",
    "virtual_test_data",
    "quality_data_records",
    "pass_rate_comparison",
    "energy_point_list",
    "energy_data_records",
    "energy_alert_cases",
    "energy_cost_report",
    "equipment_list",
    "maintenance_plan",
    "fault_alert_records",
    "customer_ledger",
    "after_sales_records",
    "supplier_ledger",
    "procurement_plan",
    "supplier_info_sharing",
    "supply_response_comparison",
    "automation_records",
    "inventory_accuracy",
    "warehouse_efficiency_comparison",
    "quality_trace_records",
    "alert_dispatch_records",
    "assessment_plan",
    "consulting_records",
    "iim_cert",
    "dcmm_cert",
    "dt_star_rating",
    "design_requirements",
    "design_sketch",
    "design_rendering",
    "final_design",
    "design_application_proof",
    "production_order",
    "certification_plan",
    "audit_records",
    "ownership_proof",
    "sharing_plan",
    "equipment_usage_records",
    "equipment_run_data",
    "experiment_report",
    "research_project_docs",
    "pilot_platform_filing",
    "pilot_plan",
    "feasibility_conclusion",
    "engineering_application_report",
    "test_plan",
    "env_simulation_records",
    "life_prediction_report",
    "design_optimization_advice",
    "failure_sample_info",
    "root_cause_conclusion",
    "improvement_plan",
    "material_sample_info",
    "material_selection_advice",
    "formulation_report",
    "intl_accreditation_cert",
    "standard_comparison_table",
    "application_receipt",
    "lifecycle_inventory",
    "carbon_accounting_report",
    "green_manufacturing_materials",
    "certification_cert",
    "grade_evaluation_report",
    "platform_agreement",
    "operation_metrics",
    "cooperation_agreement",
    "customs_declaration",
    "inspection_declaration",
    "origin_cert",
    "commercial_cert",
    "single_window_records",
    "credit_rating_report",
    "credit_rating_cert",
    "credit_info_checklist",
    "data_source_statement",
    "scoring_sheet",
    "expert_review_opinion",
    "asset_appraisal_report",
    "pledge_appraisal_report",
    "collateral_list",
    "encumbrance_search",
    "bank_acceptance_receipt",
};

/* ---- helpers ------------------------------------------------------------ */

static char *
sample_path(const char *type, int n)
{
	char *base = g_strdup_printf("%s_%d.txt", type, n);
	char *path = g_build_filename(EVIDCHECK_TEST_DATA, "classify", "types",
				      base, NULL);

	g_free(base);
	return path;
}

/* Classify TEXT (raw, as ingest or OCR hands it over) as one page. */
static CorePage *
classify_text(const char *text, gboolean is_image)
{
	CorePage *p = core_page_new("sample.pdf", 1);
	char *norm = core_text_normalize(text);

	core_page_set_text(p, norm, is_image ? CORE_TEXT_OCR : CORE_TEXT_PDF,
			   is_image ? 0.8 : 1.0);
	classify_page(rules, p, is_image);
	g_free(norm);
	return p;
}

/* Fail with the explanation when TEXT is not of type WANT. */
static void
expect_type(const char *what, const char *text, gboolean is_image,
	    const char *want)
{
	CorePage *p = classify_text(text, is_image);

	if (g_strcmp0(p->type, want) != 0) {
		char *why = classify_explain(rules, p->text, is_image);

		g_error("%s: got %s, want %s\n%s", what, p->type, want, why);
	}
	core_page_free(p);
}

/* The ids in the table "Document types beyond CONTRACT §2" of
 * docs/rules-evidence.md: the first column of its rows. */
static GPtrArray *
table_ids(void)
{
	char *path = g_build_filename(EVIDCHECK_TEST_DATA, "..", "..", "docs",
				      "rules-evidence.md", NULL);
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	char *text = NULL, **lines, *table;
	GError *error = NULL;
	int i;

	if (!g_file_get_contents(path, &text, NULL, &error))
		g_error("%s", error->message);
	table = strstr(text, "## Document types beyond CONTRACT");
	g_assert_nonnull(table);
	lines = g_strsplit(table, "\n", -1);
	for (i = 1; lines[i] != NULL && !g_str_has_prefix(lines[i], "## ");
	     i++) {
		char *start =
		    g_str_has_prefix(lines[i], "| `") ? lines[i] + 3 : NULL;
		char *end = start != NULL ? strchr(start, '`') : NULL;

		if (end != NULL)
			g_ptr_array_add(ids, g_strndup(start, end - start));
	}
	g_strfreev(lines);
	g_free(text);
	g_free(path);
	return ids;
}

/* ---- the table ------------------------------------------------------- */

static void
test_table_has_cues(void)
{
	GPtrArray *ids = table_ids();
	guint i;

	g_assert_cmpuint(ids->len, >=, G_N_ELEMENTS(new_types));
	for (i = 0; i < ids->len; i++) {
		const char *id = g_ptr_array_index(ids, i);

		if (!classify_rules_knows_type(rules, id))
			g_error("the 2026 rules have no cues for '%s' "
				"(docs/rules-evidence.md)",
				id);
		/* A label of its own, not the id echoed back. */
		g_assert_cmpstr(classify_type_label(rules, id), !=, id);
	}
	for (i = 0; i < G_N_ELEMENTS(new_types); i++)
		g_assert_true(classify_rules_knows_type(rules, new_types[i]));
	g_ptr_array_unref(ids);
}

/* Issued under a seal: certificates, agencies' reports, receipts. */
static void
test_sealed_flags(void)
{
	static const char *const sealed[] = {"energy_audit_report",
					     "iim_cert",
					     "dcmm_cert",
					     "ownership_proof",
					     "certification_cert",
					     "intl_accreditation_cert",
					     "application_receipt",
					     "customs_declaration",
					     "origin_cert",
					     "commercial_cert",
					     "credit_rating_report",
					     "credit_rating_cert",
					     "asset_appraisal_report",
					     "pledge_appraisal_report",
					     "bank_acceptance_receipt",
					     "platform_agreement",
					     "cooperation_agreement",
					     "pilot_platform_filing"};
	static const char *const unsealed[] = {
	    "test_data",	 "course_outline", "customer_ledger",
	    "operation_metrics", "design_sketch",  "single_window_records"};
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(sealed); i++)
		if (!classify_type_is_sealed(rules, sealed[i]))
			g_error("'%s' should be sealed", sealed[i]);
	for (i = 0; i < G_N_ELEMENTS(unsealed); i++)
		if (classify_type_is_sealed(rules, unsealed[i]))
			g_error("'%s' should not be sealed", unsealed[i]);
}

/* ---- samples ------------------------------------------------------------ */

/* Every sample of TYPE (at least MIN_SAMPLES) is TYPE; _2 is an OCR'd scan
 * (spaces between characters, a misread character or two). */
static void
test_type_samples(gconstpointer data)
{
	const char *type = data;
	int n;

	for (n = 1;; n++) {
		char *path = sample_path(type, n);
		char *text = NULL;
		CorePage *p;

		if (!g_file_get_contents(path, &text, NULL, NULL)) {
			g_free(path);
			break;
		}
		p = classify_text(text, n == 2);
		if (g_strcmp0(p->type, type) != 0) {
			char *why = classify_explain(rules, p->text, n == 2);

			g_error("%s: got %s, want %s\n%s", path, p->type, type,
				why);
		}
		if (p->type_confidence < MIN_CONFIDENCE)
			g_error("%s: confidence %.2f", path,
				p->type_confidence);
		core_page_free(p);
		g_free(text);
		g_free(path);
	}
	if (n - 1 < MIN_SAMPLES)
		g_error("%s: %d sample(s), want at least %d", type, n - 1,
			MIN_SAMPLES);
}

/* ---- confusions ------------------------------------------------------- */

typedef struct {
	const char *what;
	const char *text;
	const char *want;
} Case;

/* Two similar types: the page must be the right one of the two. */
static const Case confusions[] = {
    /* lab report vs software test report vs experiment vs raw data vs plan */
    {"lab report, not test data",
     "检测报告\n报告编号：GXJC-2026-0311\n委托单位：桂林福达股份有限公司\n"
     "样品名称：齿轮轴  样品编号：YP-0311\n检测依据：GB/T 3077-2015\n"
     "检测项目 标准要求 检测结果 单项结论\n硬度 58-62HRC 60HRC 合格\n"
     "检测结论：所检项目符合标准要求。\n批准人：李某  签发日期：2026-03-20",
     "test_report"},
    {"raw records, not the report",
     "试验原始记录\n样品编号：YP-0311\n试验条件：环境温度 23℃\n"
     "序号 实测值(HRC) 标准值\n1 60.2 58-62\n2 59.8 58-62\n试验员：覃某 "
     "校核：黄某",
     "test_data"},
    {"software test report, not a lab report",
     "软件测试报告\n被测软件：智能质检云平台 V1.0\n测试依据：GB/T "
     "25000.51-2016\n测试环境：Windows Server 2019\n测试用例 126 "
     "个，通过 126 个\n测试结论：功能性、性能效率满足要求，测试通过。",
     "software_test_report"},
    {"experiment report, not a lab test report",
     "实验报告\n实验目的：比较两种时效制度\n实验仪器：布氏硬度计\n"
     "实验步骤：……\n实验结果：175℃ 最佳\n实验人员：李同学",
     "experiment_report"},
    {"test plan, not the report",
     "可靠性试验方案\n试验目的：验证产品寿命\n试验条件：85℃/85%RH\n"
     "样品数量：10 台\n失效判据：输出电压偏差超过 5%\n进度安排：3 个月",
     "test_plan"},
    {"test report, not the plan it followed",
     "检验报告\n报告编号：JY-2026-077\n样品名称：LED驱动电源\n"
     "检验依据：按《可靠性试验方案》执行\n检验结论：合格\n签发日期：2026-04-01",
     "test_report"},
    /* credit rating report vs its certificate */
    {"rating report, not the certificate",
     "主体信用评级报告\n信用等级：AA  评级展望：稳定\n评级观点：公司经营稳健\n"
     "主要财务数据：营业收入 8,600 万元\n偿债能力：较强\n"
     "证书另附（证书编号 XY-001）",
     "credit_rating_report"},
    {"rating certificate, not the report",
     "信用等级证书\n证书编号：XY-2026-"
     "001\n经综合评定，南宁XX机电有限公司信用等级为 "
     "AA\n特发此证\n有效期至 2027年5月\n详见评级报告",
     "credit_rating_cert"},
    /* asset appraisal vs pledge appraisal */
    {"asset appraisal for a transfer",
     "资产评估报告\n桂XX评报字〔2026〕第040号\n评估目的：股权转让\n"
     "评估基准日：2026年3月31日\n评估方法：收益法\n评估结论：股东全部权益价值 "
     "5,600 万元\n资产评估师：张某",
     "asset_appraisal_report"},
    {"appraisal for a mortgage loan",
     "资产评估报告\n桂XX评报字〔2026〕第041号\n评估目的：为委托方向银行申请抵押"
     "贷款提供参考\n"
     "价值类型：抵押价值\n评估基准日：2026年3月31日\n评估方法：成本法\n"
     "评估结论：抵押价值 980 万元\n资产评估师：张某",
     "pledge_appraisal_report"},
    /* customer vs supplier ledger */
    {"customer ledger",
     "客户台账\n客户名称 客户编号 联系人 成交金额\n柳州XX汽配 KH-01 李经理 "
     "30万",
     "customer_ledger"},
    {"supplier ledger",
     "供应商台账\n供应商名称 供应商编码 供货类别 联系人\n广西XX铝业 GYS-01 "
     "原材料 "
     "黄经理",
     "supplier_ledger"},
    /* design requirements vs final design */
    {"design brief",
     "设计需求说明书\n设计目标：年轻化\n设计要求：外观简约\n交付物：最终设计方"
     "案、效果图",
     "design_requirements"},
    {"final design",
     "最终设计方案\n设计说明：依据设计需求，造型圆润\nCMF：奶白\n甲方确认：同意"
     "定稿",
     "final_design"},
    /* cooperation agreement vs platform agreement vs the voucher contract */
    {"trade service agreement",
     "外贸综合服务合作协议\n甲方：广西XX家居用品有限公司\n乙方：广西XX外综服有"
     "限公司\n"
     "合作内容：代理出口报关、出口退税、收汇结汇\n合作期限：一年",
     "cooperation_agreement"},
    {"platform's seller agreement",
     "速卖通平台商家入驻服务协议\n甲方：广西XX家居用品有限公司\n"
     "乙方：杭州XX网络技术有限公司\n商家须遵守平台规则，店铺年费 "
     "10,000 元，按类目收取佣金\n境外买家售后由商家负责",
     "platform_agreement"},
    {"the voucher contract for e-commerce operation",
     "跨境电商代运营服务合同\n合同编号：HT-2026-"
     "016\n甲方：广西XX家居用品有限公司\n"
     "乙方：南宁XX电子商务有限公司\n服务内容：亚马逊店铺代运营\n合同金额：60,"
     "000 元，"
     "服务券抵扣 30,000 元\n违约责任：……\n争议解决：……",
     "contract"},
    {"the voucher contract for trade services",
     "外贸综合服务合同\n合同编号：HT-2026-"
     "021\n甲方：南宁XX机电有限公司\n乙方：广西XX外综服有限公司\n"
     "服务内容：代理报关、退税\n合同金额：50,000 元，服务券抵扣 25,000 元\n"
     "违约责任：……\n本合同一式四份",
     "contract"},
    /* receipts */
    {"certification body's receipt",
     "受理通知书\n申请编号：CQC-2026-0088\n申请人：广西XX电器有限公司\n"
     "经审查，予以受理。\n受理日期：2026年3月18日",
     "application_receipt"},
    {"bank's receipt of an appraisal report",
     "评估报告接收回执\n《抵押物价值评估报告》（评报字〔2026〕第021号）我行已收"
     "悉。\n"
     "接收人：信贷部 李某\n广西北部湾银行南宁分行",
     "bank_acceptance_receipt"},
    {"bank payment receipt, not a report receipt",
     "中国工商银行 "
     "电子回单\n回单编号：20260312-0001\n付款人户名：广西XX家居用品有限公司\n"
     "收款人户名：广西XX资产评估有限公司\n交易金额：¥30,000."
     "00\n用途：评估报告服务费\n"
     "交易流水号：ICBC20260312000123",
     "payment_proof"},
    /* certificates */
    {"product certificate, not a management system one",
     "产品认证证书\n证书编号：CQC26001\n产品名称：电饭煲\n型号规格：FB-30A\n"
     "生产企业：广西XX电器有限公司\n认证依据：CQC 3128\n中国质量认证中心",
     "certification_cert"},
    {"management system certificate, not a product one",
     "质量管理体系认证证书\n证书编号：00126Q31234R0M\n兹证明 "
     "广西XX电器有限公司\n质量管理体系符合 GB/T 19001-2016 / ISO "
     "9001:2015\n认证范围：电饭煲的设计和生产\n有效期至：2029年3月1日\n"
     "北京XX认证有限公司",
     "management_system_cert"},
    {"IIM certificate, not a management system one",
     "两化融合管理体系评定证书\n证书编号：AIITRE-0012\n"
     "两化融合管理体系符合 GB/T 23001-2017\n评定等级：AA级\n有效期至 2029年",
     "iim_cert"},
    {"DCMM certificate, not an agency licence",
     "数据管理能力成熟度等级证书\n证书编号：DCMM2026A0001\n"
     "等级：量化管理级（4级）\n评估机构：XX评估中心\n有效期至：2029年",
     "dcmm_cert"},
    {"pilot platform filing, not an agency licence",
     "中试平台备案证明\n平台名称：新材料中试平台\n依托单位：广西XX新材料有限公"
     "司\n"
     "备案编号：GXZS-2026-001\n经审核，予以备案。\n有效期：三年",
     "pilot_platform_filing"},
    {"CNAS certificate with the ILAC-MRA mark",
     "实验室认可证书\n注册号：CNAS L12345\n中国合格评定国家认可委员会\n"
     "ILAC-MRA\n符合 ISO/IEC 17025:2017\n有效期至：2028年6月",
     "cnas_cert"},
    {"CMA certificate, not a product certificate",
     "检验检测机构资质认定证书\n证书编号：262012345678\n"
     "名称：广西XX检测技术有限公司\n发证机关：广西壮族自治区市场监督管理局\n"
     "有效期至：2030年1月",
     "cma_cert"},
    /* a lab's 检测分析报告 (14.2) stays a test report */
    {"failure lab report, not the root-cause conclusion",
     "检测分析报告\n报告编号：SX-2026-0032\n委托单位：桂林福达股份有限公司\n"
     "样品名称：齿轮轴\n检测项目：金相、硬度、SEM\n检测结果：渗碳层 0.6mm\n"
     "检测结论：渗碳层深度不符合图纸要求\n批准人：李某",
     "test_report"},
    /* agencies' licences stay qualification_cert */
    {"appraisal firm's licence, not an appraisal report",
     "证券期货相关业务评估资格证书\n机构名称：广西XX资产评估有限公司\n"
     "证书编号：0450001\n资产评估机构备案\n发证机关：广西壮族自治区财政厅\n"
     "有效期至：2028年",
     "qualification_cert"},
    {"rating agency's filing, not a rating certificate",
     "信用评级机构备案证明\n机构名称：广西XX信用评级有限公司\n"
     "中国人民银行南宁中心支行\n备案编号：GX-2019-003\n经审核，予以备案。",
     "qualification_cert"},
    {"certification body's approval, not a product certificate",
     "认证机构批准书\n批准号：CNCA-R-2018-321\n"
     "经审查，准予从事管理体系认证、产品认证活动\n有效期至：2028年3月\n"
     "国家认证认可监督管理委员会",
     "qualification_cert"},
    /* energy audit vs digital diagnosis */
    {"energy audit, not a digital diagnosis",
     "节能诊断报告\n企业综合能耗 3,862 吨标准煤\n节能潜力：空压系统\n"
     "诊断建议：余热回收",
     "energy_audit_report"},
    {"digital diagnosis stays a diagnosis",
     "数字化转型诊断报告\n现状分析：生产数据靠人工记录\n问题诊断：设备联网率低"
     "\n"
     "转型路径：先上 MES 再建设能耗监测",
     "diagnosis_report"},
    /* plans */
    {"certification plan over implementation plan",
     "ISO "
     "14001环境管理体系认证实施方案\n第一阶段审核、第二阶段审核\n内审、管理评"
     "审",
     "certification_plan"},
    {"DCMM plan, not a certification plan",
     "数据管理能力成熟度评估实施方案\n依据 GB/T 36073\n差距分析、现场评估",
     "assessment_plan"},
    {"system records stay operation records",
     "系统运行核心数据记录\n日期 检测数 合格率\n2026-03-01 1,284 98.6%\n"
     "2026-03-02 1,301 98.7%\n2026-03-03 1,276 98.5%",
     "operation_records"},
    {"monitoring records stay operation records",
     "设备运行数据记录\n设备：CK6150-01 数控车床\n"
     "日期 运行时长(h) 主轴温度(℃) 振动(mm/s) 电流(A) 报警次数\n"
     "2026-03-01 21.5 42 2.1 18 0\n2026-03-02 22.0 43 2.3 18 1\n"
     "2026-03-03 20.8 41 2.0 17 0",
     "operation_records"},
    {"a digital transformation plan is no assessment plan",
     "广西XX数字化转型实施方案\n一、业务蓝图\n二、功能清单\n三、实施计划与里程"
     "碑",
     "implementation_plan"},
    {"virtual test data, not raw test data",
     "虚拟试验数据\n工况 仿真结果 试验值 误差\n1 142 138 2.9%\n数字样机",
     "virtual_test_data"},
};

/* Pages that merely mention a document are not that document. */
static const Case mentions[] = {
    {"contract listing deliverables",
     "技术服务合同\n合同编号：HT-2026-"
     "030\n甲方：广西XX电器有限公司\n乙方：广西XX工业设计有限公司\n"
     "交付成果：设计需求说明书、设计草图、效果图、最终设计方案、设计成果应用证"
     "明\n"
     "验收：甲方出具验收报告\n违约责任：……",
     "contract"},
    {"study plan naming its outline and teachers",
     "高管研学方案\n研学主题：精益管理\n研学对象：企业高管\n附件：课程大纲、师"
     "资介绍、"
     "参训人员名单\n行程安排：第一天 上午 开班",
     "study_plan"},
    {"trade agreement naming the trade documents",
     "外贸综合服务合作协议\n甲方：南宁XX机电有限公司\n乙方：广西XX外综服有限公"
     "司\n"
     "乙方负责报关单、报检单、原产地证书的办理及单一窗口申报\n"
     "合作内容：代理出口、出口退税",
     "cooperation_agreement"},
    {"acceptance form citing a test report",
     "成果验收单\n项目名称：LED驱动电源寿命测试\n验收内容：寿命预测报告、设计优"
     "化建议、"
     "测试方案\n验收结论：同意验收\n验收日期：2026年6月1日",
     "acceptance_form"},
    {"minutes mentioning the sign-in sheet and trainee list",
     "培训会议记录\n培训时间：2026年4月12日\n培训地点：南宁\n参训人员：见签到表"
     "及参训人员名单\n"
     "培训内容：数字化转型\n主讲人：李教授",
     "meeting_minutes"},
};

static void
test_confusions(void)
{
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(confusions); i++)
		expect_type(confusions[i].what, confusions[i].text, FALSE,
			    confusions[i].want);
}

static void
test_mentions(void)
{
	gsize i;

	for (i = 0; i < G_N_ELEMENTS(mentions); i++)
		expect_type(mentions[i].what, mentions[i].text, FALSE,
			    mentions[i].want);
}

/* A report's second page, with no title, continues it as "other". */
static void
test_untitled_pages(void)
{
	expect_type(
	    "appraisal page 2",
	    "四、评估方法\n本次采用收益法。\n五、评估结论\n市场价值为 286 "
	    "万元。\n六、特别事项说明\n资产评估师：张某",
	    FALSE, "other");
	expect_type(
	    "ledger page 2",
	    "4 KH-0004 广西XX公司 机械 李工 A 12.0\n5 KH-0005 南宁XX公司 "
	    "食品 黄工 B 8.6",
	    FALSE, "other");
}

/* ---- main --------------------------------------------------------------- */

int
main(int argc, char **argv)
{
	char *path =
	    g_build_filename(EVIDCHECK_RULES_DIR, "2026", "types.ini", NULL);
	GError *error = NULL;
	gsize i;
	int rc;

	g_test_init(&argc, &argv, NULL);
	rules = classify_rules_load(path, &error);
	g_assert_no_error(error);

	g_test_add_func("/classify/types/table-has-cues", test_table_has_cues);
	g_test_add_func("/classify/types/sealed", test_sealed_flags);
	for (i = 0; i < G_N_ELEMENTS(new_types); i++) {
		char *name =
		    g_strdup_printf("/classify/types/sample/%s", new_types[i]);

		g_test_add_data_func(name, new_types[i], test_type_samples);
		g_free(name);
	}
	g_test_add_func("/classify/types/confusions", test_confusions);
	g_test_add_func("/classify/types/mentions", test_mentions);
	g_test_add_func("/classify/types/untitled", test_untitled_pages);
	rc = g_test_run();
	classify_rules_free(rules);
	g_free(path);
	return rc;
}
