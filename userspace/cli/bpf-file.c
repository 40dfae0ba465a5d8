// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Filter programs from files: a binary struct sock_filter[] or the text
 * form "code jt jf k" per line (see bpf.h). Every binary instruction holds
 * a NUL byte (the high byte of its 16-bit code, which is 0 for every
 * classic opcode), and text holds none: that tells the two apart.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "errmsg.h"

/* Far more than 4096 instructions of text with comments need. */
#define MAX_FILE_SIZE	(4u << 20)

static int parse_binary(const char *data, size_t size, struct sock_filter *out,
			unsigned int cap, char *err, size_t errlen)
{
	size_t n = size / sizeof(*out);

	if (size % sizeof(*out))
		return errmsg(err, errlen, "binary program of %zu bytes: not a "
			      "whole number of %zu-byte instructions", size,
			      sizeof(*out));
	if (n > cap)
		return errmsg(err, errlen, "%zu instructions, more than the %u "
			      "a filter may have", n, cap);
	memcpy(out, data, n * sizeof(*out));
	return (int)n;
}

/* "123" or "0x7b", nothing else; 0 or -1. */
static int parse_number(const char *word, uint32_t max, uint32_t *value)
{
	unsigned long long v = 0;
	const char *p = word;
	int base = 10;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p)
		return -1;
	for (; *p; p++) {
		int digit;

		if (isdigit((unsigned char)*p))
			digit = *p - '0';
		else if (base == 16 && isxdigit((unsigned char)*p))
			digit = tolower((unsigned char)*p) - 'a' + 10;
		else
			return -1;
		v = v * (unsigned int)base + (unsigned int)digit;
		if (v > max)
			return -1;
	}
	*value = (uint32_t)v;
	return 0;
}

static bool is_separator(char c)
{
	return c == ',' || c == '{' || c == '}' || isspace((unsigned char)c);
}

/* Splits line (modified) into at most max words; returns how many, or
 * max + 1 when there are more. */
static unsigned int split(char *line, char **words, unsigned int max)
{
	unsigned int n = 0;
	char *p = line;

	for (;;) {
		while (*p && is_separator(*p))
			p++;
		if (!*p)
			return n;
		if (n == max)
			return max + 1;
		words[n++] = p;
		while (*p && !is_separator(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
}

/* How many words line has, counting no further than max + 1. */
static unsigned int count_words(const char *line, unsigned int max)
{
	unsigned int n = 0;
	const char *p = line;

	while (n <= max) {
		while (*p && is_separator(*p))
			p++;
		if (!*p)
			break;
		n++;
		while (*p && !is_separator(*p))
			p++;
	}
	return n;
}

static int parse_line(char *line, unsigned int lineno, struct sock_filter *f,
		      char *err, size_t errlen)
{
	static const char *const field[] = { "code", "jt", "jf", "k" };
	static const uint32_t max[] = { UINT16_MAX, UINT8_MAX, UINT8_MAX,
					UINT32_MAX };
	uint32_t v[4];
	char *words[4];
	unsigned int n = split(line, words, 4), i;

	if (n != 4)
		return errmsg(err, errlen, "line %u: expected 4 numbers "
			      "(code jt jf k), found %s%u", lineno,
			      n > 4 ? "more than " : "", n > 4 ? 4 : n);
	for (i = 0; i < 4; i++)
		if (parse_number(words[i], max[i], &v[i]))
			return errmsg(err, errlen, "line %u: %s '%s' is not a "
				      "decimal or 0x hex number up to %u",
				      lineno, field[i], words[i], max[i]);
	*f = (struct sock_filter){ (uint16_t)v[0], (uint8_t)v[1],
				   (uint8_t)v[2], v[3] };
	return 0;
}

static int parse_text(char *text, struct sock_filter *out, unsigned int cap,
		      char *err, size_t errlen)
{
	unsigned int n = 0, lineno = 0;
	uint32_t count = 0;
	bool have_count = false;
	char *line, *next;

	for (line = text; line; line = next) {
		char *words[1], *hash;
		unsigned int nwords;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		nwords = count_words(line, 1);
		if (nwords == 0)
			continue;
		/* A lone count (tcpdump -ddd's first line) before the rest. */
		if (nwords == 1 && n == 0 && !have_count) {
			split(line, words, 1);
			if (parse_number(words[0], BPF_MAXINSNS, &count))
				return errmsg(err, errlen, "line %u: '%s' is "
					      "neither an instruction nor an "
					      "instruction count", lineno,
					      words[0]);
			have_count = true;
			continue;
		}
		if (n == cap)
			return errmsg(err, errlen, "line %u: more than the %u "
				      "instructions a filter may have", lineno,
				      cap);
		if (parse_line(line, lineno, &out[n], err, errlen))
			return -1;
		n++;
	}
	if (!n)
		return errmsg(err, errlen, "no instructions");
	if (have_count && count != n)
		return errmsg(err, errlen, "the count line says %u instructions, "
			      "but there are %u", count, n);
	return (int)n;
}

int bpf_parse(const char *data, size_t size, struct sock_filter *out,
	      unsigned int cap, char *err, size_t errlen)
{
	char *text;
	int ret;

	if (memchr(data, '\0', size))
		return parse_binary(data, size, out, cap, err, errlen);
	text = malloc(size + 1);
	if (!text)
		return errmsg(err, errlen, "%s", strerror(ENOMEM));
	memcpy(text, data, size);
	text[size] = '\0';
	ret = parse_text(text, out, cap, err, errlen);
	free(text);
	return ret;
}

int bpf_read_file(const char *path, struct sock_filter *out, unsigned int cap,
		  char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char msg[256];
	char *data;
	size_t size;
	int ret = -1;

	if (!f)
		return errmsg(err, errlen, "%s: %s", path, strerror(errno));
	data = malloc(MAX_FILE_SIZE + 1);
	if (!data)
		snprintf(msg, sizeof(msg), "%s", strerror(ENOMEM));
	else if (size = fread(data, 1, MAX_FILE_SIZE + 1, f), ferror(f))
		snprintf(msg, sizeof(msg), "%s", strerror(errno));
	else if (size > MAX_FILE_SIZE)
		snprintf(msg, sizeof(msg), "larger than %u bytes, too large "
			 "for a filter", MAX_FILE_SIZE);
	else
		ret = bpf_parse(data, size, out, cap, msg, sizeof(msg));
	fclose(f);
	free(data);
	if (ret < 0)
		errmsg(err, errlen, "%s: %s", path, msg);
	return ret;
}
