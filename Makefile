PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fresh lint install migrate schema clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

## The platform with everything it needs (embedded PostgreSQL/Redis unless DATABASE_URL/REDIS_URL are set).
run: $(STAMP)
	$(BIN)/python scripts/run.py

## The whole test suite against this machine's PostgreSQL and Redis.
test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

## The suite on a freshly created test database (all migrations from zero).
test-fresh: $(STAMP)
	$(BIN)/pytest --create-db $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

schema: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py spectacular --file schema.yml --validate --fail-on-warn

clean:
	rm -rf $(VENV) .data staticfiles
