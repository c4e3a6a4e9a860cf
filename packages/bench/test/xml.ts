/**
 * A small XML well-formedness check for the hand-written SVG (Node has no XML parser and the
 * project avoids a dependency for one test): balanced, properly nested tags, quoted
 * attributes, and no bare `<` or `&` in text.
 */
import { expect } from 'vitest';

const TOKEN = /<!--[\s\S]*?-->|<\/?[^>]*>|[^<]+/g;
const OPEN = /^<([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>$/;
const CLOSE = /^<\/([A-Za-z][\w:-]*)\s*>$/;
const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;

/**
 * Fails the test unless `text` is well-formed XML with a single root element.
 *
 * @example
 * ```ts
 * expectWellFormedXml('<svg><g/></svg>');
 * ```
 */
export function expectWellFormedXml(text: string): void {
  const stack: string[] = [];
  let roots = 0;
  for (const token of text.match(TOKEN) ?? []) {
    if (token.startsWith('<!--')) continue;
    if (!token.startsWith('<')) {
      expect(ENTITY.test(token), `bare & in text: ${token.slice(0, 40)}`).toBe(false);
      if (stack.length === 0) expect(token.trim(), 'text outside the root').toBe('');
      continue;
    }
    const close = CLOSE.exec(token);
    if (close) {
      expect(stack.pop(), `unbalanced ${token}`).toBe(close[1]);
      continue;
    }
    const open = OPEN.exec(token);
    expect(open, `malformed tag ${token.slice(0, 60)}`).not.toBeNull();
    if (!open) return;
    expect(ENTITY.test(open[2] ?? ''), `bare & in attributes of ${open[1]}`).toBe(false);
    if (stack.length === 0) roots += 1;
    if (open[3] !== '/') stack.push(open[1] as string);
  }
  expect(stack, 'unclosed elements').toEqual([]);
  expect(roots).toBe(1);
}
