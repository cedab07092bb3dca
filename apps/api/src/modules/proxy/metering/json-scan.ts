/**
 * Finds the JSON object value of the last (or first) occurrence of `"key":` in a text that may be a
 * fragment of a larger document (a stream tail) and parses just that object.
 */
export function objectAfterKey(
  text: string,
  key: string,
  which: 'first' | 'last',
): Record<string, unknown> | null {
  const needle = `"${key}"`;
  let at = which === 'last' ? text.lastIndexOf(needle) : text.indexOf(needle);
  while (at !== -1) {
    const value = parseObjectAt(text, at + needle.length);
    if (value) {
      return value;
    }
    at = which === 'last' ? text.lastIndexOf(needle, at - 1) : text.indexOf(needle, at + 1);
  }
  return null;
}

function parseObjectAt(text: string, from: number): Record<string, unknown> | null {
  let i = from;
  while (isSpace(text.charCodeAt(i))) {
    i++;
  }
  if (text[i] !== ':') {
    return null;
  }
  i++;
  while (isSpace(text.charCodeAt(i))) {
    i++;
  }
  if (text[i] !== '{') {
    return null;
  }
  const end = matchingBrace(text, i);
  if (end === -1) {
    return null;
  }
  try {
    return JSON.parse(text.slice(i, end + 1)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Index of the brace closing the object that opens at `open`, skipping strings; -1 when cut off. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) {
        i++;
      } else if (c === 34) {
        inString = false;
      }
    } else if (c === 34) {
      inString = true;
    } else if (c === 123) {
      depth++;
    } else if (c === 125) {
      depth--;
      if (depth === 0) {
        return i;
      }
    }
  }
  return -1;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}
