# Two commands do all the set-up (see README): `make run` and `make test`.
# uv is installed into its own small venv (.tools) because `uv sync` is exact
# and would remove itself from the project's venv.
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_SYSTEM_CERTS := 1
export UV_NATIVE_TLS := 1

.PHONY: run test lint install vendor

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --python $(PYTHON)
	touch $@

install: .venv/.synced

run: install
	.venv/bin/backprop-lens serve $(ARGS)

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

# Test-only npm packages (axe-core, injected into pages by the accessibility tests),
# pinned by tests/package-lock.json. Without npm those tests skip, except in CI.
tests/node_modules/.installed: tests/package.json tests/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility tests will skip (apt-get install npm)"; fi

test: lint tests/node_modules/.installed
	.venv/bin/python -m pytest $(ARGS)
