#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Opens a kinmatch HTML report in headless Chromium, as a reader would: runs `kinmatch match`
# and `kinmatch report` on sample-data/ into a temporary directory, then requires that the
# index page and two remains pages load without a console message (script errors, SVG
# attribute errors, ...), render a screenshot that is not blank, and that the rendered DOM
# holds the expected content. A self-test first shows that a page with a deliberate error
# is caught, so a silent Chromium cannot pass the check.
#
# Usage: chromium-check.sh KINMATCH SAMPLE_DATA_DIR
# Exit 0 = pass, 1 = fail, 77 = skipped (no chromium; CI installs it through scripts/setup).
set -euo pipefail

kinmatch=$1
data=$2
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium-check: SKIP: chromium is not installed (scripts/setup installs it)"
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "chromium-check: FAIL: $*" >&2
  exit 1
}

# One page through Chromium. Console messages of the page are logged as ":CONSOLE" lines
# with --enable-logging=stderr; the rest of the log (D-Bus, GPU probing) is ignored.
# Arguments: page path, output name, then extra Chromium options.
open_page() {
  local page=$1 name=$2
  shift 2
  local profile
  profile=$(mktemp -d "$work/profile.XXXXXX")
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
    --user-data-dir="$profile" --enable-logging=stderr --v=0 --window-size=1100,900 "$@" \
    "file://$page" >"$work/$name.out" 2>"$work/$name.log" || fail "chromium exited with $? on $page"
  rm -rf "$profile"
}

console_messages() { grep ':CONSOLE' "$work/$1.log" || true; }

# Self-test: a script error must show up in the log.
cat >"$work/broken.html" <<'EOF'
<!DOCTYPE html><html><body><p>x</p><script>undefinedFunction();</script></body></html>
EOF
open_page "$work/broken.html" broken --dump-dom
console_messages broken | grep -q 'undefinedFunction' || fail "self-test: Chromium logged no console error for a broken page"
# The colour counter itself: a one-colour image must count as blank.
python3 "$here/png-colours.py" --blank "$work/blank.png" 64 32
[[ $(python3 "$here/png-colours.py" "$work/blank.png") -eq 1 ]] || fail "self-test: a blank image did not count as one colour"

"$kinmatch" match -f "$data/frequencies.csv" -p "$data/pedigrees.tsv" -r "$data/references.csv" \
  -u "$data/remains.csv" --mutation-model equal --mutation-rate 0.002 -q -o "$work/results.tsv"
"$kinmatch" report --results "$work/results.tsv" -f "$data/frequencies.csv" -p "$data/pedigrees.tsv" \
  -r "$data/references.csv" -u "$data/remains.csv" --mutation-model equal --mutation-rate 0.002 -q \
  -o "$work/report"

# Self-contained: nothing fetched from a network, no script, every local link resolves.
if grep -hoE '(src|href)="[a-z]+://[^"]*"' "$work/report/index.html" "$work/report/remains/"*.html | grep -q .; then
  fail "the report refers to an external resource"
fi
grep -l '<script' "$work/report/index.html" "$work/report/remains/"*.html && fail "the report contains a script"
while read -r link; do
  [[ -f "$work/report/$link" ]] || fail "index.html links to $link, which does not exist"
done < <(grep -oE 'href="remains/[^"#]*"' "$work/report/index.html" | sed -E 's/^href="(.*)"$/\1/')
[[ $(grep -c 'href="remains/' "$work/report/index.html") -eq 60 ]] || fail "index.html does not link the 60 remains"

# UR-0003 is FAM-01's missing person (sample-data/truth.tsv); UR-0021 is FAM-15's, a pedigree with a loop.
for page in index.html remains/UR-0003.html remains/UR-0021.html; do
  name=$(basename "$page" .html)
  open_page "$work/report/$page" "$name" --screenshot="$work/$name.png"
  messages=$(console_messages "$name")
  [[ -z "$messages" ]] || fail "$page logged console messages: $messages"
  [[ -s "$work/$name.png" ]] || fail "$page: no screenshot"
  colours=$(python3 "$here/png-colours.py" "$work/$name.png" 16)
  ((colours >= 3)) || fail "$page: the screenshot has $colours colour(s), so it is blank"
  echo "chromium-check: $page loaded without console messages, screenshot with at least $colours colours"
done

# The DOM after loading: the page Chromium built holds the content, not only the file.
open_page "$work/report/remains/UR-0003.html" dom --dump-dom
grep -q 'class="person typed paternal-line" data-id="FAM-01-father"' "$work/dom.out" || fail "UR-0003: no FAM-01-father in the rendered pedigree"
grep -q 'class="person missing focus" data-id="FAM-01-MP"' "$work/dom.out" || fail "UR-0003: FAM-01-MP not drawn as the candidate"
grep -q 'data-family="FAM-01" data-missing="FAM-01-MP" data-rank="1"' "$work/dom.out" || fail "UR-0003: FAM-01-MP is not its rank 1"
echo "chromium-check: PASS"
