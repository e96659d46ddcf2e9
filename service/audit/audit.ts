import { pathToFileURL } from 'node:url';
import { parseAuditOptions, USAGE, UsageError } from './options.js';
import { jsonReport, textReport } from './report.js';
import { runAudit } from './run-audit.js';

export const EXIT = { clean: 0, failed: 1, usage: 2 } as const;

export interface AuditIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: AuditIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** `npm run audit -- <base-url> [options]`: the exit code (0 clean, 1 a check failed, 2 bad usage). */
export async function main(argv: readonly string[], io: AuditIo = processIo): Promise<number> {
  let options: ReturnType<typeof parseAuditOptions>;
  try {
    options = parseAuditOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`audit: ${error.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (options === undefined) {
    io.out(`${USAGE}\n`);
    return EXIT.clean;
  }
  const report = await runAudit(options);
  io.out(options.json ? jsonReport(report) : textReport(report));
  return report.summary.fail > 0 ? EXIT.failed : EXIT.clean;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`audit: ${(error as Error).message}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}
