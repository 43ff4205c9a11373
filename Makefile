# Thin wrapper over CMake/CTest. `make` builds build/auk and build/libauk.*;
# `make demo` runs auk's main job on shipped data; `make test` runs every test,
# then the whole suite again under ASan+UBSan, and the parallel parts under TSan.
JOBS ?= $(shell nproc)
BUILD ?= build

.PHONY: all deps demo test test-release test-asan test-tsan bench clean format

all: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

deps:
	@scripts/install-deps.sh

demo: all
	@scripts/demo.sh $(BUILD)

test: test-release test-asan test-tsan

test-release: all
	@scripts/install-test-peers.sh
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DAUK_SANITIZE=address,undefined >/dev/null
	@cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS) -LE nosan

# ThreadSanitizer over the tests that drive the pool and the parallel reader.
test-tsan: deps
	@cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DAUK_SANITIZE=thread >/dev/null
	@cmake --build build-tsan -j $(JOBS)
	cd build-tsan && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -j $(JOBS) -R 'test_core|test_csv_read|test_golden|test_io|test_arrow|test_query|test_groupby|test_tpch|test_join|test_parquet$$|test_sql|test_progress'

bench: all
	@bench/setup.sh && /usr/bin/python3 bench/run_describe.py

format:
	clang-format -i include/*.h $$(find src cli tests examples -name "*.[ch]")

clean:
	rm -rf build build-asan build-tsan build-fuzz
