{
  "targets": [
    {
      "target_name": "maildir_native",
      "sources": ["maildir_native.c", "output_pool.c", "read_now.c"],
      "cflags": ["-Wall", "-O2"]
    }
  ]
}
