# Portcullis — the two commands: `make run` and `make test`.
SWIFT ?= swift
DATA ?= ./data

.PHONY: run test build release bench clean

build:
	scripts/install-deps.sh build
	$(SWIFT) build

release:
	scripts/install-deps.sh build
	$(SWIFT) build -c release

run:
	scripts/install-deps.sh run
	$(SWIFT) build -c release
	DATA=$(DATA) scripts/run.sh

test:
	scripts/install-deps.sh test
	scripts/install-sdk-deps.sh
	$(SWIFT) build
	PORTCULLIS_BIN=$(CURDIR)/.build/debug/portcullis $(SWIFT) test

bench:
	scripts/install-bench-deps.sh
	Benchmarks/run.sh

clean:
	rm -rf .build .run
