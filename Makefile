# The two commands of the README. Both install what is missing, then build.
#   make run   installs, builds and starts `berry serve` with the demo marketplace
#   make test  installs, builds and runs the whole test suite (ctest)
#   make bench builds and runs the benchmark suite (bench/README.md): the
#              server scenarios, the import rate and the catalog at 10k,
#              100k and 1M products; PEERS=1 also runs ../shared/bench's
#              PostgreSQL and Redis peers
#   make sanitize-test  the edge's unit tests (http, config, protocols) built
#              with ASan + UBSan (the debug preset, build-debug/): CI runs it
#   make fuzz  builds the libFuzzer targets (clang, build-fuzz/) and runs each
#              for FUZZ_SECONDS (tests/fuzz/README.md); FUZZERS= picks some

BUILD ?= build
PRESET ?= default
JOBS ?= $(shell nproc)
TEST_JOBS ?= $(shell echo $$(( $$(nproc) * 2 )))
HOST ?= 127.0.0.1
PORT ?= 8080
DATA ?= data
# Extra flags for berry serve. The demo runs the simulated logistics 30x
# faster, so a delivery takes a minute or two; `make run ARGS=` for real time.
ARGS ?= --time-scale 30
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZERS ?=

.PHONY: deps configure build run test clean debug-test sanitize-test bench fuzz

deps:
	@./.ci/install-deps

configure: deps
	@test -f $(BUILD)/build.ninja || cmake --preset $(PRESET) -B $(BUILD)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# The server alone: the tests and the benchmarks are not built for it.
run: configure
	cmake --build $(BUILD) -j $(JOBS) --target berry
	./$(BUILD)/berry serve --host $(HOST) --port $(PORT) --data $(DATA) $(ARGS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(TEST_JOBS)

bench: build
	cmake --build $(BUILD) -j $(JOBS) --target bench_tools
	bench/run --build $(BUILD) $(if $(filter-out 0,$(PEERS)),--peers)
	bench/import_rate --build $(BUILD)
	$(BUILD)/bench/catalog_bench 10000,100000,1000000
	bench/catalog_scale --build $(BUILD)

debug-test: deps
	cmake --preset debug
	cmake --build build-debug -j $(JOBS)
	ctest --preset debug -j $(JOBS)

# What CI adds to make test within its 30 minutes (tests/fuzz/README.md has
# the measurements): the unit tests of the code that reads what clients send.
sanitize-test: deps
	cmake --preset debug
	cmake --build build-debug -j $(JOBS) --target http_tests config_tests protocols_tests
	ctest --preset debug -j $(TEST_JOBS) -R '^(http|config|protocols):'

fuzz: deps
	@test -f $(FUZZ_BUILD)/build.ninja || cmake --preset fuzz -B $(FUZZ_BUILD)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers
	tests/fuzz/run --build $(FUZZ_BUILD) --seconds $(FUZZ_SECONDS) $(FUZZERS)

clean:
	rm -rf $(BUILD) build-debug $(FUZZ_BUILD)
