/*
 * readFileNow(path, max, flags, out: Float64Array(4)): readFile's fast path, on the calling
 * (JavaScript) thread, for a message file whose name and bytes are all in the kernel's caches, as
 * they are for a mail client reading its messages: openat2 with RESOLVE_CACHED and preadv2 with
 * RWF_NOWAIT fail rather than wait for the disk, so the event loop never waits on a disk here. A
 * pool job costs a thread wake-up and an event-loop turn on top of the reads: measured on the
 * bench INBOX, 60 against 32 microseconds of CPU per small file.
 *
 * Returns
 *   undefined  it would have to wait for the disk, or this kernel lacks those calls: use readFile;
 *   null       out[0] = errno (ENOENT when renamed or removed), or out[0] = 0 and out[1] = the size
 *              when the file holds more than `max` bytes;
 *   the served bytes (a pooled ArrayBuffer with POOLED when a slot is free, else a Buffer), with
 *              out[0] = 0, out[1] = stored size, out[2] = pooled length (-1: not pooled), out[3] =
 *              the slot handle for release() (-1); with WANT_RAW, [served, raw] (raw a Buffer).
 */
#define _GNU_SOURCE
#include "read_now.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h> /* RESOLVE_CACHED: Linux 5.12 and later (else unsupported at run time) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include "output_pool.h"
#include "served_form.h"

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, #call " failed"); return NULL; } } while (0)
#define PATH_MAX_LEN 4096

/*
 * Whether the kernel has refused openat2/RESOLVE_CACHED or RWF_NOWAIT (a fact about the system,
 * found once and never reset; a race between threads only repeats the finding).
 */
static volatile int unsupported;

/* A descriptor for path without waiting for the disk; -1 with errno (EAGAIN: it would wait). */
static int open_cached(const char *path) {
#ifdef SYS_openat2
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = O_RDONLY | O_CLOEXEC;
  how.resolve = RESOLVE_CACHED;
  int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
  if (fd < 0 && (errno == ENOSYS || errno == EINVAL || errno == E2BIG || errno == EPERM)) {
    unsupported = 1;
    errno = EAGAIN;
  }
  return fd;
#else
  (void)path;
  unsupported = 1;
  errno = EAGAIN;
  return -1;
#endif
}

/* All `len` bytes at 0 from the page cache: 1; would wait (or short): 0; error: -1 with errno. */
static int read_cached(int fd, unsigned char *buf, size_t len) {
  if (len == 0) return 1;
#ifndef RWF_NOWAIT
  (void)fd;
  (void)buf;
  unsupported = 1;
  return 0;
#else
  struct iovec iov = {buf, len};
  ssize_t r;
  do r = preadv2(fd, &iov, 1, 0, RWF_NOWAIT);
  while (r < 0 && errno == EINTR);
  if (r < 0 && (errno == EOPNOTSUPP || errno == ENOSYS || errno == EINVAL)) {
    unsupported = 1;
    return 0;
  }
  if (r < 0) return errno == EAGAIN ? 0 : -1;
  return (size_t)r == len;
#endif
}

static void set_out(double *out, double a, double b, double c, double d) {
  out[0] = a;
  out[1] = b;
  out[2] = c;
  out[3] = d;
}

/* The served form of raw[0..n) as a pooled ArrayBuffer (when asked and a slot is free) or a Buffer. */
static napi_value served_value(napi_env env, const unsigned char *raw, size_t n, int flags, double *out) {
  size_t len = served_size(raw, n, flags);
  napi_value v;
  pool *p = (flags & POOLED) ? pool_of(env) : NULL;
  int i = p ? slot_take(env, p, len, &v) : -1;
  if (i >= 0) {
    convert_into(raw, n, slot_data(p, i), flags);
    set_out(out, 0, (double)n, (double)len, (double)slot_lend(env, p, i));
    return v;
  }
  void *data = NULL;
  if (napi_create_buffer(env, len, &data, &v) != napi_ok) return NULL;
  convert_into(raw, n, data, flags);
  set_out(out, 0, (double)n, -1, -1);
  return v;
}

napi_value read_file_now(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  napi_value undef, nul;
  CHECK(napi_get_undefined(env, &undef));
  CHECK(napi_get_null(env, &nul));
  char path[PATH_MAX_LEN];
  size_t plen = 0;
  int64_t max = 0;
  int32_t flags = 0;
  napi_typedarray_type type;
  size_t count = 0;
  void *outp = NULL;
  CHECK(napi_get_value_int64(env, argv[1], &max));
  CHECK(napi_get_value_int32(env, argv[2], &flags));
  CHECK(napi_get_typedarray_info(env, argv[3], &type, &count, &outp, NULL, NULL));
  if (type != napi_float64_array || count < 4 || max < 0 || max > (int64_t)1 << 30) {
    napi_throw_range_error(env, NULL, "bad max or out array");
    return NULL;
  }
  double *out = outp;
  if (unsupported) return undef;
  CHECK(napi_get_value_string_utf8(env, argv[0], path, sizeof path, &plen));
  /* too long for this path (the pool job takes any length), or a NUL inside: readFile decides */
  if (plen + 1 >= sizeof path || strlen(path) != plen) return undef;
  int fd = open_cached(path);
  if (fd < 0) {
    if (errno == EAGAIN) return undef;
    set_out(out, errno, 0, -1, -1);
    return nul;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    set_out(out, errno, 0, -1, -1);
    close(fd);
    return nul;
  }
  if ((uint64_t)st.st_size > (uint64_t)max) {
    set_out(out, 0, (double)st.st_size, -1, -1);
    close(fd);
    return nul;
  }
  size_t size = (size_t)st.st_size;
  napi_value raw_value = NULL;
  unsigned char *raw;
  if (flags & WANT_RAW) {
    void *data = NULL;
    if (napi_create_buffer(env, size, &data, &raw_value) != napi_ok) {
      close(fd);
      return undef;
    }
    raw = data;
  } else {
    raw = scratch_get(size);
    if (!raw) {
      close(fd);
      return undef;
    }
  }
  int got = read_cached(fd, raw, size);
  int read_err = got < 0 ? errno : 0;
  close(fd);
  napi_value result = got > 0 ? served_value(env, raw, size, flags, out) : NULL;
  if (!raw_value) scratch_release(raw);
  if (got < 0) {
    set_out(out, read_err, 0, -1, -1);
    return nul;
  }
  if (!result) return undef;
  if (!raw_value) return result;
  napi_value pair;
  CHECK(napi_create_array_with_length(env, 2, &pair));
  CHECK(napi_set_element(env, pair, 0, result));
  CHECK(napi_set_element(env, pair, 1, raw_value));
  return pair;
}
