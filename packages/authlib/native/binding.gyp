{
  "targets": [
    {
      "target_name": "authlib_native",
      "sources": ["authlib_native.c"],
      "libraries": ["-lcrypt", "-lpam"],
      "cflags": ["-Wall", "-O2"]
    }
  ]
}
