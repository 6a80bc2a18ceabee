#!/usr/bin/env bash
# Archival check benchmark: N sources (default 100,000, one tarball hash
# each) checked against a local fake Software Heritage (server/examples/swh_fake.rs;
# FAKE=python uses bench/swh_fake.py, slower than what it measures),
# first 10% then the rest (peak RSS of both: flat memory means alike), then
# a rerun within the window (no request). Prints checks/s, requests and peak
# RSS. Release build; a fresh database `pacatlas_bench_archival`.
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
N="${1:-100000}"
command -v /usr/bin/time >/dev/null || apt_install time
ensure_db pacatlas_bench_archival
psql "${DATABASE_URL%/*}/postgres" -qc "drop database if exists pacatlas_bench_archival" -c "create database pacatlas_bench_archival"
log "build (BENCH_PROFILE, default release; none with BENCH_NO_BUILD)"
bench_binary --example swh_fake
"$BIN" migrate
INPUT="$CACHE/bench-archival-$N.json"
[ -f "$INPUT" ] || { log "generating $INPUT"; python3 bench/gen_archival.py "$N" "$INPUT"; }
log "ingesting $N packages"
"$BIN" ingest guix --channel bench --revision r1 "$INPUT" | tail -n 1

PORT_FILE="$(mktemp)"
if [ "${FAKE:-rust}" = python ]; then
  python3 bench/swh_fake.py --port-file "$PORT_FILE" &
else
  "$CARGO_TARGET_DIR/$PROFILE/examples/swh_fake" "$PORT_FILE" &
fi
FAKE=$!
trap 'kill $FAKE 2>/dev/null; rm -f "$PORT_FILE"' EXIT
for _ in $(seq 50); do [ -s "$PORT_FILE" ] && break; sleep 0.1; done
PORT="$(cat "$PORT_FILE")"
export PACATLAS_SWH_API_URL="http://127.0.0.1:$PORT/api/1/"
export PACATLAS_ARCHIVAL_CONCURRENCY="${CONCURRENCY:-16}"
requests() { curl -s "http://127.0.0.1:$PORT/count" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])'; }

run() { # label, args…
  local label="$1"; shift
  local out before after; out="$(mktemp)"
  before="$(requests)"
  /usr/bin/time -f '%e %M' -o "$out.time" "$BIN" archival check "$@" > "$out" 2>/dev/null
  after="$(requests)"
  read -r wall rss < "$out.time"
  local checked; checked="$(sed -n 's/^\([0-9]*\) sources checked.*/\1/p' "$out")"
  local rate; rate="$(python3 -c "print(f'{$checked / max($wall, 0.01):.0f}')")"
  printf '| %s | %s | %s s | %s checks/s | %s | %d MiB |\n' "$label" "$checked" "$wall" "$rate" "$((after - before))" "$((rss / 1024))"
  rm -f "$out" "$out.time"
}
echo
echo "| run | checked | wall | rate | requests to the fake | peak RSS |"
echo "| --- | --- | --- | --- | --- | --- |"
run "first $((N / 10)) sources" --limit "$((N / 10))"
run "the other $((N - N / 10))"
run "rerun within the window" 
echo
echo "concurrency $PACATLAS_ARCHIVAL_CONCURRENCY; machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; PostgreSQL $(psql "$DATABASE_URL" -Atc 'show server_version')"
