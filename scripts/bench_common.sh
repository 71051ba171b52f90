# Shared by the benchmark scripts (sourced, not run): a work folder cleaned up on exit, the
# server and PostgreSQL databases it started, fresh databases per engine, free ports.
# The sourcing script defines say, die, bin and pg_server first.

# Makes the work folder $work (prefix $1) and removes it, the server and the databases on exit.
bench_workspace() {
  work="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  server_pid=""
  pg_dbs=()
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}

drop_pg() {
  psql -q -X "$pg_server/postgres" -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1 || say "could not drop database $1"
}

cleanup() {
  local status=$?
  stop_server
  for db in "${pg_dbs[@]}"; do drop_pg "$db"; done
  if [[ "${BENCH_KEEP:-}" == 1 ]]; then say "kept $work"; else rm -rf "$work"; fi
  exit "$status"
}

# Sets DB_ENV (env assignments for ebdesk), DB_ARGS (its flags) and DB_LABEL for a fresh
# database on engine $1 (sqlite or postgres).
fresh_db() {
  local engine="$1" dir
  dir="$(mktemp -d "$work/data.XXXX")"
  case "$engine" in
    sqlite)
      DB_ENV=(-u DATABASE_URL "EBDESK_DATA_DIR=$dir")
      DB_ARGS=(--data-dir "$dir")
      DB_LABEL="SQLite"
      ;;
    postgres)
      pg_isready -q -h 127.0.0.1 || die "PostgreSQL does not answer at 127.0.0.1 (start it: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start)"
      local db
      db="ebdesk_bench_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
      psql -q -X "$pg_server/postgres" -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null
      pg_dbs+=("$db")
      DB_ENV=("DATABASE_URL=$pg_server/$db" "EBDESK_DATA_DIR=$dir")
      DB_ARGS=(--data-dir "$dir" --database-url "$pg_server/$db")
      DB_LABEL="PostgreSQL"
      ;;
  esac
}

now() { date +%s.%N; }

free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port found"
}
