# no-file-create: io_uring may make no new file, directory or link.
# Reading, writing and opening existing files stay allowed.
#
# OPENAT and OPENAT2 with O_CREAT or O_TMPFILE are denied (a truncating
# open of an existing file is not: O_TRUNC creates nothing), and so is
# every MKDIRAT, SYMLINKAT and LINKAT.

deny-open-create
filter mkdirat:deny.bpf
filter symlinkat:deny.bpf
filter linkat:deny.bpf
