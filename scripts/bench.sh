#!/usr/bin/env bash
# Benchmark (not a test): vigie beside its peers in one run, on generated
# mdBook-layout corpora (../shared/bench/gen_corpus.py). Runs alternate
# (vigie, peers, then the other way round): each line is the median of the
# runs with the spread (min–max) in brackets, and a goal beside vigie's numbers.
#
#   build, 1,000 pages      vigie · mdBook 0.5.4 · Hugo (bare layout)      wall, CPU, peak, bytes written
#   build, 10,000 pages     vigie · Hugo · mdBook (with a timeout)          wall, CPU, peak, bytes written
#   build, 30,000 pages     vigie alone, against its 10,000-page numbers    (only when BENCH_SIZES has 30000)
#   serve, 10,000 pages     save a page -> the page served shows it; serve's memory across saves
#   search, 10,000 pages    requests and bytes per query in Chromium (tests/search_browser.rs)
#   links, 10,000 pages     `vigie check links --offline` · lychee --offline (when available)
#   Argo CD docs            vigie · MkDocs 1.6 + Material 9.8 (a real MkDocs project)
#
# Environment (defaults in brackets):
#   BENCH_SIZES="1000 10000"   corpus sizes built; add 30000 for the growth row, "" for none
#   BENCH_RUNS=3               runs per tool below 10,000 pages (and for the Argo CD row)
#   BENCH_RUNS_LARGE=2         runs per tool at 10,000 pages and more
#   BENCH_MDBOOK=1             0: no mdBook
#   BENCH_MDBOOK_TIMEOUT=300   seconds before an mdBook build is given up on (not retried at that size)
#   BENCH_HUGO=1               0: no Hugo
#   BENCH_SERVE=1              0: no serve row
#   BENCH_SAVES=3              saves in the serve row (e.g. 100 to watch memory)
#   BENCH_SAVE_TIMEOUT=120     seconds allowed per save
#   BENCH_SEARCH=1             0: no search row (needs Chromium; installed with apt-get when missing)
#   BENCH_SEARCH_ROUNDS=5      fresh browsers per query (a first query's time varies by half from one to the next)
#   BENCH_LINKS=1              0: no links row
#   BENCH_LYCHEE=0             1: install lychee 0.24.2 with `cargo install` when it is not on PATH (long)
#   BENCH_MKDOCS=1             0: no Argo CD / MkDocs row
#
# Installs what it needs once: Debian packages (time, bc, hugo, chromium) with
# apt-get when missing, mdBook 0.5.4 with `cargo install` into
# ~/.cache/vigie/mdbook, lychee into ~/.cache/vigie/lychee, MkDocs + Material
# from PyPI into ~/.cache/vigie/mkdocs-venv. Corpora and sites are kept in
# ~/.cache/vigie/bench, outside the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/vigie/target}
cache=$HOME/.cache/vigie/bench
res=$cache/results
mkdir -p "$cache"
# Sites and copies a run replaces are moved aside and deleted when the bench
# ends, not before each run: on a file system that skips the inodes freed in
# the last minutes when it creates a file (ext4 without a journal), deleting
# 10,000 files slows whatever creates the next 10,000, and every tool's
# timings would include the bench's own clean-up. (A bench started minutes
# after another one still meets the inodes that one freed.)
trash=$cache/trash
rm -rf "$trash" # left by an interrupted run
mkdir -p "$trash"
trap 'rm -rf "$trash"' EXIT
aside() { if [ -e "$1" ]; then mv "$1" "$(mktemp -d "$trash/XXXXXX")/"; fi; }
gen=${VIGIE_CORPUS_GENERATOR:-../shared/bench/gen_corpus.py}
[ -f "$gen" ] || { echo "corpus generator not found: $gen" >&2; exit 2; }
sizes=${BENCH_SIZES-1000 10000}
runs_small=${BENCH_RUNS:-3}
runs_large=${BENCH_RUNS_LARGE:-2}
mdbook_timeout=${BENCH_MDBOOK_TIMEOUT:-300}

# Every run's output is kept (moved aside) until the bench ends: a disk
# that fills up midway stops the bench with half a table. The room the
# outputs take is checked first: per page and run, about 130 kB where
# mdBook and Hugo run beside vigie (vigie ~30, mdBook ~80, Hugo ~15), 30 kB
# above 10,000 pages (vigie alone), and 1 GB for the other rows.
need_kb=1048576
for n in $sizes; do
  if [ "$n" -le 10000 ]; then
    r=$runs_small per=130
    [ "$n" -lt 10000 ] || r=$runs_large
  else
    r=$runs_large per=30
  fi
  need_kb=$((need_kb + n * r * per))
done
free_kb=$(df -Pk "$cache" | awk 'NR == 2 {print $4}')
if [ "$free_kb" -lt "$need_kb" ]; then
  echo "not enough disk space: the bench keeps every run's output until it ends, about $((need_kb / 1048576 + 1)) GB here, and $cache has $((free_kb / 1048576)) GB free" >&2
  exit 2
fi
# Checked before anything is installed or built; a refused run keeps the
# last table.
rm -rf "$res"
mkdir -p "$res"

apt_updated=0
# need_deb COMMAND PACKAGE: installs PACKAGE with apt-get when COMMAND is missing.
need_deb() {
  command -v "$1" >/dev/null && return
  echo "installing $2 (apt-get) …" >&2
  [ "$apt_updated" = 1 ] || { apt-get update -qq >&2; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
need_deb /usr/bin/time time
need_deb bc bc
need_deb python3 python3
[ "${BENCH_HUGO:-1}" = 1 ] && need_deb hugo hugo

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

# Sizes in bytes (what the files hold); `du` would count 4 kB blocks. A
# failed run may leave no folder: 0, not the end of the bench.
bytes() { { find "$1" -type f -printf '%s\n' 2>/dev/null || true; } | awk '{s += $1} END {print s + 0}'; }

corpus() { # corpus N: path of the N-page corpus, generated once
  local dir=$cache/corpus-$1
  [ -f "$dir/book.toml" ] || python3 "$gen" "$dir" --pages "$1" >/dev/null
  echo "$dir"
}

# measure KEY OUT LIMIT CMD…: one run of CMD, appended to $res/KEY as
# "wall CPU peak-kB exit user system" (CPU = user + system); LIMIT > 0 gives
# up after LIMIT seconds (exit 124).
# OUT (when not "-") is moved aside before and its size recorded after.
measure() {
  local key=$1 out=$2 limit=$3; shift 3
  [ "$out" = - ] || aside "$out"
  local t status=0; t=$(mktemp)
  if [ "$limit" -gt 0 ]; then set -- timeout "$limit" "$@"; fi
  /usr/bin/time -f "%e %U %S %M" -o "$t" "$@" >"$res/$key.log" 2>&1 || status=$?
  # `time` adds a line when the command fails: the numbers are on the last one.
  tail -n 1 "$t" | awk -v s="$status" '{printf "%s %.2f %s %s %.2f %.2f\n", $1, $2 + $3, $4, s, $2, $3}' >>"$res/$key"
  rm -f "$t"
  [ "$out" = - ] || bytes "$out" >"$res/$key.bytes"
}

# stats KEY COLUMN: "median min max" of the runs that did not time out.
stats() {
  awk -v c="$2" '$4 != 124 {print $c}' "$res/$1" | sort -g |
    awk '{a[NR] = $1} END {if (NR == 0) exit; m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; print m, a[1], a[NR]}'
}

# report KEY NAME: one line, medians (min–max) of wall, CPU, peak, and the output size.
report() {
  local key=$1 name=$2 n timeouts w c p exits
  n=$(wc -l <"$res/$key")
  timeouts=$(awk '$4 == 124' "$res/$key" | wc -l)
  if [ "$timeouts" = "$n" ]; then
    printf '  %-7s gave up after %s s (timeout) in %d of %d runs\n' "$name" "$(awk '{print $1; exit}' "$res/$key")" "$timeouts" "$n"
    return
  fi
  read -r w w0 w1 < <(stats "$key" 1)
  read -r c c0 c1 < <(stats "$key" 2)
  read -r p p0 p1 < <(stats "$key" 3)
  printf '  %-7s %7.2f s wall (%.2f–%.2f)  %7.2f s CPU (%.2f–%.2f)  %5d MB peak (%d–%d)' \
    "$name" "$w" "$w0" "$w1" "$c" "$c0" "$c1" "$((${p%.*} / 1024))" "$((p0 / 1024))" "$((p1 / 1024))"
  [ -f "$res/$key.bytes" ] && printf '  %6.1f MB written' "$(echo "$(cat "$res/$key.bytes") / 1048576" | bc -l)"
  printf '  [%d runs' "$n"
  [ "$timeouts" = 0 ] || printf ', %d timed out' "$timeouts"
  exits=$(awk '$4 != 0 && $4 != 124 {print $4}' "$res/$key" | sort -u | tr '\n' ' ')
  [ -z "$exits" ] || printf ', exit %s' "${exits% }"
  printf ']\n'
}

# ratio KEY BASE NAME: medians of KEY over medians of BASE.
ratio() {
  [ -n "$(stats "$1" 1)" ] && [ -n "$(stats "$2" 1)" ] || return 0
  local r=() col
  for col in 1 2 3; do
    r+=("$(echo "$(stats "$1" $col | cut -d' ' -f1) / $(stats "$2" $col | cut -d' ' -f1)" | bc -l)")
  done
  printf '  %-7s = %.1f× wall, %.1f× CPU, %.1f× peak memory of vigie (ratio of medians)\n' "$3" "${r[@]}"
}

# goal TEXT OK: prints "goal TEXT: pass|FAIL"; OK is an awk condition.
goal() { printf '    goal %s: %s\n' "$1" "$(awk "BEGIN {print ($2) ? \"pass\" : \"FAIL\"}")"; }

median_of() { stats "$1" "$2" | cut -d' ' -f1; }

# A bare Hugo site from an mdBook corpus: the same Markdown (SUMMARY.md left
# out), one template for pages and lists that prints the title and the content.
# Hugo keeps its default code highlighting (vigie highlights code too) and
# leaves the `.md` links as they are: the site is for timing, not for reading.
hugo_site() {
  local n=$1 src=$2 dir=$cache/hugo-$1
  if [ ! -f "$dir/hugo.toml" ] || [ "$src/SUMMARY.md" -nt "$dir/hugo.toml" ]; then
    aside "$dir"
    mkdir -p "$dir/layouts/_default"
    cp -r "$src" "$dir/content"
    rm -f "$dir/content/SUMMARY.md"
    # No taxonomies, feeds, sitemap or robots.txt; raw HTML kept as mdBook and vigie keep it.
    cat >"$dir/hugo.toml" <<'EOF'
baseURL = "http://localhost/"
title = "bench"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[taxonomies]
[markup.goldmark.renderer]
unsafe = true
EOF
    local page='<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>'
    echo "$page" >"$dir/layouts/_default/single.html"
    echo "$page" >"$dir/layouts/_default/list.html"
  fi
  echo "$dir"
}

# The machine's state between rows: its load, and its free memory. Writing
# a large site into a full page cache first makes the kernel reclaim pages:
# the 30,000-page build's system time doubled on a machine with 2.8 GB free.
load() {
  printf 'load average: %s; memory free: %s MB, page cache %s MB\n' "$(cut -d' ' -f1-3 /proc/loadavg)" \
    "$(awk '/^MemFree:/ {print int($2 / 1024)}' /proc/meminfo)" "$(awk '/^Cached:/ {print int($2 / 1024)}' /proc/meminfo)"
}

echo "vigie $("$vigie" --version | awk '{print $NF}')$([ -n "$mdbook" ] && echo ", mdBook $("$mdbook" --version | awk '{print $NF}')")$([ "${BENCH_HUGO:-1}" = 1 ] && echo ", Hugo $(hugo version | awk '{print $2}' | cut -d+ -f1)"); $(nproc) cores"
load

# ---- builds --------------------------------------------------------------
for n in $sizes; do
  src_dir=$(corpus "$n")
  md=$(bytes "$src_dir/src")
  runs=$runs_small; [ "$n" -lt 10000 ] || runs=$runs_large
  tools=(vigie)
  if [ "$n" -le 10000 ]; then
    [ -z "$mdbook" ] || tools+=(mdbook)
    if [ "${BENCH_HUGO:-1}" = 1 ]; then tools+=(hugo); hsite=$(hugo_site "$n" "$src_dir/src"); fi
  fi
  echo
  echo "== build, $n pages ($((md / 1048576)) MB of Markdown), ${tools[*]}, $runs alternating runs"
  for r in $(seq "$runs"); do
    order=("${tools[@]}")
    if [ $((r % 2)) = 0 ]; then order=(); for ((i = ${#tools[@]} - 1; i >= 0; i--)); do order+=("${tools[i]}"); done; fi
    for tool in "${order[@]}"; do
      case $tool in
        vigie) measure "vigie-$n" "$cache/vigie-site-$n" 0 "$vigie" build "$src_dir" -o "$cache/vigie-site-$n" --broken-links warn ;;
        mdbook)
          # Given up on once, not tried again at this size.
          if ! grep -q ' 124$' "$res/mdbook-$n" 2>/dev/null; then
            measure "mdbook-$n" "$cache/mdbook-site-$n" "$mdbook_timeout" "$mdbook" build "$src_dir" -d "$cache/mdbook-site-$n"
          fi ;;
        hugo) measure "hugo-$n" "$cache/hugo-site-$n" 0 hugo --quiet --source "$hsite" --destination "$cache/hugo-site-$n" ;;
      esac
    done
  done
  report "vigie-$n" vigie
  case $n in
    1000) goal "build 1,000 pages <= 0.3 s wall" "$(median_of "vigie-$n" 1) <= 0.3" ;;
    10000) goal "build 10,000 pages <= 2.5 s wall" "$(median_of "vigie-$n" 1) <= 2.5"
           goal "build 10,000 pages <= 500 MB peak" "$(median_of "vigie-$n" 3) <= 500 * 1024" ;;
    30000) if [ -s "$res/vigie-10000" ]; then
             goal "30,000 pages <= 3× the 10,000-page wall time" "$(median_of vigie-30000 1) <= 3 * $(median_of vigie-10000 1)"
             goal "30,000 pages: peak memory flat (<= 1.2× the 10,000-page peak)" "$(median_of vigie-30000 3) <= 1.2 * $(median_of vigie-10000 3)"
             # Where the time grows: vigie's own work (user) or the kernel's
             # (system: creating files, copying them into the page cache).
             printf '    30,000 / 10,000 pages: %.1f× user CPU, %.1f× system CPU (medians)\n' \
               "$(echo "$(median_of vigie-30000 5) / $(median_of vigie-10000 5)" | bc -l)" \
               "$(echo "$(median_of vigie-30000 6) / $(median_of vigie-10000 6)" | bc -l)"
           fi ;;
  esac
  if [ -d "$cache/vigie-site-$n/search" ]; then
    idx=$(bytes "$cache/vigie-site-$n/search")
    echo "          search index: $((idx / 1024)) kB, $(echo "scale=1; $idx * 100 / $md" | bc)% of the Markdown"
  fi
  for tool in "${tools[@]:1}"; do
    [ -s "$res/$tool-$n" ] || continue
    report "$tool-$n" "$tool"
    ratio "$tool-$n" "vigie-$n" ""
  done
  if [ -s "$res/hugo-$n" ]; then
    html=$(find "$cache/hugo-site-$n" -name '*.html' | wc -l)
    echo "          Hugo wrote $html HTML files for $n pages (the pages, the home page and one list per top folder)"
  fi
  load
done
if [ -s "$res/vigie-30000" ] && [ ! -s "$res/vigie-10000" ]; then
  echo "(30,000 pages without 10,000 in BENCH_SIZES: no growth comparison)"
fi

# ---- serve ---------------------------------------------------------------
if [ "${BENCH_SERVE:-1}" = 1 ]; then
  echo
  echo "== serve, 10000 pages: save a page -> the page served shows it (${BENCH_SAVES:-3} saves)"
  # A copy: serve writes its search cache into the knowledge base, and the page is edited.
  work=$cache/serve-corpus-10000
  aside "$work"
  cp -r "$(corpus 10000)" "$work"
  python3 scripts/serve-bench.py "$vigie" "$work" --saves "${BENCH_SAVES:-3}" --timeout "${BENCH_SAVE_TIMEOUT:-120}" || echo "serve benchmark failed (exit $?)"
  aside "$work"
  load
fi

# ---- search in the browser -----------------------------------------------
if [ "${BENCH_SEARCH:-1}" = 1 ]; then
  echo
  echo "== search, 10000 pages: requests and bytes per query in Chromium"
  echo "    goals: <= 12 requests and <= 100 kB gzipped per query, first query <= 80 ms"
  site=$cache/vigie-site-10000
  # The site of the build rows, or of this binary when they did not make one.
  if [ ! -f "$site/index.html" ] || [ "$vigie" -nt "$site/index.html" ]; then
    aside "$site"
    "$vigie" build "$(corpus 10000)" -o "$site" --broken-links warn >/dev/null 2>&1
  fi
  chromium=${VIGIE_TEST_CHROMIUM:-/usr/bin/chromium}
  [ -x "$chromium" ] || need_deb chromium chromium
  VIGIE_BENCH_ROUNDS=${BENCH_SEARCH_ROUNDS:-5} VIGIE_BENCH_SITE=$site VIGIE_TEST_CHROMIUM=$chromium cargo test --quiet --test search_browser -- --ignored bench_bytes_and_time_per_query --nocapture 2>&1 |
    grep -v -E '^(running|test |\.*$)|test result' || true
fi

# ---- links ---------------------------------------------------------------
if [ "${BENCH_LINKS:-1}" = 1 ]; then
  lychee=$(command -v lychee || true)
  [ -n "$lychee" ] || [ ! -x "$HOME/.cache/vigie/lychee/bin/lychee" ] || lychee=$HOME/.cache/vigie/lychee/bin/lychee
  if [ -z "$lychee" ] && [ "${BENCH_LYCHEE:-0}" = 1 ]; then
    echo "installing lychee 0.24.2 (once, several minutes) …" >&2
    cargo install --quiet lychee --version 0.24.2 --locked --root "$HOME/.cache/vigie/lychee" >&2
    lychee=$HOME/.cache/vigie/lychee/bin/lychee
  fi
  links_corpus=$(corpus 10000)
  tools=(vigie); [ -z "$lychee" ] || tools+=(lychee)
  echo
  echo "== check links --offline, 10000 pages, ${tools[*]}, $runs_large alternating runs"
  for r in $(seq "$runs_large"); do
    order=("${tools[@]}")
    if [ $((r % 2)) = 0 ]; then order=(); for ((i = ${#tools[@]} - 1; i >= 0; i--)); do order+=("${tools[i]}"); done; fi
    for tool in "${order[@]}"; do
      case $tool in
        vigie) measure links-vigie - 0 "$vigie" check links --offline "$links_corpus" ;;
        # Local files and their #anchors, as `vigie check links --offline`.
        lychee) measure links-lychee - 0 env -C "$links_corpus" "$lychee" --offline --no-progress --include-fragments 'src/**/*.md' ;;
      esac
    done
  done
  report links-vigie vigie
  goal "links --offline 10,000 pages <= 1 s wall" "$(median_of links-vigie 1) <= 1"
  echo "          $(grep -E 'error\(s\)' "$res/links-vigie.log" | tail -n 1)"
  if [ -n "$lychee" ]; then
    report links-lychee lychee
    ratio links-lychee links-vigie ""
    echo "          $(grep -E 'Total' "$res/links-lychee.log" | tail -n 1)"
  else
    echo "  lychee: not installed, skipped (BENCH_LYCHEE=1 installs it with cargo install; compiling it is long)"
  fi
  load
fi

# ---- a real MkDocs project, beside MkDocs + Material ----------------------
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
  aside "$work"; mkdir -p "$work"
  cp -r "$argo/docs" "$work/docs"
  grep -v -e '^  custom_dir:' -e '^strict:' "$argo/mkdocs.yml" >"$work/mkdocs.yml"
  pages=$(find "$argo/docs" -name '*.md' | wc -l)
  echo
  echo "== Argo CD docs (MkDocs + Material project), $pages pages, vigie mkdocs, $runs_small alternating runs"
  for r in $(seq "$runs_small"); do
    for tool in $([ $((r % 2)) = 1 ] && echo vigie mkdocs || echo mkdocs vigie); do
      case $tool in
        vigie) measure argo-vigie "$cache/vigie-site-argo" 0 "$vigie" build "$argo" -o "$cache/vigie-site-argo" --broken-links warn ;;
        # MkDocs (and markdown_include) read paths from the folder it runs in.
        mkdocs) measure argo-mkdocs "$cache/mkdocs-site-argo" 0 env -C "$work" "$venv/bin/mkdocs" build -q -d "$cache/mkdocs-site-argo" ;;
      esac
    done
  done
  report argo-vigie vigie
  report argo-mkdocs mkdocs
  ratio argo-mkdocs argo-vigie ""
  load
fi
