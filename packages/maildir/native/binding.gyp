{
  "targets": [
    {
      "target_name": "maildir_native",
      "sources": ["maildir_native.c"],
      "cflags": ["-Wall", "-O2"]
    }
  ]
}
