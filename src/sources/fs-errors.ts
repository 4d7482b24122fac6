// Plain words for the errors a user can fix; anything else keeps Node's own message.
const PROBLEMS: Record<string, string> = {
  ENOENT: 'does not exist (no such file or directory)',
  EACCES: 'is not readable (permission denied)',
  EPERM: 'is not readable (operation not permitted)',
  ENOTDIR: 'does not exist (a parent in the path is not a directory)',
  ELOOP: 'cannot be followed (too many symbolic links)',
  EISDIR: 'is a directory, not a file',
  ENAMETOOLONG: 'cannot be opened (name too long)',
  EMFILE: 'cannot be opened (too many open files)',
};

/** Why a path could not be read, as a reason for a `SourceError`. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && code in PROBLEMS) return PROBLEMS[code] as string;
  return `cannot be read (${error instanceof Error ? error.message : String(error)})`;
}
