import { dict } from '../i18n';

export const TEXTS = dict(
  {
    title: 'Delivery',
    intro:
      'The share of pages acknowledged (a digit on the call, the link in a text or push, or OnCall) within 1, 5 and 15 minutes of arriving, per channel and per trunk. A page counts as acknowledged when its incident was, by whichever of its pages. Pages younger than 15 minutes are not judged yet.',
    channel: 'Channel',
    trunk: 'Trunk',
    'trunk.all': 'all trunks',
    'trunk.unknown': 'unknown',
    window: '{window}: ≤ 5 min (≤ 1 · ≤ 15 min)',
    ofPages: 'of {n}',
    ring: 'First ring (24 h)',
    ack: 'Acknowledged (24 h)',
    'hist.title': 'Time to first ring and to acknowledgement, last 24 hours (pages per bucket)',
    'hist.over': 'longer',
    'unit.s': '{n} s',
    'unit.min': '{n} min',
    none: 'No pages in the last 30 days.',
    metrics:
      'The same figures are in /metrics (dozvon_pages_total, dozvon_pages_acked_total, dozvon_time_to_first_ring_seconds, dozvon_time_to_ack_seconds) with alert rules in docs/prometheus/dozvon-rules.yml.',
    '24h': '24 h',
    '7d': '7 days',
    '30d': '30 days',
  },
  {
    title: 'Доставка',
    intro:
      'Доля вызовов, подтверждённых (цифрой в звонке, ссылкой из SMS или push, или в OnCall) за 1, 5 и 15 минут с момента поступления, по каналам и транкам. Вызов считается подтверждённым, если подтверждён его инцидент, любым из его вызовов. Вызовы моложе 15 минут ещё не оцениваются.',
    channel: 'Канал',
    trunk: 'Транк',
    'trunk.all': 'все транки',
    'trunk.unknown': 'неизвестен',
    window: '{window}: ≤ 5 мин (≤ 1 · ≤ 15 мин)',
    ofPages: 'из {n}',
    ring: 'Первый звонок (24 ч)',
    ack: 'Подтверждение (24 ч)',
    'hist.title': 'Время до первого звонка и до подтверждения за 24 часа (вызовов в интервале)',
    'hist.over': 'дольше',
    'unit.s': '{n} с',
    'unit.min': '{n} мин',
    none: 'За 30 дней вызовов не было.',
    metrics:
      'Те же показатели есть в /metrics (dozvon_pages_total, dozvon_pages_acked_total, dozvon_time_to_first_ring_seconds, dozvon_time_to_ack_seconds), правила алертов — в docs/prometheus/dozvon-rules.yml.',
    '24h': '24 ч',
    '7d': '7 дней',
    '30d': '30 дней',
  },
);
