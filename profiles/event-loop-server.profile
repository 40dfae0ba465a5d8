# event-loop-server: a network server that got its listening sockets before
# it was confined (systemd socket activation, or bound before exec). It
# may accept, receive, send, poll, time out and close through io_uring,
# with registered files, buffers and provided buffer rings; it may not
# open files, make sockets or connect anywhere.
#
# SEND and SENDMSG remain allowed: on an unconnected datagram socket they
# can name a destination, which no filter payload shows.

allow-op nop,accept,recv,send,recvmsg,sendmsg,send_zc,sendmsg_zc,read,write
allow-op readv,writev,read_fixed,write_fixed,read_multishot,close,shutdown
allow-op poll_add,poll_remove,epoll_ctl,timeout,timeout_remove,link_timeout
allow-op async_cancel,msg_ring,provide_buffers,remove_buffers,splice,tee
allow-flags fixed_file,io_link,io_hardlink,async,buffer_select,cqe_skip_success
allow-register register_buffers,unregister_buffers,register_files,unregister_files
allow-register register_files_update,register_files2,register_files_update2
allow-register register_buffers2,register_buffers_update,register_pbuf_ring
allow-register unregister_pbuf_ring,register_eventfd,unregister_eventfd
allow-register register_eventfd_async,register_ring_fds,unregister_ring_fds
allow-register register_probe,register_sync_cancel,register_file_alloc_range
