/** The `alerts:` YAML section: which channel each priority pages on. Read by compose; defaults below. */
import { z } from '../core/validate';
import { PRIORITIES, type Priority } from './types';

export type AlertChannel = 'call' | 'sms' | 'push';

/** Waking someone is for the urgent ones; P3 is read when seen, P4/P5 only noted. */
export const DEFAULT_CHANNELS: Record<Priority, AlertChannel> = { P1: 'call', P2: 'call', P3: 'sms', P4: 'push', P5: 'push' };

const channel = z.enum(['call', 'sms', 'push']);

export const alertsSectionSchema = z.object({
  channels: z
    .object(Object.fromEntries(PRIORITIES.map((p) => [p, channel.optional()])) as Record<Priority, z.ZodOptional<typeof channel>>)
    .strict()
    .optional(),
});

export type AlertsSection = z.infer<typeof alertsSectionSchema>;

export function alertChannels(section: AlertsSection | undefined): Record<Priority, AlertChannel> {
  return { ...DEFAULT_CHANNELS, ...Object.fromEntries(Object.entries(section?.channels ?? {}).filter(([, v]) => v)) };
}
