#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the registry's tests, on a free loopback port.
#
#   eval "$(tools/pg_test_cluster.sh start)"    # prints the two export lines below
#   pytest tests/registry                        # the registry tests also run on PostgreSQL
#   tools/pg_test_cluster.sh stop "$JDMTRACK_PG_CLUSTER"
#
# start: initdb into a new temporary folder, start the server on 127.0.0.1 and a free port
# (unix socket in that folder), create the database `jdmtrack`, and print
#   export JDMTRACK_TEST_POSTGRES=postgres://jdmtrack:PASSWORD@127.0.0.1:PORT/jdmtrack
#   export JDMTRACK_PG_CLUSTER=FOLDER
# PostgreSQL refuses to run as root: run as root, the script creates the system user
# `jdmtrack-ci` and runs the server as that user. It needs the Debian/Ubuntu `postgresql`
# package (or any initdb/pg_ctl on PATH). stop: stop the server, delete the folder.
set -euo pipefail

CI_USER=jdmtrack-ci

bindir() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$found" ] && [ -x "$found/initdb" ]; then
        echo "$found"
    elif command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
    else
        echo "no PostgreSQL server found: install it (apt-get install -y postgresql)" >&2
        exit 1
    fi
}

as_owner() {  # run a command as the folder's owner (jdmtrack-ci when we are root)
    if [ "$(id -u)" = 0 ]; then runuser -u "$CI_USER" -- "$@"; else "$@"; fi
}

start() {
    local bin dir port password
    bin=$(bindir)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/jdmtrack-pg.XXXXXX")
    if [ "$(id -u)" = 0 ]; then
        id -u "$CI_USER" >/dev/null 2>&1 || useradd --system --no-create-home \
            --shell /usr/sbin/nologin "$CI_USER"
        chown "$CI_USER" "$dir"
    fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    (umask 077; echo "$password" > "$dir/pwfile")
    [ "$(id -u)" = 0 ] && chown "$CI_USER" "$dir/pwfile"
    as_owner "$bin/initdb" -D "$dir/data" -U jdmtrack --pwfile="$dir/pwfile" \
        --auth=scram-sha-256 -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    # A throw-away cluster: no fsync (the tests kill jdmtrack's processes, never the server).
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$port" -U jdmtrack jdmtrack
    echo "export JDMTRACK_TEST_POSTGRES=postgres://jdmtrack:$password@127.0.0.1:$port/jdmtrack"
    echo "export JDMTRACK_PG_CLUSTER=$dir"
}

stop() {
    local dir=${1:?give the folder that start printed (JDMTRACK_PG_CLUSTER)}
    [ -d "$dir/data" ] || { echo "$dir holds no cluster" >&2; exit 1; }
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *) echo "usage: $0 start | stop FOLDER" >&2; exit 2 ;;
esac
