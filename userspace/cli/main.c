// SPDX-License-Identifier: LGPL-2.1-or-later
/* ringfence: run programs under per-task io_uring restrictions and filters. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char help_text[] =
"Usage: ringfence run OPTIONS [--] COMMAND [ARGS...]\n"
"       ringfence run --print-bpf FILTER-OPTIONS\n"
"       ringfence learn -o FILE [--] COMMAND [ARGS...]\n"
"       ringfence check-profile FILE...\n"
"       ringfence status [PID]\n"
"       ringfence doctor\n"
"       ringfence version\n"
"       ringfence ops [--register | --flags | --seccomp]\n"
"       ringfence --help\n"
"\n"
"run: restrict io_uring for COMMAND, then execute it. The restriction is\n"
"Linux 7.x's per-task one: it holds for COMMAND and every process or thread\n"
"it starts, survives execve, cannot be lifted or replaced, and every io_uring\n"
"ring they create enforces it for the ring's whole lifetime. It comes from\n"
"the kernel on Linux 7.0+ and from the ringfence module on 6.1 and 6.12.\n"
"\n"
"  --allow-op LIST        restrict submissions to these opcodes; any other\n"
"                         completes with -EACCES (Permission denied) in its CQE\n"
"  --allow-flags LIST     SQE flags a submission may carry; by default none,\n"
"                         so a submission with any flag is denied\n"
"  --require-flags LIST   SQE flags every submission must carry\n"
"  --allow-register LIST  restrict io_uring_register(2) to these operations;\n"
"                         any other fails with EACCES\n"
"  --deny-all             deny every submission and every register operation\n"
"  --seccomp-parity       judge every io_uring request of COMMAND and all it\n"
"                         starts by their own seccomp filters, as the system\n"
"                         call the request stands for (ringfence module only;\n"
"                         'ringfence ops --seccomp' shows the mapping); cannot\n"
"                         be switched off. Combines with everything else\n"
"  --profile FILE         the rules in FILE, one run option a line without\n"
"                         its '--' (see below); repeatable, adds to options\n"
"  --log-only             the whole policy given here only records what it\n"
"                         would deny (kernel log, ringfence:deny trace event,\n"
"                         counters) and allows it; layers already in force\n"
"                         still deny (ringfence module only)\n"
"  --keep-privs           do not set no_new_privs (needs CAP_SYS_ADMIN); by\n"
"                         default COMMAND runs with no_new_privs, so setuid\n"
"                         binaries and file capabilities no longer raise\n"
"                         privileges\n"
"\n"
"LIST is comma-separated names, in any case: 'ringfence ops' lists opcodes,\n"
"'ringfence ops --register' register operations, 'ringfence ops --flags'\n"
"SQE flags. Options may be repeated; their lists add up.\n"
"Give --allow-op, --allow-register, or both; or --deny-all alone (or only\n"
"filters, or only --seccomp-parity). Without --allow-op submissions are not restricted (so\n"
"--allow-flags and --require-flags need it); without --allow-register\n"
"register operations are not.\n"
"\n"
"cBPF filters: programs the kernel runs on every submission of one opcode,\n"
"after the restrictions; a request one denies completes with -EACCES. They\n"
"hold as the restrictions do, and only add up: every filter of an opcode\n"
"must allow a request.\n"
"  --filter OP:FILE       run the program in FILE for opcode OP (a name as\n"
"                         'ringfence ops' lists them, or a number)\n"
"  --socket-family LIST   SOCKET only for these families: unix (or local),\n"
"                         inet, inet6, netlink, packet, vsock, or numbers\n"
"  --socket-type LIST     SOCKET only for these types: stream, dgram, raw,\n"
"                         rdm, seqpacket, packet, or numbers (SOCK_CLOEXEC\n"
"                         and SOCK_NONBLOCK stay allowed)\n"
"  --deny-open-create     deny OPENAT and OPENAT2 with O_CREAT or O_TMPFILE\n"
"  --connect-allow ADDR[/LEN][:PORT]\n"
"                         CONNECT only to this range (IPv6: ::1/128, with a\n"
"                         port [::1]:80), on any port or on PORT; repeatable.\n"
"                         Every other address and family (AF_UNIX too) is\n"
"                         denied, and so is an address too short to hold a\n"
"                         port. IPv4 ranges also allow their IPv4-mapped\n"
"                         IPv6 form; IPv6 ranges never allow ::ffff:0:0/96\n"
"                         unless they lie inside it\n"
"  --deny-rest            also deny every opcode that has no filter (set on\n"
"                         the last filter registered, so all those given\n"
"                         here count)\n"
"  --print-bpf            print every program, in the order it would be\n"
"                         registered and in FILE's text form, then exit\n"
"                         without running anything (COMMAND is optional)\n"
"\n"
"FILE is a classic BPF program, struct sock_filter[], either binary (the\n"
"array as in memory: 8 bytes an instruction, host byte order) or text: one\n"
"instruction a line, 'code jt jf k', decimal or 0x hex, '#' comments,\n"
"commas and braces ignored, a lone count line allowed first (so tcpdump\n"
"-dd and -ddd output reads as is). A file with a NUL byte is binary; every\n"
"binary program has one. The program reads struct io_uring_bpf_ctx with\n"
"BPF_LD|BPF_W|BPF_ABS at 4-byte aligned offsets below 40 (words in this\n"
"machine's byte order; no byte or half-word loads) and returns non-zero to\n"
"allow; it is checked as the kernel will check it before anything is set.\n"
"Classic restrictions are registered first (the kernel refuses them once a\n"
"task has filters), then the --filter programs in order, then the presets.\n"
"\n"
"Profiles: a text file, one rule a line: a run option's name with or\n"
"without '--' and its value, e.g. 'allow-op read,write', 'socket-family\n"
"inet', 'deny-open-create'; '#' starts a comment. A relative --filter FILE\n"
"is relative to the profile. profile, log-only and keep-privs are not rules.\n"
"\n"
"learn: run COMMAND (and all it starts) with every io_uring request and\n"
"register call recorded by the ringfence module, then write to FILE the\n"
"profile that allows what was used, with how often as comments. Exits with\n"
"COMMAND's status.\n"
"\n"
"check-profile: read each FILE as run --profile would and print the set and\n"
"programs it compiles to; exit status 2 and FILE:LINE on a bad rule.\n"
"\n"
"status: the io_uring policy of process PID (default: this one), its\n"
"denial counters and its rings; needs ptrace read access to it.\n"
"\n"
"doctor: check this system: module, native support, hooks, and an end-to-end\n"
"confined child (NOP allowed, READ denied, and again after execve).\n"
"\n"
"ops: the opcode names run accepts; --register the register operations;\n"
"--flags the SQE flags; --seccomp, for each opcode, the system call seccomp\n"
"parity judges it as on this kernel, and where each argument comes from.\n"
"\n"
"version: this tool's version, the ringfence module's version and ABI (or\n"
"'not loaded'), whether the kernel supports task restrictions natively, and\n"
"whether restrictions and filters are available.\n"
"\n"
"Exit status of run: COMMAND's own once it runs, otherwise\n"
"    2  usage error (also for version and ops), including a --filter FILE\n"
"       that cannot be read or that the kernel would refuse\n"
"  125  the restriction could not be set up (no kernel support and no\n"
"       module, already restricted, --keep-privs without CAP_SYS_ADMIN, ...)\n"
"  126  COMMAND was found but could not be executed\n"
"  127  COMMAND was not found\n"
"\n"
"Example: let a server only read, write, accept and close through io_uring,\n"
"optionally on registered files, and register nothing but its files:\n"
"  ringfence run --allow-op read,write,accept,close --allow-flags fixed_file \\\n"
"                --allow-register register_files -- ./server --port 8080\n"
"Let a client open sockets of IPv4 and IPv6 only, create no files and\n"
"connect only to this host's port 5432:\n"
"  ringfence run --socket-family inet,inet6 --deny-open-create \\\n"
"                --connect-allow 127.0.0.0/8:5432 --connect-allow '[::1]:5432' \\\n"
"                -- ./client\n";

void print_help(void)
{
	fputs(help_text, stdout);
}

void usage_hint(void)
{
	fputs("Try 'ringfence --help'.\n", stderr);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		fputs("ringfence: no subcommand given (run, learn, status, "
		      "check-profile, doctor, version or ops)\n",
		      stderr);
		usage_hint();
		return EXIT_USAGE;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version"))
		return cmd_version(argc - 2, argv + 2);
	if (!strcmp(cmd, "ops"))
		return cmd_ops(argc - 2, argv + 2);
	if (!strcmp(cmd, "check-profile"))
		return cmd_check_profile(argc - 2, argv + 2);
	if (!strcmp(cmd, "status"))
		return cmd_status(argc - 2, argv + 2);
	if (!strcmp(cmd, "learn"))
		return cmd_learn(argc - 2, argv + 2);
	if (!strcmp(cmd, "doctor"))
		return cmd_doctor(argc - 2, argv + 2);
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		print_help();
		return 0;
	}
	fprintf(stderr, "ringfence: unknown subcommand '%s'\n", cmd);
	usage_hint();
	return EXIT_USAGE;
}
