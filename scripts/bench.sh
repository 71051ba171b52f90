#!/usr/bin/env bash
# Throughput and latency of the employee list, on SQLite and on PostgreSQL.
#
# For each engine: loads `ebdesk demo --size $BENCH_SIZE` into a fresh database (timed),
# starts `ebdesk serve` on a free port, logs in as the master user of 530-900 "Groot Bedrijf
# NV" with curl, and runs wrk against:
#   /robots.txt                              trivial reference (no DB)
#   /werkgevers/530-900/werknemers           first page of the list
#   /werkgevers/530-900/werknemers?q=jan     a name search
#   page 200 of the list                     reached by following a.next-page 199 times
# and the searches of $BENCH_SEARCHES (a national number of the first page, several words,
# a word nobody has, a common last name far down the list; set it empty to skip them).
# and prints a markdown table per engine. With --load-1m (or BENCH_LOAD_1M=1) it also times
# `ebdesk demo --size 1000000` on each engine and reports the peak RSS.
#
# Usage: scripts/bench.sh [--load-1m] [--only-load-1m] [--engines sqlite,postgres]
# Environment:
#   BENCH_SIZE=100000     affiliates of 530-900 for the route benchmark
#   BENCH_SECONDS=10      duration of each wrk run
#   BENCH_THREADS=2 BENCH_CONNECTIONS=8
#   BENCH_ENGINES=sqlite,postgres
#   BENCH_SEARCHES="nn|jan peeters|zzz|mertens"   more searches, separated by |; "nn" is the
#                         national number of the first row of the list's first page (read
#                         from that employee's page: the list masks it)
#   BENCH_LOAD_1M=1       also the 1 000 000 load (BENCH_LOAD_SIZE to change that size)
#   BENCH_PG=postgres://postgres@127.0.0.1:5432   the PostgreSQL server (trust auth)
#   EBDESK_BIN=path       use this binary instead of building target/release/ebdesk
#   BENCH_DJANGO=auto     also run the Django admin peer (../shared/peers/django_admin, set
#                         up with its setup.sh) on the same engine right after ebdesk, and
#                         give ebdesk's list as a multiple of its changelist; auto runs it
#                         when the peer's venv exists ($PEER_HOME, default /tmp/peer-django),
#                         0 skips it, 1 requires it
# Output: stdout and target/bench/latest.md (under CARGO_TARGET_DIR when that is set).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

size="${BENCH_SIZE:-100000}"
seconds="${BENCH_SECONDS:-10}"
threads="${BENCH_THREADS:-2}"
connections="${BENCH_CONNECTIONS:-8}"
engines="${BENCH_ENGINES:-sqlite,postgres}"
load_1m="${BENCH_LOAD_1M:-0}"
load_size="${BENCH_LOAD_SIZE:-1000000}"
searches="${BENCH_SEARCHES-nn|jan peeters|zzz|mertens}"
django="${BENCH_DJANGO:-auto}"
peer_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/shared/peers/django_admin"
peer_home="${PEER_HOME:-${TMPDIR:-/tmp}/peer-django}"
routes=1
pg_server="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
pg_server="${pg_server%/}"

employer="530-900"
master_email="master@groot.test"
password="demo-ebdesk"
target_page=200

while (($#)); do
  case "$1" in
    --load-1m) load_1m=1 ;;
    --only-load-1m) load_1m=1; routes=0 ;;
    --engines) engines="$2"; shift ;;
    --engines=*) engines="${1#*=}" ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$load_1m" == 1 || "$routes" == 1 ]] || exit 0
IFS=',' read -r -a engine_list <<<"$engines"
for e in "${engine_list[@]}"; do
  [[ "$e" == sqlite || "$e" == postgres ]] || { echo "unknown engine: $e" >&2; exit 2; }
done

say() { printf '[bench] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------
# Tools.
apt_missing=()
command -v wrk >/dev/null || apt_missing+=(wrk)
command -v curl >/dev/null || apt_missing+=(curl)
command -v psql >/dev/null || apt_missing+=(postgresql-client)
[[ -x /usr/bin/time ]] || apt_missing+=(time)
if ((${#apt_missing[@]})); then
  say "installing ${apt_missing[*]}"
  ((EUID == 0)) || die "need root to install ${apt_missing[*]} (or install them yourself)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

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

# ---------------------------------------------------------------------------------------
# State, cleaned up on exit.
# shellcheck source=scripts/bench_common.sh
source "$repo/scripts/bench_common.sh"
bench_workspace ebdesk-bench

# ---------------------------------------------------------------------------------------
# Helpers.


elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# Runs `ebdesk demo --size $1` under /usr/bin/time -v; sets LOAD_SECONDS and LOAD_RSS_MIB.
timed_demo() {
  local n="$1" log="$work/demo.log" t0 t1
  say "ebdesk demo --size $n on $DB_LABEL"
  env "${DB_ENV[@]}" "$bin" migrate </dev/null >"$work/migrate.log" 2>&1 \
    || { tail -n 50 "$work/migrate.log" >&2; die "ebdesk migrate failed"; }
  t0="$(now)"
  if ! env "${DB_ENV[@]}" /usr/bin/time -v -o "$work/time.txt" "$bin" demo --size "$n" </dev/null >"$log" 2>&1; then
    tail -n 50 "$log" >&2
    die "ebdesk demo --size $n failed"
  fi
  t1="$(now)"
  LOAD_SECONDS="$(elapsed "$t0" "$t1")"
  LOAD_RSS_MIB="$(awk -F': *' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/time.txt")"
}


start_server() {
  local port log="$work/server.log"
  port="$(free_port)"
  BASE="http://127.0.0.1:$port"
  # The access log stays on (info, one line per request), as a deployment runs it; the
  # trivial route pays it too. EBDESK_LOG=warn measures without it.
  env "${DB_ENV[@]}" EBDESK_LOG="${EBDESK_LOG:-info}" \
    "$bin" serve --bind "127.0.0.1:$port" "${DB_ARGS[@]}" </dev/null >"$log" 2>&1 &
  server_pid=$!
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null --max-time 2 "$BASE/healthz" 2>/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || { tail -n 50 "$log" >&2; server_pid=""; die "the server exited"; }
    ((SECONDS < deadline)) || { tail -n 50 "$log" >&2; die "no /healthz answer within 60 s"; }
    sleep 0.2
  done
}

# Decodes the few HTML entities that can appear in an attribute value.
unescape_html() { sed -e 's/&amp;/\&/g; s/&#x2[Ff];/\//g; s/&#47;/\//g; s/&quot;/"/g; s/&#x27;/'"'"'/g; s/&#39;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g'; }

# Prints the value of attribute $3 of the first <$1> tag whose attributes match the Perl
# regex $2, read from stdin (attribute order and quoting do not matter).
tag_attr() {
  perl -e '
    my ($tag, $want, $attr) = @ARGV;
    my $html = do { local $/; <STDIN> };
    while ($html =~ /<\Q$tag\E\b([^>]*)>/gis) {
      my $attrs = $1;
      next unless $attrs =~ /$want/is;
      if ($attrs =~ /\b\Q$attr\E\s*=\s*(?:"([^"]*)"|\x27([^\x27]*)\x27|([^\s>]+))/is) {
        print $1 // $2 // $3;
        exit 0;
      }
    }
    exit 1;
  ' "$1" "$2" "$3" | unescape_html
}

# Resolves $2 (an href) against the page URL $1.
resolve_url() {
  local page="$1" href="$2"
  case "$href" in
    http://*|https://*) echo "$href" ;;
    //*) echo "http:$href" ;;
    /*) echo "$BASE$href" ;;
    \?*) echo "${page%%\?*}$href" ;;
    *) echo "${page%/*}/$href" ;;
  esac
}

# The current TOTP code of demo account $1 (RFC 6238 with Python's standard library).
demo_totp_code() {
  python3 - "$1" <<'PY'
import hashlib, hmac, struct, sys, time
secret = hashlib.sha256(("ebdesk-demo:" + sys.argv[1]).encode()).digest()[:20]
mac = hmac.new(secret, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
offset = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000))
PY
}

# Logs in as $master_email (password, then TOTP code); sets COOKIE (a Cookie header value).
login() {
  local jar="$work/cookies.txt" html token code location
  rm -f "$jar"
  html="$(curl -fsS -c "$jar" -b "$jar" "$BASE/login")" || die "GET /login failed"
  token="$(tag_attr input 'name\s*=\s*["\x27]?csrf_token\b' value <<<"$html")" \
    || die "no csrf_token input on /login"
  read -r code location < <(curl -sS -c "$jar" -b "$jar" -o "$work/login.html" \
    -w '%{http_code} %{redirect_url}\n' \
    --data-urlencode "email=$master_email" --data-urlencode "password=$password" \
    --data-urlencode "csrf_token=$token" "$BASE/login")
  case "$code" in
    30[1237]) ;;
    *) die "POST /login answered $code, not a redirect (page kept in $work/login.html with BENCH_KEEP=1)" ;;
  esac
  [[ "$location" == */login/code ]] || die "POST /login redirected to $location, not to the code step"
  # Second step: the demo account's TOTP code (its secret is derived from the e-mail, as
  # `ebdesk serve --demo` prints it).
  html="$(curl -fsS -c "$jar" -b "$jar" "$BASE/login/code")" || die "GET /login/code failed"
  token="$(tag_attr input 'name\s*=\s*["\x27]?csrf_token\b' value <<<"$html")" \
    || die "no csrf_token input on /login/code"
  read -r code location < <(curl -sS -c "$jar" -b "$jar" -o "$work/login.html" \
    -w '%{http_code} %{redirect_url}\n' \
    --data-urlencode "code=$(demo_totp_code "$master_email")" \
    --data-urlencode "csrf_token=$token" "$BASE/login/code")
  case "$code" in
    30[1237]) ;;
    *) die "POST /login/code answered $code, not a redirect" ;;
  esac
  [[ "$location" != */login* ]] || die "POST /login/code redirected back to $location"
  COOKIE="$(awk -F'\t' '($0 !~ /^#/ || $0 ~ /^#HttpOnly_/) && NF >= 7 {
      printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")"
  [[ -n "$COOKIE" ]] || die "no cookie after login"
  check_ok "$BASE/werkgevers/$employer"
}

# Fails unless $1 answers 200 with the session cookie (a redirect means the session is gone).
check_ok() {
  local code
  code="$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$1")"
  [[ "$code" == 200 ]] || die "$1 answered $code with the session cookie, expected 200"
}

# Follows a.next-page from the first list page; sets PAGE_URL and PAGE_NO (the page reached).
find_page() {
  local want="$1" url="$BASE/werkgevers/$employer/werknemers" html href n=1
  while ((n < want)); do
    html="$(curl -fsS -H "Cookie: $COOKIE" "$url")" || die "GET $url failed"
    href="$(tag_attr a 'class\s*=\s*["\x27]?[^"\x27>]*\bnext-page\b' href <<<"$html")" || break
    url="$(resolve_url "$url" "$href")"
    n=$((n + 1))
  done
  PAGE_URL="$url"
  PAGE_NO="$n"
}

# Latency as printed by wrk (e.g. 635.91us, 1.02ms, 2.50s, 1.00m) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "ms") n = n; else if (u == "s") n *= 1000;
    else if (u == "m") n *= 60000; else if (u == "h") n *= 3600000; else { print "NaN"; exit }
    printf "%.3f", n }'
}

# CPU time (user + system) the server process has used so far, in clock ticks.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }

# Runs wrk on $1; sets RPS, P50_MS, P99_MS, ERRORS and CPU_MS (server CPU per request).
run_wrk() {
  local url="$1" out="$work/wrk.txt" ticks0 ticks1 requests
  ticks0="$(server_ticks)"
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -H "Cookie: $COOKIE" "$url" >"$out" 2>&1 \
    || { cat "$out" >&2; die "wrk failed on $url"; }
  ticks1="$(server_ticks)"
  RPS="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
  requests="$(awk '/requests in/ { print $1; exit }' "$out")"
  CPU_MS="$(awk -v t="$((ticks1 - ticks0))" -v hz="$(getconf CLK_TCK)" -v n="${requests:-0}" \
    'BEGIN { if (n > 0) printf "%.3f", t * 1000 / hz / n; else print "NaN" }')"
  P50_MS="$(to_ms "$(awk '$1 == "50%" { print $2; exit }' "$out")")"
  P99_MS="$(to_ms "$(awk '$1 == "99%" { print $2; exit }' "$out")")"
  local non2xx sock
  non2xx="$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$out")"
  sock="$(awk '/Socket errors:/ { s = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i; print s }' "$out")"
  ERRORS=$(( ${non2xx:-0} + ${sock:-0} ))
  [[ -n "$RPS" && "$P50_MS" != NaN && "$P99_MS" != NaN ]] || { cat "$out" >&2; die "could not parse wrk output"; }
  # A 3xx counts as success for wrk: make sure the session still held.
  check_ok "$url"
}

fmt_ms() { awk -v v="$1" 'BEGIN { if (v < 10) printf "%.2f ms", v; else if (v < 100) printf "%.1f ms", v; else printf "%.0f ms", v }'; }
fmt_num() { awk -v v="$1" 'BEGIN { printf "%.0f", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }

django_on=0
case "$django" in
  0) ;;
  1) [[ -x "$peer_home/venv/bin/python" ]] || die "BENCH_DJANGO=1 but no peer venv in $peer_home (run $peer_dir/setup.sh --postgres)"
     django_on=1 ;;
  *) if [[ -x "$peer_home/venv/bin/python" && -f "$peer_dir/bench.py" ]]; then django_on=1
     else say "Django peer not set up ($peer_home): skipped (its setup: $peer_dir/setup.sh --postgres)"; fi ;;
esac

# Runs the Django admin peer on engine $1 with the same wrk settings; fills peer_rows with
# its figures and ebdesk's same route as a multiple of each (first page, a common name
# searched, page 200).
django_peer() {
  local db="$1" out="$work/django-$1"
  say "Django admin peer on $db"
  (cd "$peer_dir" && PEER_HOME="$peer_home" "$peer_home/venv/bin/python" bench.py --db "$db" \
    --worker sync --full-count 1 --runs 1 --duration "$seconds" --warmup 2 \
    --connections "$connections" --wrk-threads "$threads" \
    --targets ping changelist search page200 --out "$out") >"$work/django-$db.log" 2>&1 \
    || { tail -n 20 "$work/django-$db.log" >&2; say "the Django peer failed on $db: skipped"; return 0; }
  mapfile -t peer_rows < <(python3 "$repo/scripts/peer_rows.py" "$out/results.json" \
    "$list_rps" "$search_rps" "$page_rps")
}

# ---------------------------------------------------------------------------------------
report="$work/report.md"
{
  echo "# ebdesk benchmark"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (dirty)')"
  echo "- binary: \`${bin#"$repo"/}\`"
  echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), wrk and the server on the same machine"
  if ((routes)); then
    echo "- wrk: -t$threads -c$connections -d${seconds}s --latency, logged in as $master_email; demo size $size"
  fi
} >"$report"

if ((routes)); then
  for engine in "${engine_list[@]}"; do
    fresh_db "$engine"
    timed_demo "$size"
    start_server
    say "server at $BASE ($DB_LABEL)"
    login
    find_page "$target_page"
    ((PAGE_NO == target_page)) || say "the list has only $PAGE_NO pages: benching page $PAGE_NO"
    check_ok "$PAGE_URL"

    names=("/robots.txt (trivial)" "list, first page" "list, search q=jan" "list, page $PAGE_NO")
    urls=("$BASE/robots.txt" "$BASE/werkgevers/$employer/werknemers" "$BASE/werkgevers/$employer/werknemers?q=jan" "$PAGE_URL")
    IFS='|' read -r -a search_list <<<"$searches"
    for search in "${search_list[@]}"; do
      [[ -n "$search" ]] || continue
      if [[ "$search" == nn ]]; then
        # The list masks national numbers: read the first row's from its employee page.
        search="$(curl -fsS -H "Cookie: $COOKIE" "$BASE/werkgevers/$employer/werknemers" \
          | perl -ne 'if (!$f && m{href="(/werkgevers/[^"/]+/werknemers/\d+)"}) { print $1; $f = 1 }')" \
          || die "no employee link on the first page"
        search="$(curl -fsS -H "Cookie: $COOKIE" "$BASE$search" \
          | perl -ne 'if (!$f && /(\d\d\.\d\d\.\d\d-\d\d\d\.\d\d)/) { print $1; $f = 1 }')" \
          || die "no national number on the first employee's page"
        names+=("list, search a national number")
      else
        names+=("list, search q=$search")
      fi
      urls+=("$BASE/werkgevers/$employer/werknemers?q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' "$search")")
    done
    rows=()
    trivial_rps=0
    for i in "${!urls[@]}"; do
      say "wrk ${names[$i]}: ${urls[$i]#"$BASE"}"
      run_wrk "${urls[$i]}"
      ((i > 0)) || trivial_rps="$RPS"
      rows+=("| ${names[$i]} | $(fmt_num "$RPS") | $(fmt_ms "$P50_MS") | $(fmt_ms "$P99_MS") | $(ratio "$RPS" "$trivial_rps") | $(fmt_ms "$CPU_MS") | $ERRORS |")
      case "$i" in 1) list_rps="$RPS" ;; 2) search_rps="$RPS" ;; 3) page_rps="$RPS" ;; esac
    done
    stop_server
    peer_rows=()
    ((django_on)) && django_peer "$engine"

    {
      echo
      echo "## $( [[ $engine == sqlite ]] && echo SQLite || echo PostgreSQL )"
      echo
      echo "\`ebdesk demo --size $size\`: ${LOAD_SECONDS} s wall, peak RSS ${LOAD_RSS_MIB} MiB"
      echo
      echo "| route | requests/s | p50 | p99 | ratio to trivial | server CPU per request | errors |"
      echo "|---|---:|---:|---:|---:|---:|---:|"
      printf '%s\n' "${rows[@]}"
      if ((${#peer_rows[@]})); then
        echo
        echo "Django admin peer, same engine, same wrk settings, right after (gunicorn, 2 sync workers):"
        echo
        echo "| peer route | requests/s | p50 | p99 | ebdesk's same route as a multiple |"
        echo "|---|---:|---:|---:|---:|"
        printf '%s\n' "${peer_rows[@]}"
      fi
      echo
      echo "page $PAGE_NO: \`${PAGE_URL#"$BASE"}\`"
    } >>"$report"
  done
fi

if [[ "$load_1m" == 1 ]]; then
  load_rows=()
  for engine in "${engine_list[@]}"; do
    fresh_db "$engine"
    timed_demo "$load_size"
    load_rows+=("| $( [[ $engine == sqlite ]] && echo SQLite || echo PostgreSQL ) | $load_size | $LOAD_SECONDS | $LOAD_RSS_MIB |")
    # Free the space at once (the PostgreSQL database is also dropped on exit).
    if [[ "$engine" == postgres ]]; then drop_pg "${pg_dbs[-1]}"; unset 'pg_dbs[-1]'; fi
    rm -rf "$work"/data.*
  done
  {
    echo
    echo "## Demo load of $load_size affiliates"
    echo
    echo "| engine | affiliates | wall s | peak RSS MiB |"
    echo "|---|---:|---:|---:|"
    printf '%s\n' "${load_rows[@]}"
  } >>"$report"
fi

mkdir -p "$target_dir/bench"
cp "$report" "$target_dir/bench/latest.md"
echo
cat "$report"
say "written to ${target_dir#"$repo"/}/bench/latest.md"
