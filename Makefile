# The two commands. Both install what is missing and reuse what is there.
.PHONY: run test check
run:   ## build and serve the portal with the demo data on http://127.0.0.1:3000
	@bash scripts/run.sh
test:  ## every test: unit, integration (PostgreSQL), end-to-end (Chromium)
	@bash scripts/test.sh
check: ## fast compile check while working
	@cargo check --workspace --tests
