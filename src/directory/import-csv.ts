/**
 * People as CSV, for a spreadsheet export: a header row naming the columns (email, name, phone,
 * phones, lang, pin, channels, role, timezone, contacts) and one person per row. Cells stay text,
 * so a phone keeps its + and a PIN its leading zero; an empty cell leaves that field out. Channels
 * are separated by `;` or spaces, contacts are `KEY=VALUE` items separated by `;`, phones (several,
 * in dialling order; instead of `phone`) are numbers or `LABEL=NUMBER` items separated by `;`.
 */

import { phoneItems } from './phone-items';

export const CSV_COLUMNS = ['email', 'name', 'phone', 'phones', 'lang', 'pin', 'channels', 'role', 'timezone', 'contacts'] as const;

/** Why a file cannot be read, as a code and its values: the console words it in the reader's language. */
export const READ_REASON_CODES = [
  'unclosedQuote',
  'empty',
  'unknownColumns',
  'noEmail',
  'columnTwice',
  'ragged',
  'badContact',
  'yaml',
  'notList',
] as const;
export interface ReadReason {
  code: (typeof READ_REASON_CODES)[number];
  vars: Record<string, string | number>;
}

/** A file-level problem (unknown column, ragged row, open quote), with the line it is on. */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly reason: ReadReason,
  ) {
    super(message);
  }
}

/** RFC 4180 rows: commas, quoted cells with "" for a quote, CRLF or LF line ends. */
export function csvRows(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0].trim() !== '') rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (quoted) throw new CsvError(`line ${rowLine}: a quoted cell is never closed`, { code: 'unclosedQuote', vars: { line: rowLine } });
  if (cell !== '' || cells.length) endRow();
  return rows;
}

/** The rows as the objects a YAML list would give (validated later by the same schema). */
export function parseUsersCsv(text: string, source: string): Record<string, unknown>[] {
  const rows = csvRows(text.replace(/^\uFEFF/, ''));
  if (rows.length === 0)
    throw new CsvError(`${source}: empty: expected a header row (${CSV_COLUMNS.join(',')}) and one row per person`, {
      code: 'empty',
      vars: { columns: CSV_COLUMNS.join(',') },
    });
  const [head, ...data] = rows;
  const columns = head.cells.map((c) => c.trim().toLowerCase());
  const unknown = columns.filter((c) => !(CSV_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) {
    const named = unknown.map((c) => `"${c.slice(0, 40)}"`).join(', ');
    const known = CSV_COLUMNS.join(', ');
    throw new CsvError(`${source}: line ${head.line}: unknown column${unknown.length > 1 ? 's' : ''} ${named} (known: ${known})`, {
      code: 'unknownColumns',
      vars: { line: head.line, columns: named, known },
    });
  }
  if (!columns.includes('email'))
    throw new CsvError(`${source}: line ${head.line}: the header row has no "email" column`, {
      code: 'noEmail',
      vars: { line: head.line },
    });
  const twice = columns.find((c, i) => columns.indexOf(c) !== i);
  if (twice)
    throw new CsvError(`${source}: line ${head.line}: column "${twice}" appears twice`, {
      code: 'columnTwice',
      vars: { line: head.line, column: twice },
    });
  return data.map(({ line, cells }) => {
    if (cells.length > columns.length)
      throw new CsvError(`${source}: line ${line}: ${cells.length} cells, but the header has ${columns.length} columns`, {
        code: 'ragged',
        vars: { line, cells: cells.length, columns: columns.length },
      });
    const out: Record<string, unknown> = {};
    columns.forEach((col, i) => {
      const v = (cells[i] ?? '').trim();
      if (v === '') return;
      if (col === 'channels') out.channels = v.split(/[;\s]+/).filter(Boolean);
      else if (col === 'contacts') out.contacts = contactsCell(v, source, line);
      else if (col === 'phones') out.phones = phoneItems(v, ';');
      else out[col] = v;
    });
    return out;
  });
}

function contactsCell(v: string, source: string, line: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of v
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = item.indexOf('=');
    if (at <= 0)
      throw new CsvError(`${source}: line ${line}: contact "${item.slice(0, 60)}" is not KEY=VALUE (e.g. fcm_device=abc; telegram=12345)`, {
        code: 'badContact',
        vars: { line, item: item.slice(0, 60) },
      });
    out[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return out;
}
