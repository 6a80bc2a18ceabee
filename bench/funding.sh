#!/usr/bin/env bash
# Funding pages at scale: /funding, /funders/{slug}, the JSON and the CSV,
# with the demo data set plus 200 generated funders and 5,000 sponsorships
# (of packages, projects and maintainers of the demo catalog, in EUR, USD
# and in kind, half of them ended) in `pacatlas_bench_funding`. Release
# build unless BENCH_PROFILE=debug (debug figures are only a sanity check),
# page cache off, one request at a time: the time curl measures on
# 127.0.0.1. Prints p50 / p95 / max of $REQUESTS requests per URL.
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
ensure_db pacatlas_bench_funding
bench_binary
"$BIN" migrate >/dev/null
has="$(psql "$DATABASE_URL" -Atc "select count(*) from channels")"
[ "$has" -gt 0 ] || "$BIN" demo >/dev/null
REQUESTS="${REQUESTS:-200}"
port=3222
work="$(mktemp -d)"
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

# 200 funders, 5,000 sponsorships (idempotent: only when not there yet).
psql "$DATABASE_URL" -q <<'SQL'
INSERT INTO funders (slug, name, kind, country, demo)
SELECT 'bench-' || i, 'Bench funder ' || i,
       (ARRAY['foundation', 'consortium', 'agency', 'company', 'individual'])[1 + i % 5], 'FR', true
FROM generate_series(1, 200) i
ON CONFLICT (slug) DO NOTHING;
INSERT INTO sponsorships (funder_id, target_kind, package_id, project_id, maintainer_id, amount, currency, in_kind,
                          starts_on, ends_on, note, demo)
SELECT f.id,
       CASE k.kind WHEN 0 THEN 'package' WHEN 1 THEN 'project' ELSE 'maintainer' END,
       CASE WHEN k.kind = 0 THEN (SELECT id FROM packages ORDER BY id OFFSET (i * 7) % (SELECT count(*) FROM packages) LIMIT 1) END,
       CASE WHEN k.kind = 1 THEN (SELECT id FROM projects ORDER BY id OFFSET (i * 11) % (SELECT count(*) FROM projects) LIMIT 1) END,
       CASE WHEN k.kind = 2 THEN (SELECT id FROM maintainers ORDER BY id OFFSET (i * 13) % (SELECT count(*) FROM maintainers) LIMIT 1) END,
       CASE WHEN i % 10 = 0 THEN NULL ELSE (i * 37 % 100000) + 0.5 END,
       CASE WHEN i % 10 = 0 THEN NULL WHEN i % 3 = 0 THEN 'USD' ELSE 'EUR' END,
       i % 10 = 0,
       DATE '2018-01-01' + (i % 3000),
       CASE WHEN i % 2 = 0 THEN DATE '2018-01-01' + (i % 3000) + 365 END,
       'bench', true
FROM generate_series(1, 5000) i
JOIN funders f ON f.slug = 'bench-' || (1 + i % 200)
CROSS JOIN LATERAL (SELECT i % 3 AS kind) k
WHERE NOT EXISTS (SELECT 1 FROM sponsorships WHERE note = 'bench');
VACUUM ANALYZE;
SQL
echo "funders: $(psql "$DATABASE_URL" -Atc 'select count(*) from funders');" \
  "sponsorships: $(psql "$DATABASE_URL" -Atc 'select count(*) from sponsorships')"

DATABASE_URL="$DATABASE_URL" PACATLAS_DATA_DIR="$work/data" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_ENV=PROD \
  PACATLAS_PAGE_CACHE_BYTES=0 PACATLAS_RATE_LIMIT_PER_SECOND=0 PACATLAS_LOG_FORMAT=json RUST_LOG=warn \
  "$BIN" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$work/server.log"; die "the server did not start"; }
  sleep 0.5
done

measure() { # path
  local url="http://127.0.0.1:$port$1" status
  status="$(curl -s -o /dev/null -w '%{http_code}' "$url")"
  [ "$status" = 200 ] || die "$1 answered $status"
  for _ in $(seq 1 5); do curl -s -o /dev/null "$url"; done # warm-up
  for _ in $(seq 1 "$REQUESTS"); do curl -s -o /dev/null -w '%{time_total}\n' "$url"; done | sort -n | awk -v path="$1" '
    { t[NR] = $1 * 1000 }
    END { a = int(NR * 0.5); if (a < 1) a = 1; b = int(NR * 0.95); if (b < 1) b = 1
          printf "| `%s` | %.1f | %.1f | %.1f |\n", path, t[a], t[b], t[NR] }'
}
echo
echo "| page ($PROFILE, cache off) | p50 ms | p95 ms | max ms |"
echo "| --- | --- | --- | --- |"
measure /funding
measure /api/v1/funding
measure "/funding?currency=EUR&status=active"
measure /funders/bench-7
measure /funders/demo-hpc-foundation
measure /funding.csv
