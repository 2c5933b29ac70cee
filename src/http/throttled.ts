/** The cloud's own throttling answer (Django REST framework's wording), which OnCall's engine reads as a refusal it does not retry. */
export function throttledDetail(retryAfterS: number): string {
  return `Request was throttled. Expected available in ${retryAfterS} seconds.`;
}
