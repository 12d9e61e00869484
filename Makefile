# One task runner for people, hooks and CI.  `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := labour-briefs
YEAR   ?=
LANGS  ?= ru,en
JOBS   ?=

.PHONY: help setup browser data briefs site serve proof test test-quick lint format lab demo-data clean-outputs

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (labour briefs)"
	-@$(MAKE) --no-print-directory browser
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv, install the package and register its Jupyter kernel

browser:  ## best effort: the distribution's chromium (apt-get, as root) and axe-core (npm) for the web edition's browser test
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1)) ; } || \
	  echo "no chromium installed: the browser test will be skipped"
	@command -v npm >/dev/null 2>&1 && [ -d $(VENV) ] && npm install --silent --no-audit --no-fund --prefix $(VENV) axe-core@4 >/dev/null 2>&1 || \
	  echo "no axe-core installed: the accessibility check will be skipped"

PUBLIC := data/external/world_bank data/external/un_desa data/external/knomad data/external/ilostat

data: $(STAMP)  ## import the shipped publishers' files (WDI, UN DESA, KNOMAD, ILOSTAT), clean data/raw into data/processed
	@# a download that cannot be imported is listed (FAILED) and the others still go on
	-$(BIN)/analysis import auto $(PUBLIC) --no-clean
	$(BIN)/analysis clean

briefs: data  ## clean the data; render every country brief, the regional overview and the thematic reports (ru, en) as PDF
	$(BIN)/analysis briefs --regional --themes all $(if $(YEAR),--year $(YEAR)) --lang $(LANGS) $(if $(JOBS),--jobs $(JOBS))

site: briefs  ## the year's reports as a static web edition in outputs/site/<year>/ (the PDFs first: each page links its PDF)
	$(BIN)/analysis site $(if $(YEAR),--year $(YEAR)) --lang $(LANGS)

serve:  ## show the web edition locally on http://localhost:8000/
	$(BIN)/python -m http.server 8000 --directory outputs/site

proof: $(STAMP)  ## every page of the year's briefs as PNG + one contact sheet per language (outputs/proof/)
	$(BIN)/analysis proof $(if $(YEAR),--year $(YEAR))

test: $(STAMP)  ## run the whole test suite (end-to-end included)
	$(BIN)/python -m pytest

test-quick: $(STAMP)  ## run the fast tests only
	$(BIN)/python -m pytest -m "not slow"

lint: $(STAMP)  ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)  ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lab: $(STAMP)  ## start JupyterLab with the project's kernel, opened on notebooks/
	$(BIN)/jupyter lab --notebook-dir=notebooks

demo-data: $(STAMP)  ## regenerate the synthetic demo data in data/raw (deterministic)
	$(BIN)/python tools/demo_data.py

clean-outputs:  ## remove everything that is rebuilt (processed data, outputs)
	rm -rf data/processed/* outputs/* data/external/imported
	touch data/processed/.gitkeep outputs/.gitkeep
