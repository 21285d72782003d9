#!/usr/bin/env bash
# Search benchmark (not a test): on a generated corpus (10,000 pages by
# default), builds the site with and without search and prints
#   - the browser index size against the Markdown size (budget: 25%),
#   - what typical queries download from search/ and how long the browser
#     takes (budget: 300 kB per query, results within 100 ms of a keystroke),
#   - the share of build time that indexing adds (budget: 30%),
#   - `vigie search` latency once the index exists (budget: 50 ms).
#
#   scripts/search-bench.sh                    # 10000 pages
#   BENCH_PAGES=1000 scripts/search-bench.sh
#   BENCH_RUNS=3 scripts/search-bench.sh       # builds per variant (the fastest counts)
#
# Needs python3 (corpus generator) and Chromium for the browser part
# (VIGIE_TEST_CHROMIUM, default /usr/bin/chromium; skipped when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/vigie/target}
pages=${BENCH_PAGES:-10000}
runs=${BENCH_RUNS:-1}
cache=$HOME/.cache/vigie/search-bench
gen=${VIGIE_CORPUS_GENERATOR:-../shared/bench/gen_corpus.py}
mkdir -p "$cache"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

cargo build --release --quiet --bin vigie
vigie=$CARGO_TARGET_DIR/release/vigie

corpus=$cache/corpus-$pages
if [ ! -f "$corpus/book.toml" ]; then
  echo "generating $pages pages …" >&2
  python3 "$gen" "$corpus" --pages "$pages" >/dev/null
fi
md_bytes=$(find "$corpus/src" -name '*.md' -printf '%s\n' | awk '{s += $1} END {print s}')
echo "== $pages pages, $((md_bytes / 1024)) kB of Markdown"

# build VARIANT: builds with search on or off; prints wall and CPU seconds.
build() {
  local variant=$1 out=$cache/site-$pages-$1 best="" t
  if [ "$variant" = off ]; then printf '[search]\nenabled = false\n' >"$corpus/vigie.toml"; else rm -f "$corpus/vigie.toml"; fi
  for _ in $(seq "$runs"); do
    rm -rf "$corpus/.vigie" "$out"
    t=$(mktemp)
    VIGIE_SEARCH_TIMINGS=1 /usr/bin/time -f "%e %U %S %M" -o "$t" "$vigie" build "$corpus" -o "$out" --broken-links warn 2>"$t.err" >/dev/null
    read -r wall user sys peak <"$t"
    grep '^search:' "$t.err" >&2 || true
    rm -f "$t" "$t.err"
    if [ -z "$best" ] || awk "BEGIN {exit !($wall < ${best%% *})}"; then
      best="$wall $(awk "BEGIN {print $user + $sys}") $((peak / 1024))"
    fi
  done
  rm -f "$corpus/vigie.toml"
  echo "$best"
}

read -r off_wall off_cpu off_peak < <(build off)
read -r on_wall on_cpu on_peak < <(build on)
printf 'build without search: %6.2f s wall, %6.2f s CPU, %5d MB peak\n' "$off_wall" "$off_cpu" "$off_peak"
printf 'build with search:    %6.2f s wall, %6.2f s CPU, %5d MB peak\n' "$on_wall" "$on_cpu" "$on_peak"
awk "BEGIN {printf \"indexing adds %.1f%% wall, %.1f%% CPU (budget 30%%)\n\", ($on_wall - $off_wall) * 100 / $off_wall, ($on_cpu - $off_cpu) * 100 / $off_cpu}"

site=$cache/site-$pages-on
search_bytes=$(find "$site/search" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
for d in v p d t; do
  printf '  search/%s: %6d files, %8d kB\n' "$d" "$(find "$site/search/$d" -type f | wc -l)" \
    "$(( $(find "$site/search/$d" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}') / 1024 ))"
done
printf '  search/index.js: %d kB; assets/search.js: %d kB\n' "$(( $(stat -c %s "$site/search/index.js") / 1024 ))" \
  "$(( $(stat -c %s "$site/assets/search.js") / 1024 ))"
awk "BEGIN {printf \"search folder: %d kB, %.1f%% of the Markdown (budget 25%%)\n\", $search_bytes / 1024, $search_bytes * 100 / $md_bytes}"
printf 'tantivy index (ROOT/.vigie, not in the site): %d kB\n' "$(du -sk "$corpus/.vigie" | cut -f1)"

echo "== vigie search, index built (median of 5 runs, process start included)"
for q in "redemarrer nova-api" "quorum galera" "rabitmq partitionee" "kubectl -n openstack get pods" "certificat tls expire"; do
  times=()
  for _ in 1 2 3 4 5; do
    start=$EPOCHREALTIME
    "$vigie" search "$q" --root "$corpus" --limit 10 --format json >/dev/null
    end=$EPOCHREALTIME
    times+=("$(awk "BEGIN {printf \"%.1f\", ($end - $start) * 1000}")")
  done
  printf '  %-32s %s ms\n' "$q" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)"
done

echo "== in the browser (Chromium, file://)"
VIGIE_BENCH_SITE=$site cargo test --quiet --test search_browser -- --ignored bench_bytes_and_time_per_query --nocapture 2>&1 \
  | grep -v -E '^(running|test |$)|test result' || true
