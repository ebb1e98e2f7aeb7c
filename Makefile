# Two entry points for a fresh machine (Python 3.11 and make are all it needs):
#   make run   analyse every plan in corpus/raw, print a summary, write out/<doc_id>.json
#   make test  run the whole test suite (what .ci/run calls)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export HF_DATASETS_OFFLINE := 1
export HF_HUB_OFFLINE := 1

.PHONY: run test lint bench train clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,scale]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/sxtdbv extract corpus/raw -o out --summary

test: $(STAMP)
	$(BIN)/python -m ruff check sxtdbv_nlp tests benchmarks scripts
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/python -m ruff check sxtdbv_nlp tests benchmarks scripts

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_analyze.py

train: $(STAMP)
	$(BIN)/sxtdbv train

clean:
	rm -rf $(VENV) out build *.egg-info
