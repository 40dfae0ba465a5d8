// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Profiles: a policy kept in a file, one run option a line (docs/profiles.md).
 *
 *   # a comment; blank lines are ignored
 *   allow-op read,write      # the option's name, with or without "--"
 *   connect-allow 127.0.0.1/8:5432
 *   filter socket:only-unix.bpf   # relative to the profile's directory
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "errmsg.h"

/* A profile of a few hundred rules is large; this bounds a wrong file. */
#define PROFILE_MAX_BYTES	(1 << 20)
#define PROFILE_MAX_LINE	4096

/* Options a profile may not hold: they say how to run, not what to allow. */
static const char *const run_only[] = {
	"profile", "log-only", "keep-privs", "print-bpf", "help",
};

static char *read_whole(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	size_t len;
	char *buf;

	if (!f) {
		errmsg(err, errlen, "cannot read profile %s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(PROFILE_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		errmsg(err, errlen, "out of memory reading %s", path);
		return NULL;
	}
	len = fread(buf, 1, PROFILE_MAX_BYTES + 1, f);
	if (ferror(f) || len > PROFILE_MAX_BYTES) {
		errmsg(err, errlen, "%s: %s", path, ferror(f) ? strerror(errno) :
		       "larger than 1 MiB; not a profile?");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	if (memchr(buf, '\0', len)) {
		errmsg(err, errlen, "%s: a NUL byte; a profile is text", path);
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* "OP:FILE" with a relative FILE: relative to the profile, not the caller. */
static char *filter_value(const char *profile, const char *value)
{
	const char *colon = strchr(value, ':'), *slash = strrchr(profile, '/');
	size_t dirlen;
	char *out;

	if (!colon || colon[1] == '/' || !slash)
		return strdup(value);
	dirlen = (size_t)(slash - profile);
	out = malloc(strlen(value) + dirlen + 2);
	if (out)
		sprintf(out, "%.*s%.*s/%s", (int)(colon - value + 1), value,
			(int)dirlen, profile, colon + 1);
	return out;
}

static int parse_line(const char *path, unsigned int lineno, char *line,
		      struct run_args *a, char *err, size_t errlen)
{
	char *tok[3], *save = NULL, *name, *argv[2];
	unsigned int n = 0, k;
	char sub[512];
	int i = 0;

	line[strcspn(line, "#")] = '\0';
	for (name = strtok_r(line, " \t\r", &save); name && n < 3;
	     name = strtok_r(NULL, " \t\r", &save))
		tok[n++] = name;
	if (!n)
		return 0;
	if (n > 2)
		return errmsg(err, errlen, "%s:%u: '%s' after %s %s: one option and "
			      "at most one value a line", path, lineno, tok[2], tok[0],
			      tok[1]);
	name = tok[0];
	if (!strncmp(name, "--", 2))
		name += 2;
	for (k = 0; k < sizeof(run_only) / sizeof(run_only[0]); k++)
		if (!strcmp(name, run_only[k]))
			return errmsg(err, errlen, "%s:%u: %s is a run option, not a "
				      "rule; a profile holds rules only", path, lineno,
				      name);
	argv[0] = malloc(strlen(name) + 3);
	argv[1] = n == 2 ? (strcmp(name, "filter") ? strdup(tok[1]) :
			    filter_value(path, tok[1])) : NULL;
	if (!argv[0] || (n == 2 && !argv[1]))
		return errmsg(err, errlen, "%s:%u: out of memory", path, lineno);
	sprintf(argv[0], "--%s", name);
	/* argv stays allocated: a->filter_file[] and a->cmd point into it. */
	if (parse_policy_option((int)n, argv, &i, a, sub, sizeof(sub)))
		return errmsg(err, errlen, "%s:%u: %s", path, lineno, sub);
	if (i + 1 != (int)n)
		return errmsg(err, errlen, "%s:%u: %s takes no value ('%s')", path,
			      lineno, name, tok[1]);
	return 0;
}

int parse_profile(const char *path, struct run_args *a, char *err,
		  size_t errlen)
{
	unsigned int lineno = 0;
	char *buf, *line, *next;
	int ret = 0;

	buf = read_whole(path, err, errlen);
	if (!buf)
		return -1;
	for (line = buf; line && !ret; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (strlen(line) > PROFILE_MAX_LINE)
			ret = errmsg(err, errlen, "%s:%u: line longer than %u bytes",
				     path, lineno, PROFILE_MAX_LINE);
		else
			ret = parse_line(path, lineno, line, a, err, errlen);
	}
	free(buf);
	return ret;
}
