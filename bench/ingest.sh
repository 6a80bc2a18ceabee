#!/usr/bin/env bash
# Ingest benchmark: the full shared Spack corpus, a generated 150,000-package
# Nix file, and re-ingests with no change. Prints wall time and peak memory
# (RSS) of each run. Release build; a fresh database `pacatlas_bench`.
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
SPACK="${SPACK_CORPUS:-$ROOT/../shared/data/spack/packages.json}"
[ -f "$SPACK" ] || die "the shared Spack corpus is not at $SPACK (set SPACK_CORPUS)"
command -v /usr/bin/time >/dev/null || apt_install time
ensure_db pacatlas_bench
psql "${DATABASE_URL%/*}/postgres" -qc "drop database if exists pacatlas_bench" -c "create database pacatlas_bench"
log "build (BENCH_PROFILE, default release; none with BENCH_NO_BUILD)"
bench_binary
"$BIN" migrate
NIX="$CACHE/bench-nix-150000.json"
[ -f "$NIX" ] || { log "generating $NIX"; python3 bench/gen_nix.py 150000 "$NIX"; }

run() { # label, args…
  local label="$1"; shift
  local out; out="$(mktemp)"
  /usr/bin/time -f '%e %M' -o "$out.time" "$BIN" "$@" > "$out" 2>/dev/null
  read -r wall rss < "$out.time"
  printf '| %s | %s s | %d MiB | %s |\n' "$label" "$wall" "$((rss / 1024))" "$(head -n1 "$out" | sed 's/.*packages: //')"
  rm -f "$out" "$out.time"
}
echo
echo "| run | wall | peak RSS | result |"
echo "| --- | --- | --- | --- |"
run "Spack corpus ($(du -h "$SPACK" | cut -f1), first ingest)" ingest spack --channel builtin "$SPACK"
run "Spack corpus, re-ingest (no change)" ingest spack --channel builtin "$SPACK"
run "Nix 150,000 packages ($(du -h "$NIX" | cut -f1), first ingest)" ingest nix --channel bench --revision r1 "$NIX"
run "Nix 150,000, re-ingest (no change)" ingest nix --channel bench --revision r1 "$NIX"
echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; PostgreSQL $(psql "$DATABASE_URL" -Atc 'show server_version')"
