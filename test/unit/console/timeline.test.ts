/** The schedule timeline's colours: one per person, whatever hour the page is drawn at. */
import { expect } from 'chai';
import { scheduleTimeline } from '../../../src/console/teams/timeline';
import type { Words } from '../../../src/console/teams/texts';
import type { Schedule } from '../../../src/teams/model';

const words = Object.assign((key: string) => key, { dynamic: () => null }) as unknown as Words;
const HOUR = 3_600_000;

describe('console: the schedule timeline', () => {
  const start = Date.parse('2026-12-07T08:00:00Z');
  const schedule: Schedule = {
    id: 's1',
    name: 'DB',
    teamId: null,
    timeZone: 'UTC',
    enabled: true,
    rotations: [
      { id: 'r1', name: 'primary', participants: [1, 2], startsAt: start, endsAt: null, length: 1, unit: 'weeks', restrictions: [] },
    ],
    // Bob (2) takes over this evening; his own week comes after Alice's (1).
    overrides: [{ id: 'o1', userId: 2, startsAt: start + 10 * HOUR, endsAt: start + 24 * HOUR, rotationId: null }],
  };
  const stripes = (from: number) =>
    [
      ...scheduleTimeline(words, schedule, from, (id) => (id === 1 ? 'Alice' : 'Bob')).markup.matchAll(
        /class="tl-shift (c\d)( override)?"[^>]*>(?:<bdi>)?([A-Za-z]+)/g,
      ),
    ].map((m) => `${m[3]} ${m[1]}${m[2] ?? ''}`);

  it('keeps each person in one colour, by hand-off order, when the first stripe is an override', () => {
    // Drawn in the afternoon, Alice's shift comes first; drawn during the override, Bob's does.
    expect(stripes(start + 2 * HOUR)[0]).to.equal('Alice c0');
    expect(stripes(start + 12 * HOUR)[0]).to.equal('Bob c1 override');
    expect(
      new Set(
        stripes(start + 12 * HOUR)
          .filter((x) => x.startsWith('Alice'))
          .map((x) => x.split(' ')[1]),
      ),
    ).to.deep.equal(new Set(['c0']));
  });
});
