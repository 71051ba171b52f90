#!/usr/bin/env bash
# Benchmark of the month's Premiebordereel against "Overzicht verzekerden" of the same
# employer, in the same run, through the running product (not a test: it exits 0 once it
# has figures, missed targets included).
#
# For each engine: loads `ebdesk demo --size $BENCH_SIZE` (530-900 "Groot Bedrijf NV") into
# a fresh database, starts `ebdesk serve`, logs in as master@groot.test and measures:
#   reference: POST downloads/overzicht-verzekerden → GET acties/{id} every 50 ms until
#     "Beschikbaar", with the server's memory growth (VmHWM reset before, read after);
#   statement: `ebdesk statement` issuing this month's statement (its own process: reading,
#     computing and writing every line, the charges, the notice and the master's action),
#     then POST downloads/premiebordereel until "Beschikbaar" (the workbook of every line),
#     timed together from the start of issuing, with the server's growth; then GET
#     premies/{month}/pdf.
# Targets (issue 15): issue + workbook + PDF ≤ 1.5 × the Overzicht download; the server's
# growth ≤ 64 MB (MB = 2^20 bytes).
#
# Usage: scripts/bench_statements.sh [--engines sqlite,postgres]
# Environment: BENCH_SIZE (100000), BENCH_PG, EBDESK_BIN, BENCH_KEEP=1 (as bench_uploads.sh).
# Output: stdout and target/bench/statements-latest.md (under CARGO_TARGET_DIR when set).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
size="${BENCH_SIZE:-100000}"
engines="${BENCH_ENGINES:-sqlite,postgres}"
pg_server="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
pg_server="${pg_server%/}"
while (($#)); do
  case "$1" in
    --engines) engines="$2"; shift ;;
    --engines=*) engines="${1#*=}" ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
say() { printf '[bench-statements] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

target_dir="${CARGO_TARGET_DIR:-target}"
[[ "$target_dir" == /* ]] || target_dir="$repo/$target_dir"
if [[ -n "${EBDESK_BIN:-}" ]]; then
  bin="$EBDESK_BIN"
else
  say "cargo build --release -p ebdesk-cli"
  cargo build --release --quiet -p ebdesk-cli
  bin="$target_dir/release/ebdesk"
fi
[[ -x "$bin" ]] || die "no binary at $bin"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"

# shellcheck source=scripts/bench_common.sh
source "$repo/scripts/bench_common.sh"
bench_workspace ebdesk-bench-statements

cat >"$work/driver.py" <<'PY'
"""Logs in as the demo master of 530-900 and times the two downloads (see the script)."""
import hashlib, hmac, http.cookiejar, json, re, struct, subprocess, sys, time, urllib.parse, urllib.request

port, pid, month, out = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
issue_command = json.loads(sys.argv[5])
base = f"http://127.0.0.1:{port}"
email, employer = "master@groot.test", "530-900"
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None

def get(path):
    with opener.open(base + path) as r:
        return r.read()

def post(path, fields):
    """The path the answer landed on (after its redirect), and the body."""
    data = urllib.parse.urlencode(fields).encode()
    with opener.open(urllib.request.Request(base + path, data=data)) as r:
        return urllib.parse.urlparse(r.geturl()).path, r.read()

def csrf(body):
    return re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()

def totp():
    secret = hashlib.sha256(f"ebdesk-demo:{email}".encode()).digest()[:20]
    mac = hmac.new(secret, struct.pack(">Q", int(time.time()) // 30), "sha1").digest()
    o = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1_000_000)

page = get("/login")
post("/login", {"csrf_token": csrf(page), "email": email, "password": "demo-ebdesk"})
page = get("/login/code")
post("/login/code", {"csrf_token": csrf(page), "code": totp()})

def status(key):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key):
            return int(line.split()[1])

def timed_download(path, fields, first=None):
    """Request → Beschikbaar (after `first`, timed with it); the server's growth over its
    resident size before."""
    open(f"/proc/{pid}/clear_refs", "w").write("5")
    before = status("VmRSS:")
    started = time.monotonic()
    extra = first() if first else {}
    token = csrf(get(f"/werkgevers/{employer}/downloads"))
    action, _ = post(path, {"csrf_token": token, **fields})
    while b"status-available" not in get(action):
        if time.monotonic() - started > 600:
            raise SystemExit(f"{path}: not available after 600 s")
        time.sleep(0.05)
    seconds = time.monotonic() - started
    body = opener.open(base + action + "/bestand").read()
    return {"seconds": seconds, "growth_kb": status("VmHWM:") - before, "bytes": len(body), **extra}

def issue():
    """Issues the month with `ebdesk statement` (its own process): wall and peak RSS."""
    started = time.monotonic()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *issue_command], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"ebdesk statement failed: {done.stderr}")
    return {"issue_seconds": time.monotonic() - started,
            "issue_rss_kb": int(done.stderr.strip().splitlines()[-1])}

result = {"overview": timed_download(f"/werkgevers/{employer}/downloads/overzicht-verzekerden", {})}
# Issuing queues the master's statement action; the request lands on it (or queues its own).
result["workbook"] = timed_download(
    f"/werkgevers/{employer}/downloads/premiebordereel", {"maand": month}, first=issue)
started = time.monotonic()
pdf = get(f"/werkgevers/{employer}/premies/{month}/pdf")
result["pdf"] = {"seconds": time.monotonic() - started, "bytes": len(pdf)}
assert pdf.startswith(b"%PDF-")
json.dump(result, open(out, "w"))
PY

month="$(date -u +%Y-%m)"
rows=()
for engine in ${engines//,/ }; do
  if [[ "$engine" == postgres ]] && ! pg_isready -q -h 127.0.0.1 -p 5432; then
    say "PostgreSQL does not answer: skipped"; continue
  fi
  fresh_db "$engine"
  say "$DB_LABEL: ebdesk demo --size $size"
  env "${DB_ENV[@]}" "$bin" demo --size "$size" </dev/null >"$work/demo.log" 2>&1 \
    || { tail -n 30 "$work/demo.log" >&2; die "demo failed"; }
  port="$(free_port)"
  env "${DB_ENV[@]}" "$bin" serve --bind "127.0.0.1:$port" "${DB_ARGS[@]}" </dev/null >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 300); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.2; done
  say "$DB_LABEL: the overview, then issuing $month of 530-900 and its workbook, then the PDF"
  issue_command="$(python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' \
    env "${DB_ENV[@]}" "$bin" statement "${DB_ARGS[@]}" --employer 530-900 --month "$month")"
  python3 "$work/driver.py" "$port" "$server_pid" "$month" "$work/$engine.json" "$issue_command" \
    || { tail -n 30 "$work/server.log" >&2; die "driver failed"; }
  stop_server
  rows+=("$(python3 - "$work/$engine.json" "$DB_LABEL" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); label = sys.argv[2]
o, w, p = d["overview"], d["workbook"], d["pdf"]
total = w["seconds"] + p["seconds"]
ratio = total / o["seconds"]
print(f"| {label} | {o['seconds']:.2f} s, +{o['growth_kb'] / 1024:.0f} MB "
      f"| {w['issue_seconds']:.2f} s ({w['issue_rss_kb'] / 1024:.0f} MB process) "
      f"| {w['seconds']:.2f} s, +{w['growth_kb'] / 1024:.0f} MB | {p['seconds']:.2f} s | {total:.2f} s "
      f"| {ratio:.2f}× {'met' if ratio <= 1.5 else 'MISSED'} | {'met' if w['growth_kb'] / 1024 <= 64 else 'MISSED'} |")
PY
)")
  if [[ "$engine" == postgres ]]; then drop_pg "${pg_dbs[-1]}"; unset 'pg_dbs[-1]'; fi
  rm -rf "$work"/data.*
done

report="$work/report.md"
{
  echo "Premiebordereel of $size affiliates against Overzicht verzekerden of the same employer;"
  echo "$(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)"
  echo
  echo "| engine | Overzicht: request → Beschikbaar, server growth | of which issuing (CLI process) | statement: issue + request → Beschikbaar, server growth | PDF | statement in all | ≤ 1.5 × Overzicht | growth ≤ 64 MB |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} >"$report"
mkdir -p "$target_dir/bench"
cp "$report" "$target_dir/bench/statements-latest.md"
cat "$report"
