/**
 * What the window writes in the user's language: health figures with their units through Intl,
 * times in lists, plural forms in Russian, and voice commands as phrases a person would say.
 */
import i18next from 'i18next';
import { en } from '../../src-shared/i18n/en';
import { ru } from '../../src-shared/i18n/ru';
import { readingText, processKind } from '../../src-renderer/features/health/readings';
import { clockTime, listTime } from '../../src-renderer/lib/format';
import { VOICE_COMMANDS, examplePhrase } from '../../src-renderer/features/voice/voice-commands';

describe('words in the UI language', () => {
  beforeAll(async () => {
    await i18next.init({
      resources: { en: { translation: en }, ru: { translation: ru } },
      lng: 'ru',
      interpolation: { escapeValue: false },
    });
  });

  it('writes health figures with units and phrases of the UI language', () => {
    const t = i18next.getFixedT('ru');
    expect(readingText({ amount: 30, unit: 'minute' }, '30 min', 'ru', t)).toBe('30 мин');
    expect(readingText({ amount: 512, unit: 'megabyte' }, '512 MB', 'ru', t)).toBe('512 МБ');
    expect(readingText({ amount: 26.5, unit: 'hour', phrase: 'noneFor' }, null, 'ru', t)).toBe(
      'нет уже 26,5 ч',
    );
    expect(readingText({ amount: 0.2, unit: 'hour', phrase: 'noneFor' }, null, 'ru', t)).toBe(
      'пока нет',
    );
    expect(readingText({ word: 'connected' }, 'connected', 'ru', t)).toBe('подключено');
    expect(readingText(null, null, 'ru', t)).toBe('—');
    // An older main process sends only text: shown as it came.
    expect(readingText(undefined, '5 MB', 'ru', t)).toBe('5 MB');
    expect(processKind('renderer', t)).toBe('Окно');
    expect(processKind('something-new', t)).toBe('something-new');
  });

  it('counts in Russian with one, few and many', () => {
    const t = i18next.getFixedT('ru');
    expect(t('chats.membersCount', { count: 1 })).toBe('1 участник');
    expect(t('chats.membersCount', { count: 3 })).toBe('3 участника');
    expect(t('chats.membersCount', { count: 5 })).toBe('5 участников');
    expect(t('chats.membersCount', { count: 21 })).toBe('21 участник');
    expect(i18next.getFixedT('en')('call.participantsCount', { count: 1 })).toBe('1 participant');
  });

  it('writes times as the UI language does', () => {
    const at = new Date(2026, 11, 6, 21, 38).getTime();
    expect(clockTime(at, 'ru')).toBe('21:38');
    expect(clockTime(at, 'en')).toMatch(/^9:38\sPM$/);
    const now = new Date(2026, 11, 6, 23, 0).getTime();
    expect(listTime(at, now, 'ru')).toBe('21:38');
    // Three days ago: the weekday; a month ago: the date.
    expect(listTime(at - 3 * 86_400_000, now, 'en')).toBe('Thu');
    expect(listTime(new Date(2026, 10, 2).getTime(), now, 'ru')).toMatch(/^2 нояб/);
  });

  it('shows voice commands as phrases, not grammar', () => {
    const examples = { target: 'Anna', text: 'see you at ten' };
    expect(examplePhrase('(turn|switch) [the] camera off', examples)).toBe('turn the camera off');
    expect(examplePhrase('call {target}', examples)).toBe('call Anna');
    expect(examplePhrase('share [my|the] screen', examples)).toBe('share my screen');
    for (const command of VOICE_COMMANDS)
      for (const language of ['en', 'ru'] as const)
        for (const phrase of command.phrases[language])
          expect(examplePhrase(phrase, examples)).not.toMatch(/[()[\]{}|]/);
  });
});
