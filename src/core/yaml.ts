/** The only file that imports the yaml library. */
import YAML from 'yaml';

export function parseYaml(text: string, source: string): unknown {
  try {
    return YAML.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid YAML: ${(e as Error).message}`);
  }
}

export function toYaml(value: unknown): string {
  return YAML.stringify(value);
}

/**
 * Like parseYaml, but the values of the named keys keep the text they were written with when
 * YAML would read them as numbers: `pin: 0123` stays "0123" and `phone: +15551234567` keeps its +.
 * So do the items of a list under such a key (`phones: [+15551234567]`).
 */
export function parseYamlKeepingText(text: string, source: string, keys: readonly string[]): unknown {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new Error(`${source}: not valid YAML: ${doc.errors[0].message}`);
  YAML.visit(doc, {
    Pair(_, pair) {
      if (!YAML.isScalar(pair.key) || !keys.includes(String(pair.key.value))) return;
      const values = YAML.isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const v of values)
        if (YAML.isScalar(v) && typeof v.value === 'number' && v.range) v.value = text.slice(v.range[0], v.range[1]).trim();
    },
  });
  return doc.toJS();
}
