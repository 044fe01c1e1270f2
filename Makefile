# SPDX-License-Identifier: GPL-2.0
#
# mmscope top-level Makefile.
#
#   make run            provision, build, boot the VM, run the demo
#   make check          provision, build, run every test suite (host + VM)
#   make check SUITES="core bootmem"   only the named suites
#   make check-debug    the VM and KUnit suites on the debug kernel (KASAN,
#                       lockdep, kmemleak, ...; built once, then cached)
#   make                build mmscope.ko and the user programs for KDIR
#   make vm-run PROG=./a.out ARGS="..."   run your own program in the VM
#
# KDIR defaults to the running kernel's build tree; the scripts pass the
# Debian 6.1 headers they provision.

KDIR ?= /lib/modules/$(shell uname -r)/build
O_USER ?= build/user
SUITES ?=
V ?= 0

export KDIR

.PHONY: all module user host-tests check check-debug debug-kernel run vm-run clean \
	checkpatch sparse

all: module user

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

user:
	$(MAKE) -C user O=$(CURDIR)/$(O_USER)

host-tests:
	$(MAKE) -C user O=$(CURDIR)/$(O_USER) host-tests

check:
	scripts/check.sh $(SUITES)

check-debug:
	scripts/check-debug.sh $(SUITES)

debug-kernel:
	scripts/debug-kernel.sh

run:
	scripts/run.sh

vm-run:
	scripts/vm-run.sh $(PROG) $(ARGS)

# Style gates: kernel checkpatch (from the provisioned kernel source) and sparse.
checkpatch:
	scripts/checkpatch.sh

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 W=1 modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -rf build
