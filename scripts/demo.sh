#!/usr/bin/env bash
# Builds vigie and the bundled demo knowledge base (runbooks/), then says which file to open.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/vigie/target}
cargo build --quiet --bin vigie
"$CARGO_TARGET_DIR/debug/vigie" build runbooks "$@"
echo "open $(pwd)/runbooks/site/index.html in a browser (it works from disk, no server needed)"
