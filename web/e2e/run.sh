#!/usr/bin/env bash
# Browser tests: starts `ebdesk serve --demo` on a free port with a throw-away SQLite data
# dir, waits for /healthz, runs web/e2e/*.test.mjs with node's test runner against it, and
# stops the server on exit. Exits with the tests' status.
#
#   web/e2e/run.sh                     builds target/debug/ebdesk (cargo build -p ebdesk-cli)
#   EBDESK_BIN=path web/e2e/run.sh     uses that binary as is, no build
#   web/e2e/run.sh web/e2e/x.test.mjs  runs only the given test files
#
# Installs what the tests need when missing: node_modules (npm ci) and openpyxl for python3
# (pip). Other knobs: CHROMIUM_PATH (default /usr/bin/chromium), E2E_TIMEOUT_MS, KEEP_DATA=1.
# Failure screenshots and the server log of a failed run land in web/e2e/test-results/.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
e2e="$repo/web/e2e"
results="$e2e/test-results"

log() { printf '[e2e] %s\n' "$*" >&2; }

command -v node >/dev/null || { log "node is not installed"; exit 2; }
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[[ -x "$chromium" ]] || { log "no browser at $chromium: apt-get install chromium (or set CHROMIUM_PATH)"; exit 2; }

# 1. node_modules (playwright-core only; it never downloads a browser here).
if [[ ! -d "$e2e/node_modules/playwright-core" || ! -d "$e2e/node_modules/axe-core" ]]; then
  log "npm ci"
  (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi

# 1b. Python with openpyxl: uploads.test.mjs edits the downloaded workbook with
# fill_emails.py, as a user's spreadsheet program would.
command -v python3 >/dev/null || { log "python3 is not installed"; exit 2; }
if ! python3 -c "import openpyxl" 2>/dev/null; then
  log "pip install openpyxl"
  PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check openpyxl
  python3 -c "import openpyxl" || { log "openpyxl still cannot be imported by python3"; exit 2; }
fi

# 2. The binary.
if [[ -n "${EBDESK_BIN:-}" ]]; then
  bin="$EBDESK_BIN"
else
  log "cargo build -p ebdesk-cli"
  cargo build --quiet -p ebdesk-cli
  bin="${CARGO_TARGET_DIR:-target}/debug/ebdesk"
fi
[[ "$bin" == /* ]] || bin="$repo/$bin"
[[ -x "$bin" ]] || { log "no ebdesk binary at $bin"; exit 2; }

# 3. The server, on a free port, with its own data dir.
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
data_dir="$(mktemp -d "${TMPDIR:-/tmp}/ebdesk-e2e.XXXXXX")"
server_log="$data_dir/server.log"
server_pid=""

cleanup() {
  local status=$?
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ "${KEEP_DATA:-}" == 1 ]]; then
    log "kept $data_dir"
  else
    rm -rf "$data_dir"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

dump_server_log() {
  mkdir -p "$results"
  cp "$server_log" "$results/server.log" 2>/dev/null || true
  log "---- server log ($server_log) ----"
  tail -n 200 "$server_log" >&2 || true
  log "---- end of server log ----"
}

addr="127.0.0.1:$port"
log "starting $bin serve --demo --no-scheduler --bind $addr --data-dir $data_dir"
# No DATABASE_URL from the caller's environment: the e2e server always uses SQLite.
env -u DATABASE_URL RUST_LOG="${RUST_LOG:-info}" \
  "$bin" serve --demo --no-scheduler --bind "$addr" --data-dir "$data_dir" </dev/null >"$server_log" 2>&1 &
server_pid=$!

base_url="http://$addr"
deadline=$((SECONDS + ${E2E_STARTUP_TIMEOUT:-60}))
until curl -fsS -o /dev/null --max-time 2 "$base_url/healthz" 2>/dev/null; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    wait "$server_pid" && rc=0 || rc=$?
    server_pid=""
    log "the server exited (status $rc) before answering /healthz"
    dump_server_log
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    log "the server did not answer $base_url/healthz within ${E2E_STARTUP_TIMEOUT:-60} s"
    dump_server_log
    exit 1
  fi
  sleep 0.2
done
log "server up at $base_url"

# 4. The tests.
rm -rf "$results"
mkdir -p "$results"
if (($# > 0)); then
  tests=("$@")
else
  tests=("$e2e"/*.test.mjs)
fi

status=0
BASE_URL="$base_url" CHROMIUM_PATH="$chromium" SCREENSHOT_DIR="$results" MAIL_DIR="$data_dir/mail" \
  EBDESK_BIN="$bin" EBDESK_DATA_DIR="$data_dir" \
  node --test --test-reporter=spec --test-concurrency=1 "${tests[@]}" </dev/null || status=$?

if ((status != 0)); then
  dump_server_log
  log "FAILED (status $status); screenshots in ${results#"$repo"/}/"
else
  rmdir "$results" 2>/dev/null || true
  log "passed"
fi
exit "$status"
