import { describe, expect, it } from 'vitest';
import { insertErrorKind, isPermanentInsertError } from '../../src/clickhouse/permanent_errors.js';

describe('permanent insert errors', () => {
  it('knows errors no retry can cure, in the forms servers and chDB report them', () => {
    expect(isPermanentInsertError(Object.assign(new Error('Unknown table'), { code: '60' }))).toBe(true);
    expect(isPermanentInsertError(Object.assign(new Error('x'), { clickhouseCode: 516 }))).toBe(true);
    expect(isPermanentInsertError(new Error('Code: 27, e.displayText() = DB::Exception: Cannot parse input'))).toBe(true);
    expect(isPermanentInsertError(new Error('wrapped', { cause: new Error('Code: 53. DB::Exception: Type mismatch') }))).toBe(true);
  });

  it('treats an outage as something to wait out', () => {
    expect(isPermanentInsertError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isPermanentInsertError(new Error('Code: 252. DB::Exception: Too many parts'))).toBe(false);
    expect(isPermanentInsertError(new Error('socket hang up'))).toBe(false);
  });

  it('tells rows refused for good from a store that refuses everything and from a disk that takes no more', () => {
    expect(insertErrorKind(new Error('Code: 41. DB::Exception: Cannot parse datetime'))).toBe('rows');
    expect(insertErrorKind(Object.assign(new Error('Constraint known_status is violated'), { code: '469' }))).toBe('rows');
    expect(insertErrorKind(new Error('Code: 131, e.displayText() = DB::Exception: Too large value for FixedString(7)'))).toBe('rows');
    expect(insertErrorKind(Object.assign(new Error('Unknown table'), { code: '60' }))).toBe('store');
    expect(insertErrorKind(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: 'ENOSPC' }))).toBe('disk');
    expect(insertErrorKind(new Error('x', { cause: Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' }) }))).toBe('disk');
    expect(insertErrorKind(new Error('Code: 243. DB::Exception: Cannot reserve 1.00 MiB, not enough space. (NOT_ENOUGH_SPACE)'))).toBe('disk');
    expect(insertErrorKind(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' }))).toBe('transient');
  });
});
