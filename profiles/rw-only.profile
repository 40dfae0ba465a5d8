# rw-only: io_uring only reads, writes and syncs files the program opened
# before (with open(2) or inherited), optionally as registered files and
# buffers. No open, no socket, no accept, no connect, no path operation.

allow-op read,write,readv,writev,read_fixed,write_fixed,readv_fixed,writev_fixed
allow-op fsync,sync_file_range,fallocate,fadvise,close
allow-flags fixed_file,io_link,io_hardlink,async
allow-register register_buffers,unregister_buffers,register_files,unregister_files
allow-register register_files_update,register_files2,register_files_update2
allow-register register_buffers2,register_buffers_update,register_ring_fds
allow-register unregister_ring_fds,register_probe
