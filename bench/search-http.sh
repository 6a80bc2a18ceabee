#!/usr/bin/env bash
# Search performance over HTTP and at scale (release build):
#  1. the server over the relevance catalog (shared Spack corpus + demo
#     channels; run bench/relevance.sh first): wrk with 32 connections on
#     /search (HTML) and /api/v1/search (JSON), a mix of queries; RSS after;
#  2. a 150,000-package catalog (the pacatlas_bench database that
#     bench/ingest.sh fills): embedded index build time and in-process
#     latency p50/p99 (the relevance example with --latency-only), then the
#     server's RSS with that index.
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
command -v wrk >/dev/null || apt_install wrk
DURATION="${WRK_DURATION:-15s}"
[ -n "${BENCH_NO_BUILD:-}" ] || cargo build --release -p pacatlas --bin pacatlas --example relevance 2>&1 | tail -n 1
BIN="$CARGO_TARGET_DIR/release/pacatlas"
port=3217
work="$(mktemp -d)"
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

# wrk picks a query per request from this list (URL-encoded).
cat > "$work/queries.lua" <<'LUA'
local qs = {"numpy", "hdf5", "petsc", "open%20mpi", "hdf5%2Bmpi", "gcc%4013", "mpi", "blas",
            "gromac", "paravew", "ggplot2", "pytorch", "mpi%20fortran", "deal.ii", "quantum%20espresso"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", string.format(path_tpl, qs[(i % #qs) + 1]))
end
LUA

serve() { # database, data dir
  # wrk is one client: the per-client rate limit is turned off for the measurement.
  DATABASE_URL="$1" PACATLAS_DATA_DIR="$2" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_ENV=PROD PACATLAS_RATE_LIMIT_PER_SECOND=0 \
    PACATLAS_LOG_FORMAT=json RUST_LOG=warn "$BIN" serve >"$work/server.log" 2>&1 &
  pid=$!
  # Ready once the index holds the whole catalog: the rebuild commits in
  # batches, so a search answers (from part of it) while it still runs,
  # and a measurement started then shares the cores with the indexer.
  local packages
  packages="$(psql "$1" -Atc 'select count(*) from packages where not removed')"
  for _ in $(seq 1 1200); do
    curl -fsS "http://127.0.0.1:$port/api/v1/search?q=" 2>/dev/null | grep -q '"engine":"embedded"' \
      && curl -fsS "http://127.0.0.1:$port/api/v1/search?q=" | grep -q "\"matches\":$packages," && return
    kill -0 $pid 2>/dev/null || { cat "$work/server.log"; die "the server did not start"; }
    sleep 0.5
  done
  die "the server did not index the catalog in 10 minutes"
}
warm_up() { # path template: 10 s of load, not reported (index files read in, merges done)
  sed "1i path_tpl = \"$1\"" "$work/queries.lua" > "$work/q.lua"
  wrk -t2 -c32 -d10s -s "$work/q.lua" "http://127.0.0.1:$port" >/dev/null
}
rss() { awk '/VmRSS|VmHWM/ {printf "%s %d MiB  ", $1, $2/1024}' "/proc/$pid/status"; echo; }
bench() { # label, path template
  sed "1i path_tpl = \"$2\"" "$work/queries.lua" > "$work/q.lua"
  echo "### $1 (wrk -t2 -c32 -d$DURATION)"
  wrk -t2 -c32 -d"$DURATION" --latency -s "$work/q.lua" "http://127.0.0.1:$port" \
    | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|Socket errors'
}

echo "page cache: ${PACATLAS_PAGE_CACHE_BYTES:-default (on)} (PACATLAS_PAGE_CACHE_BYTES=0 measures every request computed)"
base="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/x}"
server="${base%/*}"
if [ "$(psql "$server/postgres" -Atc "select 1 from pg_database where datname = 'pacatlas_relevance'")" = 1 ]; then
  echo "## relevance catalog ($(psql "$server/pacatlas_relevance" -Atc 'select count(*) from packages where not removed') packages)"
  serve "$server/pacatlas_relevance" "$work/data1"
  echo "server RSS after indexing: $(rss)"
  warm_up "/search?q=%s"
  bench "/search (HTML)" "/search?q=%s"
  bench "/api/v1/search (JSON)" "/api/v1/search?q=%s"
  for page in /packages/spack/builtin/hdf5 /packages /channels/spack/builtin; do
    echo "### $page (wrk -t2 -c32 -d$DURATION)"
    wrk -t2 -c32 -d"$DURATION" --latency "http://127.0.0.1:$port$page" | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors'
  done
  echo "server RSS after the load: $(rss)"
  echo "panics in the server log: $(grep -c panicked "$work/server.log" || true)"
  kill $pid; wait $pid 2>/dev/null || true
else
  echo "SKIP relevance catalog: run bench/relevance.sh first"
fi

if [ "$(psql "$server/postgres" -Atc "select 1 from pg_database where datname = 'pacatlas_bench'")" = 1 ]; then
  echo
  echo "## 150,000-package catalog ($(psql "$server/pacatlas_bench" -Atc 'select count(*) from packages where not removed') packages)"
  DATABASE_URL="$server/pacatlas_bench" "$CARGO_TARGET_DIR/release/examples/relevance" bench/relevance-queries.tsv --latency-only
  serve "$server/pacatlas_bench" "$work/data2"
  echo "server RSS with the 150k index: $(rss)"
  # The index was just built: its files are still being read in (mmap) and
  # the indexer's background merges finishing. A warm-up run, not reported.
  warm_up "/api/v1/search?q=%s"
  bench "/api/v1/search (JSON), 150k, after a 10 s warm-up" "/api/v1/search?q=%s"
  echo "server RSS after the load: $(rss)"
else
  echo "SKIP 150k catalog: run bench/ingest.sh first"
fi
