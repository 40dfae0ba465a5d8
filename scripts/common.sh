# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared helpers for the ringfence scripts. Source it; do not run it.
#
# Environment:
#   RINGFENCE_CACHE   cache root (default /var/cache/ringfence): private apt
#                     dirs, kernel images, kernel records, module builds, runs.

RF_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RF_CACHE=${RINGFENCE_CACHE:-/var/cache/ringfence}
RF_KERNELS=$RF_CACHE/kernels

# The line the guest writes last on the result port; nothing else may print it.
RF_SUCCESS_MARKER='ringfence-vm: all programs ran'

rf_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

# Prints the calling script's header comment from its "usage:" line on (the
# first comment block after the SPDX line) and exits with status ${1:-2}.
rf_usage() {
	awk 'NR > 3 && /^#/ { sub(/^# ?/, ""); print; next } NR > 3 { exit }' "$0" >&2
	exit "${1:-2}"
}
rf_die() { rf_log "error: $*"; exit 1; }

# Every kernel build the suite knows (scripts/fetch-kernels), and the matrix
# `make check` runs by default: each Debian release's generic kernel, one rt
# kernel, and both native references on x86_64; Debian 12's 6.1 and 6.12 and
# native 7.3 on arm64. `make check KERNELS=all` runs them all;
# KERNELS=arm64 the arm64 builds (Debian's arm64 kernels under
# qemu-system-aarch64, always TCG).
# shellcheck disable=SC2034
RF_ARM64_KERNELS=(6.1-arm64 6.12-arm64 6.12-deb13-arm64 7.2-arm64 7.3-arm64)
# shellcheck disable=SC2034
RF_ALL_KERNELS=(6.1 6.1-cloud 6.1-rt 6.12 6.12-cloud 6.12-rt
	6.12-deb13 6.12-deb13-cloud 6.12-deb13-rt 7.2 7.3 "${RF_ARM64_KERNELS[@]}")
# shellcheck disable=SC2034
RF_DEFAULT_KERNELS=(6.1 6.12 6.12-deb13 6.12-rt 7.2 7.3 6.1-arm64 6.12-arm64 7.3-arm64)

# What the scripts need on the machine, from Debian 12's archive (the i686
# cross compiler: tests/compat32's static i386 programs).
# shellcheck disable=SC2034
RF_HOST_TOOLS=(qemu-system-x86 busybox-static cpio dkms sparse build-essential
	libelf-dev bc rsync xz-utils zstd gzip kmod debian-archive-keyring
	libseccomp-dev mmdebstrap gcc-i686-linux-gnu libc6-dev-i386-cross)
# And for the arm64 builds: the cross compilers the module (Debian 12's
# kernels) and the static test programs (aarch64, and armhf for 32-bit
# callers) are built with.
# shellcheck disable=SC2034
RF_ARM64_HOST_TOOLS=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	gcc-arm-linux-gnueabihf libc6-dev-armhf-cross)

rf_known_tag() {
	local t
	for t in "${RF_ALL_KERNELS[@]}"; do
		[[ $t == "$1" ]] && return 0
	done
	return 1
}

# Kernel tags (6.1, 6.12-deb13, 7.3, ...) name the records fetch-kernels
# writes; a release string (6.1.0-56-amd64) is accepted too so users can
# paste `uname -r`.
rf_kernel_env_file() {
	local want=$1 f
	# "7": the newest native reference.
	[[ $want != 7 ]] || want=7.3
	if [[ -f $RF_KERNELS/$want.env ]]; then
		printf '%s\n' "$RF_KERNELS/$want.env"
		return 0
	fi
	for f in "$RF_KERNELS"/*.env; do
		[[ -f $f ]] || continue
		if grep -qxF "RELEASE=$want" "$f"; then
			printf '%s\n' "$f"
			return 0
		fi
	done
	return 1
}

# Loads TAG, RELEASE, VMLINUZ, PKGVER... of a kernel record into the caller.
rf_load_kernel() {
	local f
	f=$(rf_kernel_env_file "$1") ||
		rf_die "no kernel record for '$1' in $RF_KERNELS; run scripts/fetch-kernels"
	# shellcheck disable=SC1090
	source "$f"
	[[ -r $VMLINUZ ]] || rf_die "kernel image $VMLINUZ is missing; run scripts/fetch-kernels"
}

# 7.x has the feature natively: the module is neither built nor loaded there.
rf_tag_is_native() {
	[[ $1 == 7 || $1 == 7.* ]]
}

# Debian's arm64 builds: qemu-system-aarch64, aarch64 test programs.
rf_tag_is_arm64() {
	[[ $1 == *-arm64 ]]
}

# The Debian release a tag's kernel comes from: trixie for -deb13, else bookworm.
rf_tag_is_trixie() {
	[[ $1 == *-deb13* ]]
}

# Sets RF_QEMU_X86_64 and RF_QEMU_AARCH64 (the binaries) and RF_QEMU_DATA (their
# firmware directory, for -L; empty for the machine's own): the QEMU
# scripts/fetch-qemu unpacked if it runs, else the machine's.
# RINGFENCE_QEMU=host picks the machine's.
rf_pick_qemu() {
	local env=$RF_CACHE/qemu/qemu.env QEMU_X86_64= QEMU_AARCH64= QEMU_DATA=
	RF_QEMU_X86_64=qemu-system-x86_64 RF_QEMU_AARCH64=qemu-system-aarch64 RF_QEMU_DATA=
	[[ ${RINGFENCE_QEMU:-} != host && -f $env ]] || return 0
	# shellcheck disable=SC1090
	source "$env"
	# shellcheck disable=SC1091
	[[ ! -f ${env%/*}/qemu-aarch64.env ]] || source "${env%/*}/qemu-aarch64.env"
	if "$QEMU_X86_64" --version >/dev/null 2>&1; then
		RF_QEMU_X86_64=$QEMU_X86_64 RF_QEMU_DATA=$QEMU_DATA
		[[ -z $QEMU_AARCH64 ]] || RF_QEMU_AARCH64=$QEMU_AARCH64
	else
		rf_log "$QEMU_X86_64 does not run; using the machine's QEMU"
	fi
}

# The architecture of a kernel image: arm64 for an arm64 Image (its header's
# "ARM\x64" magic at byte 56), else x86_64.
rf_image_arch() {
	# As hex: a bzImage has NUL bytes there, which bash would warn about.
	if [[ $(od -An -tx1 -j56 -N4 "$1" | tr -d ' \n') == 41524d64 ]]; then
		echo arm64
	else
		echo x86_64
	fi
}

# Installs (root, from Debian's archive) those of the packages given that
# are not installed yet; waits for another apt's lock. Never removes a package
# to do it (--no-remove): on Debian 12 gcc-multilib conflicts with every
# cross compiler the builds use (aarch64, armhf, i686), and apt -y would
# silently take them out for it; a machine that has it gets apt's message.
rf_install_missing() {
	local missing=() p
	for p in "$@"; do
		[[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) == installed ]] ||
			missing+=("$p")
	done
	((${#missing[@]})) || return 0
	echo "${0##*/}: installing ${missing[*]}"
	apt-get -q update &&
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q -y --no-install-recommends \
			--no-remove install "${missing[@]}"
}

# Copies the source tree without build products or git metadata, so builds
# elsewhere never see (or clobber) what is built in the working tree.
rf_copy_tree() {
	mkdir -p "$1"
	# By content, and a changed file gets the time of the copy: an older
	# version copied over a newer one (another tree, a checkout) must not
	# look older than the objects make built from the newer.
	rsync -rlpgoD --checksum --delete \
		--exclude=.git --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude=Module.symvers \
		--exclude=modules.order --exclude=/userspace/build/ --exclude=/tests/build/ \
		--exclude=/userspace/build-arm64/ --exclude=/tests/build-arm64/ \
		--exclude=/build/ --exclude=/debian/.debhelper/ --exclude=/debian/tmp/ \
		--exclude=.tmp_versions --exclude='*.a' --exclude='*.so*' \
		"$RF_ROOT"/ "$1"/
}

# Builds the module for one release in a private copy of the tree (so
# builds for different kernels never clobber each other or the user's
# ./ringfence.ko). Prints the path of the .ko.
rf_build_module() {
	local release=$1 root='' dir src f kargs=()
	f=$(rf_kernel_env_file "$release" 2>/dev/null) && root=$(source "$f" && echo "${ROOT:-}")
	# An arm64 kernel of Debian 12: its unpacked headers and cross compiler.
	# shellcheck disable=SC1090
	if [[ -n $f ]] && [[ -n $(source "$f" && echo "${KBUILD_ARGS:-}") ]]; then
		read -ra kargs <<<"$(source "$f" && echo "KDIR=$HEADERS $KBUILD_ARGS")"
	fi
	if [[ -n $root ]]; then
		# In the kernel's own Debian root, with its compiler, as DKMS there would.
		dir=$root/build/$release
		src=/build/$release/src
	else
		dir=$RF_CACHE/build/$release
		src=$dir/src
	fi
	((${#kargs[@]})) || [[ -d $root/lib/modules/$release/build ]] ||
		rf_die "no kernel headers at $root/lib/modules/$release/build; run scripts/fetch-kernels"
	rf_copy_tree "$dir/src"
	rf_in_root "$root" make -s -C "$src" module KVER="$release" "${kargs[@]}" "${@:2}" >"$dir/build.log" 2>&1 || {
		cat "$dir/build.log" >&2
		rf_die "module build for $release failed"
	}
	printf '%s\n' "$dir/src/ringfence.ko"
}

# Runs a command on this machine (ROOT empty) or chrooted into a build root.
rf_in_root() {
	local root=$1
	shift
	if [[ -n $root ]]; then
		chroot "$root" "$@"
	else
		"$@"
	fi
}

# The module for the debug kernel tree $1 (scripts/debug-kernel-build), built in
# a private copy of the sources. Prints the path of the .ko; the build log is
# printed on failure.
rf_build_debug_module() {
	local tree=$1 release dir
	release=$(cat "$tree/include/config/kernel.release")
	dir=$RF_CACHE/build/debug-$release
	rf_copy_tree "$dir/src"
	if ! nice -n 19 make -C "$dir/src" module KDIR="$tree" >"$dir/build.log" 2>&1; then
		sed 's/^/  | /' "$dir/build.log" | tail -n 30 >&2
		return 1
	fi
	printf '%s\n' "$dir/src/ringfence.ko"
}

# Console lines vm-boot's scan would flag that are not reports on the debug
# kernel: kmemleak's "N new suspected" (check-debug judges leaks by whose they
# are) and the banner every PROVE_LOCKING kernel prints.
# shellcheck disable=SC2034
RF_DEBUG_BENIGN_CONSOLE='kmemleak: [0-9]+ new suspected memory leaks|rcu:[[:space:]]+RCU lockdep checking is enabled\.$'

# Turns a .ko, .ko.xz, .ko.zst or .ko.gz into a plain .ko at $2 (busybox insmod
# cannot decompress).
rf_plain_ko() {
	local src=$1 dst=$2
	case $src in
	*.ko.xz) xz -dc "$src" >"$dst" ;;
	*.ko.zst) zstd -q -dc "$src" >"$dst" ;;
	*.ko.gz) gzip -dc "$src" >"$dst" ;;
	*.ko) cp "$src" "$dst" ;;
	*) rf_die "$src is not a kernel module" ;;
	esac
}

# Console lines that fail a boot even when every test passed (vm-boot).
# shellcheck disable=SC2034
RF_BAD_CONSOLE='Kernel panic|BUG:|WARNING:|Oops|Call Trace|general protection|lockdep|possible circular locking|inconsistent lock state|KASAN|UBSAN|kmemleak:.*suspected'

# Reads a result-port log on stdin and prints one line per test:
#   PASS|FAIL|SKIP <tag>/<program>/<test name>[ # reason]
# A program's own failure (exit status without a failed test, a count that is
# not its plan, no plan, no exit line) is one extra "FAIL <tag>/<program>".
rf_tap_account() {
	awk -v tag="$1" -v marker="$RF_SUCCESS_MARKER" '
	function emit(kind, name, why) {
		printf "%s %s/%s%s\n", kind, tag, name, (why != "" ? " # " why : "")
	}
	function trim(s) {
		sub(/^[ \t]+/, "", s)
		sub(/[ \t]+$/, "", s)
		return s
	}
	function finish(   why) {
		if (prog == "")
			return
		why = ""
		if (!exited)
			why = "did not finish"
		else if (code != 0 && nfail == 0)
			why = "exit status " code " without a failed test"
		else if (plan < 0)
			why = "no TAP plan"
		else if (count != plan && !skipall)
			why = "ran " count " of " plan " planned tests"
		if (why != "")
			emit("FAIL", prog, why)
		else if (skipall)
			emit("SKIP", prog, skipall)
		prog = ""
	}
	{ sub(/\r$/, "") }
	$0 == marker || /^# after: / { finish(); next }
	/^# test-program: / {
		finish()
		prog = substr($0, 17)
		plan = -1; count = 0; nfail = 0; exited = 0; code = 0; skipall = ""
		next
	}
	prog == "" { next }
	/^# exit: / { exited = 1; code = $3 + 0; next }
	/^1\.\.[0-9]+/ {
		line = substr($0, 4)
		plan = line + 0
		if (plan == 0 && index(line, "#"))
			skipall = trim(substr(line, index(line, "#") + 1))
		if (plan == 0 && skipall == "")
			skipall = "no tests planned"
		next
	}
	/^Bail out!/ { nfail++; emit("FAIL", prog "/bail-out", trim(substr($0, 10))); next }
	/^ok( |$)/ || /^not ok( |$)/ {
		line = $0
		failed = sub(/^not ok */, "", line)
		if (!failed)
			sub(/^ok */, "", line)
		num = ""
		if (match(line, /^[0-9]+/)) {
			num = substr(line, 1, RLENGTH)
			line = substr(line, RLENGTH + 1)
		}
		sub(/^ *- */, "", line)
		directive = ""
		if (index(line, "#")) {
			directive = trim(substr(line, index(line, "#") + 1))
			line = substr(line, 1, index(line, "#") - 1)
		}
		name = trim(line)
		if (name == "")
			name = "test " (num != "" ? num : count + 1)
		count++
		if (toupper(directive) ~ /^(SKIP|TODO)/)
			emit("SKIP", prog "/" name, directive)
		else if (failed) {
			nfail++
			emit("FAIL", prog "/" name, "")
		} else
			emit("PASS", prog "/" name, "")
	}
	END { finish() }
	'
}

# "N passed, N failed[, N skipped]" for a tests.txt-style list on stdin.
rf_count_line() {
	awk '{ n[$1]++ }
	END {
		printf "%d passed, %d failed", n["PASS"], n["FAIL"]
		if (n["SKIP"])
			printf ", %d skipped", n["SKIP"]
		printf "\n"
	}'
}

# Creates and prints a fresh output directory under $RF_CACHE/runs, keeping
# only the newest 40 runs so the cache does not grow without bound.
rf_new_run_dir() {
	local runs=$RF_CACHE/runs old
	mkdir -p "$runs"
	while read -r old; do
		rm -rf -- "$old"
	done < <(find "$runs" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' |
		sort -rn | tail -n +40 | cut -d' ' -f2-)
	mktemp -d "$runs/$(date +%Y%m%d-%H%M%S)-$1.XXXX"
}
