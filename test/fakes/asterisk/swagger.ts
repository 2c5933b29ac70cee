/**
 * The fake Asterisk's API description: swagger 1.1 resource declarations written by hand for the
 * resources, operations and events dozvon uses (nicknames, parameter names and model names follow
 * Asterisk 22's ARI, so code written against the fake works against a real server).
 *
 * ari-client builds its whole API from these documents, so they matter as much as the REST routes:
 * a query parameter missing here is silently dropped by swagger-client, and an event whose `type`
 * is not a model of events.json crashes ari-client's WebSocket handler (it looks event types up without a check).
 */

type Json = Record<string, unknown>;

interface ParamSpec {
  name: string;
  in: 'path' | 'query' | 'body';
  type?: string;
  required?: boolean;
  multi?: boolean;
  values?: string[];
}

function param(p: ParamSpec): Json {
  const out: Json = {
    name: p.name,
    description: '',
    paramType: p.in,
    required: p.required ?? p.in === 'path',
    allowMultiple: p.multi ?? false,
    dataType: p.type ?? 'string',
  };
  if (p.values) out.allowableValues = { valueType: 'LIST', values: p.values };
  return out;
}

function op(httpMethod: string, nickname: string, responseClass: string, params: ParamSpec[], errors: Array<[number, string]> = []): Json {
  return {
    httpMethod,
    summary: nickname,
    nickname,
    responseClass,
    parameters: params.map(param),
    errorResponses: errors.map(([code, reason]) => ({ code, reason })),
  };
}

/** Properties: name → type; a trailing `?` marks an optional property. */
function model(id: string, props: Record<string, string>): Json {
  const properties: Json = {};
  for (const [rawName, type] of Object.entries(props)) {
    const optional = rawName.endsWith('?');
    const name = optional ? rawName.slice(0, -1) : rawName;
    properties[name] = type.startsWith('List[')
      ? { required: !optional, type: 'List', items: { $ref: type.slice(5, -1) } }
      : { required: !optional, type };
  }
  return { id, description: id, properties };
}

const path = (p: string) => ({ name: p, in: 'path' as const });
const q = (name: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({ name, in: 'query', ...extra });

const CHANNEL_MODELS: Record<string, Json> = {
  CallerID: model('CallerID', { name: 'string', number: 'string' }),
  DialplanCEP: model('DialplanCEP', { context: 'string', exten: 'string', priority: 'long', 'app_name?': 'string', 'app_data?': 'string' }),
  Channel: model('Channel', {
    id: 'string',
    name: 'string',
    state: 'string',
    'protocol_id?': 'string',
    caller: 'CallerID',
    connected: 'CallerID',
    accountcode: 'string',
    dialplan: 'DialplanCEP',
    creationtime: 'Date',
    language: 'string',
    'channelvars?': 'object',
  }),
  Playback: model('Playback', {
    id: 'string',
    media_uri: 'string',
    'next_media_uri?': 'string',
    target_uri: 'string',
    language: 'string',
    state: 'string',
  }),
  LiveRecording: model('LiveRecording', {
    name: 'string',
    format: 'string',
    target_uri: 'string',
    state: 'string',
    'duration?': 'int',
    'talking_duration?': 'int',
    'silence_duration?': 'int',
    'cause?': 'string',
  }),
  StoredRecording: model('StoredRecording', { name: 'string', format: 'string' }),
  Bridge: model('Bridge', {
    id: 'string',
    technology: 'string',
    bridge_type: 'string',
    bridge_class: 'string',
    creator: 'string',
    name: 'string',
    channels: 'List[string]',
    'video_mode?': 'string',
    creationtime: 'Date',
  }),
};

const channelId = path('channelId');

function channels(): Json {
  const originateParams = [
    q('endpoint', { required: true }),
    q('extension'),
    q('context'),
    q('priority', { type: 'long' }),
    q('label'),
    q('app'),
    q('appArgs'),
    q('callerId'),
    q('timeout', { type: 'int' }),
    { name: 'variables', in: 'body' as const, type: 'containers' },
    q('channelId'),
    q('otherChannelId'),
    q('originator'),
    q('formats'),
  ];
  const playParams = [
    channelId,
    q('media', { required: true, multi: true }),
    q('lang'),
    q('offsetms', { type: 'int' }),
    q('skipms', { type: 'int' }),
  ];
  const hangupReasons = [
    'normal',
    'busy',
    'congestion',
    'no_answer',
    'timeout',
    'rejected',
    'unallocated',
    'normal_unspecified',
    'number_incomplete',
    'codec_mismatch',
    'interworking',
    'failure',
    'answered_elsewhere',
  ];
  return {
    resourcePath: '/api-docs/channels.{format}',
    apis: [
      {
        path: '/channels',
        description: 'Active channels',
        operations: [
          op('GET', 'list', 'List[Channel]', []),
          op('POST', 'originate', 'Channel', originateParams, [
            [400, 'Invalid parameters for originating a channel.'],
            [409, 'Channel with given unique ID already exists.'],
          ]),
        ],
      },
      {
        path: '/channels/{channelId}',
        description: 'Active channel',
        operations: [
          op('GET', 'get', 'Channel', [channelId], [[404, 'Channel not found']]),
          op('POST', 'originateWithId', 'Channel', [channelId, ...originateParams.filter((p) => p.name !== 'channelId')]),
          op(
            'DELETE',
            'hangup',
            'void',
            [channelId, q('reason_code'), q('reason', { values: hangupReasons })],
            [
              [400, 'Invalid reason for hangup provided'],
              [404, 'Channel not found'],
            ],
          ),
        ],
      },
      {
        path: '/channels/{channelId}/answer',
        description: 'Answer a channel',
        operations: [
          op(
            'POST',
            'answer',
            'void',
            [channelId],
            [
              [404, 'Channel not found'],
              [409, 'Channel not in a Stasis application'],
              [412, 'Channel in invalid state'],
            ],
          ),
        ],
      },
      {
        path: '/channels/{channelId}/play',
        description: 'Play media to a channel',
        operations: [op('POST', 'play', 'Playback', [...playParams, q('playbackId')], [[404, 'Channel not found']])],
      },
      {
        path: '/channels/{channelId}/play/{playbackId}',
        description: 'Play media to a channel',
        operations: [
          op('POST', 'playWithId', 'Playback', [channelId, path('playbackId'), ...playParams.slice(1)], [[404, 'Channel not found']]),
        ],
      },
      {
        path: '/channels/{channelId}/variable',
        description: 'Variables on a channel',
        operations: [
          op(
            'POST',
            'setChannelVar',
            'void',
            [channelId, q('variable', { required: true }), q('value')],
            [
              [400, 'Missing variable parameter.'],
              [404, 'Channel not found'],
              [409, 'Channel not in a Stasis application'],
            ],
          ),
        ],
      },
      {
        path: '/channels/{channelId}/record',
        description: 'Record audio from a channel',
        operations: [
          op(
            'POST',
            'record',
            'LiveRecording',
            [
              channelId,
              q('name', { required: true }),
              q('format', { required: true }),
              q('maxDurationSeconds', { type: 'int' }),
              q('maxSilenceSeconds', { type: 'int' }),
              q('ifExists', { values: ['fail', 'overwrite', 'append'] }),
              q('beep', { type: 'boolean' }),
              q('terminateOn', { values: ['none', 'any', '*', '#'] }),
            ],
            [
              [404, 'Channel not found'],
              [409, 'Channel is not in a Stasis application'],
            ],
          ),
        ],
      },
    ],
    models: CHANNEL_MODELS,
  };
}

function bridges(): Json {
  const bridgeId = path('bridgeId');
  return {
    resourcePath: '/api-docs/bridges.{format}',
    apis: [
      {
        path: '/bridges',
        description: 'Active bridges',
        operations: [op('GET', 'list', 'List[Bridge]', []), op('POST', 'create', 'Bridge', [q('type'), q('bridgeId'), q('name')])],
      },
      {
        path: '/bridges/{bridgeId}',
        description: 'Individual bridge',
        operations: [
          op('GET', 'get', 'Bridge', [bridgeId], [[404, 'Bridge not found']]),
          op('DELETE', 'destroy', 'void', [bridgeId], [[404, 'Bridge not found']]),
        ],
      },
      {
        path: '/bridges/{bridgeId}/addChannel',
        description: 'Add a channel to a bridge',
        operations: [
          op(
            'POST',
            'addChannel',
            'void',
            [bridgeId, q('channel', { required: true, multi: true }), q('role')],
            [
              [400, 'Channel not found'],
              [404, 'Bridge not found'],
            ],
          ),
        ],
      },
    ],
    models: { Bridge: CHANNEL_MODELS.Bridge },
  };
}

function recordings(): Json {
  const name = path('recordingName');
  return {
    resourcePath: '/api-docs/recordings.{format}',
    apis: [
      {
        path: '/recordings/stored/{recordingName}',
        description: 'Stored recording',
        operations: [op('GET', 'getStored', 'StoredRecording', [name], [[404, 'Recording not found']])],
      },
      {
        path: '/recordings/stored/{recordingName}/file',
        description: 'Stored recording file',
        operations: [op('GET', 'getStoredFile', 'binary', [name], [[404, 'Recording not found']])],
      },
      {
        path: '/recordings/live/{recordingName}/stop',
        description: 'Stop a live recording',
        operations: [op('POST', 'stop', 'void', [name], [[404, 'Recording not found']])],
      },
    ],
    models: { LiveRecording: CHANNEL_MODELS.LiveRecording, StoredRecording: CHANNEL_MODELS.StoredRecording },
  };
}

function simple(resource: string, apis: Json[], models: Record<string, Json> = {}): Json {
  return { resourcePath: `/api-docs/${resource}.{format}`, apis, models };
}

function events(): Json {
  const base = { type: 'string', 'timestamp?': 'Date', 'asterisk_id?': 'string', application: 'string' };
  const ch = { ...base, channel: 'Channel' };
  const eventModels: Record<string, Json> = {
    Message: model('Message', { type: 'string', 'asterisk_id?': 'string' }),
    Event: model('Event', base),
    ApplicationReplaced: model('ApplicationReplaced', base),
    StasisStart: model('StasisStart', { ...ch, args: 'List[string]', 'replace_channel?': 'Channel' }),
    StasisEnd: model('StasisEnd', ch),
    ChannelCreated: model('ChannelCreated', ch),
    ChannelDestroyed: model('ChannelDestroyed', { ...ch, cause: 'int', cause_txt: 'string', 'tech_cause?': 'int' }),
    ChannelStateChange: model('ChannelStateChange', ch),
    ChannelHangupRequest: model('ChannelHangupRequest', { ...ch, 'cause?': 'int', 'soft?': 'boolean', 'tech_cause?': 'int' }),
    ChannelDtmfReceived: model('ChannelDtmfReceived', { ...ch, digit: 'string', duration_ms: 'int' }),
    ChannelTalkingStarted: model('ChannelTalkingStarted', ch),
    ChannelTalkingFinished: model('ChannelTalkingFinished', { ...ch, duration: 'int' }),
    ChannelVarset: model('ChannelVarset', { ...base, 'channel?': 'Channel', variable: 'string', value: 'string' }),
    ChannelDialplan: model('ChannelDialplan', { ...ch, dialplan_app: 'string', dialplan_app_data: 'string' }),
    ChannelCallerId: model('ChannelCallerId', { ...ch, caller_presentation: 'int', caller_presentation_txt: 'string' }),
    ChannelConnectedLine: model('ChannelConnectedLine', ch),
    ChannelEnteredBridge: model('ChannelEnteredBridge', { ...base, bridge: 'Bridge', 'channel?': 'Channel' }),
    ChannelLeftBridge: model('ChannelLeftBridge', { ...base, bridge: 'Bridge', channel: 'Channel' }),
    BridgeCreated: model('BridgeCreated', { ...base, bridge: 'Bridge' }),
    BridgeDestroyed: model('BridgeDestroyed', { ...base, bridge: 'Bridge' }),
    Dial: model('Dial', {
      ...base,
      'caller?': 'Channel',
      peer: 'Channel',
      'forward?': 'string',
      'forwarded?': 'Channel',
      'dialstring?': 'string',
      dialstatus: 'string',
    }),
    PlaybackStarted: model('PlaybackStarted', { ...base, playback: 'Playback' }),
    PlaybackContinuing: model('PlaybackContinuing', { ...base, playback: 'Playback' }),
    PlaybackFinished: model('PlaybackFinished', { ...base, playback: 'Playback' }),
    RecordingStarted: model('RecordingStarted', { ...base, recording: 'LiveRecording' }),
    RecordingFinished: model('RecordingFinished', { ...base, recording: 'LiveRecording' }),
    RecordingFailed: model('RecordingFailed', { ...base, recording: 'LiveRecording' }),
  };
  return simple(
    'events',
    [
      {
        path: '/events',
        description: 'Events from Asterisk to applications',
        operations: [
          op('GET', 'eventWebsocket', 'Message', [q('app', { required: true, multi: true }), q('subscribeAll', { type: 'boolean' })]),
        ],
      },
    ],
    { ...CHANNEL_MODELS, ...eventModels },
  );
}

/** The declarations by file name (`channels` → /ari/api-docs/channels.json). */
export function declarations(): Record<string, Json> {
  const appName = path('applicationName');
  return {
    asterisk: simple(
      'asterisk',
      [
        {
          path: '/asterisk/info',
          description: 'Asterisk system information',
          operations: [op('GET', 'getInfo', 'AsteriskInfo', [q('only', { multi: true })])],
        },
        { path: '/asterisk/ping', description: 'Asterisk ping', operations: [op('GET', 'ping', 'AsteriskPing', [])] },
      ],
      {
        AsteriskInfo: model('AsteriskInfo', { 'build?': 'object', 'system?': 'object', 'config?': 'object', 'status?': 'object' }),
        AsteriskPing: model('AsteriskPing', { asterisk_id: 'string', ping: 'string', timestamp: 'string' }),
      },
    ),
    endpoints: simple(
      'endpoints',
      [{ path: '/endpoints', description: 'Endpoints', operations: [op('GET', 'list', 'List[Endpoint]', [])] }],
      {
        Endpoint: model('Endpoint', { technology: 'string', resource: 'string', 'state?': 'string', channel_ids: 'List[string]' }),
      },
    ),
    channels: channels(),
    bridges: bridges(),
    recordings: recordings(),
    sounds: simple(
      'sounds',
      [
        { path: '/sounds', description: 'Sounds', operations: [op('GET', 'list', 'List[Sound]', [q('lang'), q('format')])] },
        {
          path: '/sounds/{soundId}',
          description: 'Individual sound',
          operations: [op('GET', 'get', 'Sound', [path('soundId')], [[404, 'Sound not found']])],
        },
      ],
      {
        Sound: model('Sound', { id: 'string', 'text?': 'string', formats: 'List[FormatLangPair]' }),
        FormatLangPair: model('FormatLangPair', { language: 'string', format: 'string' }),
      },
    ),
    playbacks: simple(
      'playbacks',
      [
        {
          path: '/playbacks/{playbackId}',
          description: 'Control object for a playback operation',
          operations: [
            op('GET', 'get', 'Playback', [path('playbackId')], [[404, 'The playback cannot be found']]),
            op('DELETE', 'stop', 'void', [path('playbackId')], [[404, 'The playback cannot be found']]),
          ],
        },
      ],
      { Playback: CHANNEL_MODELS.Playback },
    ),
    deviceStates: simple(
      'deviceStates',
      [{ path: '/deviceStates', description: 'Device states', operations: [op('GET', 'list', 'List[DeviceState]', [])] }],
      {
        DeviceState: model('DeviceState', { name: 'string', state: 'string' }),
      },
    ),
    mailboxes: simple(
      'mailboxes',
      [{ path: '/mailboxes', description: 'Mailboxes', operations: [op('GET', 'list', 'List[Mailbox]', [])] }],
      {
        Mailbox: model('Mailbox', { name: 'string', old_messages: 'int', new_messages: 'int' }),
      },
    ),
    events: events(),
    applications: simple(
      'applications',
      [
        { path: '/applications', description: 'Stasis applications', operations: [op('GET', 'list', 'List[Application]', [])] },
        {
          path: '/applications/{applicationName}',
          description: 'Stasis application',
          operations: [op('GET', 'get', 'Application', [appName], [[404, 'Application does not exist.']])],
        },
      ],
      {
        Application: model('Application', {
          name: 'string',
          channel_ids: 'List[string]',
          bridge_ids: 'List[string]',
          endpoint_ids: 'List[string]',
          device_names: 'List[string]',
          events_allowed: 'List[object]',
          events_disallowed: 'List[object]',
        }),
      },
    ),
  };
}

/** resources.json plus one declaration, each with `basePath` set to this server (as res_ari.c does from the Host header). */
export function apiDocument(file: string, host: string): Json | null {
  const basePath = `http://${host}/ari`;
  const decls = declarations();
  if (file === 'resources') {
    return {
      _copyright: 'Hand-written for dozvon tests',
      apiVersion: '9.0.0',
      swaggerVersion: '1.1',
      basePath,
      apis: Object.keys(decls).map((name) => ({ path: `/api-docs/${name}.{format}`, description: name })),
    };
  }
  const decl = decls[file];
  if (!decl) return null;
  return { _copyright: 'Hand-written for dozvon tests', apiVersion: '9.0.0', swaggerVersion: '1.1', basePath, ...decl };
}

/** Every event type the fake may send: the server refuses to send anything else (it would crash ari-client). */
export function declaredEventTypes(): Set<string> {
  const models = (declarations().events.models ?? {}) as Record<string, unknown>;
  return new Set(Object.keys(models));
}
