/**
 * The private configuration of the test Asterisk. dozvon's shipped files in dialplan/ are
 * loaded as a user installs them (ari.conf with a test password, http.conf on a free port,
 * res_http_media_cache.conf under its real name, extensions.conf, pjsip.conf with the trunk
 * pointed at the loop, rtp.conf with a private range); what only the tests need (the phones'
 * side of the loop) sits in files of its own, included at the end.
 *
 * The loop: one Asterisk, two PJSIP transports on 127.0.0.1. dozvon's `trunk` lives on the
 * first and its contact is the second; the `phones` endpoint lives on the second and its
 * contact is the first. Both sides are 127.0.0.1, so `identify` matches by IP and port.
 */
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export const PROJECT = path.resolve(__dirname, '../../..');
export const SHIPPED = path.join(PROJECT, 'dialplan');
/** Where Debian's asterisk-core-sounds-*-wav put the voices; Asterisk wants sounds/<lang>/. */
export const CORE_SOUNDS: Record<string, string> = {
  en: '/usr/share/asterisk/sounds/en_US_f_Allison',
  ru: '/usr/share/asterisk/sounds/ru_RU_f_IvrvoiceRU',
};
export const PHONES_APP = 'dozvon-test-phones';

export interface AsteriskLayout {
  prefix: string;
  runDir: string;
  httpPort: number;
  trunkPort: number;
  phonesPort: number;
  rtpStart: number;
  /** Size of the RTP port range (default 200: a call on the loop takes two RTP sessions, each an even port and the odd one above it). */
  rtpPorts?: number;
  ariUser: string;
  ariPassword: string;
  /** dozvon's prompts installed under sounds/<lang>/dozvon (false: a stock Asterisk, prompts over HTTP). */
  prompts: boolean;
  /**
   * The phones record what they hear (default). The burst bench turns it off: it times
   * events and listens to no recording, and a recorder per phone is Asterisk work a real
   * phone, far from dozvon's Asterisk, never adds (40 ms of a 50-call burst's 200 here).
   */
  recordPhones?: boolean;
}

export function dirs(l: AsteriskLayout) {
  return {
    etc: path.join(l.runDir, 'etc'),
    data: path.join(l.runDir, 'data'),
    // Short on purpose: Asterisk 22 sizes a buffer for the cached media file's name from the URL's
    // length, and a long cache directory with a short URL fails playback (shared/asterisk README).
    cache: path.join(l.runDir, 'c'),
    log: path.join(l.runDir, 'log'),
    run: path.join(l.runDir, 'run'),
    spool: path.join(l.runDir, 'spool'),
    // `make install` creates it; without it every ARI record (the hotline's voicemail) is a 500
    // ("Unrecognized recording error: No such file or directory").
    spoolRecording: path.join(l.runDir, 'spool', 'recording'),
    lib: path.join(l.runDir, 'lib'),
    rec: path.join(l.runDir, 'rec'),
  };
}

function replaceOrFail(text: string, re: RegExp, by: string, what: string): string {
  if (!re.test(text)) throw new Error(`shipped ${what} changed: cannot find ${re}`);
  return text.replace(re, by);
}

/** Shipped pjsip.conf with the provider placeholders pointed at the phones' side of the loop. */
function shippedPjsip(l: AsteriskLayout): string {
  let t = readFileSync(path.join(SHIPPED, 'pjsip.conf'), 'utf8');
  t = replaceOrFail(t, /^bind = .*$/m, `bind = 127.0.0.1:${l.trunkPort}`, 'pjsip.conf bind');
  // The loop's far end does not take registrations: drop that one section (a real provider does).
  t = replaceOrFail(t, /^\[trunk\]\ntype = registration\n(?:(?!\[)[^\n]*\n)*/m, '', 'pjsip.conf registration');
  t = t.replace(/SIP\.PROVIDER\.EXAMPLE/g, `127.0.0.1:${l.phonesPort}`);
  return `${t}\n#include "pjsip-phones.conf"\n`;
}

function phonesPjsip(l: AsteriskLayout): string {
  return `; Test only: the engineers' phones, on the far side of dozvon's trunk.
[transport-phones]
type = transport
protocol = udp
bind = 127.0.0.1:${l.phonesPort}

[phones]
type = aor
contact = sip:127.0.0.1:${l.trunkPort}

[phones]
type = endpoint
transport = transport-phones
context = phones-in
disallow = all
allow = ulaw,alaw
aors = phones
direct_media = no
dtmf_mode = rfc4733
rtp_symmetric = yes

[phones-identify]
type = identify
endpoint = phones
match = 127.0.0.1:${l.trunkPort}

; A carrier that never answers the INVITE: its contact is the discard port, where nothing
; listens (no qualify, so Asterisk keeps sending and the channel stays Down).
[silent-carrier]
type = aor
contact = sip:127.0.0.1:9

[silent-carrier]
type = endpoint
transport = transport-udp
context = from-trunk
disallow = all
allow = ulaw,alaw
aors = silent-carrier
`;
}

/**
 * A called phone records what it hears (MixMonitor: Asterisk sends RTP only while something
 * plays, so the file holds just the played audio), then hands itself to the test's ARI app,
 * which answers, rings, presses digits or hangs up as the story says.
 */
function phonesDialplan(l: AsteriskLayout): string {
  const rec = dirs(l).rec;
  return `; Test only: what the phones do.
[phones-in]
exten => _X.,1,${l.recordPhones === false ? 'NoOp(not recorded)' : `MixMonitor(${rec}/\${UNIQUEID}.wav)`}
 same => n,Set(TRIES=0)
 same => n(app),Stasis(${PHONES_APP},\${EXTEN})
; Right after an Asterisk restart dozvon may call before the test's app has subscribed again:
; Stasis() then fails at once (STASISSTATUS=FAILED), so the phone waits for the app a little.
 same => n,GotoIf($["\${STASISSTATUS}" = "FAILED" & \${TRIES} < 30]?again)
 same => n,Hangup()
 same => n(again),Set(TRIES=$[\${TRIES} + 1])
 same => n,Wait(0.1)
 same => n,Goto(app)
exten => _+X.,1,Goto(phones-in,\${EXTEN:1},1)

; Endings a phone can be sent to with ARI "continue" (SIP answers a real network gives).
[phones-end]
exten => decline,1,PJSIPHangup(603)
exten => busy,1,Busy(5)
exten => congestion,1,Congestion(5)

; A carrier that refuses every call: dozvon dials dead<number> over the loop, and the far end
; answers the INVITE with SIP 503 before anything rings.
[phones-in]
exten => _dead.,1,Congestion(5)

; A phone placing a call (the hotline caller) records what it hears, then joins the test app.
[phones-caller]
exten => s,1,MixMonitor(${rec}/\${UNIQUEID}.wav)
 same => n,Stasis(${PHONES_APP},caller)
 same => n,Hangup()
`;
}

/** Writes etc/, data/ and the rest; returns the asterisk.conf path. */
export function writeConfig(l: AsteriskLayout): string {
  const d = dirs(l);
  for (const p of Object.values(d)) mkdirSync(p, { recursive: true });
  const files: Record<string, string> = {
    'asterisk.conf': `[directories]
astetcdir => ${d.etc}
astmoddir => ${path.join(l.prefix, 'lib/asterisk/modules')}
astvarlibdir => ${d.lib}
astdbdir => ${d.lib}
astkeydir => ${d.lib}
astdatadir => ${d.data}
astagidir => ${d.lib}
astspooldir => ${d.spool}
astrundir => ${d.run}
astlogdir => ${d.log}
astsbindir => ${path.join(l.prefix, 'sbin')}
astcachedir => ${d.cache}

[options]
verbose = 3
nofork = yes
`,
    'modules.conf': '[modules]\nautoload = yes\n',
    'logger.conf':
      '[general]\ndateformat = %F %T.%3q\n[logfiles]\nfull => notice,warning,error,verbose\nmessages => notice,warning,error\n',
    'ari.conf': replaceOrFail(
      replaceOrFail(
        readFileSync(path.join(SHIPPED, 'ari.conf'), 'utf8'),
        /^password = .*$/m,
        `password = ${l.ariPassword}`,
        'ari.conf password',
      ),
      /^\[dozvon\]$/m,
      `[${l.ariUser}]`,
      'ari.conf user',
    ),
    'http.conf': replaceOrFail(
      readFileSync(path.join(SHIPPED, 'http.conf'), 'utf8'),
      /^bindport = .*$/m,
      `bindport = ${l.httpPort}`,
      'http.conf bindport',
    ),
    'res_http_media_cache.conf': readFileSync(path.join(SHIPPED, 'res_http_media_cache.conf'), 'utf8'),
    'rtp.conf': replaceOrFail(
      replaceOrFail(
        readFileSync(path.join(SHIPPED, 'rtp.conf'), 'utf8'),
        /^rtpstart = .*$/m,
        `rtpstart = ${l.rtpStart}`,
        'rtp.conf rtpstart',
      ),
      /^rtpend = .*$/m,
      `rtpend = ${l.rtpStart + (l.rtpPorts ?? 200) - 1}`,
      'rtp.conf rtpend',
    ),
    'pjsip.conf': shippedPjsip(l),
    'pjsip-phones.conf': phonesPjsip(l),
    'extensions.conf': `${readFileSync(path.join(SHIPPED, 'extensions.conf'), 'utf8')}\n#include "extensions-phones.conf"\n`,
    'extensions-phones.conf': phonesDialplan(l),
    // Empty files the modules otherwise complain about at start.
    'pjproject.conf': '',
    'pjsip_wizard.conf': '',
    'pjsip_notify.conf': '',
    'musiconhold.conf': '[general]\n',
    'stasis.conf': '',
    'ccss.conf': '[general]\n',
    'cdr.conf': '[general]\nenable = no\n',
    'cel.conf': '[general]\nenable = no\n',
    'features.conf': '[general]\n',
    'acl.conf': '',
    'udptl.conf': '[general]\n',
    'websocket_client.conf': '',
    'indications.conf':
      '[general]\ncountry = us\n[us]\ndescription = United States\nring = 440+480/2000,0/4000\nbusy = 480+620/500,0/500\ncongestion = 480+620/250,0/250\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(d.etc, name), text);
  linkData(l);
  return path.join(d.etc, 'asterisk.conf');
}

/** data/: the ARI API description from the build, and sounds/<lang>/ built from links. */
function linkData(l: AsteriskLayout): void {
  const d = dirs(l);
  const built = path.join(l.prefix, 'var/lib/asterisk');
  for (const sub of ['rest-api', 'documentation', 'phoneprov', 'static-http']) {
    const src = path.join(built, sub);
    if (existsSync(src) && !existsSync(path.join(d.data, sub))) symlinkSync(src, path.join(d.data, sub));
  }
  for (const [lang, src] of Object.entries(CORE_SOUNDS)) {
    const target = path.join(d.data, 'sounds', lang);
    mkdirSync(target, { recursive: true });
    if (!existsSync(src))
      throw new Error(`Asterisk core sounds for ${lang} missing at ${src}: apt-get install asterisk-core-sounds-${lang}-wav`);
    for (const entry of readdirSync(src))
      if (!existsSync(path.join(target, entry))) symlinkSync(path.join(src, entry), path.join(target, entry));
    // The English voice is also Asterisk's default when a channel has no language.
    const prompts = path.join(PROJECT, 'sounds', lang, 'dozvon');
    if (l.prompts && !existsSync(path.join(target, 'dozvon'))) symlinkSync(prompts, path.join(target, 'dozvon'));
  }
}
