# no-network: io_uring may make no network socket and connect nowhere but
# AF_UNIX addresses. Everything else io_uring offers stays allowed.
#
# What it does not cover: sockets made with socket(2) (seccomp's domain),
# datagrams sent with SEND/SENDMSG to an address given in the request
# (io_uring's sendto), and BIND; no upstream filter payload shows those.

socket-family unix
# CONNECT's payload (Linux 7.2+, or the module): AF_UNIX only.
filter connect:connect-unix-only.bpf
