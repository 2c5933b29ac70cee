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
