#!/usr/bin/env bash
# CI import benchmark: 1,000,000 build results imported from a local fake
# Cuirass (bench/ci_fake_cuirass.py: 100 evaluations of 10,000 builds, the
# packages of the shared Guix channel) by `pacatlas ci import cuirass
# --evaluations`, then imported again: once from the cursor, once with the
# cursor removed (every result fetched and compared: nothing may be written).
# Prints wall time and peak RSS (/usr/bin/time -v) of each run, rows, and the
# sum of the rows' xmin (the transaction that last wrote each row).
# Release build; a fresh database `pacatlas_bench_ci`.
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
EVALS="${EVALS:-100}"
BUILDS="${BUILDS:-10000}"
GUIX="${GUIX_PACKAGES:-$ROOT/../shared/data/guix/packages.json}"
[ -f "$GUIX" ] || die "the shared Guix channel is not at $GUIX (set GUIX_PACKAGES)"
command -v /usr/bin/time >/dev/null || apt_install time
ensure_db pacatlas_bench_ci
recreate_db
log "build (BENCH_PROFILE, default release; none with BENCH_NO_BUILD)"
bench_binary
"$BIN" migrate
"$BIN" ingest guix --channel guix "$GUIX" > /dev/null

WORK="$(mktemp -d)"
trap 'kill "$FAKE" 2>/dev/null || true; rm -rf "$WORK"' EXIT
python3 bench/ci_fake_cuirass.py --evaluations "$EVALS" --builds "$BUILDS" --names "$GUIX" --port-file "$WORK/port" &
FAKE=$!
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
URL="http://127.0.0.1:$(cat "$WORK/port")"

state() { psql "$DATABASE_URL" -Atc "select count(*), coalesce(sum(xmin::text::bigint), 0), count(distinct external_id) from build_results"; }
run() { # label
  local label="$1"
  /usr/bin/time -v -o "$WORK/time" "$BIN" ci import cuirass --evaluations --latest "$EVALS" \
    --service bench-cuirass --url "$URL" --channel guix > "$WORK/out" 2> "$WORK/err" || { cat "$WORK/err"; die "$label failed"; }
  local wall rss
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time")"
  rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time")"
  IFS='|' read -r rows xmin distinct <<< "$(state)"
  printf '| %s | %s | %d MiB | %s rows (%s distinct), xmin sum %s | %s |\n' \
    "$label" "$wall" "$((rss / 1024))" "$rows" "$distinct" "$xmin" "$(sed 's/^bench-cuirass: //' "$WORK/out")"
}
echo
echo "| run | wall (m:ss) | peak RSS | rows after | importer's summary |"
echo "| --- | --- | --- | --- | --- |"
run "$((EVALS * BUILDS)) results, first import"
run "again, from the cursor"
psql "$DATABASE_URL" -qc "delete from ci_import_state"
run "again, cursor removed (all fetched and compared)"
echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg); PostgreSQL $(psql "$DATABASE_URL" -Atc 'show server_version')"
