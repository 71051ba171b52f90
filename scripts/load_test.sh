#!/usr/bin/env bash
# Load test (issue 17, bounded, loopback only): two `ebdesk serve` nodes and one `ebdesk
# worker` on one fresh PostgreSQL database with the scale data set.
#
#   1. creates a database on $LOAD_PG and loads `ebdesk demo --employers $LOAD_EMPLOYERS
#      --size $LOAD_SIZE` (its elapsed time and peak memory, as the command prints them);
#   2. starts two serve nodes on free ports of 127.0.0.1 (--jobs $LOAD_NODE_JOBS,
#      --no-scheduler) and one worker (--jobs $LOAD_WORKER_JOBS, with the scheduler);
#   3. logs users in with curl (password, then the code of the demo TOTP key);
#   4. runs $LOAD_CLIENTS wrk connections, half on each node, for $LOAD_SECONDS s on a mix of
#      list pages (first page, page 10 of the largest employer), name searches, employee
#      pages, the action list (recent and all), the downloads page, the consultant's employer
#      picker and download requests (POST, by users of employers of at most 20 000), and
#      counts the answers by class, lost sessions and socket errors;
#   5. waits until the queue is empty, requests $LOAD_DOWNLOADS "Overzicht verzekerden" at
#      once (curl, one per user, users of the employers nearest 10 000 affiliates, alternating
#      nodes), waits until all are Beschikbaar (target 30 s; gives up after
#      $LOAD_DOWNLOAD_TIMEOUT s), fetches every file, and checks in the database that each
#      was produced exactly once (one generated file and one attempt per action);
#   6. prints a summary with the load average; exits non-zero on any error or 5xx.
#
# Usage: scripts/load_test.sh
# Environment:
#   LOAD_EMPLOYERS=200 LOAD_SIZE=200000   the scale set (10000 / 5000000: the issue's scale)
#   LOAD_SECONDS=60 LOAD_CLIENTS=32 LOAD_DOWNLOADS=100 LOAD_DOWNLOAD_TIMEOUT=300
#   LOAD_NODE_JOBS=1 LOAD_WORKER_JOBS=2   jobs run at once by each serve node / the worker
#   LOAD_PG=postgres://postgres@127.0.0.1:5432   the PostgreSQL server (trust auth)
#   EBDESK_BIN=path       use this binary instead of building target/release/ebdesk
#   BENCH_KEEP=1          keep the work folder (logs, wrk output)
# Output: stdout and target/bench/load_test.md (under CARGO_TARGET_DIR when that is set).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

employers="${LOAD_EMPLOYERS:-200}"
size="${LOAD_SIZE:-200000}"
seconds="${LOAD_SECONDS:-60}"
clients="${LOAD_CLIENTS:-32}"
downloads="${LOAD_DOWNLOADS:-100}"
download_timeout="${LOAD_DOWNLOAD_TIMEOUT:-300}"
node_jobs="${LOAD_NODE_JOBS:-1}"
worker_jobs="${LOAD_WORKER_JOBS:-2}"
pg_server="${LOAD_PG:-postgres://postgres@127.0.0.1:5432}"
pg_server="${pg_server%/}"
password="demo-ebdesk"
consultant="lotte.vermeulen@sociaal-secretariaat.test"

case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
esac

say() { printf '[load] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

for tool in wrk curl psql python3 perl; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install wrk curl postgresql-client python3 perl)"
done
loopback_url='^[a-z]+://([^@/]*@)?(127\.0\.0\.1|localhost)(:[0-9]+)?(/|$)'
[[ "$pg_server" =~ $loopback_url ]] \
  || die "LOAD_PG must be on loopback (127.0.0.1 or localhost)"

target_dir="${CARGO_TARGET_DIR:-target}"
[[ "$target_dir" == /* ]] || target_dir="$repo/$target_dir"
if [[ -n "${EBDESK_BIN:-}" ]]; then
  bin="$EBDESK_BIN"
else
  say "cargo build --release -p ebdesk-cli"
  cargo build --release --quiet -p ebdesk-cli
  bin="$target_dir/release/ebdesk"
fi
[[ "$bin" == /* ]] || bin="$repo/$bin"
[[ -x "$bin" ]] || die "no binary at $bin"

# shellcheck source=scripts/bench_common.sh
source "$repo/scripts/bench_common.sh"
bench_workspace ebdesk-load
node_pids=()
# Replaces bench_common's: stops every node this script started (cleanup calls it).
stop_server() {
  local pid
  for pid in "${node_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${node_pids[@]}"; do
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  node_pids=()
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
sql() { psql -X -q -t -A -F $'\t' -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "$1"; }

# shellcheck source=scripts/load_test_http.sh
source "$repo/scripts/load_test_http.sh"

# ---------------------------------------------------------------------------------------
# 1. The database and the scale set.
load_before="$(loadavg)"
fresh_db postgres
DATABASE_URL="${DB_ENV[0]#DATABASE_URL=}"
say "ebdesk demo --employers $employers --size $size on $DATABASE_URL"
env "${DB_ENV[@]}" EBDESK_LOG=warn /usr/bin/time -v -o "$work/demo.time" \
  "$bin" demo --employers "$employers" --size "$size" </dev/null >"$work/demo.log" 2>&1 \
  || { tail -n 40 "$work/demo.log" >&2; die "ebdesk demo failed"; }
demo_line="$(grep -E '^Klaar in' "$work/demo.log" | tail -n 1)"
census_line="$(grep -E '^In de database' "$work/demo.log" | tail -n 1)"
say "$demo_line"
say "$census_line"

# ---------------------------------------------------------------------------------------
# 2. Two serve nodes and one worker.
start_node() {
  local port="$1" log="$work/node-$1.log"
  env "${DB_ENV[@]}" EBDESK_LOG=warn "$bin" serve --bind "127.0.0.1:$port" "${DB_ARGS[@]}" \
    --jobs "$node_jobs" --no-scheduler </dev/null >"$log" 2>&1 &
  node_pids+=($!)
}
port_a="$(free_port)"
start_node "$port_a"
port_b="$(free_port)"
[[ "$port_b" != "$port_a" ]] || port_b="$(free_port)"
start_node "$port_b"
env "${DB_ENV[@]}" EBDESK_LOG=warn "$bin" worker "${DB_ARGS[@]}" --jobs "$worker_jobs" \
  </dev/null >"$work/worker.log" 2>&1 &
node_pids+=($!)
nodes=("http://127.0.0.1:$port_a" "http://127.0.0.1:$port_b")
for base in "${nodes[@]}"; do wait_healthy "$base"; done
kill -0 "${node_pids[2]}" 2>/dev/null || { tail -n 40 "$work/worker.log" >&2; die "the worker exited"; }
say "nodes at ${nodes[*]}, worker pid ${node_pids[2]}"

# ---------------------------------------------------------------------------------------
# 3. Users: wrk's (masters spread over the ranks, and the consultant) and the downloaders.
# Masters of ranks 1, 2, 3, 5, 8, 13, … (at most 12 within the set), with their employer.
wrk_users=()
a=1 b=2
while ((a <= employers && ${#wrk_users[@]} < 12)); do
  wrk_users+=("$(sql "SELECT u.email, e.number, (SELECT COUNT(*) FROM employees x WHERE x.employer_id = e.id)
    FROM user_sheets s JOIN users u ON u.id = s.user_id JOIN employers e ON e.id = s.employer_id
    WHERE s.rights = 'master' AND e.number = '540-$a'")")
  t=$((a + b)); a=$b; b=$t
done
consultant_employer="$(sql "SELECT e.number FROM user_sheets s JOIN users u ON u.id = s.user_id
  JOIN employers e ON e.id = s.employer_id WHERE u.email = '$consultant' ORDER BY e.id DESC LIMIT 1")"
wrk_users+=("$consultant	$consultant_employer	0")
# Users of the employers nearest 10 000 affiliates (5 000 – 20 000), not among wrk's.
mapfile -t download_users < <(sql "
  WITH sizes AS (SELECT employer_id, COUNT(*) AS n FROM employees GROUP BY employer_id)
  SELECT u.email, e.number, z.n FROM sizes z
  JOIN employers e ON e.id = z.employer_id
  JOIN user_sheets s ON s.employer_id = e.id JOIN users u ON u.id = s.user_id
  WHERE z.n BETWEEN 5000 AND 20000 AND e.number LIKE '540-%'
    AND u.email <> '$consultant' AND NOT (s.rights = 'master' AND e.number IN ($(
      for entry in "${wrk_users[@]}"; do printf "'%s'," "$(cut -f2 <<<"$entry")"; done)''))
  ORDER BY abs(z.n - 10000), e.number, u.email LIMIT $downloads")
((${#download_users[@]} == downloads)) \
  || die "only ${#download_users[@]} users at employers of 5 000 – 20 000 affiliates, $downloads needed (raise LOAD_SIZE)"

say "logging in ${#wrk_users[@]} wrk users and $downloads downloaders"
login_all "$work/sessions.wrk" "${wrk_users[@]}"
login_all "$work/sessions.dl" "${download_users[@]}"

# ---------------------------------------------------------------------------------------
# 4. wrk on both nodes.
build_requests "$work/sessions.wrk" "$work/requests.txt"
say "$(wc -l <"$work/requests.txt") distinct requests in the mix; wrk -c$clients for ${seconds}s over both nodes"
load_at_wrk="$(loadavg)"
half=$((clients / 2))
wrk -t1 -c"$half" -d"${seconds}s" --timeout 10s --latency -s "$repo/scripts/load_test.lua" \
  "${nodes[0]}" -- "$work/requests.txt" >"$work/wrk-a.txt" 2>&1 &
wrk_a=$!
wrk -t1 -c"$((clients - half))" -d"${seconds}s" --timeout 10s --latency -s "$repo/scripts/load_test.lua" \
  "${nodes[1]}" -- "$work/requests.txt" >"$work/wrk-b.txt" 2>&1 &
wrk_b=$!
wait "$wrk_a" || { cat "$work/wrk-a.txt" >&2; die "wrk failed on node A"; }
wait "$wrk_b" || { cat "$work/wrk-b.txt" >&2; die "wrk failed on node B"; }
load_after_wrk="$(loadavg)"
read_wrk "$work/wrk-a.txt" "$work/wrk-b.txt"

# ---------------------------------------------------------------------------------------
# 5. 100 downloads at once.
drain_queue
load_at_downloads="$(loadavg)"
request_downloads "$work/sessions.dl"
load_after_downloads="$(loadavg)"
check_downloads
fetch_files "$work/sessions.dl"

# ---------------------------------------------------------------------------------------
# 6. Summary.
node_errors="$(cat "$work"/node-*.log "$work/worker.log" | grep -c -E ' ERROR |panicked' || true)"
report="$work/report.md"
write_report >"$report"
mkdir -p "$target_dir/bench"
cp "$report" "$target_dir/bench/load_test.md"
echo
cat "$report"
failures=$((ANSWERS_4XX + ANSWERS_5XX + LOST + SOCKET_ERRORS + DOWNLOAD_PROBLEMS + FETCH_FAILURES))
((failures == 0)) || die "$failures errors (see the summary)"
say "no errors"
