#!/usr/bin/env bash
# Builds vigie and the bundled demo knowledge base (runbooks/) against the platform state it
# recorded (runbooks/etat/plateforme.json, named by [freshness] state in runbooks/vigie.toml),
# then says which file to open and which command to try next.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/vigie/target}
cargo build --quiet --bin vigie
vigie="$CARGO_TARGET_DIR/debug/vigie"
"$vigie" build runbooks "$@"
echo "open $(pwd)/runbooks/site/index.html in a browser (it works from disk, no server needed);"
echo "its freshness dashboard (runbooks/site/freshness.html) shows the pages the recorded platform contradicts."
echo "Next, what each page owner would be told:"
echo "  $vigie check freshness runbooks --now 2026-11-26 --format digest"
