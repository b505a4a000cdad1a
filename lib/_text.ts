/**
 * Text helpers for messages, shared by the constructs' errors and the review (pure: no cdktf).
 */

/** `text` cut to at most `max` characters, the last of them `mark`; a surrogate pair is never split. */
export function clip(text: string, max: number, mark = '...'): string {
  if (text.length <= max) return text;
  let cut = max - mark.length;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${text.slice(0, cut)}${mark}`;
}

/** `value` as JSON, else as text (a BigInt, a cycle, a symbol), never throwing. */
export function jsonText(value: unknown): string {
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // not JSON: below
  }
  try {
    return String(value);
  } catch {
    return `(${typeof value})`;
  }
}
