# Set-up lives here so that a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build of PyTorch (camel-tools needs torch). On these machines pip finds the file on
# disk; elsewhere: make TORCH_INSTALL="torch --index-url https://download.pytorch.org/whl/cpu"
TORCH_INSTALL ?= torch==2.13.0

.PHONY: setup demo test eval bench train-ner browser system-packages clean

$(BIN)/marsad: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(TORCH_INSTALL)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/marsad

demo: setup
	$(BIN)/marsad run

# Debian packages the tests use, installed when missing and apt-get is at hand: Chromium drives
# the page tests; PostgreSQL is the store's second backend (the tests start their own server).
SYSTEM_PACKAGES = $(if $(shell command -v chromium),,chromium chromium-driver) \
	$(if $(wildcard /usr/lib/postgresql/*/bin/initdb),,postgresql)

system-packages:
	@[ -z "$(strip $(SYSTEM_PACKAGES))" ] || ! command -v apt-get >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    $(SYSTEM_PACKAGES) >/dev/null; } || \
	  echo "warning: could not install $(SYSTEM_PACKAGES); their tests will be skipped"

browser: system-packages

test: setup system-packages
	$(BIN)/python -m pytest -q

# Precision, recall and F1 of the analyzers on the evaluation sets in eval/ (and ANERcorp's
# training part, cross-validated, when ../shared/data/anercorp is there).
eval: setup
	$(BIN)/python eval/ner.py
	$(BIN)/python eval/quotes.py

# Retrain the embedded entity tagger (generator/arabic/data/ner-crf.json.gz) on ANERcorp.
ANERCORP ?= ../shared/data/anercorp/train.conll
train-ner: setup
	$(BIN)/python -m generator.arabic.train $(ANERCORP) --out generator/arabic/data/ner-crf.json.gz

# Each stage's figures; see bench/.
bench: setup
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/analyze.py
	$(BIN)/python bench/pipeline.py
	$(BIN)/python bench/store.py
	$(BIN)/python bench/mail.py

clean:
	rm -rf $(VENV) .marsad site content/digests content/index.md content/archive.md
