#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs at each boot of a scripts/check-install guest (a Debian 12 or 13
# system made by mmdebstrap), from rf-check-install.service; writes TAP to
# the result port (/dev/ttyS1) and powers the machine off.
#
# usage: guest.sh    (no arguments; /root/rf holds the .debs in debs/,
#                     VERSION, uring-demo.c and the state of the run)
#
# First boot: the README's install from the packages (apt install of the
# local .debs, DKMS builds the module for the running kernel), loading at
# boot through modules-load.d as the README says, `ringfence version`, a
# program built against libringfence-dev, and a unit whose ExecStart= is
# `ringfence run` confined (-EACCES in its journal, the module's log line).
# Second boot: the module is back by itself, the unit ran confined again;
# then the README's purge, and nothing of ringfence is left.
set -uo pipefail

rf=/root/rf
exec >/dev/ttyS1 2>&1 </dev/null
export DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin

ver=$(cat "$rf/VERSION")
kver=$(uname -r)
boot=$(($(cat "$rf/boots" 2>/dev/null || echo 0) + 1))
echo "$boot" >"$rf/boots"
sync
n=0 failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=1
	echo "not ok $n - $1"
	[[ -z ${2:-} ]] || sed 's/^/#   /' <<<"$2" | tail -n 40
}

# check NAME CMD...: one result line; the output of a failed CMD follows it.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		not_ok "$name" "$out"
	fi
}

# The confined unit's lines this boot: NOP allowed, OPENAT denied with
# -EACCES, and nothing created.
unit_denied() {
	local log
	log=$(journalctl -b -o cat -u rf-confined.service --no-pager)
	echo "$log"
	grep -qx 'nop: ok' <<<"$log" &&
		grep -q '^openat .*: denied (-EACCES' <<<"$log" &&
		[[ ! -e /var/tmp/rf-confined ]]
}

# The module's line for that denial (docs/observability.md).
kernel_log_denied() {
	journalctl -b -k -o cat --no-pager | grep -E \
		'^ringfence: denied pid=[0-9]+ comm="uring-demo" ring=[0-9]+ op=OPENAT layer=task-restriction error=-13'
}

version_ok() {
	local out
	out=$(ringfence version) || return 1
	echo "$out"
	grep -qx "ringfence $ver" <<<"$out" &&
		grep -q "^module: $ver (ABI " <<<"$out" &&
		grep -qx 'task restrictions: available' <<<"$out"
}

dkms_built() {
	dkms status -m ringfence
	dkms status -m ringfence -v "$ver" -k "$kver" | grep -q ': installed' &&
		modinfo -k "$kver" -F version ringfence | grep -qx "$ver"
}

# The journal can miss modules-load's "Inserted module" line of a slow
# early boot (seen once on Debian 13 under TCG): judge by the state
# instead. Nothing else here loads the module; the CLI never does.
loaded_by_modules_load() {
	systemctl show -p Result -p ExecMainStatus systemd-modules-load.service
	[[ -d /sys/module/ringfence && -e /etc/modules-load.d/ringfence.conf ]] &&
		[[ $(systemctl show -P Result systemd-modules-load.service) == success ]] &&
		[[ $(systemctl show -P ExecMainStatus systemd-modules-load.service) == 0 ]]
}

lib_program() {
	cat >/tmp/rf-lib.c <<-'EOF'
		#include <stdio.h>
		#include <ringfence.h>

		int main(void)
		{
			struct ringfence_info info;
			int ret = ringfence_query(&info);

			printf("query %d loaded %d\n", ret, (int)info.module_loaded);
			return ret || !info.module_loaded;
		}
	EOF
	# shellcheck disable=SC2046
	gcc -o /tmp/rf-lib /tmp/rf-lib.c $(pkg-config --cflags --libs ringfence) && /tmp/rf-lib
}

unit_setup() {
	cat >/etc/systemd/system/rf-confined.service <<-'EOF'
		[Unit]
		Description=check-install: a program confined by ringfence run
		After=systemd-modules-load.service

		[Service]
		Type=oneshot
		RemainAfterExit=yes
		ExecStart=/usr/bin/ringfence run --allow-op nop -- /usr/local/bin/uring-demo /var/tmp/rf-confined

		[Install]
		WantedBy=multi-user.target
	EOF
	systemctl daemon-reload && systemctl enable rf-confined.service
}

nothing_left() {
	local left
	left=$(
		compgen -G '/usr/src/ringfence-*'
		dkms status -m ringfence 2>/dev/null
		find /lib/modules -name 'ringfence.ko*'
		compgen -G /var/lib/dkms/ringfence
		dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' '*ringfence*' 2>/dev/null |
			grep -v '^un '
		compgen -G '/usr/share/doc/ringfence*'
		compgen -G /usr/bin/ringfence
	)
	[[ -z $left ]] || { echo "$left"; return 1; }
}

echo "# test-program: boot$boot"
case $boot in
1)
	echo 1..9
	check apt-install apt-get install -y -q "$rf"/debs/*.deb
	check dkms-built dkms_built
	# The README: "echo ringfence > /etc/modules-load.d/ringfence.conf".
	echo ringfence >/etc/modules-load.d/ringfence.conf
	check modules-load sh -c 'systemctl restart systemd-modules-load.service &&
		test -d /sys/module/ringfence'
	check ringfence-version version_ok
	check libringfence-dev lib_program
	# As userspace/'s Makefile builds it: strerrorname_np() is a GNU extension,
	# and undeclared it returns a truncated pointer.
	check uring-demo-unconfined sh -c "gcc -D_GNU_SOURCE -O2 -Wall -Werror -o /usr/local/bin/uring-demo $rf/uring-demo.c &&
		/usr/local/bin/uring-demo /var/tmp/rf-free | grep '^openat .*: fd [0-9]' && rm /var/tmp/rf-free"
	check unit-setup unit_setup
	systemctl start rf-confined.service
	check unit-denied unit_denied
	check unit-kernel-log kernel_log_denied
	;;
2)
	echo 1..9
	check module-at-boot loaded_by_modules_load
	check unit-active systemctl is-active rf-confined.service
	check unit-denied unit_denied
	check unit-kernel-log kernel_log_denied
	systemctl stop rf-confined.service
	check modprobe-r modprobe -r ringfence
	check apt-purge apt-get purge -y -q ringfence-dkms ringfence libringfence0 libringfence-dev
	check nothing-left nothing_left
	check no-module-dir sh -c '! test -d /sys/module/ringfence'
	systemctl disable rf-confined.service
	rm -f /etc/systemd/system/rf-confined.service
	# The README's uninstall: the modules-load.d file the admin made goes too.
	rm -f /etc/modules-load.d/ringfence.conf
	check modules-load-clean systemctl restart systemd-modules-load.service
	;;
*)
	echo '1..0 # SKIP a third boot has nothing to check'
	;;
esac
echo "# exit: $failed"
echo 'ringfence-vm: all programs ran'
sync
systemctl --no-block poweroff
