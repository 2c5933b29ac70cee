/** The only file that imports zod; everything else takes `z` from here. */
import { z } from 'zod';
export { z };

/** "field: message; field2: message" for an error body or a CLI line. */
export function describeIssues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`).join('; ');
}
