/** "@Name" mentions: the whole name after "@", not inside a word, longest name first. */
import { mentionPattern, mentions } from '../../src-shared/protocol/mentions';

describe('mentions', () => {
  it('finds a member named after "@", in any script, not inside words or addresses', () => {
    expect(mentions('hi @Bob!', 'Bob')).toBe(true);
    expect(mentions('@bob, look', 'Bob')).toBe(true);
    expect(mentions('@Боб, привет', 'боб')).toBe(true);
    expect(mentions('hi @Bobby', 'Bob')).toBe(false);
    expect(mentions('mail bob@Bob.example', 'Bob')).toBe(false);
    expect(mentions('Bob without the at', 'Bob')).toBe(false);
    expect(mentions('cost (@1.5$) today', '1.5$')).toBe(true); // names are matched literally
  });

  it('prefers the longest name', () => {
    const pattern = mentionPattern(['Anna', 'Anna Lee'])!;
    expect('@Anna Lee and @Anna'.replace(pattern, '[$1]')).toBe('[Anna Lee] and [Anna]');
    expect(mentionPattern([' ', ''])).toBeNull();
  });
});
