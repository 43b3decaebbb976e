#!/usr/bin/env bash
# A distributed run on one machine, as a demo: a throwaway PostgreSQL (Debian's postgresql: initdb + pg_ctl in a
# temporary folder, as user postgres when run as root; 127.0.0.1 and a free port), a segment planned with
# `log-segment --distribute`, N local workers, then the run's status. The server and its folder are removed at the
# end unless KEEP=1 (then the URL is printed and the server keeps running; stop it with the printed command).
#
#   scripts/local-cluster.sh [WORKERS] [SEGMENT.yaml]      # default: 3 workers, SampleSegments/SM00001.yaml
#   scripts/local-cluster.sh --server                      # only the server: prints MAILMERGE_DB=… and STOP=…, keeps it
#   env: OUT (letters folder, default letters-distributed), CHUNK (lines per chunk, default 5),
#        MAILMERGE (the binary, default .build/debug/mailmerge, built when missing), KEEP=1, TMPDIR (where the
#        server's folder goes, default /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."
server_only=0
if [ "${1:-}" = "--server" ]; then server_only=1; KEEP=1; shift; fi
workers="${1:-3}"
segment="${2:-SampleSegments/SM00001.yaml}"
out="${OUT:-letters-distributed}"
mailmerge="${MAILMERGE:-.build/debug/mailmerge}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$bin" ]; then echo "error: PostgreSQL is not installed; run scripts/setup-debian.sh (Debian package postgresql)" >&2; exit 1; fi
if [ "$server_only" = 0 ] && [ ! -x "$mailmerge" ]; then swift build --product mailmerge; fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/mailmerge-cluster-XXXXXX")"
as_postgres=()
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; as_postgres=(runuser -u postgres --); fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [ "${KEEP:-0}" != 1 ]; then
        "${as_postgres[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$dir"
    fi
}
trap cleanup EXIT
"${as_postgres[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >/dev/null
"${as_postgres[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
db="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
if [ "$server_only" = 1 ]; then
    echo "MAILMERGE_DB=$db"
    echo "STOP=${as_postgres[*]} $bin/pg_ctl -D $dir/data -m fast -w stop; rm -rf $dir"
    exit 0
fi
echo "PostgreSQL: $db (folder $dir)"

"$mailmerge" log-segment "$segment" --db "$db" --distribute --chunk "${CHUNK:-5}"
run=1
for i in $(seq "$workers"); do
    "$mailmerge" worker --db "$db" --out "$out" --until-done --jobs 1 --id "local-$i" &
    pids+=("$!")
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
pids=()
"$mailmerge" status "$run" --db "$db"
"$mailmerge" segment logged --db "$db"
if [ "${KEEP:-0}" = 1 ]; then
    echo "kept: $db; stop with: ${as_postgres[*]} $bin/pg_ctl -D $dir/data stop && rm -rf $dir"
fi
exit "$status"
