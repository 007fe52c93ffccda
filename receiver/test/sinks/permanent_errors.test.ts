import { describe, expect, it } from 'vitest';
import { isPermanentInsertError } from '../../src/sinks/permanent_errors.js';

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
});
