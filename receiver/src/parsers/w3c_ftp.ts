import type { Direction } from '../model/event.js';
import { blankEvent } from './blank_event.js';
import { readUnsigned } from './civil_time.js';
import { SKIP, invalid } from './parse_result.js';
import type { ParseResult } from './parse_result.js';
import { numberAt, valueAt } from './w3c_columns.js';
import type { W3cColumns } from './w3c_columns.js';

/**
 * A line of IIS's FTP service log (W3C extended written by `FTPSVC`): one line per FTP command.
 * The file commands that moved a file are transfers, like SFTPGo's: `RETR` a download, `STOR`,
 * `STOU` and `APPE` an upload, with protocol `FTP`, the bytes when the log has them (`sc-bytes`
 * for a download, `cs-bytes` for an upload), the path from `x-fullpath` (else `cs-uri-stem`) and
 * the user from `cs-username`. Every other command (`ControlChannelOpened`, `USER`, `PASS`, `CWD`,
 * `PWD`, `LIST`, `QUIT`...) is skipped, and so is a file command the server refused (a 4xx or 5xx
 * reply such as `550` file unavailable): no file moved.
 */
export function ftpTransfer(line: string, values: readonly string[], columns: W3cColumns, ts: number): ParseResult {
  const direction = directionOf(valueAt(values, columns.method));
  if (direction === '') return SKIP;
  const statusText = valueAt(values, columns.status);
  const reply = readUnsigned(statusText, 0, statusText.length);
  if (reply < 100 || reply > 599) return BAD_REPLY;
  if (reply >= 400) return SKIP;
  const bytes = numberAt(values, direction === 'download' ? columns.bytesSent : columns.bytesReceived);
  if (bytes < 0) return BAD_BYTES;
  const durationMs = numberAt(values, columns.timeTaken);
  if (durationMs < 0) return BAD_TIME_TAKEN;

  const fields = blankEvent('transfer', line);
  fields.ts = ts;
  fields.client = valueAt(values, columns.clientIp);
  fields.user = valueAt(values, columns.username);
  fields.path = valueAt(values, columns.fullPath) || valueAt(values, columns.uriStem);
  fields.protocol = 'FTP';
  fields.bytes = bytes;
  fields.direction = direction;
  fields.durationMs = durationMs;
  return { kind: 'event', fields };
}

const BAD_REPLY = invalid('bad FTP reply');
const BAD_BYTES = invalid('bad bytes');
const BAD_TIME_TAKEN = invalid('bad time-taken');

function directionOf(command: string): Direction {
  switch (command.toUpperCase()) {
    case 'RETR':
      return 'download';
    case 'STOR':
    case 'STOU':
    case 'APPE':
      return 'upload';
    default:
      return '';
  }
}
