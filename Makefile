# SPDX-License-Identifier: GPL-2.0
#
# Top-level build. The kernel module is built by kbuild from ./Kbuild
# (the same route DKMS takes); everything else is plain make.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build

CC ?= cc
USER_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -I$(CURDIR)/uapi
export USER_CFLAGS

.PHONY: all module module-clean userspace tests check check-all check-debug check-install fuzz demo bench style clean install uninstall deb

all: module userspace

module:
	@test -d $(KDIR) || { echo "ringfence: no kernel build tree at $(KDIR); install linux-headers-$(KVER) or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

module-clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

userspace:
	$(MAKE) -C userspace

tests: userspace
	$(MAKE) -C tests

# KERNELS: tags (scripts/fetch-kernels), all, or arm64 (Debian's arm64 builds,
# under qemu-system-aarch64); default: the CI matrix.
check:
	scripts/check $(KERNELS)

# Every kernel build, then check-install: longer than CI's 90 minutes.
check-all:
	scripts/check-all

check-debug:
	scripts/check-debug

# SUITES: bookworm, trixie or both (default): the packages on an installed system.
check-install:
	scripts/check-install $(SUITES)

# SECONDS: length of each fuzzer, on the debug kernel (KERNEL=tag: a stock one).
SECONDS ?= 300
fuzz:
	scripts/fuzz --seconds $(SECONDS) $(if $(SEED),--seed $(SEED)) $(if $(KERNEL),--kernel $(KERNEL))

demo:
	scripts/demo

bench:
	scripts/bench

style:
	scripts/style

# Debian packages in DEBDIR (default build/deb), then lintian (scripts/deb);
# DEB_SUITE=trixie builds them on Debian 13, in the cached trixie root.
DEBDIR ?= $(CURDIR)/build/deb
deb:
	scripts/deb $(if $(DEB_SUITE),--suite $(DEB_SUITE)) $(DEBDIR)

install: userspace
	$(MAKE) -C userspace install

uninstall:
	$(MAKE) -C userspace uninstall

clean:
	-$(MAKE) -C userspace clean
	-$(MAKE) -C tests clean
	rm -rf .tmp_versions *.o *.ko *.mod *.mod.c *.mod.o modules.order Module.symvers \
		module/*.o module/.*.cmd module/compat/generated .*.cmd build userspace/build-arm64
