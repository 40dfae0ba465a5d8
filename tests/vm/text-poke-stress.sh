#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of scripts/tcg-text-poke-stress: switches trace events on and
# off (each switch patches kernel text through text_poke_bp()'s int3) for
# $1 seconds while a second process keeps the other CPU forking and
# scheduling through the patched sites. No module is involved.
mount -t tracefs none /sys/kernel/tracing 2>/dev/null
E=/sys/kernel/tracing/events
(while :; do sh -c true; done) &
busy=$!
rounds=0
end=$(($(date +%s) + ${1:-60}))
while [ "$(date +%s)" -lt "$end" ]; do
	for ev in sched/sched_switch sched/sched_wakeup timer/timer_start \
		timer/hrtimer_start sched/sched_process_fork kmem/kfree; do
		echo 1 >"$E/$ev/enable"
		echo 0 >"$E/$ev/enable"
	done
	rounds=$((rounds + 1))
done
kill "$busy"
echo "toggle rounds: $rounds"
