/** Turns raw strings into typed values; every failure names the variable. */
import { SettingSpec } from './env-schema';
import { ConfigError } from '../core/config-error';

export { ConfigError };

export type SettingValue = string | number | boolean | string[] | RegExp;

export function parseSetting(spec: SettingSpec, raw: string): SettingValue {
  const v = raw.trim();
  switch (spec.kind) {
    case 'string':
    case 'secret':
      return v;
    case 'list':
    case 'secret-list':
      return v === ''
        ? []
        : v
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '');
    case 'url': {
      if (v === '') return '';
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        throw new ConfigError(spec.name, `"${v}" is not a URL (expected http://host[:port]/path)`);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        throw new ConfigError(spec.name, `only http and https URLs are supported, got ${u.protocol}`);
      return v;
    }
    case 'listen': {
      const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(v);
      if (!m || Number(m[2]) > 65535) throw new ConfigError(spec.name, `"${v}" is not host:port (e.g. 127.0.0.1:8080)`);
      return v;
    }
    case 'db':
      if (/^sqlite:.+/.test(v) || /^postgres(ql)?:\/\/.+/.test(v)) return v;
      throw new ConfigError(spec.name, `"${v}" must be sqlite:PATH or postgres://user:pass@host/db`);
    case 'int': {
      if (!/^-?\d+$/.test(v)) throw new ConfigError(spec.name, `"${v}" is not a whole number`);
      const n = Number(v);
      if (spec.min !== undefined && n < spec.min) throw new ConfigError(spec.name, `${n} is below the minimum ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) throw new ConfigError(spec.name, `${n} is above the maximum ${spec.max}`);
      return n;
    }
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(v)) return true;
      if (/^(0|false|no|off|)$/i.test(v)) return false;
      throw new ConfigError(spec.name, `"${v}" is not a boolean (true/false)`);
    case 'enum':
      if (spec.values?.includes(v)) return v;
      throw new ConfigError(spec.name, `"${v}" is not one of ${spec.values?.join(', ')}`);
    case 'regex':
      try {
        return new RegExp(v, 'i');
      } catch (e) {
        throw new ConfigError(spec.name, `not a valid regular expression: ${(e as Error).message}`);
      }
  }
}
