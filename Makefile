# The two commands for a fresh machine: `make run` and `make test`. Both install what is
# missing (Debian packages, ansible-core in .venv) before they build.
SWIFT ?= swift
BIN_DEBUG = .build/debug

.PHONY: run test build deps bench clean

deps:
	@scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

run: deps
	@scripts/run-demo.sh

test: deps
	$(SWIFT) build --build-tests
	BATCH_SOURCE_BIN=$(CURDIR)/$(BIN_DEBUG)/batch-source $(SWIFT) test --skip-build

bench: deps
	@scripts/bench.sh

clean:
	rm -rf .build .build-* dist data
