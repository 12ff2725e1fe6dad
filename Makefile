PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fresh lint install migrate schema clean spa test-frontend

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

## The platform with everything it needs (embedded PostgreSQL/Redis unless DATABASE_URL/REDIS_URL are set).
run: $(STAMP)
	$(BIN)/python scripts/run.py

## The SPA in frontend/dist (npm ci + build, each only when its inputs changed).
spa: $(STAMP)
	$(BIN)/python scripts/build_spa.py

## The SPA's unit tests (Vitest), lint and types; skipped with a note when npm is missing.
test-frontend: spa
	@if command -v npm >/dev/null; then cd frontend && npm run --silent lint && npx tsc -b && npm test --silent; \
	else echo "[spa] npm not found: frontend tests skipped"; fi

## The whole test suite against this machine's PostgreSQL and Redis (+ the SPA's tests, the browser e2e in pytest).
test: $(STAMP) test-frontend
	$(BIN)/pytest $(PYTEST_ARGS)

## The suite on a freshly created test database (all migrations from zero).
test-fresh: $(STAMP) test-frontend
	$(BIN)/pytest --create-db $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	@if command -v npm >/dev/null && [ -d frontend/node_modules ]; then cd frontend && npm run --silent lint && npx tsc -b; fi

schema: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py spectacular --file schema.yml --validate --fail-on-warn

clean:
	rm -rf $(VENV) .data staticfiles frontend/node_modules frontend/dist
