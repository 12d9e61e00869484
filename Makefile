# One task runner for people, hooks and CI.  `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := labour-briefs
YEAR   ?=
LANGS  ?= ru,en
JOBS   ?=

.PHONY: help setup data briefs proof test test-quick lint format lab demo-data clean-outputs

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (labour briefs)"
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv, install the package and register its Jupyter kernel

PUBLIC := data/external/world_bank data/external/un_desa data/external/knomad data/external/ilostat

data: $(STAMP)  ## import the shipped publishers' files (WDI, UN DESA, KNOMAD, ILOSTAT), clean data/raw into data/processed
	@# a download that cannot be imported is listed (FAILED) and the others still go on
	-$(BIN)/analysis import auto $(PUBLIC) --no-clean
	$(BIN)/analysis clean

briefs: data  ## clean the data; render every country brief, the regional overview and the thematic reports (ru, en) as PDF
	$(BIN)/analysis briefs --regional --themes all $(if $(YEAR),--year $(YEAR)) --lang $(LANGS) $(if $(JOBS),--jobs $(JOBS))

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
