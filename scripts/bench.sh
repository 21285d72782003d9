#!/usr/bin/env bash
# Benchmark (not a test): vigie and mdBook side by side on generated
# mdBook-layout corpora (../shared/bench/gen_corpus.py), 1,000 and 10,000 pages
# by default. Prints build time, pages per second, peak memory and output size.
#
#   scripts/bench.sh                 # 1000 and 10000 pages, vigie + mdBook
#   BENCH_SIZES="1000" scripts/bench.sh
#   BENCH_MDBOOK=0 scripts/bench.sh  # vigie only
#   BENCH_MDBOOK_TIMEOUT=600         # seconds before mdBook is given up on
#   BENCH_MKDOCS=0 scripts/bench.sh  # skip the MkDocs + Material comparison
#
# mdBook 0.5.4 is installed once with `cargo install` into ~/.cache/vigie/mdbook.
# Then the Argo CD docs (../shared/corpora/argo-cd-docs, a Material for MkDocs
# project) are built by vigie and by MkDocs 1.6 + Material 9.8, installed once
# from PyPI into a virtual environment in ~/.cache/vigie/mkdocs-venv.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/vigie/target}
cache=$HOME/.cache/vigie/bench
mkdir -p "$cache"
gen=${VIGIE_CORPUS_GENERATOR:-../shared/bench/gen_corpus.py}
[ -f "$gen" ] || { echo "corpus generator not found: $gen" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

cargo build --release --quiet --bin vigie
vigie=$CARGO_TARGET_DIR/release/vigie

mdbook=""
if [ "${BENCH_MDBOOK:-1}" = 1 ]; then
  mdbook=$HOME/.cache/vigie/mdbook/bin/mdbook
  if [ ! -x "$mdbook" ]; then
    echo "installing mdBook 0.5.4 (once) …" >&2
    cargo install --quiet mdbook --version 0.5.4 --locked --root "$HOME/.cache/vigie/mdbook" >&2
  fi
fi

# measure NAME CMD… : prints one result line; `time` writes wall s, user s, sys s, peak kB
measure() {
  local name=$1 pages=$2 out=$3; shift 3
  local t; t=$(mktemp)
  local status=0
  /usr/bin/time -f "%e %U %S %M" -o "$t" "$@" >/dev/null 2>&1 || status=$?
  read -r wall user sys peak <"$t"; rm -f "$t"
  local size="-"; [ -d "$out" ] && size=$(du -sm "$out" | cut -f1)
  if [ "$status" = 124 ]; then
    printf '%-8s %6s pages  gave up after %ss (timeout)\n' "$name" "$pages" "$wall"
  else
    printf '%-8s %6s pages  %7.2f s wall  %7.2f s CPU  %8.0f pages/s  %6d MB peak  %5s MB out  (exit %s)\n' \
      "$name" "$pages" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "$pages / $wall" | bc -l)" "$((peak / 1024))" "$size" "$status"
  fi
}

command -v bc >/dev/null || { apt-get update -qq && apt-get install -y -qq bc >/dev/null; }
for n in ${BENCH_SIZES:-1000 10000}; do
  corpus=$cache/corpus-$n
  [ -f "$corpus/book.toml" ] || python3 "$gen" "$corpus" --pages "$n" >/dev/null
  # Sizes in bytes (what the files hold); `du` would count 4 kB blocks.
  bytes() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }
  md=$(bytes "$corpus/src")
  echo "== $n pages, $((md / 1048576)) MB of Markdown"
  rm -rf "$cache/vigie-site-$n"
  measure vigie "$n" "$cache/vigie-site-$n" "$vigie" build "$corpus" -o "$cache/vigie-site-$n" --broken-links warn
  if [ -d "$cache/vigie-site-$n/search" ]; then
    idx=$(bytes "$cache/vigie-site-$n/search")
    echo "         search index: $((idx / 1024)) kB, $(echo "scale=1; $idx * 100 / $md" | bc)% of the Markdown ($(du -sk "$cache/vigie-site-$n/search" | cut -f1) kB on disk)"
  fi
  if [ -n "$mdbook" ]; then
    rm -rf "$cache/mdbook-site-$n"
    measure mdbook "$n" "$cache/mdbook-site-$n" timeout "${BENCH_MDBOOK_TIMEOUT:-600}" "$mdbook" build "$corpus" -d "$cache/mdbook-site-$n"
  fi
done

# A real MkDocs project, side by side with MkDocs + Material.
argo=${VIGIE_ARGO_CORPUS:-../shared/corpora/argo-cd-docs}
if [ "${BENCH_MKDOCS:-1}" = 1 ] && [ -f "$argo/mkdocs.yml" ]; then
  venv=$HOME/.cache/vigie/mkdocs-venv
  if [ ! -x "$venv/bin/mkdocs" ]; then
    echo "installing MkDocs + Material (once) …" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q mkdocs==1.6.1 mkdocs-material==9.8.2 markdown-include mkdocs-github-admonitions-plugin >&2
  fi
  # The corpus ships docs/ and mkdocs.yml only: MkDocs gets a copy without the
  # theme's custom_dir (not shipped) and without strict mode (a warning about
  # the missing files would stop it). vigie builds the corpus as it is.
  work=$cache/argo-mkdocs
  rm -rf "$work"; mkdir -p "$work"
  cp -r "$argo/docs" "$work/docs"
  grep -v -e '^  custom_dir:' -e '^strict:' "$argo/mkdocs.yml" >"$work/mkdocs.yml"
  pages=$(find "$argo/docs" -name '*.md' | wc -l)
  echo "== Argo CD docs (MkDocs + Material project), $pages pages"
  rm -rf "$cache/vigie-site-argo"
  measure vigie "$pages" "$cache/vigie-site-argo" "$vigie" build "$argo" -o "$cache/vigie-site-argo" --broken-links warn
  rm -rf "$cache/mkdocs-site-argo"
  # MkDocs (and markdown_include) read paths from the folder it runs in.
  measure mkdocs "$pages" "$cache/mkdocs-site-argo" env -C "$work" "$venv/bin/mkdocs" build -q -d "$cache/mkdocs-site-argo"
fi
