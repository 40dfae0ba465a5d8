#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest half of scripts/demo: the same program, first free, then fenced by
# an opcode allow-list, then by cBPF filters on its payload.
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
exit $status
