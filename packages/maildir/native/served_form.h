/*
 * The served form of stored message bytes (maildir_native.c): every LF becomes CR LF, other bytes
 * pass through; with DOT_STUFF a `.` at a line start gets another `.` (POP3), AT_LINE_START saying
 * that src starts a line. Shared by the pool jobs and the cached fast path (read_now.c).
 */
#ifndef COURIER_TS_SERVED_FORM_H
#define COURIER_TS_SERVED_FORM_H
#include <stddef.h>

#define DOT_STUFF 1
#define AT_LINE_START 2
#define WANT_RAW 4
#define POOLED 8

/* Served size of src[0..n). */
size_t served_size(const unsigned char *src, size_t n, int flags);
/* Writes the served form of src[0..n) to dst (served_size bytes). */
void convert_into(const unsigned char *src, size_t n, unsigned char *dst, int flags);

/* This thread's read buffer of at least len bytes (kept for the next call when not too big); NULL: no memory. */
unsigned char *scratch_get(size_t len);
/* Done with a buffer from scratch_get (freed unless it is the kept one). */
void scratch_release(unsigned char *b);

#endif
