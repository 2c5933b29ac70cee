/** A person dozvon can page, and the validated shape of input that creates or changes one. */
import { z, hasBidiControl, NO_BIDI_MESSAGE } from '../core/validate';
import { normalisePhone } from './phone';
import { maskPhone } from '../core/mask';

export const CHANNELS = ['voice', 'sms', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];
export const LANGS = ['en', 'ru'] as const;
export type Lang = (typeof LANGS)[number];
export const ROLES = ['admin', 'editor', 'viewer', 'none'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  publicId: string;
  email: string;
  name: string;
  username: string;
  phone: string | null;
  phoneVerified: boolean;
  lang: Lang;
  role: Role;
  channels: Channel[];
  hasPin: boolean;
  hasOncallToken: boolean;
  timezone: string | null;
  contacts: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

// Deliberately stricter than RFC 5322: what OnCall stores and what a person types.
const email = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^\s@"<>(),;:\\[\]]+@[^\s@"<>(),;:\\[\]]+\.[^\s@"<>(),;:\\[\]]+$/, 'not a valid email address')
  .refine((s) => !hasBidiControl(s), NO_BIDI_MESSAGE);

const phone = z
  .string()
  .trim()
  .transform((v, ctx) => {
    try {
      return normalisePhone(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  });

const channels = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(
    z
      .array(z.enum(CHANNELS))
      .min(1)
      .refine((a) => new Set(a).size === a.length, 'channels must not repeat'),
  );

const pin = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^[0-9]{4,8}$/, 'PIN must be 4 to 8 digits'));

export const userCreateSchema = z
  .object({
    email,
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((s) => !hasBidiControl(s), NO_BIDI_MESSAGE),
    phone: phone.optional(),
    lang: z.enum(LANGS).optional(),
    role: z.enum(ROLES).optional(),
    pin: pin.optional(),
    channels: channels.optional(),
    username: z.string().trim().min(1).max(150).optional(),
    oncall_token: z.string().trim().min(8).max(200).optional(),
    timezone: z.string().trim().min(1).max(64).optional(),
    contacts: z.record(z.string().regex(/^[a-z0-9_-]{1,32}$/), z.string().max(300)).optional(),
    phone_verified: z.boolean().optional(),
  })
  .strict();

export const userPatchSchema = userCreateSchema
  .extend({
    phone: phone.nullable().optional(),
    pin: pin.nullable().optional(),
    oncall_token: z.string().trim().min(8).max(200).nullable().optional(),
    timezone: z.string().trim().min(1).max(64).nullable().optional(),
  })
  .partial()
  .strict();

export type UserCreate = z.infer<typeof userCreateSchema>;
export type UserPatch = z.infer<typeof userPatchSchema>;

/** JSON for the admin API and CLI: never the PIN hash, the token or a whole phone number unless asked. */
export function userView(u: User, opts: { fullPhone?: boolean } = {}): Record<string, unknown> {
  return {
    id: u.publicId,
    email: u.email,
    name: u.name,
    username: u.username,
    phone: u.phone === null ? null : opts.fullPhone ? u.phone : maskPhone(u.phone),
    phone_verified: u.phoneVerified,
    lang: u.lang,
    role: u.role,
    channels: u.channels,
    has_pin: u.hasPin,
    has_oncall_token: u.hasOncallToken,
    timezone: u.timezone,
    contacts: u.contacts,
  };
}
