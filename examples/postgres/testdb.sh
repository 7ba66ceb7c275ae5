#!/usr/bin/env bash
# testdb.sh starts a private, throwaway PostgreSQL server on loopback, runs a
# command with SENDRIGHT_PG_DSN pointing at it, and stops and deletes the
# server when the command ends (or fails, or is interrupted).
#
#	examples/postgres/testdb.sh                        # go test -count=1 ./... in examples/postgres
#	examples/postgres/testdb.sh go run . -dsn '$SENDRIGHT_PG_DSN'
#	examples/postgres/testdb.sh go test -race -count=1 ./...
#
# It installs the server with apt-get when initdb is missing and the script
# runs as root (a fresh Debian or Ubuntu machine, as in CI). initdb refuses
# to run as root, so as root the server runs as an unprivileged user: the
# "postgres" user the Debian package creates, or "sendright-pg", created
# here (SENDRIGHT_PG_USER names another, created when missing). The data
# directory and the Unix socket live in a temporary directory; the server
# listens on 127.0.0.1 only, on port
# SENDRIGHT_PG_PORT (54329 by default; the next free one if taken), trusts
# local connections (it holds only test data) and runs without fsync.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
port=${SENDRIGHT_PG_PORT:-54329}

find_bindir() {
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return
  fi
  # Debian keeps the server binaries off PATH, one directory per major version.
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bindir=$(find_bindir)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "testdb.sh: initdb not found; install the PostgreSQL server (e.g. apt-get install postgresql)" >&2
    exit 1
  fi
  echo "testdb.sh: installing the PostgreSQL server with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
  bindir=$(find_bindir)
fi

# as runs a command as the server's user: the caller itself unless root.
# SENDRIGHT_PG_USER names another user (created when missing).
runas=""
if [ "$(id -u)" -eq 0 ]; then
  runas=${SENDRIGHT_PG_USER:-}
  if [ -z "$runas" ] && id postgres >/dev/null 2>&1; then
    runas=postgres
  fi
  runas=${runas:-sendright-pg}
  if ! id "$runas" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$runas"
  fi
fi
as() {
  if [ -n "$runas" ]; then
    # setpriv (util-linux) is on every Debian; runuser needs PAM.
    setpriv --reuid="$runas" --regid="$runas" --init-groups -- "$@"
  else
    "$@"
  fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sendright-pg.XXXXXX")
chmod 0755 "$tmp"
mkdir "$tmp/data" "$tmp/sock"
if [ -n "$runas" ]; then chown -R "$runas:" "$tmp"; fi

started=""
cleanup() {
  if [ -n "$started" ]; then
    as "$bindir/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1 ||
      as "$bindir/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as "$bindir/initdb" -D "$tmp/data" -U sendright --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$tmp/initdb.log" 2>&1 ||
  as "$bindir/initdb" -D "$tmp/data" -U sendright --auth=trust -E UTF8 --no-locale --no-sync >"$tmp/initdb.log" 2>&1 || {
  cat "$tmp/initdb.log" >&2
  exit 1
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in $(seq 1 20); do
  if port_free "$port"; then break; fi
  port=$((port + 1))
done

started=yes
if ! as "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
  start >/dev/null; then
  cat "$tmp/server.log" >&2
  exit 1
fi

export SENDRIGHT_PG_DSN="postgres://sendright@127.0.0.1:$port/postgres?sslmode=disable"
echo "testdb.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $tmp)" >&2

cd "$here"
if [ $# -eq 0 ]; then
  set -- go test -count=1 ./...
fi
# The command runs in a child, not by exec, so that the trap stops the server.
# A '$SENDRIGHT_PG_DSN' in the arguments is replaced by the DSN.
args=()
for a in "$@"; do args+=("${a//\$SENDRIGHT_PG_DSN/$SENDRIGHT_PG_DSN}"); done
"${args[@]}"
