import { mentionsPerson, redactPerson } from './redaction';

describe('redactPerson', () => {
  const person = { cpr: '0304051234', name: 'Åse  Mari Ølund' };

  it('removes the CPR number in its usual spellings and the full name in any case and spacing', () => {
    const text =
      'Mødt: åse mari ølund (030405-1234), også skrevet 0304051234 og 030405 1234. ÅSE MARI\nØLUND ringede.';
    const redacted = redactPerson(text, person);
    expect(redacted).toBe(
      'Mødt: [slettet] ([slettet]), også skrevet [slettet] og [slettet]. [slettet] ringede.',
    );
    expect(mentionsPerson(text, person)).toBe(true);
  });

  it('leaves other numbers, other people and parts of words alone', () => {
    const text = 'Sag 10304051234, tlf. 30405123, Åse Mari Ølundsen og Åse kom.';
    expect(redactPerson(text, person)).toBe(text);
    expect(mentionsPerson(text, person)).toBe(false);
  });

  it('treats regular-expression characters in a name as text', () => {
    expect(
      redactPerson('Jens (J.) Hansen og Jens xJx Hansen', { cpr: '', name: 'Jens (J.) Hansen' }),
    ).toBe('[slettet] og Jens xJx Hansen');
  });
});
