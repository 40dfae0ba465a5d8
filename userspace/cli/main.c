// SPDX-License-Identifier: LGPL-2.1-or-later
/* ringfence: run programs under per-task io_uring restrictions. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char help_text[] =
"Usage: ringfence run OPTIONS [--] COMMAND [ARGS...]\n"
"       ringfence version\n"
"       ringfence ops [--register | --flags]\n"
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
"  --keep-privs           do not set no_new_privs (needs CAP_SYS_ADMIN); by\n"
"                         default COMMAND runs with no_new_privs, so setuid\n"
"                         binaries and file capabilities no longer raise\n"
"                         privileges\n"
"\n"
"LIST is comma-separated names, in any case: 'ringfence ops' lists opcodes,\n"
"'ringfence ops --register' register operations, 'ringfence ops --flags'\n"
"SQE flags. Options may be repeated; their lists add up.\n"
"Give --allow-op, --allow-register, or both; or --deny-all alone. Without\n"
"--allow-op submissions are not restricted (so --allow-flags and\n"
"--require-flags need it); without --allow-register register operations\n"
"are not.\n"
"\n"
"version: this tool's version, the ringfence module's version and ABI (or\n"
"'not loaded'), and whether the kernel supports task restrictions natively.\n"
"\n"
"Exit status of run: COMMAND's own once it runs, otherwise\n"
"    2  usage error (also for version and ops)\n"
"  125  the restriction could not be set up (no kernel support and no\n"
"       module, already restricted, --keep-privs without CAP_SYS_ADMIN, ...)\n"
"  126  COMMAND was found but could not be executed\n"
"  127  COMMAND was not found\n"
"\n"
"Example: let a server only read, write, accept and close through io_uring,\n"
"optionally on registered files, and register nothing but its files:\n"
"  ringfence run --allow-op read,write,accept,close --allow-flags fixed_file \\\n"
"                --allow-register register_files -- ./server --port 8080\n";

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
		fputs("ringfence: no subcommand given (run, version or ops)\n",
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
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		print_help();
		return 0;
	}
	fprintf(stderr, "ringfence: unknown subcommand '%s'\n", cmd);
	usage_hint();
	return EXIT_USAGE;
}
