/**
 * `Buffer#write(text, offset)` checks its arguments and picks the encoding in JavaScript, which
 * measured three times the cost of the copy itself on short fields; the native `utf8Write` it
 * ends in is called directly where the runtime has it (every Node release so far).
 */
type NativeUtf8Write = (this: Buffer, text: string, offset: number) => number;
const nativeUtf8Write = (Buffer.prototype as unknown as { utf8Write?: NativeUtf8Write }).utf8Write;

/** Writes `text` as UTF-8 at `offset` (room must be reserved) and returns the bytes written. */
export function writeUtf8(buffer: Buffer, text: string, offset: number): number {
  return nativeUtf8Write !== undefined ? nativeUtf8Write.call(buffer, text, offset) : buffer.write(text, offset, 'utf8');
}
