/** Builds the console bundle (see build-console.mjs); throws over budget or on a catalogue gap. */
export function buildConsole(): Promise<{ files: { name: string; raw: number; gzip: number }[]; gzipTotal: number }>;
export const BUDGET_BYTES: number;
