/** The people area's additions to console.css. */
export const PEOPLE_CSS = `
.people-table td{overflow-wrap:anywhere}.people-email{word-break:break-all}
.person-form .grid2>div{min-width:0}.people-hint{margin:-6px 0 12px;font-size:13px}
ul.plain{list-style:none;margin:0;padding:0}
.verify-status.good{color:var(--good)}.verify-status.warn{color:var(--warn)}.verify-status.bad{color:var(--bad)}
.test-buttons{display:flex;flex-wrap:wrap;gap:12px 20px;margin:8px 0}.test-choice{display:flex;flex-direction:column;gap:4px;max-width:260px}
.test-choice form{margin:0}.test-choice .hint{font-size:13px}
.verify-confirm{margin-top:8px}.verify-confirm .field{max-width:240px}
.step-time{display:inline-block;min-width:64px;color:var(--muted)}
.progress-status{font-weight:600}.progress-status.delivered{color:var(--good)}.progress-status.failed,.progress-status.cancelled{color:var(--bad)}
.import-errors{margin:6px 0 0;padding-left:20px}.import-errors .mono{overflow-wrap:anywhere}
.import-help p{overflow-wrap:anywhere}
.import-file{margin:0 0 12px}.import-file label{display:block;font-weight:600;margin:0 0 4px}
`;
