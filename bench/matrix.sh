#!/usr/bin/env bash
# The hardware-support matrix at scale, in a database of its own
# (`pacatlas_matrix_bench`): a Spack channel of 10,000 generated packages
# (named bench-00001…, plainly not real), the demo sites and a made-up
# one (8 partitions, so 30 platform columns), 1,000,000 build results written through the same
# table and triggers as the importers (build_results → platform_builds) and
# 100,000 attestations. Then, over HTTP on 127.0.0.1 (time to first byte and
# total, median of 15 requests after 3 warm-ups, page cache off):
#   - /api/v1/matrix and the /matrix page, 500 packages × 30 platforms;
#   - the CSV export of all 10,000 rows (streamed), with the server's
#     resident memory sampled while it streams, beside a 1,000-row export.
# BENCH_PROFILE=debug uses the debug build (default: release).
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
ensure_db pacatlas_matrix_bench
bench_binary
DB="${DATABASE_URL%/*}/pacatlas_matrix_bench"
export DATABASE_URL="$DB"
port=3252
work="$(mktemp -d)"
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

"$BIN" migrate >/dev/null
if [ "$(psql "$DB" -Atc "select count(*) from build_results")" -lt 1000000 ]; then
  log "generating 10,000 packages, 1,000,000 build results, 100,000 attestations"
  "$BIN" sites load server/src/platforms/demo_sites.toml
  # One made-up partition more (8 in all: 30 platform columns), named for what it is.
  cat > "$work/bench-site.toml" <<'TOML'
[[site]]
name = "bench-site"
title = "Benchmark site (made up)"
operator = "bench/matrix.sh"
[[site.machine]]
name = "bench"
title = "Benchmark machine (made up)"
[[site.machine.partition]]
name = "gpu"
system = "aarch64-linux"
microarch = "neoverse_v2"
gpu_vendor = "nvidia"
gpu_target = "sm_90"
TOML
  "$BIN" sites load "$work/bench-site.toml"
  psql "$DB" -q -v ON_ERROR_STOP=1 <<'SQL'
BEGIN;
INSERT INTO channels (ecosystem, name, url) VALUES ('spack', 'bench', NULL) ON CONFLICT DO NOTHING;
INSERT INTO packages (channel_id, name, base_name, latest_version, tags, extra, content_hash)
SELECT c.id, 'bench-' || lpad(i::text, 5, '0'), 'bench-' || lpad(i::text, 5, '0'), '1.' || (i % 7),
       CASE WHEN i % 10 = 0 THEN ARRAY['hpc'] ELSE '{}' END,
       jsonb_build_object('gpu', jsonb_build_object('cuda', i % 5 = 0, 'rocm', i % 7 = 0),
                          'conflicts', CASE WHEN i % 11 = 0
                                            THEN jsonb_build_array(jsonb_build_object('spec', 'target=aarch64:'))
                                            ELSE '[]'::jsonb END),
       sha256(i::text::bytea)
FROM channels c, generate_series(1, 10000) i WHERE c.ecosystem = 'spack' AND c.name = 'bench'
ON CONFLICT DO NOTHING;
INSERT INTO ci_services (name, kind, ecosystem, channel)
VALUES ('bench-a', 'push', 'spack', 'bench'), ('bench-b', 'push', 'spack', 'bench'), ('bench-c', 'push', 'spack', 'bench')
ON CONFLICT DO NOTHING;
COMMIT;
-- One statement per service, as an importer's batches would.
INSERT INTO build_results (service_id, external_id, package_id, package_name, job, version, system, target, status,
                           service_status, finished_at)
SELECT s.id, s.name || '-' || i, p.id, p.name, p.name, p.latest_version,
       (ARRAY['linux-rhel8', 'x86_64-linux', 'aarch64-linux', 'linux-ubuntu22.04'])[1 + i % 4],
       (ARRAY['x86_64_v3', '', 'neoverse_v1', 'zen4', 'x86_64_v4', 'skylake_avx512'])[1 + (i / 4) % 6],
       (ARRAY['succeeded', 'succeeded', 'succeeded', 'failed', 'timed-out', 'dependency-failed'])[1 + i % 6],
       'bench', timestamptz '2026-01-01' + (i || ' minutes')::interval
FROM ci_services s, generate_series(1, 333334) i
JOIN packages p ON p.name = 'bench-' || lpad((1 + i % 10000)::text, 5, '0')
JOIN channels c ON c.id = p.channel_id AND c.name = 'bench'
WHERE s.name LIKE 'bench-%'
ON CONFLICT DO NOTHING;
INSERT INTO attestations (partition_id, package_id, version, status, attested_on, note, content_sha256)
SELECT pa.id, p.id, p.latest_version, (ARRAY['works', 'works', 'broken', 'partial'])[1 + i % 4],
       date '2026-01-01' + (i % 300), 'bench', sha256(('bench-' || i)::bytea)
FROM generate_series(1, 100000) i
JOIN partitions pa ON pa.id = (SELECT id FROM partitions ORDER BY id OFFSET (i % 8) LIMIT 1)
JOIN packages p ON p.name = 'bench-' || lpad((1 + (i * 7) % 10000)::text, 5, '0')
JOIN channels c ON c.id = p.channel_id AND c.name = 'bench'
ON CONFLICT DO NOTHING;
VACUUM ANALYZE;
SQL
fi
echo "database: $(psql "$DB" -Atc "select count(*) from packages") packages, $(psql "$DB" -Atc "select count(*) from build_results") build results, $(psql "$DB" -Atc "select count(*) from platform_builds") latest builds per package × service × system × target, $(psql "$DB" -Atc "select count(*) from attestations") attestations, $(psql "$DB" -Atc "select count(*) from partitions") partitions"

PACATLAS_PAGE_CACHE_BYTES=0 LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$ROOT/target/site" \
  RUST_LOG=warn "$BIN" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
measure() {  # label url
  local url="http://127.0.0.1:$port$2"
  for _ in 1 2 3; do curl -sf -o /dev/null "$url"; done
  for _ in $(seq 1 15); do curl -sf -o /dev/null -w '%{time_starttransfer} %{time_total} %{size_download}\n' "$url"; done > "$work/t"
  printf '%-48s first byte %6.1f ms  total %6.1f ms  %8d bytes\n' "$1" \
    "$(awk '{ print $1 * 1000 }' "$work/t" | median)" "$(awk '{ print $2 * 1000 }' "$work/t" | median)" \
    "$(awk '{ print $3 }' "$work/t" | median)"
}
cols="$(curl -sf "http://127.0.0.1:$port/api/v1/matrix?channel=spack/bench&per_page=1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["columns"]))')"
echo "columns: $cols"
measure "JSON, 500 packages x $cols platforms" "/api/v1/matrix?channel=spack/bench&per_page=500"
measure "JSON, 500 packages, page 15" "/api/v1/matrix?channel=spack/bench&per_page=500&page=15"
measure "JSON, 50 packages (the page's default)" "/api/v1/matrix?channel=spack/bench"
measure "page /matrix, 500 packages" "/matrix?channel=spack/bench&per_page=500"
measure "page /matrix, 50 packages" "/matrix?channel=spack/bench"
measure "CSV, 1,000 rows (tag=hpc)" "/api/v1/matrix?channel=spack/bench&tag=hpc&format=csv"

rss() { awk '/VmRSS/ { print $2 }' "/proc/$pid/status"; }
sample_export() {  # label url
  local before peak=0 r
  before="$(rss)"
  curl -sf -o "$work/export.csv" -w '%{time_total}\n' "http://127.0.0.1:$port$2" > "$work/time" &
  local cpid=$!
  while kill -0 "$cpid" 2>/dev/null; do r="$(rss)"; [ "$r" -gt "$peak" ] && peak="$r"; sleep 0.02; done
  wait "$cpid"
  printf '%-48s %6.0f ms  %6d lines  RSS before %d kB, peak %d kB (+%d kB)\n' "$1" \
    "$(awk '{ print $1 * 1000 }' "$work/time")" "$(wc -l < "$work/export.csv")" "$before" "$peak" $((peak - before))
}
sample_export "CSV export, 1,000 rows" "/api/v1/matrix?channel=spack/bench&tag=hpc&format=csv"
sample_export "CSV export, 10,000 rows" "/api/v1/matrix?channel=spack/bench&format=csv"
sample_export "CSV export, 10,000 rows (again)" "/api/v1/matrix?channel=spack/bench&format=csv"
