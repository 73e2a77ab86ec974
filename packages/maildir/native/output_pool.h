/*
 * The output pool of maildir_native.c: a few ArrayBuffers per environment (napi instance data),
 * reused for served bytes. Main (JavaScript) thread only.
 */
#ifndef COURIER_TS_OUTPUT_POOL_H
#define COURIER_TS_OUTPUT_POOL_H
#define NAPI_VERSION 8
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pool pool;

/* Installs this environment's pool (with a cached async resource name); 0 on failure. */
int pool_install(napi_env env, const char *resource_name);
pool *pool_of(napi_env env);
/* The async resource name made once, or NULL. */
napi_value pool_resource_name(napi_env env, pool *p);
/* A FREE slot holding at least len bytes (made or grown as needed, within the pool's bytes); -1: none. */
int slot_take(napi_env env, pool *p, size_t len, napi_value *ab);
/* Reserves the smallest FREE slot of at least `want` bytes (else the largest FREE one); -1: none. */
int slot_reserve(pool *p, size_t want);
/* A reserved slot back to FREE (its job did not use it). */
void slot_unreserve(pool *p, int i);
unsigned char *slot_data(pool *p, int i);
size_t slot_cap(pool *p, int i);
/* The ArrayBuffer of slot i (NULL when gone). */
napi_value slot_value(napi_env env, pool *p, int i);
/* Lends slot i (its reference turns weak); returns the handle release() takes. */
int64_t slot_lend(napi_env env, pool *p, int i);
/* JavaScript release(slot): the caller is done with the bytes of that lending. */
napi_value pool_release(napi_env env, napi_callback_info info);

#endif
