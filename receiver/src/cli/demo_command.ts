import { Command, Option } from 'commander';
import { DEMO_DEFAULTS, DEMO_FORMATS, runDemo } from '../demo/index.js';
import type { DemoFormat } from '../demo/index.js';

function numberOption(name: string, expected: string) {
  return (raw: string): number => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n < 0) throw new Error(`${name}: expected ${expected}, got ${JSON.stringify(raw)}`);
    return n;
  };
}

export function defaultDemoOutput(dataDir: string, format: DemoFormat): string {
  return `${dataDir.replace(/\/$/, '')}/demo/${format === 'sftpgo' ? 'sftpgo.log' : 'access.log'}`;
}

/** `logpulse demo`: writes a realistic log in real time, with bursts that cross the alert threshold. */
export function demoCommand(): Command {
  return new Command('demo')
    .description('write a realistic access log (or SFTPGo log) in real time, with bursts of traffic')
    .addOption(new Option('--output <file>', 'file the lines are appended to (default: ./data/demo/access.log)'))
    .addOption(new Option('--format <name>', 'log format written').choices([...DEMO_FORMATS]).default(DEMO_DEFAULTS.format))
    .addOption(new Option('--rate <n>', 'lines per second outside bursts').argParser(numberOption('--rate', 'a non-negative number of lines per second')).default(DEMO_DEFAULTS.rate))
    .addOption(new Option('--burst-rate <n>', 'lines per second during a burst').argParser(numberOption('--burst-rate', 'a non-negative number of lines per second')).default(DEMO_DEFAULTS.burstRate))
    .addOption(new Option('--burst-seconds <n>', 'length of each burst (0: steady rate)').argParser(numberOption('--burst-seconds', 'a whole number of seconds')).default(DEMO_DEFAULTS.burstSeconds))
    .addOption(new Option('--quiet-seconds <n>', 'base-rate seconds between two bursts').argParser(numberOption('--quiet-seconds', 'a whole number of seconds')).default(DEMO_DEFAULTS.quietSeconds))
    .addOption(new Option('--duration <seconds>', 'stop after this many seconds (default: until interrupted)').argParser(numberOption('--duration', 'a whole number of seconds')))
    .addOption(new Option('--seed <n>', 'seed of the generated content').argParser(numberOption('--seed', 'a whole number')).default(DEMO_DEFAULTS.seed))
    .action(async (opts: { output?: string; format: DemoFormat; rate: number; burstRate: number; burstSeconds: number; quietSeconds: number; duration?: number; seed: number }) => {
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const output = opts.output ?? defaultDemoOutput('./data', opts.format);
      const handle = runDemo({
        output,
        format: opts.format,
        rate: opts.rate,
        burstRate: opts.burstRate,
        burstSeconds: opts.burstSeconds,
        quietSeconds: opts.quietSeconds,
        durationSeconds: opts.duration,
        seed: opts.seed,
        signal: controller.signal,
      });
      process.stderr.write(`logpulse demo: writing ${opts.format} lines to ${output} (Ctrl-C stops)\n`);
      const summary = await handle.done;
      process.stderr.write(`logpulse demo: wrote ${summary.lines} lines, ${summary.bytes} bytes\n`);
    });
}
