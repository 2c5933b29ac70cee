/**
 * The `voicemail:` section of the YAML config: how a call tells an answering machine from a person
 * (Asterisk's TALK_DETECT) and what it leaves on the machine. Absent means the defaults below,
 * which README.md explains together with what they misjudge.
 */
import { z } from '../core/validate';

export const voicemailSectionSchema = z
  .object({
    /** false: every answered call is treated as a person, as before talk detection existed. */
    detect: z.boolean().default(true),
    /** One stretch of talk at least this long, with no digit, is a machine's greeting (known `silence_ms` later). */
    machine_talk_ms: z.number().int().min(500).max(20_000).default(2500),
    /** Talk adding up to this much within `window_ms` is a machine too (a greeting with pauses). */
    total_talk_ms: z.number().int().min(500).max(30_000).default(4000),
    /** After the answer, how long a verdict may take; nothing long heard by then is a person. */
    window_ms: z.number().int().min(1000).max(60_000).default(8000),
    /** TALK_DETECT silence threshold: the pause that ends a stretch of talk. */
    silence_ms: z.number().int().min(100).max(5000).default(1000),
    /** TALK_DETECT talking threshold (frame energy); absent keeps Asterisk's dsp.conf value (256). */
    talking_threshold: z.number().int().min(1).max(32_767).optional(),
    /** After the greeting (and its beep) ended, this much more quiet before the message starts. */
    end_silence_ms: z.number().int().min(0).max(5000).default(300),
    /** The longest wait for a greeting to end after the verdict; then the message is left anyway. */
    max_greeting_ms: z.number().int().min(1000).max(120_000).default(30_000),
    /** The number people can call back (the hotline's public number), read out in the message. */
    callback_number: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ()-]{2,30}$/, 'a phone number: digits, spaces, ( ) and -')
      .optional(),
  })
  .strict()
  .refine((s) => s.total_talk_ms >= s.machine_talk_ms, { message: 'total_talk_ms must not be below machine_talk_ms' });

export type VoicemailSection = z.infer<typeof voicemailSectionSchema>;

export function voicemailSectionDefaults(): VoicemailSection {
  return voicemailSectionSchema.parse({});
}
