# The two commands a new user needs: `make run` and `make test`.
VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench bench-scale bench-availability schemas browser clean

install: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: install
	$(VENV)/bin/ledger up --demo

test: install browser
	$(PYTHON) -m pytest

lint: install
	$(VENV)/bin/ruff check services tests
	$(VENV)/bin/ruff format --check services tests

bench: install
	$(PYTHON) tests/bench/run_bench.py

# A worker's life with 200,000 and 1,000,000 records of history; artifacts/scale.json.
bench-scale: install
	$(PYTHON) tests/bench/scale.py

# Reads while workers are SIGKILLed under a live stream; artifacts/availability.json.
bench-availability: install
	$(PYTHON) tests/bench/availability.py

schemas: install
	$(PYTHON) -m ledger.contract.schema

# Headless Chromium for the dashboard tests; skipped with a reason where it cannot be had.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			(apt-get update -qq && apt-get install -y -qq chromium chromium-driver) \
				>/dev/null 2>&1 || echo "chromium could not be installed: browser tests will skip"; \
		else \
			echo "chromium not installed and not root: browser tests will skip"; \
		fi; \
	fi

clean:
	rm -rf $(VENV) data artifacts .pytest_cache
