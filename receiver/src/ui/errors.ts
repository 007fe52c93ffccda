/** A terminal view or period stats option out of range; thrown at construction. */
export class ViewConfigError extends Error {
  override readonly name = 'ViewConfigError';
  readonly key: string;

  constructor(key: string, expected: string, got: unknown) {
    super(`terminal view: ${key}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}`);
    this.key = key;
  }
}
