#!/usr/bin/env bash
# Catalog pages over HTTP (release build, LEPTOS_ENV=PROD): the package page,
# the channel list and a channel page, with wrk (2 threads, 32 connections,
# sharing the machine's cores with the server). Catalog: the shared Spack
# corpus plus the demo channels, in a database of its own
# (`pacatlas_pages`), loaded by `pacatlas ingest`/`demo` as a user would,
# which leave the catalog vacuumed and analysed.
#
# Each page is measured three ways:
#   hot    one URL again and again (served from the page cache);
#   2000   2,000 different package pages in turn (each rendered once per
#          catalog generation, then served from the cache);
#   render the same with the page cache off (PACATLAS_PAGE_CACHE_BYTES=0):
#          every request renders from PostgreSQL.
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
SPACK="${SPACK_CORPUS:-$ROOT/../shared/data/spack/packages.json}"
[ -f "$SPACK" ] || die "the shared Spack corpus is not at $SPACK (set SPACK_CORPUS)"
command -v wrk >/dev/null || apt_install wrk
DURATION="${WRK_DURATION:-10s}"
ensure_db pacatlas_pages
bench_binary
port=3219
work="$(mktemp -d)"
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

if [ "$(psql "$DATABASE_URL" -Atc "select count(*) from channels" 2>/dev/null || echo 0)" = 0 ]; then
  log "loading the catalog"
  "$BIN" migrate >/dev/null
  "$BIN" demo >/dev/null  # Guix, Nix and a 300-package Spack channel…
  "$BIN" ingest spack --channel builtin "$SPACK" | tail -n 1  # …whose Spack channel becomes the whole corpus
fi
echo "catalog: $(psql "$DATABASE_URL" -Atc 'select count(*) from packages where not removed') packages"

# 2,000 package pages, in name order.
psql "$DATABASE_URL" -Atc "select p.name from packages p join channels c on c.id = p.channel_id
  where c.name = 'builtin' and not p.removed order by p.name limit 2000" > "$work/names"
{
  echo "local names = {"
  sed 's/.*/"&",/' "$work/names"
  echo "}"
  cat <<'LUA'
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/packages/spack/builtin/" .. names[(i % #names) + 1])
end
LUA
} > "$work/many.lua"

serve() { # extra environment
  env "$@" DATABASE_URL="$DATABASE_URL" PACATLAS_DATA_DIR="$work/data" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_ENV=PROD \
    PACATLAS_RATE_LIMIT_PER_SECOND=0 PACATLAS_LOG_FORMAT=json RUST_LOG=warn "$BIN" serve >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && sleep 1 && return
    kill -0 $pid 2>/dev/null || { cat "$work/server.log"; die "the server did not start"; }
    sleep 0.5
  done
  die "the server did not answer"
}
run() { # label, wrk arguments…
  local label="$1"; shift
  local out; out="$(wrk -t2 -c32 -d"$DURATION" --latency "$@")"
  local rps p50 p99 errors
  rps="$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' | tr '\n' ' ' || true)"
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$rps" "$p50" "$p99" "${errors:-none}"
}
rss() { awk '/VmRSS|VmHWM/ {printf "%s %d MiB  ", $1, $2/1024}' "/proc/$pid/status"; }

url="http://127.0.0.1:$port"
for mode in cache render; do
  if [ "$mode" = cache ]; then serve PACATLAS_PAGE_CACHE_BYTES=$((64 << 20)); else serve PACATLAS_PAGE_CACHE_BYTES=0; fi
  echo
  echo "## page cache: $mode"
  echo "| page | requests/s | p50 | p99 | errors |"
  echo "| --- | --- | --- | --- | --- |"
  run "/packages/spack/builtin/hdf5 (one page)" "$url/packages/spack/builtin/hdf5"
  run "2,000 package pages in turn" -s "$work/many.lua" "$url"
  run "/packages (channel list)" "$url/packages"
  run "/channels/spack/builtin (channel page)" "$url/channels/spack/builtin"
  run "/api/v1/packages/spack/builtin/hdf5 (JSON)" "$url/api/v1/packages/spack/builtin/hdf5"
  echo "server memory after the load: $(rss)"
  echo "panics in the server log: $(grep -c panicked "$work/server.log" || true)"
  kill $pid; wait $pid 2>/dev/null || true
done
