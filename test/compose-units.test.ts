/**
 * The compose value syntaxes on their own: interpolation, the .env format, durations, byte sizes
 * and shell-word splitting.
 */
import { parseDotenv, DotenvError } from '../lib/compose/dotenv';
import { InterpolationError, interpolate } from '../lib/compose/interpolate';
import { parseByteSize, parseDuration, splitShellWords } from '../lib/compose/units';

const vars: Record<string, string> = { SET: 'value', EMPTY: '' };
const lookup = (name: string) => vars[name];
const run = (text: string) => interpolate(text, lookup).value;

describe('interpolate', () => {
  test.each([
    ['${SET}', 'value'],
    ['$SET/x', 'value/x'],
    ['a$SET-b', 'avalue-b'],
    ['${UNSET}', ''],
    ['${UNSET:-dflt}', 'dflt'],
    ['${EMPTY:-dflt}', 'dflt'],
    ['${EMPTY-dflt}', ''],
    ['${UNSET-dflt}', 'dflt'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${UNSET:-${SET}}', 'value'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['${SET:?never}', 'value'],
    ['$$SET', '$SET'],
    ['$${SET}', '${SET}'],
    ['cost: $$5 and $$$$', 'cost: $5 and $$'],
    ['no dollars', 'no dollars'],
  ])('%s → %s', (text, expected) => {
    expect(run(text)).toBe(expected);
  });

  test('unset variables without a default are reported (compose warns and substitutes "")', () => {
    expect(interpolate('${A} $B ${C:-x}', () => undefined).unset).toEqual(['A', 'B']);
  });

  test('errors: required variables, bad syntax', () => {
    expect(() => run('${UNSET:?must be set}')).toThrow(new InterpolationError('required variable UNSET is not set: must be set', ''));
    expect(() => run('${EMPTY:?}')).toThrow('required variable EMPTY is empty');
    expect(() => run('${UNSET?${SET} needed}')).toThrow('required variable UNSET is not set: value needed');
    expect(() => run('${EMPTY?x}')).not.toThrow();
    for (const bad of ['${', '${SET', '$', 'a $ b', '${}', '${SET/x/y}', '${1A}', '$1']) {
      expect(() => run(bad)).toThrow(InterpolationError);
    }
  });
});

describe('parseDotenv', () => {
  test('the syntax compose documents', () => {
    const text = [
      '# comment', '', 'A=1', 'export B=two', 'C = spaced ', 'D="double # not a comment" # comment', "E='single $A'",
      'F=unquoted # comment', 'G=x#y', 'H="multi', 'line"', 'I="tab\\there"', 'J=${A}-$B', "K='it\\'s'",
    ].join('\n');
    const entries = parseDotenv(text, () => undefined);
    expect(Object.fromEntries(entries.map((e) => [e.name, e.value]))).toEqual({
      A: '1', B: 'two', C: 'spaced', D: 'double # not a comment', E: 'single $A', F: 'unquoted', G: 'x#y', H: 'multi\nline', I: 'tab\there', J: '1-two', K: "it's",
    });
    expect(entries.find((e) => e.name === 'B')).toMatchObject({ line: 4, col: 8 });
  });

  test('the lookup wins over earlier values of the file; without a lookup values are literal', () => {
    expect(parseDotenv('A=file\nB=${A}', (n) => (n === 'A' ? 'shell' : undefined)).map((e) => e.value)).toEqual(['file', 'shell']);
    expect(parseDotenv('B=${A}').map((e) => e.value)).toEqual(['${A}']);
  });

  test('errors carry the line', () => {
    expect(() => parseDotenv('A=1\nnot a line')).toThrow(DotenvError);
    try {
      parseDotenv('A=1\n\nB="open');
    } catch (e) {
      expect(e).toMatchObject({ line: 3, message: 'unterminated " quote' });
    }
    expect(() => parseDotenv('1A=x')).toThrow('invalid variable name "1A"');
    expect(() => parseDotenv('A="x" y')).toThrow('text after the closing quote');
  });
});

describe('units', () => {
  test.each([
    ['10s', 10], ['1m30s', 90], ['1h', 3600], ['1.5s', 1.5], ['500ms', 0.5], ['2h45m', 9900], ['0', 0], ['0s', 0],
  ])('duration %s = %d s', (text, seconds) => expect(parseDuration(text)).toBe(seconds));

  test.each(['10', '1 m', 's', '-1s', '1d'])('not a duration: %s', (text) => expect(parseDuration(text)).toBeUndefined());

  test.each([
    ['1.5G', 1.5 * 1024 ** 3], ['512m', 512 * 1024 ** 2], ['100MB', 100 * 1024 ** 2], ['1GiB', 1024 ** 3], ['2048', 2048], [4096, 4096], ['64k', 65536], ['10b', 10],
  ])('byte size %s', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));

  test.each(['1.5X', 'lots', '-1m', 1.5, null])('not a byte size: %s', (text) => expect(parseByteSize(text)).toBeUndefined());

  test('shell words: quotes, escapes, whitespace', () => {
    expect(splitShellWords(`/bin/bash -c "envsubst < /tmp/a > /tmp/b && nginx -g 'daemon off;'"`)).toEqual(['/bin/bash', '-c', "envsubst < /tmp/a > /tmp/b && nginx -g 'daemon off;'"]);
    expect(splitShellWords("a 'b c' d\\ e \"f\\\"g\" ''")).toEqual(['a', 'b c', 'd e', 'f"g', '']);
    expect(splitShellWords('  --flag=1   --other  ')).toEqual(['--flag=1', '--other']);
    expect(splitShellWords('"unterminated')).toBeUndefined();
    expect(splitShellWords("'unterminated")).toBeUndefined();
  });
});
