# Kansrijk Monitor — run `make help` for the targets.
# The virtual environment is created from requirements.lock on first use and whenever the lock
# or pyproject.toml changes; every target below that runs Python depends on it.

SHELL := /bin/bash
PYTHON_SYS ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed
KANSRIJK := $(PY) -m pipeline
export UV_COMPILE_BYTECODE := 1
export PYTHONDONTWRITEBYTECODE :=

.DEFAULT_GOAL := help
.PHONY: help install refresh ingest build validate export notebooks lab verify-raw status test test-fast lint format bench clean demo-data

help: ## show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"
	$(VENV)/bin/uv pip sync -q --python $(PY) requirements.lock
	$(VENV)/bin/uv pip install -q --python $(PY) --no-deps --no-build-isolation -e .
	@touch $@

install: $(STAMP) ## create/refresh the virtual environment from requirements.lock

refresh: $(STAMP) ## the main job: ingest, build, validate, publish and export (demo mode on a fresh clone)
	$(KANSRIJK) refresh $(ARGS)

ingest: $(STAMP) ## fetch/ingest sources into data/raw and landing Parquet
	$(KANSRIJK) ingest $(ARGS)

build: $(STAMP) ## run the DuckDB models in sql/
	$(KANSRIJK) build $(ARGS)

validate: $(STAMP) ## run the Great Expectations suites on the latest build
	$(KANSRIJK) validate $(ARGS)

export: $(STAMP) ## export charts and factsheets for coalitions
	$(KANSRIJK) export $(ARGS)

status: $(STAMP) ## show snapshots, the published build and its validation
	$(KANSRIJK) status $(ARGS)

verify-raw: $(STAMP) ## recompute every sha256 in data/raw/manifest.json
	$(KANSRIJK) verify

notebooks: $(STAMP) ## execute all notebooks against the published marts
	$(KANSRIJK) notebooks

# The kernel runs in notebooks/, so the repo root goes on PYTHONPATH for `import pipeline`;
# JUPYTER_PREFER_ENV_PATH makes the venv's python3 kernelspec win over a user-level one;
# --allow-root only when run as root (containers), which Jupyter refuses otherwise.
lab: $(STAMP) ## open JupyterLab on notebooks/ with the project kernel (reads data/processed)
	PYTHONPATH="$(CURDIR)$${PYTHONPATH:+:$$PYTHONPATH}" JUPYTER_PREFER_ENV_PATH=1 \
		$(VENV)/bin/jupyter lab --notebook-dir=notebooks \
		$$([ "$$(id -u)" = 0 ] && echo --allow-root) $(ARGS)

demo-data: $(STAMP) ## regenerate the synthetic demo payloads in data/demo (deterministic)
	$(KANSRIJK) demo

test: $(STAMP) ## run the whole test suite (offline)
	@bash tests/setup_browser.sh
	$(PY) -m pytest -q $(ARGS)

test-fast: $(STAMP) ## run the tests not marked slow
	$(PY) -m pytest -q -m "not slow and not network" $(ARGS)

lint: $(STAMP) ## ruff check
	$(VENV)/bin/ruff check pipeline tests notebooks

format: $(STAMP) ## ruff format
	$(VENV)/bin/ruff format pipeline tests notebooks

bench: $(STAMP) ## time cold and no-change refreshes and each step; prints a table
	$(PY) -m pipeline.bench

clean: ## remove data/processed (published builds); never touches data/raw
	rm -rf data/processed data/.builds
