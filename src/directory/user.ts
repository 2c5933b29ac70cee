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
  /** The first of `phones` (null when none): what SMS and single-number readers use. */
  phone: string | null;
  phoneVerified: boolean;
  /** Dialled in this order within one round of a page; never empty when `phone` is set. */
  phones: UserPhone[];
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

export interface UserPhone {
  number: string;
  /** What the person calls it (mobile, desk, home); null when not given. */
  label: string | null;
  verified: boolean;
}

/** More would keep a round of a page ringing for minutes before it counts as one attempt. */
export const MAX_PHONES = 5;

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

const phoneLabel = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .refine((s) => !hasBidiControl(s), NO_BIDI_MESSAGE);

/** One entry of `phones`: a bare number, or `{number, label, verified}`. */
const phoneEntry = z.union([
  phone.transform((number) => ({ number, label: undefined, verified: undefined })),
  z.object({ number: phone, label: phoneLabel.nullable().optional(), verified: z.boolean().optional() }).strict(),
]);

const phones = z
  .array(phoneEntry)
  .max(MAX_PHONES, `at most ${MAX_PHONES} phones`)
  .refine((a) => new Set(a.map((p) => p.number)).size === a.length, 'a number must not be listed twice');

export type PhoneInput = z.infer<typeof phoneEntry>;

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

const userCreateFields = z
  .object({
    email,
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((s) => !hasBidiControl(s), NO_BIDI_MESSAGE),
    phone: phone.optional(),
    /** The ordered list; `phone` is the shorthand for a list of one. */
    phones: phones.optional(),
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

const onePhoneForm = (u: { phone?: unknown; phones?: unknown }) => u.phone === undefined || u.phones === undefined;
const ONE_PHONE_FORM = { message: 'give either phone or phones, not both', path: ['phones'] };

export const userCreateSchema = userCreateFields.refine(onePhoneForm, ONE_PHONE_FORM);

export const userPatchSchema = userCreateFields
  .extend({
    phone: phone.nullable().optional(),
    pin: pin.nullable().optional(),
    oncall_token: z.string().trim().min(8).max(200).nullable().optional(),
    timezone: z.string().trim().min(1).max(64).nullable().optional(),
  })
  .partial()
  .strict()
  .refine(onePhoneForm, ONE_PHONE_FORM);

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
    phones: u.phones.map((p) => ({ number: opts.fullPhone ? p.number : maskPhone(p.number), label: p.label, verified: p.verified })),
    lang: u.lang,
    role: u.role,
    channels: u.channels,
    has_pin: u.hasPin,
    has_oncall_token: u.hasOncallToken,
    timezone: u.timezone,
    contacts: u.contacts,
  };
}
