# Thin wrapper over CMake/CTest. `make` builds build/auk and build/libauk.*;
# `make demo` runs auk's main job on shipped data; `make test` runs every test,
# then the whole suite again under ASan+UBSan.
JOBS ?= $(shell nproc)
BUILD ?= build

.PHONY: all deps demo test test-release test-asan bench clean format

all: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

deps:
	@scripts/install-deps.sh

demo: all
	@scripts/demo.sh $(BUILD)

test: test-release test-asan

test-release: all
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DAUK_SANITIZE=address,undefined >/dev/null
	@cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS) -LE nosan

bench: all
	@bench/setup.sh && /usr/bin/python3 bench/run_describe.py

format:
	clang-format -i include/*.h src/*/*.[ch] cli/*.[ch] tests/unit/*.[ch]

clean:
	rm -rf build build-asan build-fuzz
