# Press. `make` installs everything, makes sure a browser exists and builds content/ into output/.
# `make test` runs the whole suite (type check, lint, unit and real-browser tests).
SHELL := /bin/bash
NODE_BIN := node_modules/.bin
TS_SOURCES := $(shell find src -name '*.ts' 2>/dev/null)

.PHONY: all install browser build test lint typecheck format clean

all: build

install: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

dist/.built: node_modules/.installed $(TS_SOURCES) tsconfig.json tsconfig.build.json
	rm -rf dist
	$(NODE_BIN)/tsc -p tsconfig.build.json
	@touch $@

browser: dist/.built
	node bin/press.js browser --install

build: browser
	node bin/press.js build

typecheck: node_modules/.installed
	$(NODE_BIN)/tsc --noEmit -p tsconfig.json

lint: node_modules/.installed
	$(NODE_BIN)/biome check

format: node_modules/.installed
	$(NODE_BIN)/biome check --write

test: browser typecheck lint
	$(NODE_BIN)/vitest run

clean:
	rm -rf dist output .press-cache
