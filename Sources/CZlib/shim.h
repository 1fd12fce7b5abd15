#ifndef SSMPATH_CZLIB_SHIM_H
#define SSMPATH_CZLIB_SHIM_H
#include <zlib.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>

// glibc's fopencookie(3) is declared only under _GNU_SOURCE, which the Swift Glibc module is not
// built with. These declarations mirror glibc's `cookie_io_functions_t` field for field (four
// function pointers) and bind to the same symbol through an asm label, so Swift can turn a zlib
// `gzFile` into a `FILE *` that libpcap reads from (gzip captures streamed, no temporary file).
typedef ssize_t (*ssmpath_cookie_read_function_t)(void *cookie, char *buffer, size_t size);
typedef ssize_t (*ssmpath_cookie_write_function_t)(void *cookie, const char *buffer, size_t size);
typedef int (*ssmpath_cookie_seek_function_t)(void *cookie, int64_t *offset, int whence);
typedef int (*ssmpath_cookie_close_function_t)(void *cookie);

typedef struct {
    ssmpath_cookie_read_function_t read;
    ssmpath_cookie_write_function_t write;
    ssmpath_cookie_seek_function_t seek;
    ssmpath_cookie_close_function_t close;
} ssmpath_cookie_io_functions_t;

extern FILE *ssmpath_fopencookie(void *cookie, const char *mode, ssmpath_cookie_io_functions_t io_functions)
    __asm__("fopencookie");
#endif
