#!/usr/bin/env bash
# `make run`: build the portal, load the demo data set into an empty
# database, and serve on http://127.0.0.1:3000 (LEPTOS_SITE_ADDR).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_build_tools
ensure_db "${PACATLAS_DB_NAME:-pacatlas}" exact
log "cargo leptos build"
cargo leptos build
BIN="$CARGO_TARGET_DIR/debug/pacatlas"
"$BIN" demo --if-empty
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$ROOT/target/site}"
# Accounts without real providers: the development login (any GitHub handle;
# demo-moderator sees the moderation queue, demo-admin the admin page).
export PACATLAS_PUBLIC_URL="${PACATLAS_PUBLIC_URL:-http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000}}"
dev_login='{dev_login=true}'
export PACATLAS_ACCOUNTS="${PACATLAS_ACCOUNTS:-$dev_login}"
log "serving on http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000} (Ctrl-C stops)"
exec "$BIN" serve
