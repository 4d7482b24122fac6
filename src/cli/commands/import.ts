import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { print, withStore, write } from '../io.js';
import { parseBytes } from '../options.js';
import { holdImported, parseImportTlp, TLP_CHOICES } from './import-markings.js';
import { databaseOf, useKnowledgeBaseOf, withExamples, withKnowledgeBaseOption } from './shared.js';

interface ImportStixOptions {
  readonly json?: boolean;
  readonly maxBytes: string;
  readonly tlp?: string;
  readonly org?: string;
}

export function registerImport(program: Command): void {
  const importCommand = program
    .command('import')
    .description('Store incidents from a sharing format (STIX 2.1)');
  const stix = importCommand
    .command('stix')
    .description(
      'Store the incidents of a STIX 2.1 bundle; an invalid bundle is refused whole, and importing twice stores once',
    )
    .argument('<bundle.json>', 'a STIX 2.1 bundle (JSON), or - for stdin')
    .option('--max-bytes <n>', 'largest bundle read (such as 500000, 512KB, 100MB)', '100MB')
    .option(
      '--tlp <level>',
      `marking of incidents that carry no TLP 2.0 marking (${TLP_CHOICES}; default amber); marked ones keep theirs`,
    )
    .option('--org <name>', 'organisation holding AMBER, AMBER+STRICT and RED incidents (default local)')
    .option('--json', 'one JSON object: what was stored, already known, and the warnings');
  withKnowledgeBaseOption(stix).action((file: string, options: ImportStixOptions, self: Command) =>
    importStixCommand(file, options, self),
  );
  const examples = [
    'vigil import stix partner-bundle.json',
    'vigil export stix | vigil --db other.db import stix -',
  ];
  withExamples(stix, ...examples);
  withExamples(importCommand, ...examples);
}

async function importStixCommand(file: string, options: ImportStixOptions, command: Command): Promise<void> {
  const maxBytes = parseBytes('--max-bytes', options.maxBytes);
  const text = await readInput(file, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(file, `not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  parseImportTlp(options.tlp);
  const kb = await useKnowledgeBaseOf(command);
  const { checkBundle, planImport } = await import('../../stix/index.js');
  const check = checkBundle(value, { lenient: true });
  const issue = (kind: string, i: { objectId: string; path: string; message: string }) =>
    `${kind} ${i.objectId} ${i.path}: ${i.message}\n`;
  if (check.bundle === null) {
    for (const e of check.errors) await write(process.stderr, issue('error', e));
    const n = check.errors.length;
    throw new CliError(
      file,
      `not a valid STIX 2.1 bundle (${n} problem${n === 1 ? '' : 's'}); nothing stored`,
    );
  }
  const plan = planImport(check.bundle, kb.groups);
  const warnings = [...check.warnings, ...plan.warnings];
  const result = await withStore(databaseOf(command), async (store) => {
    await store.syncKnowledgeBase(kb);
    const held = await holdImported(store, plan.incidents, plan.documents, options);
    const saved = await store.saveImported(held.documents, held.incidents);
    return { ...saved, ids: held.incidents.map((i) => i.id) };
  });
  const stored = new Set(result.stored);
  if (options.json) {
    await print(
      JSON.stringify({
        stored: result.stored,
        known: result.known,
        warnings: warnings.map((w) => ({ object_id: w.objectId, path: w.path, message: w.message })),
      }),
    );
    return;
  }
  for (const w of warnings) await write(process.stderr, issue('warning', w));
  for (const [n, p] of plan.incidents.entries()) {
    const id = result.ids[n] as string;
    await print(`${stored.has(id) ? 'stored' : 'already known'} ${id} ${p.name}`);
  }
  await print(`${result.stored.length} stored, ${result.known.length} already known`);
}

async function readInput(file: string, maxBytes: number): Promise<string> {
  let data: Buffer;
  if (file === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw new CliError('stdin', `larger than --max-bytes (${maxBytes} bytes)`);
      chunks.push(chunk as Buffer);
    }
    data = Buffer.concat(chunks);
  } else {
    try {
      data = await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(
        file,
        code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`,
      );
    }
    if (data.length > maxBytes) throw new CliError(file, `larger than --max-bytes (${maxBytes} bytes)`);
  }
  return data.toString('utf8');
}
