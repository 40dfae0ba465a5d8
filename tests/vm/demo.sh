#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest half of scripts/demo: the same program, first free, then fenced.
cd /tmp || exit 1

echo '$ uring-demo /tmp/free'
uring-demo /tmp/free
echo '$ ringfence run --allow-op nop -- uring-demo /tmp/fenced'
ringfence run --allow-op nop -- uring-demo /tmp/fenced
status=$?
echo '$ ls /tmp/free /tmp/fenced'
ls /tmp/free /tmp/fenced 2>&1
exit $status
