#!/usr/bin/env bash
# Runs every check and test of lapor: formatting, lints, unit, property and end-to-end tests.
# Installs what the tests need when it is missing. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    step "installing rustfmt and clippy"
    rustup component add rustfmt clippy
fi

# The AWS backend is tested against moto, a wire-protocol emulator of DynamoDB, S3, SQS and
# EventBridge that the tests start themselves.
if ! python3 -c 'import moto.server, flask' >/dev/null 2>&1; then
    step "installing moto"
    python3 -m pip install --quiet 'moto[server]>=5.2,<6'
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked

# The HTTP-level tests once more on the AWS backend (DynamoDB on moto). The concurrency tests
# stay on the embedded backend: moto itself fails (500) under hundreds of parallel writes.
step "end-to-end tests on the AWS backend"
LAPOR_TEST_BACKEND=aws cargo test --locked -p lapor-tests \
    --test lifecycle --test permissions --test bad_input
