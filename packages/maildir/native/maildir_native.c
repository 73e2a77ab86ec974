/*
 * courier-ts maildir native helper: message files in their served (CRLF) form, read and converted
 * on the libuv thread pool (never on the event loop), one pool job per file or chunk.
 *
 *   convert(src: Buffer, flags) -> Buffer                       (synchronous, for small chunks)
 *   readChunk(fd, position, length, flags, cb(errno, out|null, null, bytesRead, pooledLength, slot))
 *   readFile(path, max, flags, cb(errno, out|null, raw|null, rawSize, pooledLength, slot))
 *   readFileNow(path, max, flags, out: Float64Array(4))   (readFile's cached fast path: read_now.c)
 *   release(slot)
 *
 * Conversion: every LF becomes CR LF, other bytes (a stored CR too) pass through. With DOT_STUFF a
 * `.` at a line start gets another `.` (POP3); AT_LINE_START says the chunk starts a line.
 * readFile opens, fstats and reads the file whole when it holds at most `max` bytes (else out and
 * raw are null and rawSize is its size), converts, closes; WANT_RAW also returns the stored bytes.
 * errno != 0: the system call's error (ENOENT when the file was renamed or removed).
 * Each result is a Buffer that owns its malloc'd memory (freed with it); the stored bytes are read
 * into a per-pool-thread scratch buffer unless returned. No state is shared between threads.
 * With POOLED the served bytes are handed over in a reused ArrayBuffer of this environment's pool
 * instead (output_pool.c): cb(errno, arrayBuffer, raw, rawSize, length, slot), and release(slot)
 * gives it back once the caller is done with it (a new Buffer per message is a backing store and
 * a finalizer for V8 to track and collect).
 * The JavaScript side (src/message/native.ts) falls back to its own code when this is not built.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "output_pool.h"
#include "read_now.h"
#include "served_form.h"


#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, #call " failed"); return NULL; } } while (0)

/* Served size of src[0..n) (served_form.h). */
size_t served_size(const unsigned char *src, size_t n, int flags) {
  size_t out = n;
  int stuff = flags & DOT_STUFF;
  if (stuff && (flags & AT_LINE_START) && n > 0 && src[0] == '.') out++;
  const unsigned char *p = src;
  const unsigned char *end = src + n;
  while (p < end) {
    const unsigned char *lf = memchr(p, '\n', (size_t)(end - p));
    if (!lf) break;
    out++;
    if (stuff && lf + 1 < end && lf[1] == '.') out++;
    p = lf + 1;
  }
  return out;
}

/* Writes the served form of src[0..n) to dst (served_size bytes) (served_form.h). */
void convert_into(const unsigned char *src, size_t n, unsigned char *dst, int flags) {
  int stuff = flags & DOT_STUFF;
  const unsigned char *p = src;
  const unsigned char *end = src + n;
  unsigned char *o = dst;
  if (stuff && (flags & AT_LINE_START) && n > 0 && src[0] == '.') *o++ = '.';
  while (p < end) {
    const unsigned char *lf = memchr(p, '\n', (size_t)(end - p));
    if (!lf) {
      memcpy(o, p, (size_t)(end - p));
      return;
    }
    size_t len = (size_t)(lf - p);
    memcpy(o, p, len);
    o += len;
    *o++ = '\r';
    *o++ = '\n';
    p = lf + 1;
    if (stuff && p < end && *p == '.') *o++ = '.';
  }
}

/* malloc'd served form of src (at least one byte allocated); NULL when out of memory. */
static unsigned char *served(const unsigned char *src, size_t n, int flags, size_t *out_len) {
  size_t len = served_size(src, n, flags);
  unsigned char *dst = malloc(len > 0 ? len : 1);
  if (!dst) return NULL;
  convert_into(src, n, dst, flags);
  *out_len = len;
  return dst;
}

static void free_data(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

/* A Buffer owning data (freed with it); on failure frees data and returns NULL. */
static napi_value owned_buffer(napi_env env, unsigned char *data, size_t len) {
  napi_value buf;
  if (napi_create_external_buffer(env, len, data, free_data, NULL, &buf) != napi_ok) {
    free(data);
    return NULL;
  }
  return buf;
}

/* Reads up to len bytes at pos (fewer only at the end of the file); -1 with errno set on error. */
static ssize_t pread_full(int fd, unsigned char *buf, size_t len, off_t pos) {
  size_t got = 0;
  while (got < len) {
    ssize_t r = pread(fd, buf + got, len - got, pos + (off_t)got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    got += (size_t)r;
  }
  return (ssize_t)got;
}

/* ---------------------------------------------------------------- convert (sync) */

static napi_value convert(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *src = NULL;
  size_t n = 0;
  int32_t flags = 0;
  CHECK(napi_get_buffer_info(env, argv[0], &src, &n));
  CHECK(napi_get_value_int32(env, argv[1], &flags));
  size_t len = 0;
  unsigned char *out = served(src, n, flags, &len);
  if (!out) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  return owned_buffer(env, out, len);
}

/* ---------------------------------------------------------------- jobs */

typedef struct {
  napi_async_work work;
  napi_ref cb;
  /* in */
  char *path; /* readFile */
  int fd;     /* readChunk */
  int64_t position;
  size_t length; /* readChunk: bytes to read; readFile: max */
  int flags;
  /* out */
  int err;
  unsigned char *out;
  size_t out_len;
  unsigned char *raw;
  size_t raw_len;
  int64_t raw_size;
  /* POOLED: the slot reserved for the result (-1: none), and whether the result is in it */
  int slot;
  unsigned char *slot_data;
  size_t slot_cap;
  int in_slot;
} job;

static void job_free(napi_env env, job *j) {
  if (j->slot >= 0) {
    pool *p = pool_of(env);
    slot_unreserve(p, j->slot);
  }
  if (j->cb) napi_delete_reference(env, j->cb);
  if (j->work) napi_delete_async_work(env, j->work);
  free(j->path);
  free(j->out);
  free(j->raw);
  free(j);
}

/*
 * Stored bytes are read into a buffer the pool thread keeps (grown as needed, up to SCRATCH_KEEP
 * kept between jobs): no fresh pages to fault in for every chunk. Each thread has its own (the
 * JavaScript thread too, for read_now.c). Declared in served_form.h.
 */
#define SCRATCH_KEEP (2u << 20)
static __thread unsigned char *scratch;
static __thread size_t scratch_len;

unsigned char *scratch_get(size_t len) {
  if (scratch && len <= scratch_len) return scratch;
  unsigned char *b = malloc(len > 0 ? len : 1);
  if (!b) return NULL;
  if (len <= SCRATCH_KEEP) {
    free(scratch);
    scratch = b;
    scratch_len = len;
  }
  return b;
}

void scratch_release(unsigned char *b) {
  if (b != scratch) free(b);
}

/* The served form of raw[0..n) for job j: in its reserved slot when it fits, else malloc'd (0: no memory). */
static int serve_job(job *j, const unsigned char *raw, size_t n) {
  if (j->slot >= 0) {
    size_t len = served_size(raw, n, j->flags);
    if (len <= j->slot_cap) {
      convert_into(raw, n, j->slot_data, j->flags);
      j->out_len = len;
      j->in_slot = 1;
      return 1;
    }
  }
  j->out = served(raw, n, j->flags, &j->out_len);
  return j->out != NULL;
}

static void chunk_execute(napi_env env, void *data) {
  (void)env;
  job *j = data;
  unsigned char *raw = scratch_get(j->length);
  if (!raw) {
    j->err = ENOMEM;
    return;
  }
  ssize_t got = pread_full(j->fd, raw, j->length, (off_t)j->position);
  if (got < 0) {
    j->err = errno;
    scratch_release(raw);
    return;
  }
  j->raw_size = got;
  if (!serve_job(j, raw, (size_t)got)) j->err = ENOMEM;
  scratch_release(raw);
}

static void file_execute(napi_env env, void *data) {
  (void)env;
  job *j = data;
  int fd = open(j->path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    j->err = errno;
    return;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    j->err = errno;
    close(fd);
    return;
  }
  j->raw_size = st.st_size;
  if ((uint64_t)st.st_size > j->length) {
    close(fd);
    return;
  }
  size_t size = (size_t)st.st_size;
  int want_raw = j->flags & WANT_RAW;
  unsigned char *raw = want_raw ? malloc(size > 0 ? size : 1) : scratch_get(size);
  if (!raw) {
    j->err = ENOMEM;
    close(fd);
    return;
  }
  ssize_t got = pread_full(fd, raw, size, 0);
  int read_err = got < 0 ? errno : 0;
  close(fd);
  if (got < 0) {
    j->err = read_err;
    if (want_raw) free(raw);
    else scratch_release(raw);
    return;
  }
  j->raw_size = got;
  int ok = serve_job(j, raw, (size_t)got);
  if (want_raw && ok) {
    j->raw = raw;
    j->raw_len = (size_t)got;
  } else if (want_raw) {
    free(raw);
  } else {
    scratch_release(raw);
  }
  if (!ok) j->err = ENOMEM;
}

/* cb(errno, out|null, raw|null, rawSize, pooledLength, slot): out is the pool's ArrayBuffer when slot >= 0. */
static void job_complete(napi_env env, napi_status status, void *data) {
  job *j = data;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) {
    job_free(env, j);
    return;
  }
  napi_value cb, undef, argv[6];
  napi_get_reference_value(env, j->cb, &cb);
  napi_get_undefined(env, &undef);
  napi_get_null(env, &argv[1]);
  napi_get_null(env, &argv[2]);
  int64_t lent = -1;
  int err = status == napi_ok ? j->err : ECANCELED;
  if (j->slot >= 0) {
    pool *p = pool_of(env);
    napi_value ab = err == 0 && j->in_slot ? slot_value(env, p, j->slot) : NULL;
    if (ab != NULL) {
      argv[1] = ab;
      lent = slot_lend(env, p, j->slot);
    } else {
      slot_unreserve(p, j->slot);
      if (j->in_slot) err = err ? err : ENOMEM;
    }
    j->slot = -1;
  }
  if (err == 0 && j->out && (j->flags & POOLED)) {
    /* Into a pooled ArrayBuffer (one memcpy here) rather than a new Buffer per message. */
    pool *p = pool_of(env);
    napi_value ab;
    int i = slot_take(env, p, j->out_len, &ab);
    if (i >= 0) {
      memcpy(slot_data(p, i), j->out, j->out_len);
      free(j->out);
      j->out = NULL;
      argv[1] = ab;
      lent = slot_lend(env, p, i);
    }
  }
  if (err == 0 && j->out) {
    napi_value b = owned_buffer(env, j->out, j->out_len);
    j->out = NULL;
    if (b) argv[1] = b;
    else err = ENOMEM;
  }
  if (err == 0 && j->raw) {
    napi_value b = owned_buffer(env, j->raw, j->raw_len);
    j->raw = NULL;
    if (b) argv[2] = b;
    else err = ENOMEM;
  }
  napi_create_int32(env, err, &argv[0]);
  napi_create_int64(env, j->raw_size, &argv[3]);
  napi_create_int64(env, lent >= 0 ? (int64_t)j->out_len : -1, &argv[4]);
  napi_create_int64(env, lent, &argv[5]);
  job_free(env, j);
  napi_call_function(env, undef, cb, 6, argv, NULL);
  napi_close_handle_scope(env, scope);
}

static napi_value queue(napi_env env, job *j, napi_value cb, const char *name, napi_async_execute_callback exec) {
  napi_value resource_name = NULL;
  pool *p = pool_of(env);
  j->slot = -1;
  if ((j->flags & POOLED) && p) {
    /* a chunk: about its size (LF -> CRLF adds a little); a file: unknown, the smallest slot */
    size_t want = j->path ? 0 : j->length + j->length / 16;
    j->slot = slot_reserve(p, want);
    if (j->slot >= 0) {
      j->slot_data = slot_data(p, j->slot);
      j->slot_cap = slot_cap(p, j->slot);
    }
  }
  if (p) resource_name = pool_resource_name(env, p);
  if (!resource_name && napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource_name) != napi_ok) {
    job_free(env, j);
    napi_throw_error(env, NULL, "cannot queue work");
    return NULL;
  }
  if (napi_create_reference(env, cb, 1, &j->cb) != napi_ok ||
      napi_create_async_work(env, NULL, resource_name, exec, job_complete, j, &j->work) != napi_ok ||
      napi_queue_async_work(env, j->work) != napi_ok) {
    job_free(env, j);
    napi_throw_error(env, NULL, "cannot queue work");
    return NULL;
  }
  return NULL;
}

static napi_value read_chunk(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t fd = -1, flags = 0;
  int64_t position = 0, length = 0;
  CHECK(napi_get_value_int32(env, argv[0], &fd));
  CHECK(napi_get_value_int64(env, argv[1], &position));
  CHECK(napi_get_value_int64(env, argv[2], &length));
  CHECK(napi_get_value_int32(env, argv[3], &flags));
  if (fd < 0 || position < 0 || length < 0 || length > (int64_t)1 << 30) {
    napi_throw_range_error(env, NULL, "bad fd, position or length");
    return NULL;
  }
  job *j = calloc(1, sizeof(job));
  if (!j) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  j->slot = -1;
  j->fd = fd;
  j->position = position;
  j->length = (size_t)length;
  j->flags = flags;
  return queue(env, j, argv[4], "maildir_read_chunk", chunk_execute);
}

static napi_value read_file(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  size_t plen = 0;
  int64_t max = 0;
  int32_t flags = 0;
  CHECK(napi_get_value_string_utf8(env, argv[0], NULL, 0, &plen));
  CHECK(napi_get_value_int64(env, argv[1], &max));
  CHECK(napi_get_value_int32(env, argv[2], &flags));
  if (max < 0 || max > (int64_t)1 << 30) {
    napi_throw_range_error(env, NULL, "bad max");
    return NULL;
  }
  job *j = calloc(1, sizeof(job));
  if (!j) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  j->slot = -1;
  j->path = malloc(plen + 1);
  if (!j->path) {
    free(j);
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  napi_get_value_string_utf8(env, argv[0], j->path, plen + 1, &plen);
  if (strlen(j->path) != plen) {
    /* a NUL inside the path */
    free(j->path);
    free(j);
    napi_throw_type_error(env, NULL, "path contains a NUL byte");
    return NULL;
  }
  j->length = (size_t)max;
  j->flags = flags;
  return queue(env, j, argv[3], "maildir_read_file", file_execute);
}

static napi_status mime_lines_define(napi_env env, napi_value exports); /* see the end of the file */

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"convert", NULL, convert, NULL, NULL, NULL, napi_default, NULL},
      {"readChunk", NULL, read_chunk, NULL, NULL, NULL, napi_default, NULL},
      {"readFile", NULL, read_file, NULL, NULL, NULL, napi_default, NULL},
      {"readFileNow", NULL, read_file_now, NULL, NULL, NULL, napi_default, NULL},
      {"release", NULL, pool_release, NULL, NULL, NULL, napi_default, NULL},
  };
  pool_install(env, "maildir_read"); /* without it: no pooling, every result its own Buffer */
  CHECK(napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  CHECK(mime_lines_define(env, exports));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)

/* ---------------------------------------------------------------- mimeLines (imapd structure scan) */

/*
 * mimeLines(buf, start, normalize, out: Int32Array(4)) -> lines
 *
 * A run of body lines for imapd's MIME scanner (packages/imapd/src/message/line-run.ts has the
 * same in JavaScript, and its description): from `start`, every line ended by an LF in `buf` is
 * counted, the first one whatever it holds, the next ones while they do not start with `--`.
 * out[0] = where the run stops (a `--` line, or the unfinished tail), out[1] = CRs the served
 * form adds (every LF; with `normalize` only LFs without a CR before them), out[2] and out[3] =
 * start and LF of the run's last line (both `start` when no line was counted). Synchronous: one
 * memchr per line, on a buffer the caller already has (no copy, nothing kept).
 */
static napi_value mime_lines(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4) {
    napi_throw_type_error(env, NULL, "mimeLines(buf, start, normalize, out)");
    return NULL;
  }
  unsigned char *b = NULL;
  size_t n = 0;
  int32_t start = 0;
  bool normalize = false;
  napi_typedarray_type type;
  size_t len = 0;
  void *data = NULL;
  napi_value ab;
  size_t off = 0;
  CHECK(napi_get_buffer_info(env, argv[0], (void **)&b, &n));
  CHECK(napi_get_value_int32(env, argv[1], &start));
  CHECK(napi_get_value_bool(env, argv[2], &normalize));
  CHECK(napi_get_typedarray_info(env, argv[3], &type, &len, &data, &ab, &off));
  if (type != napi_int32_array || len < 4 || start < 0 || n > INT32_MAX) {
    napi_throw_range_error(env, NULL, "mimeLines: bad arguments");
    return NULL;
  }
  int32_t *out = data;
  size_t s = (size_t)start, lines = 0, crs = 0, ls = s, le = s;
  while (s < n) {
    const unsigned char *p = memchr(b + s, '\n', n - s);
    if (!p) break;
    size_t i = (size_t)(p - b);
    ls = s;
    le = i;
    lines++;
    if (!normalize || i == s || b[i - 1] != '\r') crs++;
    s = i + 1;
    if (s + 1 < n && b[s] == '-' && b[s + 1] == '-') break;
  }
  out[0] = (int32_t)s;
  out[1] = (int32_t)crs;
  out[2] = (int32_t)ls;
  out[3] = (int32_t)le;
  napi_value r;
  CHECK(napi_create_uint32(env, (uint32_t)lines, &r));
  return r;
}

static napi_status mime_lines_define(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"mimeLines", NULL, mime_lines, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, 1, props);
}
