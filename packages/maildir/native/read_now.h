/* readFileNow (read_now.c). */
#ifndef COURIER_TS_READ_NOW_H
#define COURIER_TS_READ_NOW_H
#define NAPI_VERSION 8
#include <node_api.h>

napi_value read_file_now(napi_env env, napi_callback_info info);

#endif
