/**
 * The `senders` section of the YAML config file. Each channel takes one sender or an ordered
 * list: SMS senders are tried in order (the first is the primary, the rest are fallbacks);
 * every push sender for which a person has an address gets the push.
 */
import { z } from '../core/validate';
import { PLACEHOLDERS, unknownPlaceholders, unknownPlaceholdersDeep } from './template';

const name = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'letters, digits, _ . - only (up to 40)');
const timeoutMs = z.number().int().min(100).max(120_000).default(10_000);
const contactKey = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'letters, digits, _ . - only');

const placeholderText = z.string().superRefine((s, ctx) => {
  const bad = unknownPlaceholders(s);
  if (bad.length) ctx.addIssue({ code: 'custom', message: `unknown placeholder {{${bad[0]}}} (known: ${PLACEHOLDERS.join(', ')})` });
});

const httpUrl = (what: string) =>
  z.string().superRefine((s, ctx) => {
    try {
      const u = new URL(s.replace(/\{\{[^}]*\}\}/g, 'x'));
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        ctx.addIssue({ code: 'custom', message: `${what} must be http:// or https://` });
    } catch {
      ctx.addIssue({ code: 'custom', message: `${what} is not a URL` });
    }
  });

const webhookFields = {
  type: z.literal('http'),
  name: name.optional(),
  url: httpUrl('url').pipe(placeholderText),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH']).default('POST'),
  headers: z.record(z.string(), placeholderText).default({}),
  body: z
    .union([placeholderText, z.record(z.string(), z.unknown())])
    .optional()
    .superRefine((b, ctx) => {
      const bad = typeof b === 'object' ? unknownPlaceholdersDeep(b) : [];
      if (bad.length) ctx.addIssue({ code: 'custom', message: `unknown placeholder {{${bad[0]}}}` });
    }),
  content_type: z.string().min(3).default('application/json'),
  /** Answers whose body matches this regex count as failures even with a 2xx (gateways that say "ERROR" with 200). */
  fail_match: z
    .string()
    .optional()
    .superRefine((r, ctx) => {
      if (r === undefined) return;
      try {
        new RegExp(r);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not a valid regular expression' });
      }
    }),
  health_url: httpUrl('health_url').optional(),
  timeout_ms: timeoutMs,
};

const getHasNoBody = { message: 'a GET request has no body: put the placeholders in url', path: ['body'] };

export const httpSmsSchema = z
  .object(webhookFields)
  .strict()
  .refine((c) => !(c.method === 'GET' && c.body !== undefined), getHasNoBody);

export const httpPushSchema = z
  .object({ ...webhookFields, contact: contactKey.optional() })
  .strict()
  .refine((c) => !(c.method === 'GET' && c.body !== undefined), getHasNoBody);

export const smppSchema = z
  .object({
    type: z.literal('smpp'),
    name: name.optional(),
    url: z.string().regex(/^s?smpp:\/\/[^/:]+(:\d+)?\/?$/, 'expected smpp://host:port or ssmpp://host:port (TLS)'),
    system_id: z.string().min(1).max(16),
    password: z.string().max(9).default(''),
    system_type: z.string().max(13).default(''),
    bind: z.enum(['transceiver', 'transmitter']).default('transceiver'),
    source_addr: z.string().min(1).max(20),
    source_addr_ton: z.number().int().min(0).max(6).optional(),
    source_addr_npi: z.number().int().min(0).max(18).optional(),
    dest_addr_ton: z.number().int().min(0).max(6).default(1),
    dest_addr_npi: z.number().int().min(0).max(18).default(1),
    registered_delivery: z.boolean().default(true),
    long_messages: z.enum(['udh', 'message_payload']).default('udh'),
    max_parts: z.number().int().min(1).max(255).default(6),
    enquire_link_ms: z.number().int().min(1000).max(600_000).default(30_000),
    reconnect_ms: z.number().int().min(10).max(600_000).default(5_000),
    timeout_ms: timeoutMs,
  })
  .strict();

export const ntfySchema = z
  .object({
    type: z.literal('ntfy'),
    name: name.optional(),
    url: httpUrl('url').default('https://ntfy.sh'),
    token: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    contact: contactKey.default('ntfy'),
    timeout_ms: timeoutMs,
  })
  .strict()
  .refine((c) => !(c.token && c.username), { message: 'use token or username/password, not both', path: ['token'] })
  .refine((c) => !c.username === !c.password, { message: 'username and password go together', path: ['password'] });

export const telegramSchema = z
  .object({
    type: z.literal('telegram'),
    name: name.optional(),
    bot_token: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'expected a bot token like 123456:ABC-DEF… from @BotFather'),
    api_url: httpUrl('api_url').default('https://api.telegram.org'),
    contact: contactKey.default('telegram'),
    timeout_ms: timeoutMs,
  })
  .strict();

// One sender may be written without a list; errors then still name it by index (senders.sms.0.url).
const oneOrMany = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess((v) => (v === undefined || v === null || Array.isArray(v) ? (v ?? []) : [v]), z.array(item));

const smsItem = z.discriminatedUnion('type', [httpSmsSchema, smppSchema]);
const pushItem = z.discriminatedUnion('type', [ntfySchema, telegramSchema, httpPushSchema]);

export const sendersSchema = z
  .object({
    sms: oneOrMany(smsItem),
    push: oneOrMany(pushItem),
  })
  .strict();

export type SendersSection = z.output<typeof sendersSchema>;
export type HttpSmsConfig = z.output<typeof httpSmsSchema>;
export type HttpPushConfig = z.output<typeof httpPushSchema>;
export type SmppConfig = z.output<typeof smppSchema>;
export type NtfyConfig = z.output<typeof ntfySchema>;
export type TelegramConfig = z.output<typeof telegramSchema>;
