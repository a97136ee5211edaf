# The two commands a new user needs: `make run` and `make test`.
VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench bench-scale bench-availability bench-storage schemas browser deploy-tools lock clean

install: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: install
	$(VENV)/bin/ledger up --demo

test: install browser deploy-tools
	$(PYTHON) -m pytest

lint: install
	$(VENV)/bin/ruff check services tests
	$(VENV)/bin/ruff format --check services tests

# BENCH_ARGS, e.g. "--compare 7bc2fdb --ledger-only": another commit's worker in turns.
bench: install
	$(PYTHON) tests/bench/run_bench.py $(BENCH_ARGS)

# A worker's life with 200,000 and 1,000,000 records of history; artifacts/scale.json.
bench-scale: install
	$(PYTHON) tests/bench/scale.py

# Reads while workers are SIGKILLed under a live stream; artifacts/availability.json.
bench-availability: install
	$(PYTHON) tests/bench/availability.py

# The embedded broker in memory and on disk, side by side, and ledger up's restarts
# with 200,000 events on disk; artifacts/storage.json, artifacts/up_restart_disk.json.
bench-storage: install
	$(PYTHON) tests/bench/broker_storage.py
	$(PYTHON) tests/bench/up_restart.py

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

# docker-compose (the compose file test) and promtool (the alert rule tests), unpacked
# from Debian's prometheus package into .venv: no Prometheus service is installed.
# Best effort, as for the browser: the tests that need them skip with the reason.
deploy-tools: install
	@if ! command -v docker-compose >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			(apt-get update -qq && apt-get install -y -qq docker-compose) >/dev/null 2>&1 \
				|| echo "docker-compose could not be installed: the compose test will skip"; \
		else \
			echo "docker-compose not installed and not root: the compose test will skip"; \
		fi; \
	fi
	@if [ ! -x $(VENV)/bin/promtool ] && command -v apt-get >/dev/null; then \
		tmp=$$(mktemp -d) && (cd $$tmp && { apt-get download prometheus \
			|| { apt-get update -qq && apt-get download prometheus; }; } >/dev/null 2>&1 \
			&& dpkg-deb -x prometheus_*.deb . && cp usr/bin/promtool $(CURDIR)/$(VENV)/bin/) \
			|| echo "promtool could not be had: alert rules are checked without it"; \
		rm -rf $$tmp; \
	fi

# The image's pinned, hashed dependencies (deploy/requirements.lock) from pyproject.toml,
# with the build backend the Dockerfile builds the ledger with.
lock: install
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['build-system']['requires'], sep='\n')" \
		| $(VENV)/bin/uv pip compile pyproject.toml - --quiet --generate-hashes \
			--python-version 3.11 --python-platform x86_64-manylinux_2_28 \
			--custom-compile-command "make lock" --output-file deploy/requirements.lock

clean:
	rm -rf $(VENV) data artifacts .pytest_cache
