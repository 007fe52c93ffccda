import { Option } from 'commander';
import type { Command } from 'commander';
import { OPTION_SPECS } from '../config/index.js';
import type { OptionSpec } from '../config/index.js';

/** Option attribute name commander uses for a spec: `--alert-window` → `alertWindow`, `--no-tui` → `tui`. */
function attributeName(spec: OptionSpec): string {
  return spec.flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function placeholder(spec: OptionSpec): string {
  switch (spec.kind) {
    case 'duration':
      return '<seconds>';
    case 'minutes':
      return '<minutes>';
    case 'list':
      return '<names>';
    case 'port':
      return '<port>';
    case 'integer':
    case 'positive':
      return '<n>';
    case 'enum':
      return '<name>';
    default:
      return '<value>';
  }
}

/** Declares every `run` option from the option table (paths are the command's arguments). */
export function addRunOptions(command: Command): Command {
  for (const spec of OPTION_SPECS) {
    if (spec.key === 'paths') continue;
    const help = `${spec.description} (default: ${JSON.stringify(spec.default)})`;
    if (spec.kind === 'boolean') {
      const negated = spec.default === true;
      command.addOption(negated ? new Option(`--no-${spec.flag.slice(2)}`, `turn off: ${spec.description}`) : new Option(spec.flag, spec.description));
    } else if (spec.whenFlagAlone !== undefined) {
      command.addOption(new Option(`${spec.flag} [${placeholder(spec).slice(1, -1)}]`, spec.description));
    } else {
      command.addOption(new Option(`${spec.flag} ${placeholder(spec)}`, help));
    }
  }
  command.addOption(new Option('--config <file>', 'YAML file of options (keys as in the README, snake_case)'));
  return command;
}

/** The flags the user actually gave, keyed by option key, for the config loader. */
export function givenFlags(command: Command, paths: readonly string[]): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  for (const spec of OPTION_SPECS) {
    if (spec.key === 'paths') continue;
    const name = attributeName(spec);
    if (command.getOptionValueSource(name) === 'cli') flags[spec.key] = command.getOptionValue(name);
  }
  if (paths.length > 0) flags.paths = [...paths];
  return flags;
}
