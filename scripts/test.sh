#!/usr/bin/env bash
# The project's test command (README line 2; .ci/run calls exactly this).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --release
