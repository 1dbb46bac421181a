# The two commands of the README. Both install what is missing, configure and build first.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build demo test golden bench clean fuzz test-sanitize

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)/microseg
	@$(BUILD)/microseg graph examples/hospital/policy.yaml --highlight-paths -o $(BUILD)/hospital.svg \
	  && echo "wrote $(BUILD)/hospital.svg (the hospital's reachability graph, lateral paths in red)"
	@$(BUILD)/microseg report examples/hospital/policy.yaml -o $(BUILD)/hospital-report.html >/dev/null \
	  && echo "wrote $(abspath $(BUILD))/hospital-report.html (the hospital's HTML report; open it in a browser)"

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Release build in build-bench, every bench_* target built and run; never part of `make test`.
bench: deps
	@cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-bench -j $(JOBS) --target \
	  $$(ninja -C build-bench -t targets all | sed -n 's/^\(bench_[A-Za-z0-9_]*\): phony$$/\1/p' | sort -u)
	@for b in build-bench/bench/bench_*; do echo "== $$b"; "$$b" || exit 1; done

# libFuzzer targets of fuzz/ (clang, ASan, UBSan) in build-fuzz, each run FUZZ_SECONDS; never
# part of the normal build. Fails on any crash, leak, hang or memory blow-up.
FUZZ_SECONDS ?= 60
fuzz: deps
	@scripts/install-deps.sh fuzz
	@cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS=-O1 -gline-tables-only" \
	  -DCMAKE_CXX_COMPILER=clang++ -DMICROSEG_FUZZ=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target fuzz_all
	@scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS)

# The whole test suite built with AddressSanitizer + UndefinedBehaviorSanitizer in build-sanitize.
SANITIZE_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
  -D_GLIBCXX_ASSERTIONS -Wno-maybe-uninitialized
test-sanitize: deps
	@cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS=$(SANITIZE_FLAGS)" \
	  -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-sanitize -j $(JOBS)
	@cd build-sanitize && ASAN_OPTIONS=$${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1} \
	  UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} ctest --output-on-failure -j $(JOBS)

# Regenerates tests/golden/<example>/<switch>.<ext> with `microseg compile`; review the diff.
# Read as of a fixed day, the same as tests/golden_test.cpp's kGoldenDay, so that no flow's
# expires date changes the goldens with the calendar.
GOLDEN_AT = 2026-11-01
golden: build
	@for ex in clinic hospital health-system; do \
	  rm -f tests/golden/$$ex/*.actual; \
	  $(BUILD)/microseg compile examples/$$ex/policy.yaml --at $(GOLDEN_AT) -o tests/golden/$$ex || exit 1; \
	done

clean:
	rm -rf $(BUILD)
