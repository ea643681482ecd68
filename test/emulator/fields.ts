// Google's partial responses: the `fields` system parameter keeps only the named fields of an answer,
// e.g. `items(metadata(name,labels),status/url),metadata/continue`. Lists apply the mask to each item.
type Mask = Map<string, Mask | true>;

export function parseFields(text: string): Mask {
  let i = 0;
  const parse = (): Mask => {
    const mask: Mask = new Map();
    while (i < text.length && text[i] !== ')') {
      let name = '';
      while (i < text.length && !',()/'.includes(text[i])) name += text[i++];
      name = name.trim();
      let sub: Mask | true = true;
      if (text[i] === '(') {
        i++;
        sub = parse();
        i++; // ')'
      } else if (text[i] === '/') {
        i++;
        const rest = parseOne();
        sub = rest;
      }
      if (name) mask.set(name, merge(mask.get(name), sub));
      if (text[i] === ',') i++;
    }
    return mask;
  };
  // After a '/': one path segment chain (a/b/c) or a parenthesised group.
  const parseOne = (): Mask => {
    let name = '';
    while (i < text.length && !',()/'.includes(text[i])) name += text[i++];
    let sub: Mask | true = true;
    if (text[i] === '(') {
      i++;
      sub = parse();
      i++;
    } else if (text[i] === '/') {
      i++;
      sub = parseOne();
    }
    return new Map([[name.trim(), sub]]);
  };
  return parse();
}

function merge(a: Mask | true | undefined, b: Mask | true): Mask | true {
  if (a === undefined) return b;
  if (a === true || b === true) return true;
  const out: Mask = new Map(a);
  for (const [k, v] of b) out.set(k, merge(out.get(k), v));
  return out;
}

export function applyFields(value: unknown, mask: Mask | true): unknown {
  if (mask === true || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => applyFields(item, mask));
  const out: Record<string, unknown> = {};
  for (const [key, sub] of mask) {
    if (key === '*') return value;
    if (key in (value as Record<string, unknown>)) out[key] = applyFields((value as Record<string, unknown>)[key], sub);
  }
  return out;
}
