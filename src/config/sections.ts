/**
 * Structured settings that only make sense in the YAML file (lists and maps).
 * Documented for operators in docs/oncall.md.
 */
import { z } from '../core/validate';
import { watcherSections } from '../watchers/config';
import { sendersSchema } from '../senders/config';
import { limitsSchema } from '../limits/rules';
import { hotlineSectionSchema } from '../hotline/config';
import { shiftsSections } from '../watchers/shifts/config';
import { retentionSectionSchema } from '../retention/config';
import { pagingSections } from '../oncall/config';
import { voicemailSectionSchema } from '../voicemail/config';
import { alertsSectionSchema } from '../alerts/config';
import { trunksSectionSchema } from '../trunks/config';

export const sectionsSchema = z
  .object({
    ...pagingSections,
    ...watcherSections,
    senders: sendersSchema.optional(),
    limits: limitsSchema,
    hotline: hotlineSectionSchema.optional(),
    retention: retentionSectionSchema.optional(),
    ...shiftsSections,
    voicemail: voicemailSectionSchema.optional(),
    alerts: alertsSectionSchema.optional(),
    trunks: trunksSectionSchema.optional(),
  })
  .passthrough();

export type Sections = z.infer<typeof sectionsSchema>;
