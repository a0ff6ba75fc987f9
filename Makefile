# qemu-sev-pflash: a QEMU patch series, built and tested against a pinned
# upstream.  See README.md.  Every target is a thin wrapper around scripts/.

S := scripts

.PHONY: all deps fetch prepare import export build demo check check-suite \
	check-full check-gnutls check-fuzz check-series checkpatch bench bench-ovmf bench-linux stress status clean distclean help

# Set up, build, and show the demo.
all: build
	@$(S)/demo

deps:
	@$(S)/deps

# Every pinned source: QEMU, Debian's edk2 and the guest's packages.
fetch: deps
	@for pin in *.pin; do $(S)/fetch-upstream $$pin || exit 1; done

# The workspace: created on first use, brought up to date with the queues
# (patches/pflash/, patches/sev/, harness/) when it holds no work of its own.
prepare: fetch
	@$(S)/pq sync
	@$(S)/pq --edk2 sync

import: fetch
	@$(S)/pq import

export:
	@$(S)/pq export

build: prepare
	@$(S)/build
	@$(S)/build-ovmf

demo: build
	@$(S)/demo

# Every test; ends with 'N passed, N failed'.
check: build
	@$(S)/check

# The pflash qtest on a second build with GnuTLS as the crypto backend.
check-gnutls: prepare
	@$(S)/check-gnutls

# The generic-fuzz configuration of the pflash series under libFuzzer
# (clang; a build of its own).
check-fuzz: prepare
	@$(S)/check-fuzz

# QEMU's own qtest-x86_64 suite, pristine upstream against the series.
check-suite: build
	@$(S)/test-suite

# Both of the above (CI runs them, after check-series).
check-full: check check-suite

# The encrypted mode against the plain mode: markdown tables of ratios.
bench: build
	@$(S)/bench

# Batched drive writes on an OVMF boot under TCG: ratios of one run.
bench-ovmf: build
	@$(S)/bench-ovmf

# Debian's kernel to its initramfs, emulated SEV guest against plain.
bench-linux: build
	@$(S)/test-linux-guest --bench 5

# The pflash qtest 200 times with every core busy (scripts/stress-tests).
stress: build
	@$(S)/stress-tests

# Build each patch in order and run the tests it touches (bisectability).
check-series: prepare
	@$(S)/pq check-series

checkpatch: prepare
	@$(S)/pq checkpatch

status:
	@$(S)/pq status

# Build outputs only; the workspace and its commits stay.
clean:
	rm -rf build/qemu/build build/series build/base build/roundtrip.*

# Everything under build/, including the workspace (refused while it holds
# work that is not exported to patches/).
distclean:
	@$(S)/pq distclean

help:
	@sed -n '1,200p' README.md | sed -n '/^## Commands/,/^## /p'
