import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SftpgoLogGenerator } from '../../src/demo/index.js';
import { isHostPort } from './log_shapes.js';

const START = Date.UTC(2026, 10, 22, 10, 0, 0);

function generate(seed: number, count: number): string[] {
  const generator = new SftpgoLogGenerator({ seed });
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(generator.line(START + i * 37));
  return lines;
}

/** SFTPGo's own time layout (UTC): `2026-11-22T10:00:00.037`. */
function sftpgoTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 23);
}

describe('SFTPGo log generator', () => {
  it('gives the same lines for the same seed and other lines for another seed', () => {
    expect(generate(11, 2_000)).toEqual(generate(11, 2_000));
    expect(generate(12, 2_000)).not.toEqual(generate(11, 2_000));
  });

  it('writes one JSON object a line with the fields SFTPGo logs for transfers, logins and debug messages', () => {
    const lines = generate(5, 4_000);
    const senders = new Map<string, number>();
    lines.forEach((line, i) => {
      expect(line).not.toContain('\n');
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(record['time']).toBe(sftpgoTime(START + i * 37));
      const sender = String(record['sender']);
      senders.set(sender, (senders.get(sender) ?? 0) + 1);
      if (sender === 'Upload' || sender === 'Download') {
        expect(record['level']).toBe('info');
        expect(isHostPort(record['remote_addr'])).toBe(true);
        expect(isHostPort(record['local_addr'])).toBe(true);
        expect(record['username']).toMatch(/^[a-z][a-z-]+$/);
        expect(Number.isInteger(record['size_bytes']) && (record['size_bytes'] as number) > 0).toBe(true);
        expect(Number.isInteger(record['elapsed_ms']) && (record['elapsed_ms'] as number) > 0).toBe(true);
        expect(record['file_path']).toMatch(/^\/[^\s]+$/);
        expect(['SFTP', 'SCP', 'FTP']).toContain(record['protocol']);
        expect(record['connection_id']).toMatch(new RegExp(`^${String(record['protocol'])}_[0-9a-v]{20}$`));
      } else if (sender === 'Login') {
        expect(record['level']).toBe('info');
        expect(isIP(String(record['ip']))).not.toBe(0);
        expect(record['username']).toMatch(/^[a-z][a-z-]+$/);
        expect(['SSH', 'FTP']).toContain(record['protocol']);
      } else {
        expect(record['level']).toBe('debug');
        expect(['SFTP', 'SCP', 'FTP']).toContain(sender);
        expect(typeof record['message']).toBe('string');
      }
    });
    for (const sender of ['Upload', 'Download', 'Login', 'SFTP']) expect(senders.get(sender) ?? 0).toBeGreaterThan(100);
    expect((senders.get('Upload') ?? 0) + (senders.get('Download') ?? 0)).toBeGreaterThan(lines.length / 2);
  });

  it('keeps a connection on one user, address and protocol, and uses IPv6 clients too', () => {
    const transfers = generate(9, 10_000)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((r) => r['sender'] === 'Upload' || r['sender'] === 'Download');
    const byConnection = new Map<unknown, string>();
    for (const t of transfers) {
      const identity = `${String(t['username'])} ${String(t['remote_addr'])} ${String(t['protocol'])}`;
      expect(byConnection.get(t['connection_id']) ?? identity).toBe(identity);
      byConnection.set(t['connection_id'], identity);
    }
    expect(byConnection.size).toBeGreaterThan(50);
    expect(transfers.some((t) => String(t['remote_addr']).startsWith('['))).toBe(true);
    expect(new Set(transfers.map((t) => t['protocol']))).toEqual(new Set(['SFTP', 'SCP', 'FTP']));
  });
});
