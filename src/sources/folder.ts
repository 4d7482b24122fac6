import type { Dirent } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceResult } from './document.js';
import { isSupportedFile, readFileInput } from './file.js';
import { describeFsError } from './fs-errors.js';
import type { ResolvedOptions } from './options.js';

/**
 * Every supported file under a folder, depth first in sorted (code unit) order so two runs read
 * the same files in the same order. Hidden files and folders and other extensions are skipped
 * silently; only one folder's listing is held at a time.
 */
export async function* readFolder(folder: string, options: ResolvedOptions): AsyncGenerator<SourceResult> {
  let entries: Dirent[];
  try {
    entries = [];
    for await (const entry of await opendir(folder)) if (!entry.name.startsWith('.')) entries.push(entry);
  } catch (error) {
    yield { ok: false, input: folder, reason: describeFsError(error) };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    const kind = await entryKind(entry, path);
    if (kind === 'folder') yield* readFolder(path, options);
    else if (kind === 'file' && isSupportedFile(path)) yield* readFileInput(path, options);
  }
}

// Symlinked files are read; symlinked folders are not followed, since they can loop back on themselves.
async function entryKind(entry: Dirent, path: string): Promise<'file' | 'folder' | 'other'> {
  if (entry.isDirectory()) return 'folder';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return 'other';
  try {
    return (await stat(path)).isFile() ? 'file' : 'other';
  } catch {
    // A dangling link among many files is noise, like any other file we do not read.
    return 'other';
  }
}
