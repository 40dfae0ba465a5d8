// SPDX-License-Identifier: LGPL-2.1-or-later
/* `ringfence version`: what this tool, the module and the kernel offer. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ringfence.h"

static void print_features(uint64_t features)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} names[] = {
		{ RINGFENCE_FEAT_TASK_RESTRICTIONS, "task-restrictions" },
		{ RINGFENCE_FEAT_UPSTREAM_REGISTER, "upstream-register" },
		{ RINGFENCE_FEAT_BPF_FILTER, "bpf-filter" },
		{ RINGFENCE_FEAT_SECCOMP_PARITY, "seccomp-parity" },
	};
	const char *sep = "";
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(features & names[i].bit))
			continue;
		printf("%s%s", sep, names[i].name);
		sep = ",";
		features &= ~names[i].bit;
	}
	if (features)
		printf("%s0x%" PRIx64, sep, features);
	else if (!*sep)
		printf("none");
}

static void print_module(const struct ringfence_info *info)
{
	printf("module: ");
	if (info->module_loaded) {
		printf("%s (ABI %u, features ",
		       info->module_version[0] ? info->module_version : "unknown",
		       (unsigned int)info->abi_version);
		print_features(info->features);
		printf(")");
		if (info->upstream)
			printf(", reproduces Linux %u.%u", info->upstream >> 8,
			       info->upstream & 0xff);
		if (info->abi_version != RINGFENCE_ABI_VERSION)
			printf(", unusable: this tool speaks ABI %u",
			       RINGFENCE_ABI_VERSION);
		printf("\n");
	} else if (info->module_error == -ENOENT) {
		printf("not loaded\n");
	} else {
		printf("unusable (%s: %s)\n", RINGFENCE_DEVICE_PATH,
		       strerror(-info->module_error));
	}
}

int cmd_version(int argc, char **argv)
{
	struct ringfence_info info;
	int ret;

	(void)argv;
	if (argc > 0) {
		fprintf(stderr, "ringfence version: takes no arguments\n");
		usage_hint();
		return EXIT_USAGE;
	}

	printf("ringfence %s\n", RINGFENCE_TOOL_VERSION);
	ret = ringfence_query(&info);
	if (ret) {
		fprintf(stderr, "ringfence version: cannot query the kernel: %s\n",
			strerror(-ret));
		return 1;
	}
	print_module(&info);
	printf("native kernel support: %s\n", info.native ? "yes" : "no");
	printf("task restrictions: %s\n",
	       !info.available ? "unavailable" :
	       info.task_restricted ? "available, this process is restricted" :
	       "available");
	printf("bpf filters: %s\n",
	       info.filter_available ? "available" : "unavailable");
	return 0;
}
