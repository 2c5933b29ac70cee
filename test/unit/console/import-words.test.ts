/** Every import problem a Russian console page can show has Russian words, not a key or English. */
import { expect } from 'chai';
import { READ_REASON_CODES } from '../../../src/directory/import-csv';
import { userCreateSchema } from '../../../src/directory/user';
import { problemText, readErrorText } from '../../../src/console/people/import-words';
import { translator } from '../../../src/console/i18n';
import { TEXTS } from '../../../src/console/people/texts';
import { COMMON } from '../../../src/console/texts';

const ru = translator('ru', TEXTS, COMMON);
const cyrillic = /[а-яё]/i;

describe('console import problems in Russian', () => {
  it('every field a person has is worded (label and hint), so no schema field falls back to English', () => {
    for (const f of Object.keys(userCreateSchema.shape)) {
      const text = problemText('ru', ru, {
        entry: 1,
        message: 'entry 1: english',
        reason: { kind: 'invalid', fields: [f], unknownKeys: [], unquotedPin: false },
      });
      expect(text, f).to.match(cyrillic).and.not.include('fieldName.').and.not.include('err.').and.not.include('english');
    }
  });

  it('every reason a file cannot be read is worded with its values', () => {
    for (const code of READ_REASON_CODES) {
      const text = readErrorText('ru', ru, {
        message: 'english',
        reason: { code, vars: { line: 7, columns: 'a', known: 'b', column: 'c', cells: 3, item: 'i', detail: 'd' } },
      });
      expect(text, code)
        .to.match(cyrillic)
        .and.not.include('read.')
        .and.not.match(/\{\w+\}/);
    }
  });

  it("English pages keep the CLI's own words", () => {
    const p = {
      entry: 2,
      message: 'entry 2: email: not a valid email address',
      reason: { kind: 'invalid' as const, fields: ['email'], unknownKeys: [], unquotedPin: false },
    };
    expect(problemText('en', ru, p)).to.equal(p.message);
    expect(readErrorText('en', ru, { message: 'CSV: line 1: unknown column "x"', reason: { code: 'unknownColumns', vars: {} } })).to.equal(
      'CSV: line 1: unknown column "x"',
    );
  });
});
