#!/usr/bin/env bash
# `make test`: every test. Rust unit and integration tests against a real
# PostgreSQL (a fresh database per test), then the browser tests in Chromium.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
started=$(date +%s)
ensure_build_tools
ensure_browser_tools
ensure_db "${PACATLAS_E2E_DB:-pacatlas_e2e}"
recreate_db
E2E_DATABASE_URL="$DATABASE_URL"

log "cargo fmt --check, cargo clippy -D warnings (server + ssr, and the hydrate bundle)"
set +e  # a lint failure must not skip the tests or the summary
cargo fmt --all --check >"$CACHE/lint.log" 2>&1
fmt_status=$?
cargo clippy --workspace --all-targets -- -D warnings >>"$CACHE/lint.log" 2>&1
clippy_status=$?
cargo clippy -p pacatlas-app --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings >>"$CACHE/lint.log" 2>&1
clippy_wasm_status=$?
set -e
lint_status=$(( fmt_status || clippy_status || clippy_wasm_status ))
[ "$lint_status" = 0 ] || { tail -n 60 "$CACHE/lint.log"; log "lint FAILED (fmt $fmt_status, clippy $clippy_status, clippy wasm $clippy_wasm_status)"; }

log "cargo test (unit + integration)"
# sqlx::test creates one database per test on the server DATABASE_URL points at.
set +e  # a failure here must not skip the browser tests or the summary
cargo test --workspace --no-fail-fast 2>&1 | tee "$CACHE/cargo-test.log"
rust_status=${PIPESTATUS[0]}
set -e

log "cargo leptos build (server + hydrate bundle)"
cargo leptos build

log "end-to-end tests (Playwright, Debian chromium)"
port="${PACATLAS_E2E_PORT:-3107}"
export PACATLAS_E2E_URL="http://127.0.0.1:$port"
server_log="$CACHE/e2e-server.log"
DATABASE_URL="$E2E_DATABASE_URL" PACATLAS_LOG_FORMAT=json "$CARGO_TARGET_DIR/debug/pacatlas" demo >/dev/null
# The development login (accounts.spec.ts logs in with it).
DATABASE_URL="$E2E_DATABASE_URL" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT="$ROOT/target/site" \
  PACATLAS_PUBLIC_URL="$PACATLAS_E2E_URL" PACATLAS_ACCOUNTS='{dev_login=true}' PACATLAS_LOG_FORMAT=json "$CARGO_TARGET_DIR/debug/pacatlas" serve >"$server_log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "$PACATLAS_E2E_URL/readyz" >/dev/null 2>&1 && break
  kill -0 $server_pid 2>/dev/null || { cat "$server_log"; die "the server did not start"; }
  sleep 0.2
done
set +e
rm -f end2end/test-results/results.json
(cd end2end && npx playwright test)
e2e_status=$?
set -e

echo "make test took $(( $(date +%s) - started ))s"
read -r rp rf ri < <(grep -E '^test result:' "$CACHE/cargo-test.log" | awk '{p+=$4; f+=$6; i+=$8} END {print p+0, f+0, i+0}')
read -r ep ef es < <(node -e '
  try { const s = require(process.argv[1]).stats;
        console.log(s.expected + s.flaky, s.unexpected, s.skipped); }
  catch (e) { console.log("0 1 0"); }' "$ROOT/end2end/test-results/results.json")
# A build that failed ran no test: count it as one failure, not as none.
if [ "$rust_status" != 0 ] && [ "$rf" = 0 ]; then rf=1; echo "cargo test: the tests did not build or run (see above)"; fi
echo "cargo test: $rp passed, $rf failed, $ri skipped"
echo "playwright: $ep passed, $ef failed, $es skipped"
echo "lint (fmt, clippy): $([ "$lint_status" = 0 ] && echo ok || echo FAILED)"
echo "Total: $((rp + ep)) passed, $((rf + ef)) failed, $((ri + es)) skipped"
[ "$rust_status" = 0 ] && [ "$e2e_status" = 0 ] && [ "$lint_status" = 0 ]
