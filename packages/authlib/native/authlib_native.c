/*
 * courier-ts authlib native helpers: libxcrypt's crypt_rn (yescrypt, bcrypt, sha-crypt, DES...) and
 * PAM authentication, each run as N-API async work on the libuv thread pool, never on the event loop.
 *
 *   crypt(password: Buffer, setting: string, cb(err, hash|null))
 *   pamAuthenticate(service, user, password: Buffer, rhost|null, confdir|null, cb(err, pamCode, stage))
 *     (confdir: a private PAM configuration directory, pam_start_confdir; null = /etc/pam.d)
 *   pamStrerror(code) -> string
 *   pamChangePassword(service, user, old: Buffer, new: Buffer, confdir|null, cb(err, pamCode, stage))
 *     (pam_authenticate with the old password, then pam_chauthtok)
 *   gensalt(prefix, count, random: Buffer) -> setting | null
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <crypt.h>
#include <security/pam_appl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, #call " failed"); return NULL; } } while (0)

static char *dup_value_string(napi_env env, napi_value v) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (!s) return NULL;
  napi_get_value_string_utf8(env, v, s, len + 1, &len);
  return s;
}

static char *dup_buffer(napi_env env, napi_value v) {
  void *data = NULL;
  size_t len = 0;
  if (napi_get_buffer_info(env, v, &data, &len) != napi_ok) return NULL;
  if (memchr(data, 0, len)) return NULL;
  char *s = malloc(len + 1);
  if (!s) return NULL;
  memcpy(s, data, len);
  s[len] = 0;
  return s;
}

static void wipe_free(char *s) {
  if (!s) return;
  explicit_bzero(s, strlen(s));
  free(s);
}

/* ---------------------------------------------------------------- crypt */

typedef struct {
  napi_async_work work;
  napi_ref cb;
  char *password;
  char *setting;
  char *result;
} crypt_job;

static void crypt_execute(napi_env env, void *data) {
  (void)env;
  crypt_job *j = data;
  struct crypt_data *cd = calloc(1, sizeof(struct crypt_data));
  if (!cd) return;
  char *r = crypt_rn(j->password, j->setting, cd, sizeof(struct crypt_data));
  if (r && r[0] != '*') j->result = strdup(r);
  explicit_bzero(cd, sizeof(struct crypt_data));
  free(cd);
}

static void crypt_complete(napi_env env, napi_status status, void *data) {
  crypt_job *j = data;
  napi_value cb, global, argv[2];
  napi_get_reference_value(env, j->cb, &cb);
  napi_get_global(env, &global);
  napi_get_null(env, &argv[0]);
  if (status == napi_ok && j->result)
    napi_create_string_utf8(env, j->result, NAPI_AUTO_LENGTH, &argv[1]);
  else
    napi_get_null(env, &argv[1]);
  napi_delete_reference(env, j->cb);
  napi_delete_async_work(env, j->work);
  wipe_free(j->password);
  free(j->setting);
  free(j->result);
  free(j);
  napi_call_function(env, global, cb, 2, argv, NULL);
}

static napi_value js_crypt(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], name;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) { napi_throw_type_error(env, NULL, "crypt(password, setting, cb)"); return NULL; }
  crypt_job *j = calloc(1, sizeof(crypt_job));
  j->password = dup_buffer(env, argv[0]);
  j->setting = dup_value_string(env, argv[1]);
  if (!j->password || !j->setting) {
    wipe_free(j->password); free(j->setting); free(j);
    napi_throw_type_error(env, NULL, "bad password or setting");
    return NULL;
  }
  CHECK(napi_create_reference(env, argv[2], 1, &j->cb));
  CHECK(napi_create_string_utf8(env, "courier-ts:crypt", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_create_async_work(env, NULL, name, crypt_execute, crypt_complete, j, &j->work));
  CHECK(napi_queue_async_work(env, j->work));
  return NULL;
}

/* ---------------------------------------------------------------- PAM */

typedef struct {
  napi_async_work work;
  napi_ref cb;
  char *service, *user, *password, *rhost, *confdir;
  char *newpassword; /* NULL: authenticate; else change the password (pam_chauthtok) */
  int changing;      /* inside pam_chauthtok: echo-off prompts get the new password */
  int code;
  int stage; /* 0 start, 1 authenticate, 2 acct_mgmt (or chauthtok), 3 done */
} pam_job;

static int conversation(int num_msg, const struct pam_message **msg, struct pam_response **resp, void *appdata) {
  pam_job *j = appdata;
  struct pam_response *r = calloc((size_t)num_msg, sizeof(struct pam_response));
  if (!r) return PAM_BUF_ERR;
  for (int i = 0; i < num_msg; i++) {
    const char *answer = NULL;
    switch (msg[i]->msg_style) {
      case PAM_PROMPT_ECHO_ON: answer = j->user; break;
      case PAM_PROMPT_ECHO_OFF:
        /* pam_chauthtok asks "Current password:" (non-root) then "New password:" twice. */
        answer = j->changing && !strcasestr(msg[i]->msg ? msg[i]->msg : "", "current") ? j->newpassword : j->password;
        break;
      default: answer = NULL; break; /* PAM_TEXT_INFO, PAM_ERROR_MSG: no answer */
    }
    if (answer) {
      r[i].resp = strdup(answer);
      if (!r[i].resp) {
        for (int k = 0; k < i; k++) wipe_free(r[k].resp);
        free(r);
        return PAM_BUF_ERR;
      }
    }
  }
  *resp = r;
  return PAM_SUCCESS;
}

/* pam_unix's failure delay (about 2-3 s) would hold a libuv pool thread; the login programs apply
 * Courier's own 5 s failure delay with a timer instead. */
static void no_fail_delay(int retval, unsigned usec_delay, void *appdata) {
  (void)retval; (void)usec_delay; (void)appdata;
}

static void pam_execute(napi_env env, void *data) {
  (void)env;
  pam_job *j = data;
  pam_handle_t *h = NULL;
  struct pam_conv conv = { conversation, j };
  j->stage = 0;
  j->code = j->confdir ? pam_start_confdir(j->service, j->user, &conv, j->confdir, &h)
                     : pam_start(j->service, j->user, &conv, &h);
  if (j->code != PAM_SUCCESS) return;
  if (j->rhost) pam_set_item(h, PAM_RHOST, j->rhost);
  pam_set_item(h, PAM_FAIL_DELAY, (const void *)no_fail_delay);
  j->stage = 1;
  j->code = pam_authenticate(h, 0);
  if (j->code == PAM_SUCCESS) {
    j->stage = 2;
    if (j->newpassword) {
      j->changing = 1;
      j->code = pam_chauthtok(h, 0);
    } else {
      j->code = pam_acct_mgmt(h, 0);
    }
    if (j->code == PAM_SUCCESS) j->stage = 3;
  }
  pam_end(h, j->code);
}

static void pam_complete(napi_env env, napi_status status, void *data) {
  pam_job *j = data;
  napi_value cb, global, argv[3];
  napi_get_reference_value(env, j->cb, &cb);
  napi_get_global(env, &global);
  napi_get_null(env, &argv[0]);
  napi_create_int32(env, status == napi_ok ? j->code : PAM_SYSTEM_ERR, &argv[1]);
  napi_create_int32(env, j->stage, &argv[2]);
  napi_delete_reference(env, j->cb);
  napi_delete_async_work(env, j->work);
  free(j->service); free(j->user); wipe_free(j->password); wipe_free(j->newpassword); free(j->rhost); free(j->confdir); free(j);
  napi_call_function(env, global, cb, 3, argv, NULL);
}

/* change=0: (service, user, password, rhost, confdir, cb); change=1: (service, user, old, new, confdir, cb) */
static napi_value js_pam_common(napi_env env, napi_callback_info info, int change) {
  size_t argc = 6;
  napi_value argv[6], name;
  napi_valuetype t;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6) { napi_throw_type_error(env, NULL, "pam: 6 arguments expected"); return NULL; }
  pam_job *j = calloc(1, sizeof(pam_job));
  j->service = dup_value_string(env, argv[0]);
  j->user = dup_value_string(env, argv[1]);
  j->password = dup_buffer(env, argv[2]);
  if (change) {
    j->newpassword = dup_buffer(env, argv[3]);
  } else {
    napi_typeof(env, argv[3], &t);
    j->rhost = t == napi_string ? dup_value_string(env, argv[3]) : NULL;
  }
  napi_typeof(env, argv[4], &t);
  j->confdir = t == napi_string ? dup_value_string(env, argv[4]) : NULL;
  if (!j->service || !j->user || !j->password || (change && !j->newpassword)) {
    free(j->service); free(j->user); wipe_free(j->password); wipe_free(j->newpassword); free(j->rhost); free(j->confdir); free(j);
    napi_throw_type_error(env, NULL, "bad PAM arguments");
    return NULL;
  }
  CHECK(napi_create_reference(env, argv[5], 1, &j->cb));
  CHECK(napi_create_string_utf8(env, "courier-ts:pam", NAPI_AUTO_LENGTH, &name));
  CHECK(napi_create_async_work(env, NULL, name, pam_execute, pam_complete, j, &j->work));
  CHECK(napi_queue_async_work(env, j->work));
  return NULL;
}

static napi_value js_pam(napi_env env, napi_callback_info info) { return js_pam_common(env, info, 0); }
static napi_value js_pam_chpass(napi_env env, napi_callback_info info) { return js_pam_common(env, info, 1); }

static napi_value js_pam_strerror(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], out;
  int32_t code = 0;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  napi_get_value_int32(env, argv[0], &code);
  const char *s = pam_strerror(NULL, code);
  CHECK(napi_create_string_utf8(env, s ? s : "unknown", NAPI_AUTO_LENGTH, &out));
  return out;
}

/* gensalt(prefix, count, randomBytes) -> setting | null (cheap; runs inline) */
static napi_value js_gensalt(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], out;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 3) { napi_throw_type_error(env, NULL, "gensalt(prefix, count, random)"); return NULL; }
  char *prefix = dup_value_string(env, argv[0]);
  int64_t count = 0;
  napi_get_value_int64(env, argv[1], &count);
  void *rnd = NULL;
  size_t rlen = 0;
  napi_get_buffer_info(env, argv[2], &rnd, &rlen);
  char buf[CRYPT_GENSALT_OUTPUT_SIZE];
  char *r = crypt_gensalt_rn(prefix, (unsigned long)count, rnd, (int)rlen, buf, sizeof buf);
  free(prefix);
  if (r && r[0] != '*') napi_create_string_utf8(env, r, NAPI_AUTO_LENGTH, &out);
  else napi_get_null(env, &out);
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    { "crypt", NULL, js_crypt, NULL, NULL, NULL, napi_default, NULL },
    { "pamAuthenticate", NULL, js_pam, NULL, NULL, NULL, napi_default, NULL },
    { "pamStrerror", NULL, js_pam_strerror, NULL, NULL, NULL, napi_default, NULL },
    { "gensalt", NULL, js_gensalt, NULL, NULL, NULL, napi_default, NULL },
    { "pamChangePassword", NULL, js_pam_chpass, NULL, NULL, NULL, napi_default, NULL },
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
