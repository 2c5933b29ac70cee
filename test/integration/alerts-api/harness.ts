/** The whole app on loopback with an integration key, and an Opsgenie client's view of it. */
import { startApp, RunningApp } from '../../helpers/app';
import type { AppOverrides } from '../../../src/app';

export interface AlertsHarness {
  t: RunningApp;
  key: string;
  /** A request as an Opsgenie client sends it: GenieKey, JSON body. */
  og(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function alertsHarness(overrides: AppOverrides = {}, env: Record<string, string> = {}): Promise<AlertsHarness> {
  const t = await startApp(env, overrides);
  const { key } = await t.app.alerts.integrations.create('test', { name: 'prometheus', defaultTeam: 'ops', rules: [] });
  return {
    t,
    key,
    async og(method, path, body, k = key) {
      const r = await fetch(`${t.url}${path}`, {
        method,
        headers: { authorization: `GenieKey ${k}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : null, headers: r.headers };
    },
    close: () => t.close(),
  };
}
