# Two commands do all the set-up on a fresh machine with Python 3.11:
#   make run   — dashboard on the default corpus (seeds/) at http://127.0.0.1:8501
#                (make run INPUT=PATH: on any folder; its tables go to data/corpora/, see pipeline/serve.py)
#   make test  — every test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
INPUT  ?= seeds
OUT    ?= data/processed
PORT   ?= 8501
GOLD   ?= ../shared/eval/quotes-dev
# speaker-country annotations: side accuracy is printed when given (make eval GOLD=../shared/eval/quotes-tune SIDES=tests/data/sides-tune.jsonl)
SIDES  ?=

.PHONY: run test build eval bench clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@# Bytecode for the project's own modules, as pip writes it for packages: every build's
	@# processes otherwise compile them at import where PYTHONDONTWRITEBYTECODE is set (~45 ms each).
	$(PY) -m compileall -q pipeline dashboard
	touch $@

# Builds what is new in the terminal, then serves the tables. OUT is passed on only when given on
# the command line: another INPUT must not replace seeds/'s tables in data/processed.
run: $(VENV)/.installed
	$(PY) -m pipeline serve --input $(INPUT) --port $(PORT)$(if $(filter command line,$(origin OUT)), --out $(OUT))

test: $(VENV)/.installed
	$(PY) -m pytest -q

build: $(VENV)/.installed
	$(PY) -m pipeline build --input $(INPUT) --out $(OUT)

eval: $(VENV)/.installed
	$(PY) -m pipeline eval $(GOLD) $(if $(SIDES),--sides $(SIDES))

bench: $(VENV)/.installed
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(OUT) data/.cache data/corpora
