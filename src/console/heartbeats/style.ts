/** The history strip's colours (the same tones as the badges) and its axis and legend. */
export const HEARTBEATS_CSS = `
.hb-figure{margin:0 0 12px}
svg.hb-strip{display:block;width:100%;height:40px;background:#f2f4f7;border:1px solid var(--line);border-radius:6px}
svg.hb-strip rect.up{fill:#a6f4c5}svg.hb-strip rect.new{fill:#eaecf0}svg.hb-strip rect.late{fill:#fedf89}
svg.hb-strip rect.down{fill:#d92d20}svg.hb-strip rect.paused{fill:#d0d5dd}
svg.hb-strip line.ping{stroke:#101828;stroke-width:1.5}svg.hb-strip line.fail{stroke:#a11a12;stroke-width:3}
.hb-axis{display:flex;justify-content:space-between;font-size:12px;color:var(--muted);margin-top:2px}
.hb-figure figcaption{margin-top:4px}
.hb-legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:var(--muted);margin-top:4px}
.hb-legend i.sw{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:4px;vertical-align:-2px;border:1px solid var(--line)}
.hb-legend i.up{background:#a6f4c5}.hb-legend i.late{background:#fedf89}.hb-legend i.down{background:#d92d20}.hb-legend i.paused{background:#d0d5dd}
.hb-legend i.tick{width:3px;background:#101828;border:0}.hb-legend i.tick.fail{background:#a11a12;width:4px}
.hb-description{white-space:pre-wrap}
#ping h3{margin-top:18px}
#page-field>.hint{margin:-6px 0 12px;font-size:13px}
`;
