#!/usr/bin/env bash
# Criticality at scale, in a database of its own (`pacatlas_criticality_bench`):
# 200,000 made-up packages (bench-…) in three channels, 1,000,000 dependency
# edges with hubs and cycles, maintainers, CI, archival checks and
# sponsorships (bench/gen_criticality.py), loaded with COPY. Then:
#   - `pacatlas funding criticality`, timed, with its peak resident memory
#     (GNU time's maximum RSS), run twice;
#   - the critical list over HTTP on 127.0.0.1, page cache off, distinct URLs:
#     median time to first byte of the JSON (first page, a filtered page, a
#     deep page, by dependents) and of the page, and the whole CSV.
# BENCH_PROFILE=debug uses the debug build (default: release);
# BENCH_NO_BUILD=1 uses the binary as it is.
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
ensure_db pacatlas_criticality_bench
bench_binary
DB="${DATABASE_URL%/*}/pacatlas_criticality_bench"
export DATABASE_URL="$DB"
port=3253
work="$(mktemp -d)"
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

"$BIN" migrate >/dev/null
if [ "$(psql "$DB" -Atc "select count(*) from packages")" -lt 200000 ]; then
  log "generating 200,000 packages and 1,000,000 dependencies"
  python3 bench/gen_criticality.py "$work/data"
  psql "$DB" -q -v ON_ERROR_STOP=1 <<SQL
BEGIN;
INSERT INTO channels (id, ecosystem, name) VALUES (1, 'guix', 'bench-guix'), (2, 'spack', 'bench-spack'), (3, 'nix', 'bench-nix');
\copy projects (id, key, name) FROM '$work/data/projects.tsv'
\copy packages (id, channel_id, name, base_name, project_id, content_hash, tags) FROM '$work/data/packages.tsv'
\copy dependencies (package_id, position, name) FROM '$work/data/dependencies.tsv'
\copy maintainers (id, forge, handle) FROM '$work/data/maintainers.tsv'
\copy package_maintainers (package_id, maintainer_id) FROM '$work/data/package_maintainers.tsv'
\copy package_ci (package_id, status) FROM '$work/data/package_ci.tsv'
\copy sources (id, package_id, origin_type, sha256) FROM '$work/data/sources.tsv'
\copy archival_checks (key, status, method, checked_at) FROM '$work/data/archival_checks.tsv'
INSERT INTO funders (id, slug, name, kind) VALUES (1, 'bench-funder', 'Bench funder (made up)', 'foundation');
\copy sponsorships (funder_id, target_kind, project_id, in_kind, starts_on) FROM '$work/data/sponsorships.tsv'
SELECT setval(pg_get_serial_sequence('channels', 'id'), (SELECT max(id) FROM channels));
SELECT setval(pg_get_serial_sequence('projects', 'id'), (SELECT max(id) FROM projects));
SELECT setval(pg_get_serial_sequence('packages', 'id'), (SELECT max(id) FROM packages));
SELECT setval(pg_get_serial_sequence('maintainers', 'id'), (SELECT max(id) FROM maintainers));
SELECT setval(pg_get_serial_sequence('sources', 'id'), (SELECT max(id) FROM sources));
SELECT setval(pg_get_serial_sequence('funders', 'id'), (SELECT max(id) FROM funders));
COMMIT;
VACUUM ANALYZE;
SQL
fi
echo "database: $(psql "$DB" -Atc "select count(*) from packages") packages, $(psql "$DB" -Atc "select count(*) from dependencies") dependencies, $(psql "$DB" -Atc "select count(*) from projects") projects"

for run in 1 2; do
  /usr/bin/time -f "%e s elapsed, %M kB peak RSS, %P CPU" -o "$work/time" "$BIN" funding criticality 2>"$work/err" | tail -n 1
  echo "run $run: $(cat "$work/time")"
done

PACATLAS_PAGE_CACHE_BYTES=0 PACATLAS_RATE_LIMIT_PER_SECOND=0 LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  LEPTOS_SITE_ROOT="$ROOT/target/site" RUST_LOG=warn "$BIN" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
measure() {  # label path (each request gets a distinct, ignored parameter: no cache of any kind answers)
  local url="http://127.0.0.1:$port$2"
  local sep='?'; case "$2" in *\?*) sep='&';; esac
  for i in 1 2 3; do curl -sf -o /dev/null "$url${sep}warm=$i"; done
  for i in $(seq 1 21); do
    curl -sf -o /dev/null -w '%{time_starttransfer} %{size_download}\n' "$url${sep}n=$RANDOM$i"
  done > "$work/t"
  printf '%-52s first byte %7.1f ms  %8d bytes\n' "$1" \
    "$(awk '{ print $1 * 1000 }' "$work/t" | median)" "$(awk '{ print $2 }' "$work/t" | median)"
}
measure "JSON, first page" "/api/v1/funding/critical"
measure "JSON, ecosystem=spack&tag=io" "/api/v1/funding/critical?ecosystem=spack&tag=io"
measure "JSON, tag=network (rare)" "/api/v1/funding/critical?tag=network"
measure "JSON, page 150" "/api/v1/funding/critical?page=150"
measure "JSON, sort=dependents" "/api/v1/funding/critical?sort=dependents"
measure "JSON, sort=name" "/api/v1/funding/critical?sort=name"
measure "page /funding/critical" "/funding/critical"
measure "CSV, every row (10,000)" "/funding/critical.csv"
psql "$DB" -Atc "select 'list: ' || count(*) || ' projects unfunded with at most one maintainer' from project_criticality where not funded and maintainers <= 1 and score > 0"
psql "$DB" -Atc "select 'top 3: ' || string_agg(j.key || ' (' || k.transitive_dependents || ' dependents, score ' || k.score || ')', ', ' order by k.rank) from project_criticality k join projects j on j.id = k.project_id where k.rank <= 3"
psql "$DB" -Atc "select 'graph: ' || packages || ' packages, ' || edges || ' edges, ' || cycles || ' cycles, largest ' || largest_cycle from criticality_state"
