# norm.sh - sourced by the fault tests: a claim's report and page with
# what differs between an uninterrupted run and a resumed one made the
# same: pages and second readings taken from the cache rather than read
# (their sums must agree), and the HTML footer that counts them. Two
# uninterrupted runs give byte-identical reports (measured: only
# summary.json's and index.html's seconds differ).
norm_json() {
	awk '
	/"(pages_ocr|pages_cached)" :/ { gsub(/[^0-9]/, "", $3); ocr += $3; next }
	/"(verify_ocr|verify_cached)" :/ { gsub(/[^0-9]/, "", $3); ver += $3; next }
	{ print }
	END { print "read " ocr " verified " ver }' "$1"
}
norm_html() {
	sed 's/OCR [0-9]*，缓存 [0-9]*/OCR-and-cache/' "$1"
}
# same_report A B: A and B are the same report (or page), so normalised.
same_report() {
	case $1 in
	*.json) norm_json "$1" >"$work/norm-a" && norm_json "$2" >"$work/norm-b" ;;
	*) norm_html "$1" >"$work/norm-a" && norm_html "$2" >"$work/norm-b" ;;
	esac
	cmp -s "$work/norm-a" "$work/norm-b"
}
