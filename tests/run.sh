#!/usr/bin/env bash
# Runs every check and test of lapor: formatting, lints, unit, property and end-to-end tests.
# Installs what the tests need when it is missing. CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step says how long the one before took, and the end lists them all: where the time goes.
timings=()
current=""
started=$SECONDS
last=$SECONDS
step() {
    finish_step
    current="$*"
    printf '\n==> %s\n' "$current"
}
finish_step() {
    if [ -n "$current" ]; then
        timings+=("$(printf '%6ds  %s' $((SECONDS - last)) "$current")")
    fi
    last=$SECONDS
}
summary() {
    finish_step
    current=""
    # The schemathesis test writes its figures here: a passing test's output is not shown.
    cat target/tmp/schemathesis-*.txt 2>/dev/null || true
    printf '\n==> time by step (%ds in all)\n' $((SECONDS - started))
    printf '%s\n' "${timings[@]}"
}
trap summary EXIT

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

# Schemathesis tests the API against its own OpenAPI document (tests/tests/schemathesis.rs).
if ! command -v schemathesis >/dev/null 2>&1; then
    step "installing schemathesis"
    python3 -m pip install --quiet 'schemathesis>=4.32,<5'
fi

# The deployment template is checked offline, with no AWS account: cfn-lint, and the SAM CLI,
# whose `sam validate` runs the SAM transform itself (cfn-lint 1.x no longer does).
if ! command -v cfn-lint >/dev/null 2>&1; then
    step "installing cfn-lint"
    python3 -m pip install --quiet 'cfn-lint>=1,<2'
fi
if ! command -v sam >/dev/null 2>&1; then
    step "installing the SAM CLI"
    python3 -m pip install --quiet 'aws-sam-cli>=1,<2'
fi

# cargo-lambda cross-builds the functions for Lambda's arm64; its package brings zig as the linker.
if ! command -v cargo-lambda >/dev/null 2>&1; then
    step "installing cargo-lambda"
    python3 -m pip install --quiet 'cargo-lambda>=1.9,<2'
fi

# Coverage-guided fuzzing (tests/fuzz) with cargo-fuzz and libFuzzer.
if ! cargo fuzz --version >/dev/null 2>&1; then
    step "installing cargo-fuzz"
    cargo install cargo-fuzz --locked --version ^0.13
fi

# The web pages are tested in Debian's Chromium, driven by Playwright, checked by axe-core
# (tests/tests/browser.rs runs tests/browser/*.test.mjs).
if [ ! -x /usr/bin/chromium ]; then
    step "installing Chromium"
    sudo=$( [ "$(id -u)" -eq 0 ] || echo sudo )
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
    step "installing the browser tests' npm packages"
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

step "cargo fmt --check"
cargo fmt --all -- --check
# The fuzz targets are a workspace of their own, which `--all` does not reach. It resolves the
# root's versions: the root's lock, copied in (the fuzz workspace keeps none of its own).
cp Cargo.lock tests/fuzz/Cargo.lock
cargo fmt --manifest-path tests/fuzz/Cargo.toml -- --check

step "cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

# The fuzz workspace is checked in the root's target directory, so clippy reuses what the root's
# clippy checked with the same versions, profile and features (53 s of CPU instead of 280 s).
# `--no-default-features` leaves out linking libFuzzer, whose C++ a check does not need.
step "cargo clippy of the fuzz targets"
CARGO_TARGET_DIR="$PWD/target" cargo clippy --manifest-path tests/fuzz/Cargo.toml \
    --all-targets --no-default-features -- -D warnings

# infra/template.yaml: valid CloudFormation (cfn-lint), a valid SAM template (`sam validate`
# runs the transform CloudFormation will run: it rejects an unknown event or CORS key that
# cfn-lint lets through), lint against Jakarta's own resource specs (`--lint` with the region;
# plain cfn-lint checks us-east-1), and the code's contract (template_check.py: runtime,
# architecture, binaries, routes, policies). None needs credentials or the network; SAM's
# telemetry is off so it does not try to reach it.
step "deployment template (cfn-lint, sam validate, template_check)"
cfn-lint infra/template.yaml
SAM_CLI_TELEMETRY=0 sam validate --template-file infra/template.yaml --region ap-southeast-3
SAM_CLI_TELEMETRY=0 sam validate --lint --template-file infra/template.yaml --region ap-southeast-3
python3 tests/template_check.py

step "cargo test"
rm -f target/tmp/schemathesis-*.txt
cargo test --workspace --locked

# Each fuzz target for LAPOR_FUZZ_SECONDS (30 by default), all built at once first, then run
# as many at a time as there are cores (each runs on one). The stable toolchain builds them with
# RUSTC_BOOTSTRAP=1 (the coverage instrumentation needs unstable flags); no sanitizer (the code
# is safe Rust) but debug assertions and overflow checks. Each run starts from the committed
# seeds (tests/fuzz/corpus/<target>) and adds what it finds to a scratch folder, so the seeds
# stay as committed; a crash or a hang (over 10 s) fails the step, its input saved in
# tests/fuzz/artifacts/<target>/, to be made a regression test.
fuzz_seconds=${LAPOR_FUZZ_SECONDS:-30}
fuzz_targets=(json_body cursor token blob_url calendar config)
fuzz_host=$(rustc -vV | sed -n 's/^host: //p')
step "fuzz targets: build"
RUSTC_BOOTSTRAP=1 cargo fuzz build --fuzz-dir tests/fuzz --target "$fuzz_host" \
    --sanitizer none --debug-assertions
step "fuzz targets: ${fuzz_seconds}s each"
fuzz_scratch=$(mktemp -d)
fuzz_one() {
    mkdir -p "$fuzz_scratch/$1" "tests/fuzz/artifacts/$1"
    "tests/fuzz/target/$fuzz_host/release/$1" -max_total_time="$fuzz_seconds" -timeout=10 \
        -print_final_stats=1 -artifact_prefix="tests/fuzz/artifacts/$1/" \
        "$fuzz_scratch/$1" "tests/fuzz/corpus/$1" >"$fuzz_scratch/$1.log" 2>&1 ||
        echo "$1" >>"$fuzz_scratch/failed"
}
fuzz_running=0
for target in "${fuzz_targets[@]}"; do
    fuzz_one "$target" &
    fuzz_running=$((fuzz_running + 1))
    if [ "$fuzz_running" -ge "$(nproc)" ]; then
        wait -n
        fuzz_running=$((fuzz_running - 1))
    fi
done
wait
for target in "${fuzz_targets[@]}"; do
    if grep -qx "$target" "$fuzz_scratch/failed" 2>/dev/null; then
        cat "$fuzz_scratch/$target.log" >&2
        echo "fuzz target $target failed: its input is in tests/fuzz/artifacts/$target/" >&2
        exit 1
    fi
    printf '%-10s %9s executions, %s edges covered\n' "$target" \
        "$(sed -n 's/^stat::number_of_executed_units: *//p' "$fuzz_scratch/$target.log")" \
        "$(grep -o 'DONE *cov: [0-9]*' "$fuzz_scratch/$target.log" | grep -o '[0-9]*$')"
done
rm -rf "$fuzz_scratch"

# The HTTP-level tests once more on the AWS backend (DynamoDB on moto). The concurrency tests
# stay on the embedded backend: moto itself fails (500) under hundreds of parallel writes.
# Schemathesis, six times slower on moto, gets 30 seconds per caller there.
step "end-to-end tests on the AWS backend"
LAPOR_TEST_BACKEND=aws LAPOR_SCHEMATHESIS_SECONDS=30 cargo test --locked -p lapor-tests \
    --test lifecycle --test permissions --test accounts --test bad_input --test attachments \
    --test jobs --test notifications --test schemathesis --test browser --test web_sessions \
    --test reference_data --test web_forms --test web_pages --test web_console

# What `sam build` deploys: every function for arm64 / provided.al2023 (each binary in
# target/lambda/<function>/bootstrap), with the release profile less its link-time optimisation
# (the `lambda-check` profile in Cargo.toml says why).
step "cargo lambda build --arm64 (every function, profile lambda-check)"
cargo lambda build --profile lambda-check --arm64 --locked \
    --bin submission --bin verification --bin disposition \
    --bin follow-up --bin queries --bin accounts --bin web \
    --bin deadline-checker --bin auto-closer --bin notifier
# Deployed functions run on DynamoDB: SQLite in them would be dead weight, and a sign that
# features leaked in from lapor-local or the tests (see default-members in Cargo.toml).
if grep -l -a 'SQLite format 3' target/lambda/*/bootstrap; then
    echo "the functions above carry SQLite" >&2
    exit 1
fi
