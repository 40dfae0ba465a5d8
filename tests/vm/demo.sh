#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest half of scripts/demo: the same program, first free, then fenced by
# an opcode allow-list, then by cBPF filters on its payload, then under a
# seccomp filter without and with seccomp parity.
cd /tmp || exit 1

echo '$ uring-demo /tmp/free'
uring-demo /tmp/free
echo '$ ringfence run --allow-op nop -- uring-demo /tmp/fenced'
ringfence run --allow-op nop -- uring-demo /tmp/fenced
status=$?
echo '$ ringfence run --deny-open-create --socket-family unix -- uring-demo /tmp/filtered'
ringfence run --deny-open-create --socket-family unix -- uring-demo /tmp/filtered
echo '$ ls /tmp/free /tmp/fenced /tmp/filtered'
ls /tmp/free /tmp/fenced /tmp/filtered 2>&1
echo
echo '# A seccomp filter like systemd'"'"'s RestrictAddressFamilies=AF_UNIX. Without'
echo '# parity io_uring walks around it: its SOCKET (AF_INET) gets a socket.'
echo '$ unix-only uring-demo /tmp/seccomp-only'
unix-only uring-demo /tmp/seccomp-only
echo '# With seccomp parity the same filter judges the io_uring request too.'
echo '$ ringfence run --seccomp-parity -- unix-only uring-demo /tmp/parity'
ringfence run --seccomp-parity -- unix-only uring-demo /tmp/parity
exit $status
