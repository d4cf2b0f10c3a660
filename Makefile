# Everything a fresh machine needs: Python 3.11+, pip and venv.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
DEV := $(SHARED)/corpus/dev

.PHONY: run test eval install bench linearity roster results clean gate pin

$(BIN)/extractor: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/extractor

run: install
	@mkdir -p out
	$(BIN)/extractor extract seeds -o out/seeds.jsonl
	@echo "wrote out/seeds.jsonl ($$(wc -l < out/seeds.jsonl) records)"

test: install
	$(BIN)/python -m pytest -n auto -rs

eval: install
	@mkdir -p out
	$(BIN)/extractor extract $(DEV)/articles -o out/dev.jsonl --jobs 2
	$(BIN)/extractor evaluate out/dev.jsonl $(DEV)/gold
	$(BIN)/extractor gate out/dev.jsonl $(DEV)/gold

pin: install
	$(BIN)/extractor pin out/dev.jsonl $(DEV)/gold

# N=10000 for the large run; LIMIT caps each linearity case (seconds).
N ?= 1000
LIMIT ?= 120
bench: install
	$(BIN)/python scripts/benchmark.py --dev $(DEV)/articles --n $(N)

linearity: install
	$(BIN)/python scripts/linearity.py --dev $(DEV)/articles --limit $(LIMIT)

roster:
	$(BIN)/python scripts/build_roster.py

# The official results as a compact table (patterns/results.zip) from ../shared.
results:
	$(BIN)/python scripts/build_results.py

clean:
	rm -rf out .pytest_cache
