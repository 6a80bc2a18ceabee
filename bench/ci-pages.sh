#!/usr/bin/env bash
# CI pages at scale: /ci, /ci/{service} and a package page whose package has
# 200 builds, with 1,000,000 build results in the database (the one
# bench/ci-import.sh leaves: `pacatlas_bench_ci`, the whole Guix channel and
# 1M results from a fake Cuirass; run it first). Release build, page cache
# off (every request renders from PostgreSQL), one request at a time: the
# time curl measures on 127.0.0.1 is the server's time plus a loopback
# round trip. Prints p50 / p95 / max of 200 requests per URL.
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
ensure_db pacatlas_bench_ci
n="$(psql "$DATABASE_URL" -Atc "select count(*) from build_results" 2>/dev/null || echo 0)"
[ "$n" -ge 1000000 ] || die "pacatlas_bench_ci holds $n build results: run bench/ci-import.sh first"
bench_binary
"$BIN" migrate >/dev/null
REQUESTS="${REQUESTS:-200}"
port=3221
work="$(mktemp -d)"
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

# hdf5 gets 200 builds of its own (2 systems, 100 days; idempotent).
psql "$DATABASE_URL" -q <<'SQL'
INSERT INTO ci_services (name, kind, ecosystem, channel) VALUES ('bench-push', 'push', 'guix', 'guix')
  ON CONFLICT (name) DO NOTHING;
INSERT INTO build_results (service_id, external_id, package_id, package_name, job, version, system, status,
                           service_status, finished_at)
SELECT s.id, 'hdf5-' || i, p.id, 'hdf5', 'hdf5.' || sys, '1.14.5', sys,
       CASE WHEN i % 7 = 0 THEN 'failed' ELSE 'succeeded' END, 'bench', now() - (i || ' hours')::interval * 12
FROM ci_services s, packages p JOIN channels c ON c.id = p.channel_id, generate_series(1, 100) i,
     unnest(ARRAY['x86_64-linux', 'aarch64-linux']) sys
WHERE s.name = 'bench-push' AND c.name = 'guix' AND p.name = 'hdf5'
ON CONFLICT (service_id, external_id) DO NOTHING;
VACUUM ANALYZE;
SQL
echo "build results: $(psql "$DATABASE_URL" -Atc 'select count(*) from build_results');" \
  "hdf5: $(psql "$DATABASE_URL" -Atc "select count(*) from build_results b join packages p on p.id = b.package_id
    join channels c on c.id = p.channel_id where c.name = 'guix' and p.name = 'hdf5'") builds;" \
  "summary rows: $(psql "$DATABASE_URL" -Atc 'select count(*) from build_state')"

DATABASE_URL="$DATABASE_URL" PACATLAS_DATA_DIR="$work/data" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_ENV=PROD \
  PACATLAS_PAGE_CACHE_BYTES=0 PACATLAS_RATE_LIMIT_PER_SECOND=0 PACATLAS_LOG_FORMAT=json RUST_LOG=warn \
  "$BIN" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$work/server.log"; die "the server did not start"; }
  sleep 0.5
done
service="$(psql "$DATABASE_URL" -Atc "select name from ci_services where kind = 'cuirass' order by id limit 1")"

measure() { # path
  local url="http://127.0.0.1:$port$1" status
  status="$(curl -s -o /dev/null -w '%{http_code}' "$url")"
  [ "$status" = 200 ] || die "$1 answered $status"
  for _ in $(seq 1 10); do curl -s -o /dev/null "$url"; done # warm-up
  for _ in $(seq 1 "$REQUESTS"); do curl -s -o /dev/null -w '%{time_total}\n' "$url"; done | sort -n | awk -v path="$1" '
    { t[NR] = $1 * 1000 }
    END { printf "| `%s` | %.1f | %.1f | %.1f |\n", path, t[int(NR * 0.5)], t[int(NR * 0.95)], t[NR] }'
}
echo
echo "| page (cache off) | p50 ms | p95 ms | max ms |"
echo "| --- | --- | --- | --- |"
measure /ci
measure "/ci/$service"
measure /api/v1/ci
measure /packages/guix/guix/hdf5
measure /api/v1/packages/guix/guix/hdf5/builds
measure /packages/guix/guix/hdf5/builds
