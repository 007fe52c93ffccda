import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseListenAddress, parseSyslog } from '../../../src/sources/syslog/index.js';

const FIXTURES = new URL('../../fixtures/sources/syslog/', import.meta.url);

function jsonLines<T>(name: string): T[] {
  return readFileSync(fileURLToPath(new URL(name, FIXTURES)), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as T);
}

interface Captured { sender: string; raw: string; hostname: string; tag: string; message: string }

describe('parseSyslog', () => {
  it.each(jsonLines<Captured>('messages.jsonl').map((c) => [c.sender, c] as const))('reads what %s sends', (_sender, captured) => {
    expect(parseSyslog(captured.raw)).toEqual({ hostname: captured.hostname, tag: captured.tag, message: captured.message });
  });

  it.each(jsonLines<{ why: string; raw: string }>('invalid.jsonl').map((c) => [c.why, c.raw] as const))('refuses a message with %s', (_why, raw) => {
    expect(parseSyslog(raw)).toHaveProperty('invalid');
  });

  it('keeps an access line holding brackets and colons intact after an RFC 3164 header', () => {
    const line = '2001:db8::1 - - [22/Nov/2026:10:00:00 +0000] "GET /a:b HTTP/1.1" 200 5';
    expect(parseSyslog(`<190>Nov 22 10:00:00 edge-1 nginx: ${line}`)).toEqual({ hostname: 'edge-1', tag: 'nginx', message: line });
  });
});

describe('parseListenAddress', () => {
  it('reads host:port and [v6]:port, and names the option when it cannot', () => {
    expect(parseListenAddress('0.0.0.0:514', '--syslog-udp')).toEqual({ host: '0.0.0.0', port: 514 });
    expect(parseListenAddress('[::1]:0', '--syslog-tcp')).toEqual({ host: '::1', port: 0 });
    expect(parseListenAddress('localhost:5514', 'x')).toEqual({ host: 'localhost', port: 5514 });
    expect(() => parseListenAddress(':514', '--syslog-udp')).toThrow(/^--syslog-udp: expected host:port/);
    expect(() => parseListenAddress('::1:514', '--syslog-udp')).toThrow(/expected host:port/);
  });
});
