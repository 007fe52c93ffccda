#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ConfigError, loadReceiverConfig, redactUrl } from '../config/index.js';
import { demoCommand } from './demo_command.js';
import { addRunOptions, givenFlags } from './run_options.js';
import { reportCommand } from './report_command.js';
import { shipCommand } from './ship_command.js';
import { sqlCommand } from './sql_command.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The one place that turns errors into exit codes: everything below returns or throws. A
 * command's modules load when it runs (`import()` in its action): the receiver's graph
 * (OpenTelemetry, the engine) takes about half a second that `--help` or `sql` need not wait for.
 */
async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command('logpulse')
    .description('follow web-access and SFTP logs: terminal stats, traffic alerts, Prometheus metrics, ClickHouse history')
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride();

  const run = addRunOptions(new Command('run').description('follow logs (the default command)').argument('[paths...]', 'files, directories or globs; - for stdin'));
  run.action(async (paths: string[], _opts: unknown, command: Command) => {
    const flags = givenFlags(command, paths);
    const configFile = command.getOptionValue('config') as string | undefined;
    const config = loadReceiverConfig({ configFile, env: process.env, flags });
    const { runReceiver } = await import('./run_command.js');
    exitCode = await runReceiver(config);
  });
  program.addCommand(run, { isDefault: true });
  program.addCommand(demoCommand());
  program.addCommand(sqlCommand((code) => (exitCode = code)));
  program.addCommand(reportCommand((code) => (exitCode = code)));
  program.addCommand(shipCommand((code) => (exitCode = code)));
  for (const command of program.commands) command.exitOverride().showHelpAfterError('(logpulse ' + command.name() + ' --help lists the options)');

  try {
    await program.parseAsync(argv);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return 0;
    if (typeof code === 'string' && code.startsWith('commander.')) return 2;
    if (error instanceof ConfigError || (error instanceof Error && error.name === 'ShipOptionError')) {
      process.stderr.write(`logpulse: ${redactUrl(error.message)}\n`);
      return 2;
    }
    process.stderr.write(`logpulse: ${redactUrl(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  }
  return exitCode;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`logpulse: ${redactUrl(String(error))}\n`);
    process.exitCode = 1;
  },
);
