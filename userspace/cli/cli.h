/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef RINGFENCE_CLI_H
#define RINGFENCE_CLI_H

/* Exit codes; run's are those of env(1) and timeout(1) where they overlap. */
enum {
	EXIT_USAGE = 2,
	EXIT_RESTRICT_FAILED = 125,
	EXIT_CANNOT_EXECUTE = 126,
	EXIT_NOT_FOUND = 127,
};

void print_help(void);
void usage_hint(void);

/* CAP_SYS_ADMIN in the effective set: registration without no_new_privs. */
int has_cap_sys_admin(void);

int cmd_run(int argc, char **argv);
int cmd_check_profile(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_learn(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_ops(int argc, char **argv);

#endif /* RINGFENCE_CLI_H */
