#!/usr/bin/env bash
# The project's test command (README line 3; .ci/run calls exactly this):
# formatting, lints and documentation first, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all --check
cargo clippy --workspace --all-targets --release -- -D warnings
RUSTDOCFLAGS='-D warnings' cargo doc --no-deps --workspace
cargo test --workspace --release
