import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const AZAIM_EXPORT = `${FIXTURES}al-azaim-result.json`;
export const MEDIA_LINES = `${FIXTURES}media.jsonl`;
