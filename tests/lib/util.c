// SPDX-License-Identifier: GPL-2.0
#include "util.h"

#include <linux/ringfence.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int rf_count_fds(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	/* The directory stream had a descriptor of its own. */
	return n - 1;
}

const char *rf_tmp_path(char *buf, size_t len, const char *tag)
{
	snprintf(buf, len, "/tmp/rftest-%d-%s", (int)getpid(), tag);
	return buf;
}

bool rf_path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

uint64_t rf_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int rf_count_in(const char *buf, const char *text)
{
	const char *p = buf;
	int count = 0;

	while ((p = strstr(p, text))) {
		count++;
		p += strlen(text);
	}
	return count;
}

int rf_klog_count(const char *text)
{
	static char buf[1 << 20];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf) - 1);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	return rf_count_in(buf, text);
}

int rf_dev_ioctl(unsigned long cmd, void *arg)
{
	int fd = open(RINGFENCE_DEVICE_PATH, O_RDWR | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = ioctl(fd, cmd, arg);
	if (ret < 0)
		ret = -errno;
	close(fd);
	return ret;
}
