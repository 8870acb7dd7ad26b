#!/bin/sh
# Write the classification corpus recipe (tests/accuracy/classify.ini) from
# the generator's list of types: every type drawn clean (a text PDF; photos
# and screenshots as clean images) and degraded (one of four scan or phone
# photo variants, in turn), and the types whose fields the checks need in
# all four degraded variants. Each document has its own seed, so layouts
# and wording vary across the corpus.
# Usage: tests/accuracy/make_classify_corpus.sh GENERATOR > classify.ini
set -eu
gen=$1

variant() {
	case $1 in
	0) printf 'format = scan_pdf\n' ;;
	1) printf 'look = phone\nrotate = 90\nskew = -2\n' ;;
	2) printf 'look = phone\nrotate = 180\nshadow = 0.3\n' ;;
	3) printf 'blur = 1.0\njpeg_quality = 40\n' ;;
	esac
}
ext() { [ "$1" = 0 ] && echo pdf || echo jpg; }

cat <<'HEAD'
# classify.ini - the classification and field accuracy corpus
# (docs/accuracy.md), written by make_classify_corpus.sh: edit that, not
# this. Every document lies under claim/, which classify-accuracy scans as
# one claim. The [claim] values are the truth the fields are checked
# against (classify_truth.ini names which field shows which value), and
# its claim.json, moved into claim/, is the claim's as a provider would
# file it: the parties' names the scan may match OCR'd names against.
[claim]
write_claim_json = true
claim_id = GXFWQ-2026-000777
direction = 6
scene = 3
delivery = agency
enterprise_name = 广西柳州精工机械制造有限公司
enterprise_credit_code = 91450200MA5KQ1234X
provider_name = 南宁数智云科技有限公司
provider_credit_code = 91450100MA5L7W8E2M
product_name = 精工云MES生产执行系统
software_version = V2.1
signed_on = 2025-09-01
accepted_on = 2026-04-20
amount = 60000.00
total = 60000.00
invoice_date = 2026-04-25
paid_on = 2026-04-28
contract_number = HT-2025-077
trial_from = 2026-01-12
trial_to = 2026-04-16
holder_name = 深圳市华拓软件股份有限公司
holder_code = 914403007285431926
developed_on = 2025-03-18
published_on = 2025-04-08
reg_number = 2025SR0876543
cert_number = 15234876
cma_org = 广西壮族自治区产品质量检验研究院
cma_number = 241520340123
cma_valid_to = 2028-06-30
auth_from = 2025-08-01
auth_to = 2027-04-20
auth_region = 广西壮族自治区
auth_scope = 该软件产品的销售、部署实施、培训及技术支持服务
HEAD

seed=100
"$gen" types | while read -r id _; do
	seed=$((seed + 1))
	case $id in
	photo | run_screenshot)
		printf '\n[doc claim/%s/clean.png]\ntype = %s\nseed = %s\n' \
			"$id" "$id" "$seed"
		;;
	*)
		printf '\n[doc claim/%s/clean.pdf]\ntype = %s\nseed = %s\n' \
			"$id" "$id" "$seed"
		if [ "$id" = invoice ]; then
			printf 'invoice_number = 26452000000012340101\n'
		fi
		;;
	esac
	case $id in
	invoice | payment_proof | software_copyright_cert | cma_cert | \
		authorization_letter | contract | acceptance_form)
		vs="0 1 2 3" ;;
	*) vs=$((seed % 4)) ;;
	esac
	for v in $vs; do
		printf '\n[doc claim/%s/degraded%s.%s]\ntype = %s\nseed = %s\n' \
			"$id" "$v" "$(ext "$v")" "$id" "$((seed * 10 + v))"
		variant "$v"
		# Each invoice its own number, so a number read from another
		# document cannot pass.
		if [ "$id" = invoice ]; then
			printf 'invoice_number = 264520000000%08d\n' \
				"$((seed * 7919 + v * 104729))"
		fi
	done
done
