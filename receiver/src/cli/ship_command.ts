import { Command, InvalidArgumentError, Option } from 'commander';
import type { ShipOptions } from '../ship/ship_options.js';

function wholeNumber(flag: string): (value: string) => number {
  return (value) => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`${flag}: expected a whole number, got ${JSON.stringify(value)}`);
    return Number(value);
  };
}

/** Until a signal: the first SIGINT/SIGTERM stops cleanly, a second exits at once. */
function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: string): void => {
      if (!received) {
        received = true;
        resolve(signal);
        return;
      }
      process.stderr.write(`logpulse ship: ${signal} again, exiting now: lines not yet stored are sent again at the next start\n`);
      process.exit(130);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/**
 * `logpulse ship --to URL PATH...`: follows log files and ships their lines to a central logpulse
 * over OTLP/HTTP. Its modules load in the action: nothing of the receiver's engine or terminal
 * view is in its import graph (test/ship/ship_imports.test.ts keeps it so).
 */
export function shipCommand(setExitCode: (code: number) => void): Command {
  return new Command('ship')
    .description('follow log files and ship their lines to a central logpulse over OTLP/HTTP (protobuf + gzip)')
    .argument('<paths...>', 'files, directories or globs to follow')
    .requiredOption('--to <url>', 'the receiver\'s OTLP/HTTP endpoint, e.g. http://central:4318 (/v1/logs is added when no path is given)')
    .option('--source <name>', 'host.name of the records: the events\' source at the receiver (default: this host\'s name)')
    .option('--data-dir <dir>', 'directory of the agent\'s own checkpoints', './data-ship')
    .option('--token <token>', 'bearer token for the receiver; better given as LOGPULSE_SHIP_TOKEN (a flag shows in ps)')
    .option('--metrics-port <port>', 'serve /metrics, /healthz and /readyz on this port (default: off; 9465 is the customary one)', wholeNumber('--metrics-port'))
    .option('--metrics-host <address>', 'address of the metrics endpoint', '127.0.0.1')
    .option('--batch-lines <n>', 'lines per export request at most', wholeNumber('--batch-lines'), 4096)
    .option('--max-in-flight <n>', 'export requests awaiting their answer at once', wholeNumber('--max-in-flight'), 8)
    .option('--request-timeout-ms <ms>', 'time limit of one request', wholeNumber('--request-timeout-ms'), 30_000)
    .option('--retry-initial-ms <ms>', 'first delay before a failed request is sent again (doubles, with jitter)', wholeNumber('--retry-initial-ms'), 500)
    .option('--retry-max-ms <ms>', 'longest delay between two attempts (a Retry-After of up to 5 minutes is honoured as given)', wholeNumber('--retry-max-ms'), 30_000)
    .addOption(new Option('--start-at <where>', 'in files present at the first start: ship them whole, or only what is written from now').choices(['beginning', 'end']).default('beginning'))
    .addOption(new Option('--status <when>', 'one-line status refreshed in place on stderr').choices(['auto', 'on', 'off']).default('auto'))
    .addOption(new Option('--log-level <level>', 'level of the agent\'s own log (JSON lines on stderr)').choices(['debug', 'info', 'warn', 'error']).default('info'))
    .action(async (paths: string[], opts: Record<string, unknown>) => {
      const { resolveShipOptions, ShipAgent } = await import('../ship/index.js');
      const { createLogger } = await import('./logger.js');
      const options = resolveShipOptions({
        to: opts['to'] as string,
        paths,
        source: opts['source'] as string | undefined,
        dataDir: opts['dataDir'] as string,
        token: opts['token'] as string | undefined,
        metricsPort: opts['metricsPort'] as number | undefined,
        metricsHost: opts['metricsHost'] as string,
        batchLines: opts['batchLines'] as number,
        maxInFlight: opts['maxInFlight'] as number,
        requestTimeoutMs: opts['requestTimeoutMs'] as number,
        retryInitialMs: opts['retryInitialMs'] as number,
        retryMaxMs: opts['retryMaxMs'] as number,
        startAt: opts['startAt'] as ShipOptions['startAt'],
        status: opts['status'] as ShipOptions['status'],
      });
      const logger = createLogger(opts['logLevel'] as string);
      const agent = new ShipAgent(options, logger);
      const signal = waitForSignal();
      try {
        await agent.start();
        const got = await signal;
        logger.info({ signal: got }, 'stopping');
      } finally {
        await agent.stop();
        logger.flush();
      }
      setExitCode(0);
    });
}
