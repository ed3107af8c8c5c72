# Set-up lives here so that a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build of PyTorch (camel-tools needs torch). On these machines pip finds the file on
# disk; elsewhere: make TORCH_INSTALL="torch --index-url https://download.pytorch.org/whl/cpu"
TORCH_INSTALL ?= torch==2.13.0

.PHONY: setup demo test eval bench train-ner browser system-packages fonts golden clean

$(BIN)/marsad: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(TORCH_INSTALL)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/marsad fonts

# The site's Arabic face: Amiri (SIL OFL 1.1) from Debian's fonts-hosny-amiri, copied into
# content/fonts/ so the site serves it (no font service); pango (for WeasyPrint's PDFs) with it.
AMIRI := /usr/share/fonts/opentype/fonts-hosny-amiri
fonts:
	@test -f $(AMIRI)/Amiri-Regular.ttf -a -e /usr/lib/x86_64-linux-gnu/libpangoft2-1.0.so.0 || \
	  ! command -v apt-get >/dev/null 2>&1 || \
	  { apt-get update -qq && apt-get install -y -qq fonts-hosny-amiri libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; } || \
	  echo "warning: could not install fonts-hosny-amiri and pango; PDFs and the bundled font need them"
	@mkdir -p content/fonts
	@for face in Regular Bold; do test ! -f $(AMIRI)/Amiri-$$face.ttf || \
	  cmp -s $(AMIRI)/Amiri-$$face.ttf content/fonts/Amiri-$$face.ttf || \
	  cp $(AMIRI)/Amiri-$$face.ttf content/fonts/; done

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

# Regenerate tests/golden/ (the samples rendered to Markdown) after an intended change.
golden: setup
	$(BIN)/python tests/golden.py

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

clean:
	rm -rf $(VENV) .marsad site content/digests content/index.md content/archive.md \
	  content/archive content/reports content/entities content/feeds content/fonts/*.ttf
