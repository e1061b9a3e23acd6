#!/usr/bin/env bash
# Start a throw-away PostgreSQL server for the test suite, installing Debian's package when
# it is missing. Prints the admin URL to use as LAPKIN_TEST_POSTGRES_URL.
#   usage: scripts/postgres-for-tests.sh start DIR PORT  |  scripts/postgres-for-tests.sh stop DIR
set -euo pipefail

action=${1:?start or stop}
datadir=${2:?data directory}
port=${3:-54329}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        su postgres -s /bin/bash -c "$*"
    else
        bash -c "$*"
    fi
}

pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

if [ "$action" = stop ]; then
    bin=$(pg_bin)
    [ -n "$bin" ] && [ -f "$datadir/postmaster.pid" ] && as_postgres "$bin/pg_ctl -D '$datadir' -m fast -w stop" >&2 || true
    exit 0
fi

if [ -z "$(pg_bin)" ]; then
    echo "PostgreSQL is not installed; installing Debian's package..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi
bin=$(pg_bin)

mkdir -p "$datadir"
if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$datadir"
fi
if [ ! -f "$datadir/PG_VERSION" ]; then
    as_postgres "'$bin/initdb' -D '$datadir' -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8" >&2
fi
as_postgres "'$bin/pg_ctl' -D '$datadir' -l '$datadir/server.log' -w \
    -o '-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' start" >&2
echo "postgresql://postgres@127.0.0.1:$port/postgres"
