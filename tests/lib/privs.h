/* SPDX-License-Identifier: GPL-2.0 */
/* Giving up privileges, for the registration rule's no_new_privs/CAP_SYS_ADMIN cases. */
#ifndef RF_PRIVS_H
#define RF_PRIVS_H

/*
 * Becomes nobody (uid and gid 65534). 0, -errno, or -EALREADY if the task
 * already has no_new_privs: then it could still register, and a test of
 * the unprivileged case would prove nothing.
 */
int rf_drop_to_nobody(void);

/* Drops CAP_SYS_ADMIN from the effective and permitted sets; 0 or -errno. */
int rf_drop_cap_sys_admin(void);

#endif /* RF_PRIVS_H */
