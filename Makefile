# Press. `make` installs everything, makes sure a browser exists and builds content/ into output/.
# `make test` runs the whole suite (type check, lint, unit and real-browser tests).
SHELL := /bin/bash
NODE_BIN := node_modules/.bin
TS_SOURCES := $(shell find src -name '*.ts' 2>/dev/null)

.PHONY: all install browser build test lint typecheck format clean release watch bench java

all: build

install: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

dist/.built: node_modules/.installed $(TS_SOURCES) tsconfig.json tsconfig.build.json
	rm -rf dist
	$(NODE_BIN)/tsc -p tsconfig.build.json
	npm run --silent bundle
	@touch $@

browser: dist/.built
	node bin/press.js browser --install

build: browser
	node bin/press.js check --no-browser
	node bin/press.js build

typecheck: node_modules/.installed
	$(NODE_BIN)/tsc --noEmit -p tsconfig.json

lint: node_modules/.installed
	$(NODE_BIN)/biome check

format: node_modules/.installed
	$(NODE_BIN)/biome check --write

# The HTML checker (vnu-jar) needs Java: install a JRE where there is none and apt-get can (as
# root on Debian/Ubuntu); elsewhere that one test is skipped with a message.
java:
	@command -v java >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  echo "press: installing a Java runtime for the HTML checker" && \
	  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null; } || \
	  echo "press: no Java here: the Nu HTML checker test will be skipped"

test: browser typecheck lint java
	$(NODE_BIN)/vitest run

# A full build, then output/manifest.json, output/index.html and release/press-<version>.tar.gz
# with release/SHA256SUMS. SOURCE_DATE_EPOCH defaults to the last commit's time.
release: browser
	node bin/press.js release

# Serve output/ on 127.0.0.1:8040, rebuild and reload on save.
watch: browser
	node bin/press.js watch

# Benchmarks (not tests): each pathological input alone; cold, no-op and one-changed builds against the floor. See BENCHMARKS.md.
bench: browser
	node bench/pathological-run.mjs
	node bench/run.mjs

clean:
	rm -rf dist output .press-cache release
