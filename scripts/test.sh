#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: installs what the tests need
# (Chromium and axe-core for the browser tests, etcd + a kube-apiserver built
# from Debian's sources for the freshness tests), starts one API server on
# 127.0.0.1 for the run, runs cargo fmt/clippy checks and every test, then
# stops the server and says where the browser tests left their screenshots.
#
# Caches outside the clone: compiled crates in $CARGO_TARGET_DIR
# (default ~/.cache/vigie/target), kube-apiserver in ~/.cache/vigie-k8s,
# axe-core in ~/.cache/vigie/npm.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/vigie/target}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

need_debs() {
  local want=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || want+=("$p"); done
  ((${#want[@]})) || return 0
  echo "== installing ${want[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
}

need_debs chromium fonts-dejavu-core git
command -v npm >/dev/null 2>&1 || need_debs npm

# axe-core, the accessibility rules the browser tests run in each page: the
# npm package only (it ships the script; no browser is downloaded).
AXE_VERSION=4.14.1
npm_cache="$HOME/.cache/vigie/npm"
axe="$npm_cache/node_modules/axe-core/axe.min.js"
if [[ ! -f $axe ]] || ! grep -q "\"version\": \"$AXE_VERSION\"" "$npm_cache/node_modules/axe-core/package.json"; then
  echo "== installing axe-core $AXE_VERSION into $npm_cache"
  mkdir -p "$npm_cache"
  npm install --prefix "$npm_cache" --no-audit --no-fund --no-save --silent "axe-core@$AXE_VERSION"
fi
export VIGIE_TEST_AXE=${VIGIE_TEST_AXE:-$axe}
export VIGIE_SCREENSHOTS=${VIGIE_SCREENSHOTS:-$CARGO_TARGET_DIR/vigie-screenshots}
echo "== kube-apiserver (built once, cached)"
scripts/k8s-apiserver.sh ensure

state=$(mktemp -d "${TMPDIR:-/tmp}/vigie-k8s.XXXXXX")
cleanup() { scripts/k8s-apiserver.sh stop "$state" || true; rm -rf "$state"; }
trap cleanup EXIT
VIGIE_TEST_KUBECONFIG=$(scripts/k8s-apiserver.sh start "$state" | tail -n 1)
export VIGIE_TEST_KUBECONFIG
export VIGIE_TEST_CHROMIUM=${VIGIE_TEST_CHROMIUM:-/usr/bin/chromium}

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --all-targets --quiet -- -D warnings
echo "== cargo test"
rm -f "$VIGIE_SCREENSHOTS/weight.txt"
cargo test --all-targets
if [[ -f $VIGIE_SCREENSHOTS/weight.txt ]]; then
  echo "== weight of the demo site's pages"
  cat "$VIGIE_SCREENSHOTS/weight.txt"
fi
echo "== screenshots and printed pages of the demo site: $VIGIE_SCREENSHOTS"
