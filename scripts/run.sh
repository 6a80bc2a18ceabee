#!/usr/bin/env bash
# `make run`: build the portal and serve it on http://127.0.0.1:3000 (LEPTOS_SITE_ADDR).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_build_tools
ensure_db "${PACATLAS_DB_NAME:-pacatlas}"
log "building and serving (cargo leptos serve); Ctrl-C stops"
exec cargo leptos serve "$@"
