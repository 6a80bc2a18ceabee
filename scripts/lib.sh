# shellcheck shell=bash
# Shared set-up for `make run` and `make test`: installs what is missing,
# reuses what is there, and finds (or starts) a PostgreSQL.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${PACATLAS_CACHE:-$HOME/.cache/pacatlas}"
# One cargo target directory outside the clone, so a fresh clone reuses the build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_LEPTOS_VERSION=0.3.10

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

APT_UPDATED=
apt_install() {
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# The exact wasm-bindgen version in Cargo.lock (the CLI must match it).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_build_tools() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup first"
  command -v cc >/dev/null || apt_install build-essential
  command -v pkg-config >/dev/null || apt_install pkg-config
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  for component in clippy rustfmt; do
    rustup component list --installed 2>/dev/null | grep -q "^$component" || rustup component add "$component"
  done
  if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; then
    log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes, once)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
  local wbg; wbg="$(wasm_bindgen_version)"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg"; then
    log "installing wasm-bindgen-cli $wbg (matches Cargo.lock)"
    cargo install wasm-bindgen-cli --version "$wbg" --force
  fi
}

ensure_browser_tools() {
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  [ -x /usr/bin/chromium ] || apt_install chromium
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  local stamp="$ROOT/end2end/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$ROOT/end2end/package-lock.json" -nt "$stamp" ]; then
    log "npm ci (end2end)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

pg_answers() { # URL
  command -v psql >/dev/null || apt_install postgresql-client
  PGCONNECT_TIMEOUT=3 psql "$1" -Atqc 'select 1' >/dev/null 2>&1
}

# Sets DATABASE_URL to a reachable server and database named $1:
# DATABASE_URL if it answers (as it is with `exact` as $2, as `make run` does;
# otherwise its server with the database $1, so tests and benchmarks never
# write into the database it names); else a server on 127.0.0.1:5432; else a
# private cluster started from Debian's binaries under $CACHE/pg.
ensure_db() {
  local dbname="$1" mode="${2:-}" server
  if [ -n "${DATABASE_URL:-}" ] && pg_answers "$DATABASE_URL"; then
    if [ "$mode" = exact ]; then
      log "using DATABASE_URL"
      return
    fi
    server="${DATABASE_URL%/*}"
  elif pg_answers "postgres://postgres@127.0.0.1:5432/postgres"; then
    server="postgres://postgres@127.0.0.1:5432"
  else
    server="$(start_private_pg)"
  fi
  if [ "$(psql "$server/postgres" -Atqc "select 1 from pg_database where datname = '$dbname'")" != 1 ]; then
    log "creating database $dbname"
    psql "$server/postgres" -qc "create database \"$dbname\"" >/dev/null
  fi
  export DATABASE_URL="$server/$dbname"
  log "database: $DATABASE_URL"
}

# Empties the database DATABASE_URL names (tests start from a known state,
# whatever an earlier checkout left there).
recreate_db() {
  local server="${DATABASE_URL%/*}" name="${DATABASE_URL##*/}"
  psql "$server/postgres" -qc "drop database if exists \"$name\" with (force)" -c "create database \"$name\"" >/dev/null
}

start_private_pg() {
  local bindir port=54329 data="$CACHE/pg/data"
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    apt_install postgresql
    bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
  fi
  local run=()
  [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
  mkdir -p "$CACHE/pg"
  [ "$(id -u)" = 0 ] && chown postgres "$CACHE/pg" && chmod 755 "$CACHE" "$HOME/.cache" "$HOME" 2>/dev/null || true
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initialising a private PostgreSQL cluster in $data"
    "${run[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust >/dev/null
  fi
  if ! pg_answers "postgres://postgres@127.0.0.1:$port/postgres"; then
    log "starting the private PostgreSQL on 127.0.0.1:$port"
    "${run[@]}" "$bindir/pg_ctl" -D "$data" -l "$CACHE/pg/server.log" -w \
      -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
  fi
  echo "postgres://postgres@127.0.0.1:$port"
}

# The pacatlas binary a benchmark runs: sets PROFILE (BENCH_PROFILE, default
# release; debug figures are only a sanity check) and BIN (BENCH_BIN, or the
# build's binary), building it first unless BENCH_NO_BUILD is set. Extra
# arguments go to `cargo build` (`--example swh_fake`).
bench_binary() {
  PROFILE="${BENCH_PROFILE:-release}"
  if [ -z "${BENCH_NO_BUILD:-}" ]; then
    local flags=()
    [ "$PROFILE" = release ] && flags=(--release)
    cargo build "${flags[@]}" -p pacatlas --bin pacatlas "$@" 2>&1 | tail -n 1
  fi
  BIN="${BENCH_BIN:-$CARGO_TARGET_DIR/$PROFILE/pacatlas}"
}
