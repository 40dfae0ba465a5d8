/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finding a kernel data object through the code that refers to it, for
 * kernels whose kallsyms holds no data symbols (arm64 6.1: KALLSYMS_ALL is
 * off). The code is only read, never run, and what it yields is only a
 * candidate: ksym.c counts one only once its caller's verifier has named
 * the functions the object points to, so a wrong decode can only leave the
 * module unloaded. Included by ksym.c alone.
 */
#ifndef _RINGFENCE_COMPAT_KSYM_H
#define _RINGFENCE_COMPAT_KSYM_H

#include <linux/bitops.h>
#include <linux/types.h>
#include <linux/uaccess.h>

/* How many instructions from the function's start are read. */
#define RF_KSYM_REF_INSNS	32
/* At most this many distinct candidates are kept. */
#define RF_KSYM_MAX_REFS	8

#if defined(CONFIG_ARM64) && !defined(CONFIG_CPU_BIG_ENDIAN)
/*
 * AArch64 forms a symbol's address as ADRP Xd, sym (its 4 KiB page,
 * PC-relative) then ADD Xn, Xd, #:lo12:sym, the pair kernel code uses for
 * &object. An ADD within this many instructions of the ADRP, on its
 * register, completes one.
 */
#define RF_ARM64_ADRP_ADD_WINDOW	8

#define RF_ARM64_ADRP_MASK	0x9f000000u	/* op=1, 10000 */
#define RF_ARM64_ADRP		0x90000000u
#define RF_ARM64_ADD_IMM_MASK	0xffc00000u	/* sf=1 op=0 S=0 100010 sh=0 */
#define RF_ARM64_ADD_IMM	0x91000000u

static inline unsigned long rf_arm64_adrp_page(u32 insn, unsigned long pc)
{
	u64 imm = ((insn >> 29) & 0x3) | (((insn >> 5) & 0x7ffff) << 2);

	return (pc & ~0xfffUL) + ((unsigned long)sign_extend64(imm, 20) << 12);
}

/*
 * The addresses the first instructions at @text form with ADRP+ADD pairs,
 * each once, into @refs (at most @max). Returns how many, or -EFAULT if the
 * text cannot be read. Instructions are little-endian whatever the data
 * endianness, hence no big-endian kernel here.
 */
static inline int rf_arch_text_data_refs(unsigned long text, unsigned long *refs,
					 unsigned int max)
{
	u32 insn[RF_KSYM_REF_INSNS];
	unsigned int i, j, k, n = 0;
	unsigned long page, ref;
	u32 rd;

	if (copy_from_kernel_nofault(insn, (const void *)text, sizeof(insn)))
		return -EFAULT;
	for (i = 0; i < RF_KSYM_REF_INSNS; i++) {
		if ((insn[i] & RF_ARM64_ADRP_MASK) != RF_ARM64_ADRP)
			continue;
		rd = insn[i] & 0x1f;
		page = rf_arm64_adrp_page(insn[i], text + 4 * i);
		for (j = i + 1; j < RF_KSYM_REF_INSNS && j <= i + RF_ARM64_ADRP_ADD_WINDOW; j++) {
			if ((insn[j] & RF_ARM64_ADD_IMM_MASK) != RF_ARM64_ADD_IMM ||
			    ((insn[j] >> 5) & 0x1f) != rd)
				continue;
			ref = page + ((insn[j] >> 10) & 0xfff);
			for (k = 0; k < n && refs[k] != ref; k++)
				;
			if (k == n && n < max)
				refs[n++] = ref;
		}
	}
	return n;
}
#else
/* Every supported x86_64 kernel has KALLSYMS_ALL: nothing is decoded. */
static inline int rf_arch_text_data_refs(unsigned long text, unsigned long *refs,
					 unsigned int max)
{
	return 0;
}
#endif

#endif /* _RINGFENCE_COMPAT_KSYM_H */
