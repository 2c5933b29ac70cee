/**
 * The fake's REST routes under /ari: those dozvon calls. A handler returns the reply plus the work that
 * goes out around it: `first` runs before the reply is written (events that overtake the REST reply,
 * events overtake replies), `then` after it (originate: nothing reaches the app before its reply).
 */
import { InboundCall, OutboundCall } from './calls';
import { FakeChannel, REASON_CAUSE, parseCallerId, parseEndpoint } from './model';
import type { FakeAsterisk } from './index';
import { writeTalkDetect } from './talk';

export interface Reply {
  status: number;
  body?: unknown;
  /** Raw bytes with this content type instead of JSON. */
  raw?: { type: string; data: Buffer };
  first?: () => void;
  then?: () => void;
  /** The reply (and `first`) wait for this: a command the channel runs after what it is busy with. */
  wait?: Promise<void> | null;
}

type Query = URLSearchParams;

const notFound = (what: string): Reply => ({ status: 404, body: { message: `${what} not found` } });

export function route(ast: FakeAsterisk, method: string, parts: string[], query: Query, body: unknown = null): Reply {
  const [resource, id, sub, subId] = parts;
  const key = `${method} ${resource}${id !== undefined ? '/:id' : ''}${sub ? '/' + sub : ''}${subId !== undefined ? '/:sub' : ''}`;
  if (method === 'GET' && resource === 'asterisk' && id === 'modules' && sub !== undefined) return moduleInfo(ast, sub);
  switch (key) {
    case 'GET asterisk/:id':
      if (id === 'info') return { status: 200, body: ast.info() };
      if (id === 'ping') return { status: 200, body: { asterisk_id: ast.entityId, ping: 'pong', timestamp: ast.timestamp() } };
      break;
    case 'GET applications':
      return { status: 200, body: ast.appNames().map((n) => ast.applicationJson(n)) };
    case 'GET applications/:id':
      return ast.appNames().includes(id)
        ? { status: 200, body: ast.applicationJson(id) }
        : { status: 404, body: { message: 'Application not found' } };
    case 'GET endpoints':
    case 'GET sounds':
    case 'GET deviceStates':
    case 'GET mailboxes':
      return { status: 200, body: [] };
    case 'GET sounds/:id': {
      // The same lookup that plays `sound:<id>`, so "installed" and "plays" never disagree.
      const sound = ast.sound(id);
      return sound ? { status: 200, body: sound } : { status: 404, body: { message: 'Sound not found' } };
    }
    case 'GET channels':
      return { status: 200, body: ast.liveChannels().map((c) => c.snapshot()) };
    case 'POST channels':
      return originate(ast, query, query.get('channelId'), body);
    case 'POST channels/:id':
      return originate(ast, query, id, body);
    case 'GET channels/:id': {
      const ch = ast.channel(id);
      return ch ? { status: 200, body: ch.snapshot() } : notFound('Channel');
    }
    case 'DELETE channels/:id':
      return hangup(ast, id, query);
    case 'POST channels/:id/answer':
      return answer(ast, id);
    case 'POST channels/:id/play':
      return play(ast, id, query.get('playbackId') ?? ast.uuid(), query);
    case 'POST channels/:id/play/:sub':
      return play(ast, id, subId, query);
    case 'POST channels/:id/record':
      return record(ast, id, query);
    case 'POST channels/:id/variable':
      return setVariable(ast, id, query);
    case 'GET playbacks/:id': {
      const p = ast.media.playbacks.get(id);
      return p
        ? {
            status: 200,
            body: { id: p.id, media_uri: p.media[p.index], target_uri: `channel:${p.channel.id}`, language: p.language, state: p.state },
          }
        : notFound('Playback');
    }
    case 'DELETE playbacks/:id': {
      if (!ast.media.playbacks.has(id)) return notFound('Playback');
      // PlaybackFinished `done` overtakes the 204, as on a real Asterisk.
      return { status: 204, first: () => ast.media.stop(id) };
    }
    case 'POST bridges':
      return createBridge(ast, query.get('bridgeId') ?? ast.uuid(), query);
    case 'GET bridges/:id': {
      const b = ast.media.bridges.get(id);
      return b ? { status: 200, body: ast.media.bridgeJson(b) } : notFound('Bridge');
    }
    case 'DELETE bridges/:id': {
      const b = ast.media.bridges.get(id);
      if (!b) return notFound('Bridge');
      return { status: 204, first: () => ast.media.destroyBridge(b, (cid) => ast.channel(cid), ast.appOfBridge(b)) };
    }
    case 'POST bridges/:id/addChannel':
      return addChannel(ast, id, query);
    case 'POST recordings/live/:sub':
      break;
    default:
      break;
  }
  if (method === 'POST' && resource === 'recordings' && id === 'live' && subId === 'stop') {
    return ast.media.stopRecording(sub) ? { status: 204 } : notFound('Recording');
  }
  if (method === 'GET' && resource === 'recordings' && id === 'stored') {
    const rec = ast.media.stored.get(sub);
    if (!rec) return notFound('Recording');
    if (subId === undefined) return { status: 200, body: { name: rec.name, format: rec.format } };
    if (subId === 'file') return { status: 200, raw: { type: 'audio/wav', data: ast.media.storedFile(sub) as Buffer } };
  }
  return { status: 404, body: { message: 'Resource not found' } };
}

function originate(ast: FakeAsterisk, query: Query, channelId: string | null, body: unknown): Reply {
  const variables = originateVariables(body);
  if (typeof variables === 'string') return { status: 400, body: { message: variables } };
  const endpoint = query.get('endpoint');
  if (!endpoint) return { status: 400, body: { message: 'Endpoint must be specified' } };
  const app = query.get('app');
  if (!app && !query.get('extension')) return { status: 400, body: { message: 'Application or extension must be specified' } };
  if (!app) return { status: 400, body: { message: 'fake Asterisk: dialplan originate is not simulated; use inboundCall()' } };
  const ep = parseEndpoint(endpoint);
  if (!ep) return { status: 500, body: { error: 'Allocation failed' } }; // key `error`, not `message`: Asterisk's one exception
  const otherId = query.get('otherChannelId');
  if ((channelId && ast.channel(channelId)) || (otherId && ast.channel(otherId))) {
    return { status: 409, body: { message: 'Channel with given unique ID already exists' } };
  }
  const caller = parseCallerId(query.get('callerId') ?? undefined);
  const now = Date.now();
  const timeoutRaw = query.get('timeout');
  const timeoutSec = timeoutRaw === null ? 30 : Number(timeoutRaw);
  const appArgs = (query.get('appArgs') ?? '').split(',').filter((a, i, all) => a !== '' || all.length > 1);
  let main: FakeChannel;
  let other: FakeChannel | null = null;
  let dialstring: string;
  if (ep.tech === 'Local') {
    const tag = ast.ids.localTag();
    const base = `Local/${ep.exten}@${ep.context}-${tag}`;
    main = new FakeChannel(channelId ?? ast.ids.channelId(), `${base};1`, { app, caller, context: ep.context, exten: ep.exten, now });
    other = new FakeChannel(otherId ?? ast.ids.channelId(), `${base};2`, { app, caller, context: ep.context, exten: ep.exten, now });
    other.state = 'Ring';
    other.dialplan = { ...other.dialplan, app_name: '', app_data: '' };
    dialstring = `${ep.exten}@${ep.context}`;
  } else {
    main = new FakeChannel(channelId ?? ast.ids.channelId(), `${ep.tech}/${ep.trunk}-${ast.ids.localTag()}`, {
      app,
      caller,
      context: 'default',
      exten: ep.number,
      now,
    });
    dialstring = `${ep.number}@${ep.trunk}`;
  }
  const call = new OutboundCall(ast, main, other, ep.number, { app, appArgs, dialstring, timeoutSec });
  ast.register(call, [main, other]);
  setOnCreation(call, main, variables);
  const phone = ast.knownPhone(ep.number);
  const snapshot = main.snapshot();
  return {
    status: 200,
    body: snapshot,
    then: () => {
      const carrier = ep.tech === 'Local' ? undefined : ast.trunkBehaviour(ep.trunk);
      call.begin(phone !== undefined || carrier !== undefined);
      if (carrier?.kind === 'refuse') return call.carrierRefuses(carrier.cause, carrier.sipCode);
      if (carrier?.kind === 'silent') return call.neverAnswered();
      if (phone && !call.ended) phone.attach(call);
    },
  };
}

/** GET /asterisk/modules/{name} (resource_asterisk.c): the running module, or 404. */
function moduleInfo(ast: FakeAsterisk, name: string): Reply {
  if (!ast.modules.has(name)) return { status: 404, body: { message: 'Module could not be found in running modules' } };
  return { status: 200, body: { name, description: name, use_count: 0, status: 'Running', support_level: 'core' } };
}

/** The body's `variables` (resource_channels.c json_to_ast_variables), or the 400 message. */
function originateVariables(body: unknown): [string, string][] | string {
  const vars = (body as { variables?: unknown } | null)?.variables;
  if (vars === undefined) return [];
  if (typeof vars !== 'object' || vars === null) return "Field 'variables' must be an object";
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(vars)) {
    const value = typeof v === 'string' ? v : (v as { value?: unknown } | null)?.value;
    if (typeof value !== 'string')
      return "Each value in 'variables' must be a string or an object with 'value' and optional 'report_events'";
    out.push([k, value]);
  }
  return out;
}

/**
 * ast_set_variables on the new channel, before it is dialled: a function is written (TALK_DETECT,
 * whose detector then hears the line from its first frame, early media included), and one that
 * refuses the value only logs a warning in Asterisk: the originate goes on without it.
 */
function setOnCreation(call: OutboundCall, ch: FakeChannel, variables: [string, string][]): void {
  for (const [name, value] of variables) {
    const fn = /^([A-Za-z_]+)\((.*)\)$/.exec(name);
    if (!fn) ch.variables.set(name, value);
    else if (fn[1].toUpperCase() === 'TALK_DETECT') {
      const w = writeTalkDetect(fn[2], value);
      if (w !== null && w !== 'remove') call.talkLine.write(w);
    }
  }
}

function liveChannel(ast: FakeAsterisk, id: string): FakeChannel | Reply {
  const ch = ast.channel(id);
  return ch ?? notFound('Channel');
}

function hangup(ast: FakeAsterisk, id: string, query: Query): Reply {
  const ch = liveChannel(ast, id);
  if (!(ch instanceof FakeChannel)) return ch;
  const reason = query.get('reason');
  const code = query.get('reason_code');
  let cause = 16;
  if (reason !== null) {
    if (!(reason in REASON_CAUSE)) return { status: 400, body: { message: 'Invalid reason for hangup reason provided' } };
    cause = REASON_CAUSE[reason];
  } else if (code !== null) {
    cause = Number(code);
  }
  const call = ast.callOf(ch);
  return { status: 204, then: () => call?.appHangup(cause) };
}

function answer(ast: FakeAsterisk, id: string): Reply {
  const ch = liveChannel(ast, id);
  if (!(ch instanceof FakeChannel)) return ch;
  if (!ch.inStasis) return { status: 409, body: { message: 'Channel not in Stasis application' } };
  const call = ast.callOf(ch);
  if (ch.state === 'Up' || !(call instanceof InboundCall)) return { status: 204 };
  return { status: 204, first: () => call.answer() }; // ChannelStateChange Up overtakes the 204
}

function play(ast: FakeAsterisk, id: string, playbackId: string, query: Query): Reply {
  const ch = liveChannel(ast, id);
  if (!(ch instanceof FakeChannel)) return ch;
  if (!ch.inStasis) return { status: 409, body: { message: 'Channel not in Stasis application' } };
  // swagger-client joins an array parameter with commas; Asterisk splits it back.
  const media = query
    .getAll('media')
    .flatMap((m) => m.split(','))
    .filter(Boolean);
  if (media.length === 0) return { status: 400, body: { message: 'media: missing required parameter' } };
  if (ast.media.playbacks.has(playbackId)) return { status: 409, body: { message: 'Playback with given id already exists' } };
  const { queued, start } = ast.media.play(ch, playbackId, media, query.get('lang') ?? 'en');
  return { status: 201, body: queued, first: start }; // PlaybackStarted overtakes the 201
}

function record(ast: FakeAsterisk, id: string, query: Query): Reply {
  const ch = liveChannel(ast, id);
  if (!(ch instanceof FakeChannel)) return ch;
  if (!ch.inStasis) return { status: 409, body: { message: 'Channel is not in a Stasis application' } };
  const name = query.get('name');
  const format = query.get('format');
  if (!name || !format) return { status: 400, body: { message: 'name and format are required' } };
  const res = ast.media.record(ch, {
    name,
    format,
    maxDurationSeconds: Number(query.get('maxDurationSeconds') ?? 0),
    ifExists: query.get('ifExists') ?? 'fail',
    terminateOn: query.get('terminateOn') ?? 'none',
  });
  if (res === 'exists') return { status: 409, body: { message: 'A recording with the same name already exists on the system' } };
  if (query.get('beep') === 'true') ch.played.push('tone:beep');
  return { status: 201, body: res };
}

/** POST /channels/{id}/variable (resource_channels.c ast_ari_channels_set_channel_var). */
function setVariable(ast: FakeAsterisk, id: string, query: Query): Reply {
  const variable = query.get('variable') ?? '';
  if (!variable) return { status: 400, body: { message: 'Variable name is required' } };
  const ch = liveChannel(ast, id);
  if (!(ch instanceof FakeChannel)) return ch;
  if (!ch.inStasis) return { status: 409, body: { message: 'Channel not in Stasis application' } };
  const failed: Reply = { status: 400, body: { message: 'Failed to execute function' } };
  const fn = /^([A-Za-z_]+)\((.*)\)$/.exec(variable);
  // Set on the channel's own thread: during a playback, only once it is over (media.ts playedOut).
  const wait = ast.media.playedOut(ch);
  if (!fn) {
    ch.variables.set(variable, query.get('value') ?? '');
    return { status: 204, wait, first: () => ast.emitChannel(ch, 'ChannelVarset', { variable, value: query.get('value') ?? '' }) };
  }
  // Of the dialplan functions only TALK_DETECT is loaded here; any other is "not registered" (-1).
  if (fn[1].toUpperCase() !== 'TALK_DETECT') return failed;
  const w = writeTalkDetect(fn[2], query.get('value') ?? '');
  const call = ast.callOf(ch);
  if (w === null || !call || (w === 'remove' && !call.talkLine.enabled)) return failed;
  return { status: 204, wait, first: () => void call.talkLine.write(w) } satisfies Reply;
}

function createBridge(ast: FakeAsterisk, id: string, query: Query): Reply {
  if (ast.media.bridges.has(id)) return { status: 409, body: { message: 'Bridge with id already exists' } };
  const b = ast.media.createBridge(id, query.get('type') ?? 'mixing');
  return { status: 200, body: ast.media.bridgeJson(b) };
}

function addChannel(ast: FakeAsterisk, id: string, query: Query): Reply {
  const b = ast.media.bridges.get(id);
  if (!b) return notFound('Bridge');
  const ids = query
    .getAll('channel')
    .flatMap((c) => c.split(','))
    .filter(Boolean);
  const chans = ids.map((cid) => ast.channel(cid));
  if (chans.some((c) => !c)) return { status: 400, body: { message: 'Channel not found' } };
  if (chans.some((c) => !c?.inStasis)) return { status: 422, body: { message: 'Channel not in Stasis application' } };
  return { status: 204, first: () => chans.forEach((c) => ast.media.addToBridge(b, c as FakeChannel)) };
}
