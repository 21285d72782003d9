#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: installs what the tests need
# (Chromium for the browser tests, etcd + a kube-apiserver built from Debian's
# sources for the freshness tests), starts one API server on 127.0.0.1 for the
# run, runs cargo fmt/clippy checks and every test, then stops the server.
#
# Caches outside the clone: compiled crates in $CARGO_TARGET_DIR
# (default ~/.cache/vigie/target), kube-apiserver in ~/.cache/vigie-k8s.
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
cargo test --all-targets
