# The two commands of the README. Both install what is missing, configure and build first.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build demo test golden bench clean

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

# Regenerates tests/golden/<example>/<switch>.<ext> with `microseg compile`; review the diff.
golden: build
	@for ex in clinic hospital health-system; do \
	  rm -f tests/golden/$$ex/*.actual; \
	  $(BUILD)/microseg compile examples/$$ex/policy.yaml -o tests/golden/$$ex || exit 1; \
	done

clean:
	rm -rf $(BUILD)
