#!/usr/bin/env bash
# Relevance benchmark (bench/relevance-queries.tsv) over the shared Spack
# corpus and the shared Guix channel (export.json) plus the demo's other
# channels (Guix-science, Nix): MRR, success@1, success@10 per
# kind and per engine, and in-process search latency. Release build;
# PROFILE=debug builds and runs the debug one instead (MRR does not depend
# on the profile, latency does), RELEVANCE_DB names the database
# (pacatlas_relevance), and arguments go to the example (--explain, --index DIR).
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
SPACK="${SPACK_CORPUS:-$ROOT/../shared/data/spack/packages.json}"
[ -f "$SPACK" ] || die "the shared Spack corpus is not at $SPACK (set SPACK_CORPUS)"
GUIX="${GUIX_EXPORT:-$ROOT/../shared/data/guix/export.json}"
[ -f "$GUIX" ] || die "the shared Guix channel is not at $GUIX (set GUIX_EXPORT)"
PROFILE="${PROFILE:-release}"
DB="${RELEVANCE_DB:-pacatlas_relevance}"
ensure_db "$DB"
psql "${DATABASE_URL%/*}/postgres" -qc "drop database if exists $DB" -c "create database $DB"
if [ "$PROFILE" = release ]; then
  cargo build --release -p pacatlas --bin pacatlas --example relevance 2>&1 | tail -n 1
else
  cargo build -p pacatlas --bin pacatlas --example relevance 2>&1 | tail -n 1
fi
BIN="$CARGO_TARGET_DIR/$PROFILE/pacatlas"
"$BIN" demo >/dev/null 2>&1
# The demo's Spack subset is replaced by the whole corpus (same channel).
"$BIN" ingest spack --channel builtin "$SPACK" 2>/dev/null | sed -n 1p  # (head would close the pipe early: a broken pipe under pipefail)
# and the demo's Guix subset by the whole shared Guix channel.
"$BIN" ingest guix --channel guix "$GUIX" 2>/dev/null | sed -n 1p  # (head would close the pipe early: a broken pipe under pipefail)
psql "$DATABASE_URL" -qc "vacuum analyze"
"$CARGO_TARGET_DIR/$PROFILE/examples/relevance" bench/relevance-queries.tsv "$@"
