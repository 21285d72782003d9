#!/usr/bin/env bash
# Search benchmark (not a test): on a generated corpus (10,000 pages by
# default), builds the site with and without search and prints
#   - the browser index size against the Markdown size (budget: 25%),
#   - what typical queries cost in a fresh browser, the query pasted: script
#     files loaded (assets/search.js and search/…, manifest included), raw and
#     gzipped bytes, time until the results are shown (budget: 12 requests,
#     100 kB gzipped, 80 ms per query),
#   - the share of build time that indexing adds (budget: 30%),
#   - `vigie search` latency once the index exists (budget: 50 ms).
#
#   scripts/search-bench.sh                    # 10000 pages
#   BENCH_PAGES=1000 scripts/search-bench.sh
#   BENCH_RUNS=3 scripts/search-bench.sh       # builds per variant (the fastest counts)
#   VIGIE_BENCH_ROUNDS=5 scripts/search-bench.sh  # browsers per query (the median counts)
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
    rm -rf "$out"
    case $variant in
      # `cli`: the knowledge base has an empty `vigie search` cache, which the build fills.
      cli) rm -rf "$corpus/.vigie"; mkdir -p "$corpus/.vigie/search-index" ;;
      # `edit`: one page changed since the build that filled the cache: it is refreshed.
      edit) [ -d "$corpus/.vigie/search-index" ] || { echo "edit needs the cli build first" >&2; exit 1; }
            echo "Ligne ajoutée pour le banc d'essai ($RANDOM)." >>"$edited" ;;
      *) rm -rf "$corpus/.vigie" ;;
    esac
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

edited=$(find "$corpus/src" -name '*.md' | sort | sed -n 100p)
cp "$edited" "$cache/edited.md.orig"
read -r off_wall off_cpu off_peak < <(build off)
read -r cli_wall cli_cpu cli_peak < <(build cli)
read -r edit_wall edit_cpu edit_peak < <(build edit)
cp "$cache/edited.md.orig" "$edited"
read -r on_wall on_cpu on_peak < <(build on)
printf 'build without search:              %6.2f s wall, %6.2f s CPU, %5d MB peak\n' "$off_wall" "$off_cpu" "$off_peak"
printf 'build with search:                 %6.2f s wall, %6.2f s CPU, %5d MB peak\n' "$on_wall" "$on_cpu" "$on_peak"
printf 'build filling the tantivy cache:   %6.2f s wall, %6.2f s CPU, %5d MB peak\n' "$cli_wall" "$cli_cpu" "$cli_peak"
printf 'the same after one page changed:   %6.2f s wall, %6.2f s CPU, %5d MB peak\n' "$edit_wall" "$edit_cpu" "$edit_peak"
awk "BEGIN {printf \"browser index adds %.1f%% wall, %.1f%% CPU; filling the tantivy cache too %.1f%% wall, %.1f%% CPU; refreshing it after one change %.1f%% wall, %.1f%% CPU (budget 30%%)\n\", ($on_wall - $off_wall) * 100 / $off_wall, ($on_cpu - $off_cpu) * 100 / $off_cpu, ($cli_wall - $off_wall) * 100 / $off_wall, ($cli_cpu - $off_cpu) * 100 / $off_cpu, ($edit_wall - $off_wall) * 100 / $off_wall, ($edit_cpu - $off_cpu) * 100 / $off_cpu}"
printf 'load average during the run: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"

site=$cache/site-$pages-on
search_bytes=$(find "$site/search" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
for d in v p d t k; do
  printf '  search/%s: %6d files, %8d kB\n' "$d" "$(find "$site/search/$d" -type f | wc -l)" \
    "$(( $(find "$site/search/$d" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}') / 1024 ))"
done
printf '  search/index.js: %d kB; assets/search.js: %d kB\n' "$(( $(stat -c %s "$site/search/index.js") / 1024 ))" \
  "$(( $(stat -c %s "$site/assets/search.js") / 1024 ))"
awk "BEGIN {printf \"search folder: %d kB, %.1f%% of the Markdown (budget 25%%)\n\", $search_bytes / 1024, $search_bytes * 100 / $md_bytes}"

echo "== vigie search"
start=$EPOCHREALTIME
"$vigie" search "warm up" --root "$corpus" >/dev/null
printf 'first search (renders the pages and builds the index): %.1f s\n' "$(awk "BEGIN {print $EPOCHREALTIME - $start}")"
printf 'tantivy index (ROOT/.vigie, not in the site): %d kB\n' "$(du -sk "$corpus/.vigie" | cut -f1)"
echo "once indexed (median of 5 runs, process start included; CPU time in brackets):"
for q in "redemarrer nova-api" "quorum galera" "rabitmq partitionee" "kubectl -n openstack get pods" "certificat tls expire"; do
  times=(); cpus=()
  for _ in 1 2 3 4 5; do
    t=$(mktemp)
    start=$EPOCHREALTIME
    /usr/bin/time -f "%U %S" -o "$t" "$vigie" search "$q" --root "$corpus" --limit 10 --format json >/dev/null
    end=$EPOCHREALTIME
    times+=("$(awk "BEGIN {printf \"%.1f\", ($end - $start) * 1000}")")
    cpus+=("$(awk '{printf "%.0f", ($1 + $2) * 1000}' "$t")")
    rm -f "$t"
  done
  printf '  %-32s %6s ms (%s ms CPU)\n' "$q" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)" \
    "$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n 3p)"
done

echo "== in the browser (Chromium, file://)"
VIGIE_BENCH_SITE=$site cargo test --quiet --test search_browser -- --ignored bench_bytes_and_time_per_query --nocapture 2>&1 \
  | grep -v -E '^(running|test |$)|test result' || true
