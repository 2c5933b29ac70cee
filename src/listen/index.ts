/** Listen: the audio one call played, rebuilt from what its attempt recorded (see assemble.ts). */
export { planListen, renderListen, MAX_LISTEN_MS } from './assemble';
export type { ListenPart, ListenPlan, ListenAudio, PartStatus } from './assemble';
export { resolveMedia, numberWords, SAY_WORD_MS, CORE_SOUND_MS } from './sources';
export type { ListenRoots, PlayedWhat, Resolved, AudioFormat } from './sources';
export { readPcm, decodePcm } from './decode';
export type { MonoPcm } from './decode';
