# The two quickstart commands: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= sqlite:///opsroom.db

.PHONY: run test system-deps eval lint clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $@ $(VENV)/.installed

## Set up, ingest the bundled sample corpus into the default SQLite file, print a summary.
run: $(VENV)/.installed
	$(BIN)/opsroom ingest --sample --db $(DB)
	$(BIN)/opsroom articles --db $(DB)
	$(BIN)/opsroom events --db $(DB)

## Set up with the test extras, install the PostgreSQL server the suite starts, run pytest.
test: $(VENV)/.installed-test system-deps
	$(BIN)/pytest

## The suite runs a throwaway PostgreSQL and drives Debian's Chromium; install them when missing.
system-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

## Accuracy of every extractor against the hand-annotated gold sets (figures in README).
eval: $(VENV)/.installed-test
	$(BIN)/python eval/eval_articles.py
	$(BIN)/python eval/eval_entities.py
	$(BIN)/python eval/eval_events.py
	$(BIN)/python eval/eval_relations.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests eval

clean:
	rm -rf $(VENV) opsroom.db opsroom.db-wal opsroom.db-shm
