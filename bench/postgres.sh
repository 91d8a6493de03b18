#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the benchmarks, as scripts/test starts one for the suite.
# Usage: bash bench/postgres.sh start FOLDER PORT   → prints the URL of its `postgres` database
#        bash bench/postgres.sh stop FOLDER
# fsync stays on (unlike the test cluster): the figures are meant to be what an install sees.
set -euo pipefail
action=$1 folder=$2
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg=""
[ "$(id -u)" -eq 0 ] && as_pg="runuser -u postgres --"
case "$action" in
  start)
    port=$3
    mkdir -p "$folder"; [ -n "$as_pg" ] && chown postgres "$folder"
    [ -d "$folder/data" ] || $as_pg "$pg_bin/initdb" -D "$folder/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    $as_pg "$pg_bin/pg_ctl" -D "$folder/data" -l "$folder/log" -w -o \
      "-c listen_addresses=127.0.0.1 -p $port -k $folder -c max_connections=200 -c shared_buffers=512MB" start >/dev/null
    echo "postgresql://postgres@127.0.0.1:$port/postgres" ;;
  stop)
    $as_pg "$pg_bin/pg_ctl" -D "$folder/data" -m fast stop >/dev/null ;;
esac
