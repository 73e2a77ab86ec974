/** strerror() texts for the errno codes our CLIs report (glibc wording). */
const TEXT: Readonly<Record<string, string>> = {
  EEXIST: 'File exists',
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  ENAMETOOLONG: 'File name too long',
  EINVAL: 'Invalid argument',
  EIO: 'Input/output error',
};

export function strerror(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  return (code && TEXT[code]) || (err instanceof Error ? err.message : String(err));
}
