/**
 * Splits one CSV row (RFC 4180: fields separated by ',', optionally quoted, `""` inside quotes
 * for a quote) into its values. Returns undefined for a row whose quotes do not close or that has
 * text after a closing quote.
 */
export function splitCsvRow(line: string, end: number): string[] | undefined {
  const values: string[] = [];
  let at = 0;
  for (;;) {
    if (line.charCodeAt(at) === QUOTE && at < end) {
      let value = '';
      let from = at + 1;
      for (;;) {
        const quote = line.indexOf('"', from);
        if (quote < 0 || quote >= end) return undefined;
        value += line.slice(from, quote);
        if (line.charCodeAt(quote + 1) === QUOTE && quote + 1 < end) {
          value += '"';
          from = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
      values.push(value);
      if (at === end) return values;
      if (line.charCodeAt(at) !== COMMA) return undefined;
      at++;
    } else {
      const comma = line.indexOf(',', at);
      if (comma < 0 || comma >= end) {
        values.push(line.slice(at, end));
        return values;
      }
      values.push(line.slice(at, comma));
      at = comma + 1;
    }
  }
}

const QUOTE = 34;
const COMMA = 44;
