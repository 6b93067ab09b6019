import fc from 'fast-check';
import {
  CPR_PROBLEMS,
  cprCentury,
  formatCpr,
  isValidCpr,
  parseCpr,
  passesModulus11,
  type CprResult,
} from './cpr';

// All numbers here are made up for the tests (1 January / 29 February birthdays, serials such as
// 0001 and 1234). They are not anyone's CPR number as far as the authors know.

function valueOf(result: CprResult) {
  if (!result.ok) throw new Error(`expected ok, got ${result.reason.code}`);
  return result.value;
}

function codeOf(result: CprResult) {
  return result.ok ? 'ok' : result.reason.code;
}

describe('parseCpr: format', () => {
  it('accepts DDMMYY-SSSS and DDMMYYSSSS, trimming surrounding whitespace', () => {
    for (const input of ['010190-1234', '0101901234', '  010190-1234 ', '\t0101901234\n']) {
      expect(valueOf(parseCpr(input)).normalized).toBe('0101901234');
    }
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['nine digits', '010190123'],
    ['eleven digits', '01019012345'],
    ['hyphen in the wrong place', '0101901-234'],
    ['two hyphens', '010190--1234'],
    ['inner space', '010190 1234'],
    ['en dash', '010190\u20131234'],
    ['a letter', 'O10190-1234'],
    ['letter in the serial', '010190-A234'],
    ['full-width digits', '\uff10\uff11\uff10\uff11\uff19\uff10\uff11\uff12\uff13\uff14'],
  ])('refuses %s with FORMAT', (_label, input) => {
    expect(parseCpr(input)).toEqual({ ok: false, reason: CPR_PROBLEMS.FORMAT });
  });

  it('refuses a non-string from untyped callers with FORMAT', () => {
    expect(codeOf(parseCpr(1012345678 as unknown as string))).toBe('FORMAT');
    expect(codeOf(parseCpr(undefined as unknown as string))).toBe('FORMAT');
  });
});

describe('parseCpr: century (7th digit and YY)', () => {
  // The table of domain.md, cell by cell, at both ends of each YY range.
  const table: ReadonlyArray<
    readonly [digits: number[], yy00to36: number, yy37to57: number, yy58to99: number]
  > = [
    [[0, 1, 2, 3], 1900, 1900, 1900],
    [[4], 2000, 1900, 1900],
    [[5, 6, 7, 8], 2000, 2000, 1800],
    [[9], 2000, 1900, 1900],
  ];
  const cases = table.flatMap(([digits, low, middle, high]) =>
    digits.flatMap((digit) =>
      (
        [
          ['00', low],
          ['36', low],
          ['37', middle],
          ['57', middle],
          ['58', high],
          ['99', high],
        ] as const
      ).map(([yy, century]) => [digit, yy, `${century + Number(yy)}-01-01`] as const),
    ),
  );

  it('covers all 60 digit/boundary combinations', () => {
    expect(cases).toHaveLength(60);
  });

  it.each(cases)('7th digit %i with YY %s → born %s', (digit, yy, birthDate) => {
    expect(valueOf(parseCpr(`0101${yy}-${digit}001`)).birthDate).toBe(birthDate);
    expect(cprCentury(digit, Number(yy)) + Number(yy)).toBe(Number(birthDate.slice(0, 4)));
  });
});

describe('parseCpr: dates', () => {
  it.each([
    ['day 00', '000190-1234'],
    ['day 32', '320190-1234'],
    ['31 April', '310490-1234'],
    ['30 February', '300290-1234'],
    ['month 00', '010090-1234'],
    ['month 13', '011390-1234'],
    ['29 February in a common year', '290297-1234'],
  ])('refuses %s with DATE', (_label, input) => {
    expect(parseCpr(input)).toEqual({ ok: false, reason: CPR_PROBLEMS.DATE });
  });

  it('29 February 2000 (7th digit 4) is a real date', () => {
    expect(valueOf(parseCpr('290200-4001')).birthDate).toBe('2000-02-29');
  });

  it.each([0, 1, 2, 3])('29 February with YY 00 and 7th digit %i is 1900: no leap day', (digit) => {
    expect(codeOf(parseCpr(`290200-${digit}001`))).toBe('DATE');
  });

  it('29 February in 2000 (digits 5–9) and 1860 (digits 5–8, YY 60) are real', () => {
    for (const digit of [5, 6, 7, 8, 9]) {
      expect(valueOf(parseCpr(`290200-${digit}001`)).birthDate).toBe('2000-02-29');
    }
    expect(valueOf(parseCpr('290260-5001')).birthDate).toBe('1860-02-29');
  });

  it('refuses a birth date after today only when today is given', () => {
    expect(valueOf(parseCpr('010130-4001')).birthDate).toBe('2030-01-01');
    expect(parseCpr('010130-4001', { today: '2026-06-01' })).toEqual({
      ok: false,
      reason: CPR_PROBLEMS.FUTURE_BIRTH_DATE,
    });
    expect(codeOf(parseCpr('010626-4001', { today: '2026-06-01' }))).toBe('ok'); // born today
    expect(codeOf(parseCpr('020626-4001', { today: '2026-06-01' }))).toBe('FUTURE_BIRTH_DATE');
  });
});

describe('parseCpr: replacement numbers (day + 60)', () => {
  it('accepts them, marks them and derives the real date', () => {
    expect(valueOf(parseCpr('610190-1234'))).toEqual({
      normalized: '6101901234',
      birthDate: '1990-01-01',
      sex: 'female',
      replacement: true,
    });
    expect(valueOf(parseCpr('910190-1234')).birthDate).toBe('1990-01-31');
    expect(valueOf(parseCpr('890292-1234')).birthDate).toBe('1992-02-29');
    expect(valueOf(parseCpr('010190-1234')).replacement).toBe(false);
  });

  it('applies the same date rules after subtracting 60', () => {
    expect(codeOf(parseCpr('600190-1234'))).toBe('DATE'); // day 0
    expect(codeOf(parseCpr('920190-1234'))).toBe('DATE'); // day 32
    expect(codeOf(parseCpr('910490-1234'))).toBe('DATE'); // 31 April
    expect(codeOf(parseCpr('890290-1234'))).toBe('DATE'); // 29 Feb 1990
  });
});

describe('parseCpr: sex', () => {
  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])('last digit %i', (last) => {
    expect(valueOf(parseCpr(`010190-123${last}`)).sex).toBe(last % 2 === 1 ? 'male' : 'female');
  });
});

describe('modulus 11', () => {
  it('is computed with the weights 4 3 2 7 6 5 4 3 2 1', () => {
    // 0·4 + 1·3 + 0·2 + 1·7 + 9·6 + 0·5 + 1·4 + 2·3 + 3·2 = 80; 80 + 8 = 88 = 8·11.
    expect(passesModulus11('010190-1238')).toBe(true);
    expect(passesModulus11('0101901238')).toBe(true);
    expect(passesModulus11('010190-1230')).toBe(false);
    expect(passesModulus11('not a number')).toBe(false);
  });

  it('never causes a refusal', () => {
    expect(passesModulus11('010190-1230')).toBe(false);
    expect(valueOf(parseCpr('010190-1230')).birthDate).toBe('1990-01-01');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), (serial) => {
        const input = `150685-${String(serial).padStart(4, '0')}`;
        expect(isValidCpr(input)).toBe(true);
      }),
    );
  });
});

describe('problem messages never reveal the number', () => {
  it('no message contains a digit', () => {
    for (const problem of Object.values(CPR_PROBLEMS)) {
      expect(problem.message).not.toMatch(/[0-9]/);
    }
  });

  it('no refusal carries any digit of the input (property)', () => {
    const cprLike = fc
      .tuple(
        fc.stringMatching(/^[0-9]{6}$/),
        fc.constantFrom('', '-', ' ', '--'),
        fc.stringMatching(/^[0-9]{3,5}$/),
      )
      .map(([head, separator, tail]) => `${head}${separator}${tail}`);
    fc.assert(
      fc.property(fc.oneof(cprLike, fc.string()), fc.boolean(), (input, withToday) => {
        const result = parseCpr(input, withToday ? { today: '2026-06-01' } : {});
        if (!result.ok) expect(JSON.stringify(result)).not.toMatch(/[0-9]/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatCpr', () => {
  it('puts the hyphen back', () => {
    expect(formatCpr(valueOf(parseCpr('0101901234')))).toBe('010190-1234');
  });
});
