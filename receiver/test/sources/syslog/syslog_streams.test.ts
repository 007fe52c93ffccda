import { describe, expect, it } from 'vitest';
import { SyslogStreams } from '../../../src/sources/syslog/syslog_streams.js';

describe('SyslogStreams', () => {
  it('names a stream by host and tag, and keeps the same object for it', () => {
    const streams = new SyslogStreams(10, () => {});
    expect(streams.get('web-1', 'nginx')).toEqual({ source: 'web-1', file: 'syslog:nginx', fileId: 'syslog:web-1:nginx', nextPosition: 0 });
    expect(streams.get('192.0.2.7', '')).toEqual({ source: '192.0.2.7', file: 'syslog', fileId: 'syslog:192.0.2.7:', nextPosition: 0 });
    expect(streams.get('web-1', 'nginx')).toBe(streams.get('web-1', 'nginx'));
  });

  it('keeps at most maxStreams, releasing the parser state of the least recently seen', () => {
    const released: string[] = [];
    const streams = new SyslogStreams(2, (fileId) => released.push(fileId));
    streams.get('a', 'nginx');
    streams.get('b', 'nginx');
    streams.get('a', 'nginx');
    streams.get('c', 'nginx');
    expect(released).toEqual(['syslog:b:nginx']);
    for (let i = 0; i < 1_000; i++) streams.get(`made-up-${i}`, 'x');
    expect(streams.size).toBe(2);
    expect(released).toHaveLength(1_001);
  });
});
