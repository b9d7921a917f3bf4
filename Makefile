# gwcert's build, test and benchmark entry points. `make test` is what CI
# runs (.ci/run); every target works from a clean clone with Go and Node.js.

GO       ?= go
GINKGO   := $(GO) tool ginkgo
# staticcheck, pinned; fetched through the module proxy on first use.
STATICCHECK := $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
NODE     ?= node
PKGS     := ./...
SUITES   := ./suites/...
ADAPTER  := $(NODE) $(CURDIR)/examples/adapters/node/adapter.js

.PHONY: all build demo test vet lint unit suites suites-adapter bench bench-codec bench-load bench-peers soak fuzz vectors clean

all: build

build:
	$(GO) build -o bin/gwcert ./cmd/gwcert

## demo: every job on its defaults against the bundled mock; writes
## out/demo-<UTC time>/index.html and prints a summary.
demo:
	$(GO) run ./cmd/gwcert demo

## test: vet and staticcheck, every package under the race detector, then
## every Ginkgo suite in parallel and in random order, then the known-answer
## suite against the Node.js adapter.
test: vet lint unit suites suites-adapter

vet:
	$(GO) vet $(PKGS)

lint:
	$(STATICCHECK) $(PKGS)

unit:
	$(GO) test -race -count=1 $(PKGS)

suites:
	$(GINKGO) -r -p --randomize-all --fail-on-pending --fail-on-empty --race --keep-going $(SUITES)

suites-adapter:
	$(GINKGO) --race --fail-on-empty ./suites/kat -- -gwcert.adapter="$(ADAPTER)"

## bench: every ratio of the README's performance table, each measured
## side by side (A B A B) in one run; about 8 minutes on 2 cores.
bench: bench-codec bench-load

## bench-codec: the AES hot path against raw AES-256-CBC.
bench-codec:
	$(GO) run ./bench/ratio -pairs 5 -bench-dir ./envelope

## bench-load: the mock's round trip, the encrypted attack and attacker CPU.
bench-load:
	$(GO) run ./bench/load -pairs 3 -duration 5s

## bench-peers: k6, autocannon and Artillery sealing every request, against
## gwcert's encrypted attack; installs them first (k6 takes minutes).
bench-peers:
	bench/peers/run.sh

## soak: the mock under encrypted load at capacity for 60 s, memory sampled.
soak:
	bench/soak/run.sh 60s 10

## fuzz: every fuzz target of every package for FUZZTIME each (default 60s).
## `make test` already runs their seed corpora as ordinary tests.
FUZZTIME ?= 60s
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$target ($(FUZZTIME))"; \
	    $(GO) test -run='^$$' -fuzz="^$$target$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s $$pkg; \
	  done; \
	done

## vectors: regenerate the protocol vectors with Node.js (deterministic).
vectors:
	$(NODE) vectors/gen/generate.js vectors/gwcert

clean:
	rm -rf bin out
