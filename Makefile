# Two commands: `make run` (set up, train if needed, start the assistant) and `make test`.
# Everything else here is a step those two take; each step is skipped when already done.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.10.13/bin/python) $(shell command -v python3.10 2>/dev/null))
RASA_ENV := .venv-rasa
APP_ENV := .venv-app
APP_PY := $(APP_ENV)/bin/python
RASA_PY := $(RASA_ENV)/bin/python
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
export RASA_TELEMETRY_ENABLED := false
export PYTHONWARNINGS := ignore
export RASA_CACHE_DIRECTORY := $(CURDIR)/build/rasa-cache

KNOWLEDGE := $(shell find knowledge -name '*.yml' -o -name '*.py' -o -name '*.md' 2>/dev/null | grep -v __pycache__)
GENERATED := build/.generated
PIPELINE := build/spacy/CURRENT

.PHONY: help setup envs browser knowledge generate pipeline train run test test-py test-stories validate bench lock clean

help:
	@echo "make run    set up on first use, train if inputs changed, start the assistant"
	@echo "make test   set up and run every test"
	@echo "make bench  measure accuracy, latency, training time and memory (after make run's setup)"

## Environments -------------------------------------------------------------------------------
$(RASA_ENV)/.installed: requirements/rasa.in requirements/rasa.lock
	@test -n "$(PYTHON)" || { echo "Python 3.10 is needed (set PYTHON=/path/to/python3.10)"; exit 1; }
	@echo "==> Setting up the Rasa environment in $(RASA_ENV) (first time: about 3 minutes)"
	@test -x $(RASA_PY) || $(PYTHON) -m venv $(RASA_ENV)
	@$(RASA_ENV)/bin/pip install --quiet --disable-pip-version-check pip==24.0
	@$(RASA_ENV)/bin/pip install --disable-pip-version-check --progress-bar off -r requirements/rasa.in -c requirements/rasa.lock | grep -E '^(Collecting rasa|Installing|Successfully)' || true
	@$(RASA_PY) -c "import rasa, spacy; print('    rasa', rasa.__version__, '/ spacy', spacy.__version__)"
	@touch $@

$(APP_ENV)/.installed: requirements/app.in requirements/app.lock
	@test -n "$(PYTHON)" || { echo "Python 3.10 is needed (set PYTHON=/path/to/python3.10)"; exit 1; }
	@echo "==> Setting up the app environment in $(APP_ENV) (first time: about 1 minute)"
	@test -x $(APP_PY) || $(PYTHON) -m venv $(APP_ENV)
	@$(APP_ENV)/bin/pip install --quiet --disable-pip-version-check pip==24.0
	@$(APP_ENV)/bin/pip install --disable-pip-version-check --progress-bar off -r requirements/app.in -c requirements/app.lock | grep -E '^(Installing|Successfully)' || true
	@touch $@

envs: $(RASA_ENV)/.installed $(APP_ENV)/.installed

# Debian's Chromium, for the browser tests (needs root, as on CI and the dev machines).
browser:
	@command -v chromium >/dev/null || { echo "==> Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

## Knowledge -> Rasa ----------------------------------------------------------------------------
knowledge: $(APP_ENV)/.installed
	@$(APP_PY) -m knowledge check

$(GENERATED): $(APP_ENV)/.installed $(KNOWLEDGE) bot/generate.py
	@$(APP_PY) -m knowledge check
	@$(APP_PY) bot/generate.py
	@mkdir -p build && touch $@

generate: $(GENERATED)

$(PIPELINE): $(APP_ENV)/.installed bot/nlp/lexicon.yml bot/nlp/build_pipeline.py config.yml
	@echo "==> Building the spaCy pipeline from bot/nlp/lexicon.yml"
	@$(APP_PY) bot/nlp/build_pipeline.py

pipeline: $(PIPELINE)

setup: envs generate pipeline

train: setup
	@$(APP_PY) scripts/train.py

## The two commands -----------------------------------------------------------------------------
run: train
	@$(APP_PY) scripts/run.py

validate: train
	@echo "==> rasa data validate"
	@$(RASA_ENV)/bin/rasa data validate --config build/config.yml --domain bot/domain --data bot/data --fail-on-warnings --quiet

test-stories: train
	@echo "==> Story tests (rasa test core, failing on prediction errors)"
	@$(RASA_ENV)/bin/rasa test core --model "$$(cat build/models/CURRENT)" --stories tests/stories \
	  --out build/results/stories --fail-on-prediction-errors --quiet

test-py: train browser
	@mkdir -p build/results
	@set -o pipefail; $(APP_PY) -m pytest tests 2>&1 | tee build/results/pytest.log

test: validate test-stories test-py

bench: train
	@$(APP_PY) scripts/bench.py $(BENCH_ARGS)

lock:
	@( echo "# pip freeze --all of $(RASA_ENV). Regenerate: make lock"; $(RASA_ENV)/bin/pip freeze --all | grep -v '^pip==' ) > requirements/rasa.lock
	@( echo "# pip freeze --all of $(APP_ENV). Regenerate: make lock"; $(APP_ENV)/bin/pip freeze --all | grep -v '^pip==' ) > requirements/app.lock

clean:
	rm -rf build
