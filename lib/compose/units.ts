/**
 * Value syntaxes of the compose specification: durations (`1m30s`), byte sizes (`1.5G`) and
 * command strings split with shell-word rules. Each parser returns undefined for text it does
 * not read, so that the caller can name the key in its error.
 */

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A Go-style duration (`1m30s`, `10s`, `1.5h`, `500ms`) in seconds; undefined when not one. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '0') return 0;
  if (!/^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * DURATION_UNITS[m[2]];
  // Rounded to the nanosecond, so that 1.1s is 1.1 and not 1.1000000000000001.
  return Math.round(total * 1e9) / 1e9;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** A byte size (`1.5G`, `512m`, `100MB`, `1GiB`, `2048`) in bytes, binary multiples as Docker reads them; undefined when not one. */
export function parseByteSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = value.trim().match(/^(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?$/i);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * SIZE_UNITS[m[2].toLowerCase()]);
}

/** Splits a command string into words as a POSIX shell does (quotes and backslashes; no expansion); undefined for an unterminated quote. */
export function splitShellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`\n'.includes(text[j + 1])) {
          j++;
          if (text[j] !== '\n') word += text[j];
        } else {
          word += text[j];
        }
      }
      if (j >= text.length) return undefined;
      inWord = true;
      i = j;
    } else if (c === '\\') {
      if (i + 1 < text.length) {
        if (text[i + 1] !== '\n') word += text[i + 1];
        i++;
        inWord = true;
      }
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
