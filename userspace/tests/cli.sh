#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The ringfence CLI as a user sees it: exit codes, messages, listings.
# Usage: cli.sh PATH-TO-ringfence
set -u
RF=$1
n=0
failed=0
out=$(mktemp)
err=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -rf "$out" "$err" "$tmp"' EXIT

ok() { # ok DESCRIPTION COMMAND...: pass when the command succeeds
	desc=$1; shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		sed 's/^/#   stdout: /' "$out"
		sed 's/^/#   stderr: /' "$err"
		failed=$((failed + 1))
	fi
}

rf() { # run the CLI, keep output, return its exit status
	"$RF" "$@" >"$out" 2>"$err"
}

status_is() { # status_is CODE ARGS...
	code=$1; shift
	rf "$@"
	[ $? -eq "$code" ]
}

stderr_has() { grep -q -- "$1" "$err"; }
stdout_has() { grep -q -- "$1" "$out"; }

ok "no subcommand is a usage error (2)" status_is 2
ok "  and says so" stderr_has "no subcommand"
ok "unknown subcommand is a usage error" status_is 2 frobnicate
ok "  and names it" stderr_has "'frobnicate'"
ok "--help exits 0" status_is 0 --help
ok "  shows an example" stdout_has "^Example"
ok "  documents exit code 125" stdout_has "125"
ok "run --help exits 0 with the same help" status_is 0 run --help
ok "  which documents --deny-all" stdout_has "--deny-all"

ok "run with nothing to restrict is a usage error" status_is 2 run -- true
ok "  explained in words" stderr_has "nothing to restrict"
ok "run with an unknown op is a usage error" status_is 2 run --allow-op nop,frob -- true
ok "  naming the bad word" stderr_has "'frob'"
ok "  and pointing at the list" stderr_has "ringfence ops"
ok "run without a command is a usage error" status_is 2 run --allow-op nop
# As root, become nobody (which drops every capability) to lack CAP_SYS_ADMIN.
as_unprivileged() {
	if [ "$(id -u)" -ne 0 ]; then "$@"; return; fi
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}
keep_privs_refused() {
	as_unprivileged "$RF" run --keep-privs --allow-op nop -- true >"$out" 2>"$err"
	[ $? -eq 125 ]
}
ok "run --keep-privs without CAP_SYS_ADMIN fails with 125" keep_privs_refused
ok "  saying CAP_SYS_ADMIN is missing" stderr_has "needs CAP_SYS_ADMIN"

ok "ops lists opcodes" status_is 0 ops
ok "  starting with nop" sh -c 'head -n1 "$0" | grep -qx nop' "$out"
ok "  including socket and uring_cmd128" sh -c 'grep -qx socket "$0" && grep -qx uring_cmd128 "$0"' "$out"
ok "  65 of them" sh -c '[ $(wc -l <"$0") -eq 65 ]' "$out"
ok "ops --register lists register ops" status_is 0 ops --register
ok "  including register_buffers" stdout_has "^register_buffers$"
ok "ops --flags lists SQE flags" status_is 0 ops --flags
ok "  including cqe_skip_success" stdout_has "^cqe_skip_success$"
ok "ops with a bad argument is a usage error" status_is 2 ops --bogus

# Every listed name is accepted back by run's parser; a bad one would make
# this a usage error (2) before anything touches the kernel, so the status
# here is whatever registration or exec gives, never 2.
rf ops; ops=$(paste -sd, "$out")
ok "run accepts every name ops lists" sh -c '"$0" run --allow-op "$1" -- true 2>/dev/null; [ $? -ne 2 ]' "$RF" "$ops"

ok "version exits 0" status_is 0 version
ok "  names the tool version" sh -c 'head -n1 "$0" | grep -Eq "^ringfence [0-9]+\.[0-9]+"' "$out"
ok "  reports the module" stdout_has "^module: "
ok "  reports native support" stdout_has "^native kernel support: \(yes\|no\)$"

ok "version reports bpf filters" stdout_has "^bpf filters: \(available\|unavailable\)$"
filters_available=0
grep -q "^bpf filters: available" "$out" && filters_available=1
rf version
native=0
grep -q "^native kernel support: yes" "$out" && native=1

# cBPF filters
ok "run --help exits 0" status_is 0 run --help
ok "  documents --connect-allow" stdout_has "--connect-allow ADDR"
ok "  and the --filter file format" stdout_has "code jt jf k"
ok "--print-bpf --socket-family unix exits 0 without a command" \
	status_is 0 run --print-bpf --socket-family unix
ok "  names the opcode" stdout_has "^# SOCKET (opcode 45), from --socket-family: 4 instructions"
ok "  disassembles the load with its field" stdout_has "ld \[16\] *; socket.family"
ok "  and allows AF_UNIX (1)" stdout_has "jeq #0x1 jt 2 jf 3"
ok "--print-bpf does not run the command" \
	status_is 0 run --print-bpf --deny-open-create -- sh -c 'echo ran'
ok "  (nothing ran)" sh -c '! grep -q ran "$0"' "$out"
ok "  prints OPENAT and OPENAT2" sh -c 'grep -q "^# OPENAT (opcode 18)" "$0" && grep -q "^# OPENAT2 (opcode 28)" "$0"' "$out"
ok "--deny-rest marks the last filter" \
	status_is 0 run --print-bpf --deny-open-create --connect-allow 127.0.0.1 --deny-rest
ok "  which is CONNECT's" sh -c 'grep -A1 "^# CONNECT" "$0" | grep -q DENY_REST' "$out"
ok "  and only it" sh -c '[ $(grep -c DENY_REST "$0") -eq 1 ]' "$out"

# What --print-bpf prints reads back as a --filter file, unchanged.
rf run --print-bpf --connect-allow 10.0.0.0/8:443 --connect-allow '[::1]:80'
cp "$out" "$tmp/connect.txt"
round_trip() {
	"$RF" run --print-bpf --filter "connect:$tmp/connect.txt" >"$out" 2>"$err" &&
	grep -v '^#' "$out" >"$tmp/again" && grep -v '^#' "$tmp/connect.txt" >"$tmp/first" &&
	cmp -s "$tmp/first" "$tmp/again"
}
ok "--print-bpf output reads back through --filter" round_trip
ok "  reporting the file as origin" stdout_has "from --filter $tmp/connect.txt"

# A binary file: ret #1, 8 bytes in this machine's byte order.
if [ "$(printf '\001\000' | od -An -tu2 | tr -d ' ')" = 1 ]; then
	printf '\006\000\000\000\001\000\000\000' >"$tmp/allow.bin"
else
	printf '\000\006\000\000\000\000\000\001' >"$tmp/allow.bin"
fi
ok "a binary --filter file is read" status_is 0 run --print-bpf --filter "nop:$tmp/allow.bin"
ok "  as ret #1 for NOP" sh -c 'grep -q "^# NOP (opcode 0)" "$0" && grep -q "ret #1$" "$0"' "$out"

printf '0x30 0 0 8\n6 0 0 1\n' >"$tmp/ldb.txt"
ok "a program the kernel would refuse is a usage error" \
	status_is 2 run --filter "socket:$tmp/ldb.txt" -- true
ok "  naming the instruction" stderr_has "instruction 0 (ldb \[8\])"
ok "a missing --filter file is a usage error" \
	status_is 2 run --print-bpf --filter "socket:$tmp/none"
ok "  naming the file" stderr_has "$tmp/none: No such file"
printf '0x20 0 0 16\n6 0 0\n' >"$tmp/short.txt"
ok "a malformed line is a usage error" status_is 2 run --print-bpf --filter "socket:$tmp/short.txt"
ok "  naming the line" stderr_has "short.txt: line 2: expected 4 numbers"
ok "--deny-rest without filters is a usage error" status_is 2 run --deny-rest --allow-op nop -- true
ok "a bad --connect-allow is a usage error" status_is 2 run --connect-allow 10.0.0.0/33 -- true
ok "  saying why" stderr_has "prefix length '33' is not 0 to 32"

if [ $filters_available -eq 0 ]; then
	ok "filters where the kernel has none: 125" status_is 125 run --socket-family unix -- true
	ok "  explained" stderr_has "no io_uring cBPF filters"
	ok "  naming the filter" stderr_has "SOCKET filter from --socket-family"
else
	ok "filters where the kernel has them: the command runs" \
		status_is 0 run --socket-family unix -- true
fi

# Profiles: the run options' names, one a line; bad lines named by number.
cat >"$tmp/good.profile" <<'PROFILE'
# comments and blank lines are ignored

allow-op read,write   # a trailing comment
--allow-op nop
allow-flags fixed_file
socket-family inet
deny-open-create
connect-allow 127.0.0.1:5432
PROFILE
ok "check-profile accepts a good profile" status_is 0 check-profile "$tmp/good.profile"
ok "  printing its set" stdout_has "submissions: nop,read,write"
ok "  its flags" stdout_has "SQE flags allowed: fixed_file"
ok "  and its programs" stdout_has "# SOCKET (opcode 45), from --socket-family"
ok "  with the open and connect filters" sh -c 'grep -q "# OPENAT (opcode 18)" "$0" && grep -q "# CONNECT (opcode 16)" "$0"' "$out"
printf 'allow-op read\n\nallow-op frob\n' >"$tmp/bad-op.profile"
ok "a profile with an unknown op is a usage error" status_is 2 check-profile "$tmp/bad-op.profile"
ok "  naming file and line" stderr_has "bad-op.profile:3: unknown io_uring opcode 'frob'"
printf 'deny-all extra\n' >"$tmp/bad-value.profile"
ok "a value after a flag option is a usage error" status_is 2 check-profile "$tmp/bad-value.profile"
ok "  naming the line" stderr_has "bad-value.profile:1: deny-all takes no value"
printf '# x\nallow-op read write\n' >"$tmp/bad-words.profile"
ok "two values on a line is a usage error" status_is 2 check-profile "$tmp/bad-words.profile"
ok "  naming the line" stderr_has "bad-words.profile:2: 'write' after"
printf 'keep-privs\n' >"$tmp/run-only.profile"
ok "a run option in a profile is a usage error" status_is 2 check-profile "$tmp/run-only.profile"
ok "  saying why" stderr_has "run-only.profile:1: keep-privs is a run option"
printf 'allow-flags fixed_file\n' >"$tmp/flags-only.profile"
ok "a profile that makes no sense alone is a usage error" status_is 2 check-profile "$tmp/flags-only.profile"
ok "  saying why" stderr_has "only apply together with --allow-op"
printf 'allow-op nop\0\n' >"$tmp/binary.profile"
ok "a binary file is no profile" status_is 2 check-profile "$tmp/binary.profile"
ok "a missing profile is a usage error" status_is 2 run --profile "$tmp/none" -- true
ok "  naming it" stderr_has "cannot read profile $tmp/none"
ok "run --profile with another profile's error names its line" status_is 2 run --profile "$tmp/bad-op.profile" -- true
ok "  too" stderr_has "bad-op.profile:3:"
ok "check-profile without a file is a usage error" status_is 2 check-profile
for p in "$(dirname "$0")"/../../profiles/*.profile; do
	ok "shipped profile $(basename "$p") is valid" status_is 0 check-profile "$p"
done

# The module's own commands, on a machine without the module (this host).
if [ ! -e /dev/ringfence ]; then
	ok "status without the module fails (1)" status_is 1 status
	ok "  saying the module is needed" stderr_has "needs the ringfence module"
	ok "learn without the module fails (125)" status_is 125 learn -o "$tmp/p" -- true
	ok "  saying the module is needed" stderr_has "needs the ringfence module"
	ok "  writing no profile" test ! -e "$tmp/p"
	ok "run --log-only without the module fails (125)" status_is 125 run --log-only --allow-op nop -- true
	ok "  saying it is the module's" stderr_has "log-only is the ringfence module's"
	if [ "$native" -eq 0 ]; then
		ok "doctor without the module fails (1)" status_is 1 doctor
		ok "  naming what is missing" stdout_has "^FAIL module  *not loaded (modprobe ringfence)"
	fi
fi
ok "status of a bad pid is a usage error" status_is 2 status 12x
ok "learn without -o is a usage error" status_is 2 learn -- true
ok "doctor takes no argument" status_is 2 doctor now

# The names must match the enum of the Linux 7.2 uapi header, where present.
K72=/var/cache/ringfence-dev/src/k72/include/uapi/linux/io_uring.h
if [ -r "$K72" ]; then
	rf ops
	awk '/^enum io_uring_op \{/,/IORING_OP_LAST/' "$K72" |
		grep -o 'IORING_OP_[A-Z0-9_]*' | grep -v LAST |
		sed 's/IORING_OP_//' | tr A-Z a-z >"$err"
	ok "ops matches the 7.2 enum, in order" cmp -s "$out" "$err"
else
	n=$((n + 1)); echo "ok $n - ops matches the 7.2 enum # SKIP no 7.2 source"
fi

echo "1..$n"
[ $failed -eq 0 ]
