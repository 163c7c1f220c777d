# guai — the two commands: `make run` (demo portal) and `make test`.
PY ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export GUAI_HOME ?= ./guai-data

.PHONY: run test test-fast bench lint install serve clean demo-data

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "python3.11 이 필요합니다 (Python 3.11)"; exit 1; }
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: set up, seed the demo district and serve http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/guai init
	$(BIN)/guai demo seed
	$(BIN)/guai serve

serve: $(STAMP)
	$(BIN)/guai serve

## make test: the whole suite (SQLite; PostgreSQL too when GUAI_TEST_POSTGRES_URL is set; Chromium when installed)
test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow" $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

lint: $(STAMP)
	$(BIN)/ruff check guai tests bench scripts
	$(BIN)/ruff format --check guai tests bench scripts

clean:
	rm -rf $(VENV) guai-data .pytest_cache

.PHONY: bundle
## make bundle: air-gapped install archive in dist/ (every wheel incl. the Kiwi model, static files, install.sh)
bundle: $(STAMP)
	$(BIN)/python -m guai.ops.bundle --out dist
