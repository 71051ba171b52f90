# Developer tasks. `just` is optional: every recipe is one plain command you can copy.

# List the recipes.
default:
    @just --list

# Serve on http://127.0.0.1:8080 with demo data (SQLite in ./data).
run *ARGS:
    cargo run -p ebdesk-cli -- serve --demo {{ARGS}}

# The test suite (PostgreSQL tests skip when it does not answer, unless CI=true).
test:
    cargo test --workspace

# Browser tests against a throw-away demo server (needs /usr/bin/chromium).
e2e *TESTS:
    web/e2e/run.sh {{TESTS}}

# Format the code.
fmt:
    cargo fmt --all

# Lints, as CI runs them.
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings

# Throughput and latency on SQLite and PostgreSQL (BENCH_SIZE, BENCH_SECONDS, BENCH_LOAD_1M=1).
bench *ARGS:
    scripts/bench.sh {{ARGS}}
    scripts/bench_uploads.sh
    scripts/bench_statements.sh

# The employee list and its count per search and filter, on a database loaded with
# `ebdesk demo --size N`: just bench-list sqlite://data/ebdesk.sqlite 530-900 master@groot.test
bench-list URL EMPLOYER EMAIL *CONTRACT:
    cargo run --release --quiet -p ebdesk-store --example list_timing -- {{URL}} {{EMPLOYER}} {{EMAIL}} {{CONTRACT}}

# Another employer's download behind a burst of 100 (fair queue; BENCH_ROWS rows in the burst).
bench-queue:
    BENCH_ROWS=${BENCH_ROWS:-10000} cargo test -p ebdesk-cli --test fair_queue_bench -- --ignored --nocapture

# Load test on PostgreSQL: two serve nodes and a worker, 32 clients for 60 s, then 100
# downloads at once (LOAD_EMPLOYERS=200 LOAD_SIZE=200000; 10000 / 5000000 for the full scale).
load-test:
    scripts/load_test.sh

# Everything CI does.
ci:
    .ci/run
