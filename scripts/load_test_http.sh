# The HTTP side of scripts/load_test.sh (sourced, not run): logins, the wrk mix, the
# simultaneous downloads and the summary. The sourcing script defines say, die, sql, work,
# nodes, employers, size, seconds, clients, downloads, download_timeout and the load averages.

wait_healthy() {
  local base="$1" deadline=$((SECONDS + 120))
  until curl -fsS -o /dev/null --max-time 2 "$base/healthz" 2>/dev/null; do
    ((SECONDS < deadline)) || { tail -n 40 "$work"/node-*.log >&2; die "no /healthz answer from $base within 120 s"; }
    sleep 0.2
  done
}

# Decodes the few HTML entities that can appear in an attribute value.
unescape_html() { sed -e 's/&amp;/\&/g; s/&#x2[Ff];/\//g; s/&#47;/\//g; s/&quot;/"/g; s/&#x27;/'"'"'/g; s/&#39;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g'; }

# Prints attribute $3 of the first <$1> tag whose attributes match the Perl regex $2 (stdin).
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

# The current TOTP code of demo account $1 (its key is derived from the e-mail address).
demo_totp_code() {
  python3 - "$1" <<'PY'
import hashlib, hmac, struct, sys, time
secret = hashlib.sha256(("ebdesk-demo:" + sys.argv[1]).encode()).digest()[:20]
mac = hmac.new(secret, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
offset = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000))
PY
}

# Logs $1 (e-mail) in on node $3 and prints "email employer size cookie csrf" (tabs) for
# employer $2 of size $4, or "FAIL reason".
login_one() {
  local email="$1" employer="$2" base="$3" n="$4" jar html token code location cookie
  jar="$(mktemp "$work/jar.XXXXXX")"
  html="$(curl -fsS -c "$jar" -b "$jar" "$base/login")" || { echo "FAIL GET /login"; return; }
  token="$(tag_attr input 'name\s*=\s*["\x27]?csrf_token\b' value <<<"$html")" || { echo "FAIL no csrf on /login"; return; }
  read -r code location < <(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url}\n' \
    --data-urlencode "email=$email" --data-urlencode "password=demo-ebdesk" \
    --data-urlencode "csrf_token=$token" "$base/login")
  [[ "$code" == 30* && "$location" == */login/code ]] || { echo "FAIL POST /login $code $location"; return; }
  html="$(curl -fsS -c "$jar" -b "$jar" "$base/login/code")" || { echo "FAIL GET /login/code"; return; }
  token="$(tag_attr input 'name\s*=\s*["\x27]?csrf_token\b' value <<<"$html")" || { echo "FAIL no csrf on /login/code"; return; }
  read -r code location < <(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url}\n' \
    --data-urlencode "code=$(demo_totp_code "$email")" --data-urlencode "csrf_token=$token" "$base/login/code")
  [[ "$code" == 30* && "$location" != */login* ]] || { echo "FAIL POST /login/code $code $location"; return; }
  cookie="$(awk -F'\t' '($0 !~ /^#/ || $0 ~ /^#HttpOnly_/) && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")"
  html="$(curl -fsS -H "Cookie: $cookie" "$base/werkgevers/$employer/downloads")" || { echo "FAIL GET downloads of $employer"; return; }
  token="$(tag_attr input 'name\s*=\s*["\x27]?csrf_token\b' value <<<"$html")" || { echo "FAIL no csrf on downloads"; return; }
  printf '%s\t%s\t%s\t%s\t%s\n' "$email" "$employer" "$n" "$cookie" "$token"
}

# Logs in every "email employer size" entry (tabs) given after $1, four at a time,
# alternating nodes; writes their sessions to $1 in the order given.
login_all() {
  local out="$1" i=0 entry email employer n
  shift
  local dir
  dir="$(mktemp -d "$work/logins.XXXX")"
  local batch=()
  for entry in "$@"; do
    IFS=$'\t' read -r email employer n <<<"$entry"
    login_one "$email" "$employer" "${nodes[$((i % 2))]}" "$n" >"$dir/$(printf '%05d' "$i")" &
    batch+=($!)
    i=$((i + 1))
    # Only our jobs: a bare `wait` would wait for the nodes too.
    if ((${#batch[@]} == 4)); then wait "${batch[@]}"; batch=(); fi
  done
  ((${#batch[@]} == 0)) || wait "${batch[@]}"
  cat "$dir"/* >"$out"
  if grep -q '^FAIL' "$out"; then grep '^FAIL' "$out" | head -n 5 >&2; die "logins failed"; fi
}

# Follows a.next-page from the first list page of $1 with cookie $2 to page $3; prints its path.
page_path() {
  local employer="$1" cookie="$2" want="$3" url="${nodes[0]}/werkgevers/$1/werknemers" html href n=1
  while ((n < want)); do
    html="$(curl -fsS -H "Cookie: $cookie" "$url")" || die "GET $url failed"
    href="$(tag_attr a 'class\s*=\s*["\x27]?[^"\x27>]*\bnext-page\b' href <<<"$html")" || break
    case "$href" in
      /*) url="${nodes[0]}$href" ;;
      \?*) url="${url%%\?*}$href" ;;
      *) url="${url%/*}/$href" ;;
    esac
    n=$((n + 1))
  done
  echo "${url#"${nodes[0]}"}"
}

# Writes the wrk mix of the sessions in $1 to $2 (method, path, cookie, body; shuffled).
build_requests() {
  local sessions="$1" out="$2" email employer n cookie token ids id first=1
  : >"$out.raw"
  while IFS=$'\t' read -r email employer n cookie token; do
    line() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$cookie" "${3:-}" >>"$out.raw"; }
    if [[ "$email" == "$consultant" ]]; then
      line GET /werkgevers; line GET /werkgevers
      line GET "/werkgevers/$employer/werknemers"; line GET "/werkgevers/$employer/acties"
      continue
    fi
    for _ in 1 2 3; do line GET "/werkgevers/$employer/werknemers"; done
    line GET "/werkgevers/$employer/werknemers?q=peeters"
    line GET "/werkgevers/$employer/werknemers?q=jan"
    ids="$(sql "SELECT id FROM employees WHERE employer_id = (SELECT id FROM employers WHERE number = '$employer')
      ORDER BY id OFFSET $((n / 3)) LIMIT 3")"
    for id in $ids; do line GET "/werkgevers/$employer/werknemers/$id"; done
    line GET "/werkgevers/$employer/acties"
    line GET "/werkgevers/$employer/acties?periode=alles"
    line GET "/werkgevers/$employer/downloads"
    ((n > 20000)) || line POST "/werkgevers/$employer/downloads/overzicht-verzekerden" "csrf_token=$token"
    if ((first)); then
      line GET "$(page_path "$employer" "$cookie" 10)"
      first=0
    fi
  done <"$sessions"
  shuf "$out.raw" >"$out"
}

# Latency as wrk prints it (635.91us, 1.02ms, 2.50s) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.1f", n }'
}

# Sums the two wrk outputs: RPS, REQUESTS, P50/P99 (the worse node), the answer classes,
# LOST and SOCKET_ERRORS.
read_wrk() {
  RPS=0 REQUESTS=0 ANSWERS_2XX=0 ANSWERS_3XX=0 ANSWERS_4XX=0 ANSWERS_5XX=0 LOST=0 SOCKET_ERRORS=0
  P50_MS=0 P99_MS=0
  local f v
  for f in "$@"; do
    grep -q '^answers ' "$f" || { cat "$f" >&2; die "no answer counts in $f"; }
    RPS="$(awk -v a="$RPS" '/^Requests\/sec:/ { printf "%.0f", a + $2 }' "$f")"
    REQUESTS=$((REQUESTS + $(awk '/requests in/ { print $1 }' "$f")))
    for v in 2xx 3xx 4xx 5xx; do
      local name="ANSWERS_${v^^}"
      printf -v "$name" '%d' "$(( ${!name} + $(sed -n "s/^answers .*$v=\([0-9]*\).*/\1/p" "$f") ))"
    done
    LOST=$((LOST + $(sed -n 's/^answers .*lost=\([0-9]*\).*/\1/p' "$f")))
    SOCKET_ERRORS=$((SOCKET_ERRORS + $(awk '/Socket errors:/ { s = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i; print s }' "$f" || true) + 0))
    P50_MS="$(awk -v a="$P50_MS" -v b="$(to_ms "$(awk '$1 == "50%" { print $2; exit }' "$f")")" 'BEGIN { print (b > a ? b : a) }')"
    P99_MS="$(awk -v a="$P99_MS" -v b="$(to_ms "$(awk '$1 == "99%" { print $2; exit }' "$f")")" 'BEGIN { print (b > a ? b : a) }')"
  done
}

# Waits until no action is requested or running (the wrk phase's downloads); sets DRAIN_S.
drain_queue() {
  local t0 pending deadline=$((SECONDS + download_timeout))
  t0="$(now)"
  while :; do
    pending="$(sql "SELECT COUNT(*) FROM actions WHERE status IN ('requested', 'running')")"
    ((pending > 0)) || break
    ((SECONDS < deadline)) || die "$pending actions still pending after ${download_timeout}s"
    sleep 0.5
  done
  DRAIN_S="$(elapsed "$t0" "$(now)")"
  say "queue empty after ${DRAIN_S}s"
}

# Requests one download per session of $1 at once, alternating nodes; waits until every
# action is final. Sets ACTION_IDS, POSTED_S, READY_S, READY_COUNT, FAILED_COUNT, ROWS_MIN/MAX.
request_downloads() {
  local sessions="$1" dir i=0 email employer n cookie token t0 t1 code location posts=()
  dir="$(mktemp -d "$work/downloads.XXXX")"
  t0="$(now)"
  while IFS=$'\t' read -r email employer n cookie token; do
    curl -sS -o /dev/null -w '%{http_code} %{redirect_url}\n' -H "Cookie: $cookie" \
      --data-urlencode "csrf_token=$token" \
      "${nodes[$((i % 2))]}/werkgevers/$employer/downloads/overzicht-verzekerden" >"$dir/$i" &
    posts+=($!)
    i=$((i + 1))
  done <"$sessions"
  wait "${posts[@]}"
  t1="$(now)"
  POSTED_S="$(elapsed "$t0" "$t1")"
  ACTION_IDS=()
  local j
  for ((j = 0; j < i; j++)); do
    read -r code location <"$dir/$j"
    [[ "$code" == 303 && "$location" =~ /acties/([0-9]+)$ ]] || die "a download request answered $code $location"
    ACTION_IDS+=("${BASH_REMATCH[1]}")
  done
  local unique
  unique="$(printf '%s\n' "${ACTION_IDS[@]}" | sort -u | wc -l)"
  ((unique == downloads)) || die "$downloads requests gave $unique distinct actions"
  ID_LIST="$(IFS=,; echo "${ACTION_IDS[*]}")"
  say "$downloads downloads requested in ${POSTED_S}s; waiting until they are Beschikbaar"
  local deadline=$((SECONDS + download_timeout)) counts
  while :; do
    counts="$(sql "SELECT COUNT(*) FILTER (WHERE status = 'available'), COUNT(*) FILTER (WHERE status = 'failed')
      FROM actions WHERE id IN ($ID_LIST)")"
    read -r READY_COUNT FAILED_COUNT <<<"$counts"
    ((READY_COUNT + FAILED_COUNT < downloads)) || break
    ((SECONDS < deadline)) || break
    sleep 0.25
  done
  READY_S="$(elapsed "$t0" "$(now)")"
  read -r ROWS_MIN ROWS_MAX < <(sql "SELECT MIN(n), MAX(n) FROM (SELECT COUNT(*) AS n FROM affiliations f
    WHERE f.employer_id IN (SELECT employer_id FROM actions WHERE id IN ($ID_LIST)) GROUP BY f.employer_id) AS s")
  say "$READY_COUNT available, $FAILED_COUNT failed after ${READY_S}s"
}

# Each action of the burst: one generated file and one attempt. Sets DOWNLOAD_PROBLEMS.
check_downloads() {
  local problems
  problems="$(sql "SELECT a.id, a.status, a.attempts, COUNT(f.id) FROM actions a
    LEFT JOIN generated_files f ON f.employer_id = a.employer_id AND f.action_id = a.id
    WHERE a.id IN ($ID_LIST) GROUP BY a.id, a.status, a.attempts
    HAVING COUNT(f.id) <> 1 OR a.attempts <> 1 OR a.status <> 'available'")"
  FILES_ONCE="$(sql "SELECT COUNT(*) FROM (SELECT a.id FROM actions a JOIN generated_files f
    ON f.employer_id = a.employer_id AND f.action_id = a.id WHERE a.id IN ($ID_LIST)
    GROUP BY a.id HAVING COUNT(*) = 1) AS once")"
  DOWNLOAD_PROBLEMS=0
  if [[ -n "$problems" ]]; then
    DOWNLOAD_PROBLEMS="$(wc -l <<<"$problems")"
    say "actions not produced exactly once (id, status, attempts, files):"
    head -n 10 <<<"$problems" >&2
  fi
}

# Fetches every file of the burst as its requester, alternating nodes. Sets FETCH_FAILURES
# and FETCHED_MB.
fetch_files() {
  local sessions="$1" i=0 email employer n cookie token code bytes total=0
  FETCH_FAILURES=0
  while IFS=$'\t' read -r email employer n cookie token; do
    read -r code bytes < <(curl -sS -o /dev/null -w '%{http_code} %{size_download}\n' -H "Cookie: $cookie" \
      "${nodes[$((i % 2))]}/werkgevers/$employer/acties/${ACTION_IDS[$i]}/bestand")
    [[ "$code" == 200 ]] || FETCH_FAILURES=$((FETCH_FAILURES + 1))
    total=$((total + bytes))
    i=$((i + 1))
  done <"$sessions"
  FETCHED_MB="$(awk -v b="$total" 'BEGIN { printf "%.1f", b / 1048576 }')"
}

write_report() {
  local target=met
  awk -v r="$READY_S" 'BEGIN { exit !(r > 30) }' && target=missed
  ((READY_COUNT == downloads)) || target=missed
  echo "# ebdesk load test"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); everything on loopback"
  echo "- set-up: two \`ebdesk serve\` (--jobs $node_jobs, --no-scheduler) and one \`ebdesk worker\` (--jobs $worker_jobs) on one PostgreSQL"
  echo "- data: \`ebdesk demo --employers $employers --size $size\`: ${demo_line#Klaar }"
  echo "  ${census_line}"
  echo "- load average (1, 5, 15 min): before $load_before; wrk start $load_at_wrk, end $load_after_wrk; burst start $load_at_downloads, end $load_after_downloads"
  echo
  echo "| phase | figure |"
  echo "|---|---|"
  echo "| mix, $clients clients over 2 nodes, ${seconds} s | $REQUESTS requests, $RPS req/s, p50 ${P50_MS} ms, p99 ${P99_MS} ms (worse node) |"
  echo "| answers | 2xx $ANSWERS_2XX, 3xx $ANSWERS_3XX, 4xx $ANSWERS_4XX, 5xx $ANSWERS_5XX, lost sessions $LOST, socket errors $SOCKET_ERRORS |"
  echo "| queue drained after the mix | ${DRAIN_S} s |"
  echo "| $downloads downloads at once ($ROWS_MIN – $ROWS_MAX rows each) | requested in ${POSTED_S} s; $READY_COUNT Beschikbaar, $FAILED_COUNT Mislukt after ${READY_S} s (target 30 s: $target) |"
  echo "| produced exactly once | $FILES_ONCE of $downloads with one file; problems $DOWNLOAD_PROBLEMS |"
  echo "| files fetched | $((downloads - FETCH_FAILURES)) of $downloads, ${FETCHED_MB} MB |"
  echo "| ERROR or panic lines in the node logs | $node_errors |"
}
