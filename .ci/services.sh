#!/usr/bin/env bash
# Start throwaway PostgreSQL and Redis servers for the scale-out tests and print the env lines
# (`export BAIMO_TEST_DATABASE_URL=…`, `export BAIMO_TEST_REDIS_URL=…`) for the caller to eval.
# Usage: eval "$(bash .ci/services.sh start)"; …; bash .ci/services.sh stop
set -euo pipefail
DIR="${BAIMO_SERVICES_DIR:-/tmp/baimo-ci-services}"
PG_PORT="${BAIMO_PG_PORT:-55432}"
REDIS_PORT="${BAIMO_REDIS_PORT:-63790}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

start() {
  mkdir -p "$DIR" && chmod 755 "$DIR"
  # PostgreSQL: a fresh cluster in a temp dir (initdb must not run as root).
  if ! "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null; then
    rm -rf "$DIR/pg"
    install -d -o postgres -g postgres "$DIR/pg"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$DIR/pg" -A trust -U postgres --no-sync >"$DIR/initdb.log" 2>&1
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DIR/pg" -l "$DIR/pg/server.log" -w \
      -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  fi
  for _ in $(seq 1 50); do "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.2; done
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='baimo_test'" | grep -q 1 \
    || "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database baimo_test" >/dev/null
  # Redis: no persistence, daemonized, stopped by pid.
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --daemonize yes --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
      --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" >/dev/null
    for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  echo "export BAIMO_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/baimo_test"
  echo "export BAIMO_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
}

stop() {
  [ -d "$DIR/pg" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$DIR/pg" -m fast stop >/dev/null 2>&1 || true
  [ -f "$DIR/redis.pid" ] && kill "$(cat "$DIR/redis.pid")" 2>/dev/null || true
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
