import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionStatus, ShortcutStatus } from '../../../src-shared/ipc/types';
import { ShortcutAction, type Settings, type SettingsPatch } from '../../../src-shared/settings';
import { call } from '../../lib/api';
import { IdentityProblem } from '../chats/IdentityProblem';
import { ErrorDetails } from '../../ui/ErrorDetails';
import { settingsErrorText } from './settings-errors';
import { acceleratorFromKey, displayAccelerator } from '../../../src-shared/accelerator';

const isMac = /Mac/.test(navigator.platform);

interface Props {
  settings: Settings;
  shortcuts: ShortcutStatus[];
  connection: ConnectionStatus | null;
}

/** What the user changed, as the smallest patch. */
function diff(saved: Settings, draft: Settings): SettingsPatch {
  const patch: SettingsPatch = {};
  if (draft.language !== saved.language) patch.language = draft.language;
  if (draft.theme !== saved.theme) patch.theme = draft.theme;
  if (draft.serverUrl !== saved.serverUrl) patch.serverUrl = draft.serverUrl;
  if (draft.fallbackServerUrls.join('\n') !== saved.fallbackServerUrls.join('\n'))
    patch.fallbackServerUrls = draft.fallbackServerUrls;
  if (draft.closeToTray !== saved.closeToTray) patch.closeToTray = draft.closeToTray;
  if (draft.analyticsConsent !== saved.analyticsConsent)
    patch.analyticsConsent = draft.analyticsConsent;
  const shortcuts = Object.fromEntries(
    ShortcutAction.options
      .filter((a) => draft.shortcuts[a] !== saved.shortcuts[a])
      .map((a) => [a, draft.shortcuts[a]]),
  );
  if (Object.keys(shortcuts).length) patch.shortcuts = shortcuts;
  return patch;
}

export function SettingsForm({ settings, shortcuts, connection }: Props) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Settings>(settings);
  const setShortcut = (action: ShortcutAction, value: string) =>
    setDraft((d) => ({ ...d, shortcuts: { ...d.shortcuts, [action]: value } }));
  const [remote, setRemote] = useState(settings.serverUrl !== null);
  const [urlText, setUrlText] = useState(settings.serverUrl ?? '');
  const [fallbackText, setFallbackText] = useState(settings.fallbackServerUrls.join('\n'));
  // What the last save did; text is made at render time so it follows a language change.
  const [result, setResult] = useState<
    { kind: 'saved' } | { kind: 'error'; error: unknown } | null
  >(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setResult(null);
    try {
      const fallbackServerUrls = remote
        ? fallbackText
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean)
        : [];
      const next = { ...draft, serverUrl: remote ? urlText.trim() : null, fallbackServerUrls };
      const saved = await call('settings.update', diff(settings, next));
      setDraft(saved);
      setResult({ kind: 'saved' });
    } catch (error) {
      setResult({ kind: 'error', error });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="settings" onSubmit={(e) => void submit(e)}>
      <fieldset>
        <legend>{t('settings.language')}</legend>
        <select
          data-testid="settings-language"
          aria-label={t('settings.language')}
          value={draft.language}
          onChange={(e) => setDraft({ ...draft, language: e.target.value as Settings['language'] })}
        >
          <option value="system">{t('settings.languageSystem')}</option>
          <option value="en">English</option>
          <option value="ru">Русский</option>
        </select>
      </fieldset>

      <fieldset>
        <legend>{t('settings.theme')}</legend>
        <select
          data-testid="settings-theme"
          aria-label={t('settings.theme')}
          value={draft.theme}
          onChange={(e) => setDraft({ ...draft, theme: e.target.value as Settings['theme'] })}
        >
          <option value="system">{t('settings.themeSystem')}</option>
          <option value="light">{t('settings.themeLight')}</option>
          <option value="dark">{t('settings.themeDark')}</option>
        </select>
      </fieldset>

      <fieldset>
        <legend>{t('settings.server')}</legend>
        <label>
          <input
            type="radio"
            name="server"
            data-testid="settings-server-embedded"
            checked={!remote}
            onChange={() => setRemote(false)}
          />
          {t('settings.serverEmbedded')}
        </label>
        <label>
          <input
            type="radio"
            name="server"
            data-testid="settings-server-remote"
            checked={remote}
            onChange={() => setRemote(true)}
          />
          {t('settings.serverRemote')}
        </label>
        {remote ? (
          <label className="block">
            {t('settings.serverUrl')}
            <input
              type="text"
              data-testid="settings-server-url"
              placeholder="wss://chat.example.org/ws"
              value={urlText}
              onChange={(e) => setUrlText(e.target.value)}
            />
          </label>
        ) : null}
        {remote ? (
          <label className="block">
            {t('settings.fallbackServers')}
            <textarea
              data-testid="settings-fallback-servers"
              rows={2}
              placeholder="wss://chat2.example.org/ws"
              value={fallbackText}
              onChange={(e) => setFallbackText(e.target.value)}
            />
          </label>
        ) : null}
        {connection?.source === 'override' ? (
          <p className="muted">{t('settings.serverOverride', { url: connection.url })}</p>
        ) : null}
        {/* The line keeps its place while connecting, so nothing below it moves under the pointer. */}
        <p className="muted">
          {t('settings.serverIdentity')}{' '}
          {connection?.fingerprint ? (
            <code data-testid="settings-server-fingerprint">{connection.fingerprint}</code>
          ) : (
            <span data-testid="settings-server-fingerprint-pending">
              {t('settings.serverIdentityPending')}
            </span>
          )}
        </p>
        {connection?.identityProblem ? (
          <p>
            <IdentityProblem problem={connection.identityProblem} testId="settings" />
          </p>
        ) : null}
      </fieldset>

      <fieldset>
        <label>
          <input
            type="checkbox"
            data-testid="settings-close-to-tray"
            checked={draft.closeToTray}
            onChange={(e) => setDraft({ ...draft, closeToTray: e.target.checked })}
          />
          {t('settings.closeToTray')}
        </label>
        <label>
          <input
            type="checkbox"
            data-testid="settings-analytics"
            checked={draft.analyticsConsent === 'granted'}
            onChange={(e) =>
              setDraft({ ...draft, analyticsConsent: e.target.checked ? 'granted' : 'denied' })
            }
          />
          {t('analytics.consent.setting')}
        </label>
      </fieldset>

      <fieldset>
        <legend>{t('settings.shortcuts')}</legend>
        <p className="muted">{t('settings.shortcutHint')}</p>
        {ShortcutAction.options.map((action) => {
          const status = shortcuts.find((s) => s.action === action);
          return (
            <div key={action} className="shortcut-row">
              <label className="block">
                {t(`settings.shortcutAction.${action}`)}
                <input
                  type="text"
                  className="shortcut-input"
                  data-testid={`settings-shortcut-${action}`}
                  value={displayAccelerator(draft.shortcuts[action], isMac)}
                  placeholder={t('settings.shortcutPress')}
                  aria-description={t('settings.shortcutPressHint')}
                  onChange={(e) => setShortcut(action, e.target.value)}
                  onKeyDown={(e) => {
                    // Pressed, not typed: the combination is recorded; Tab still moves on,
                    // Backspace or Delete alone clears the shortcut (turns it off).
                    if (e.key === 'Tab' || (e.key === 'Escape' && !e.ctrlKey)) return;
                    const bare = !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey;
                    if (bare && (e.key === 'Backspace' || e.key === 'Delete')) {
                      e.preventDefault();
                      setShortcut(action, '');
                      return;
                    }
                    if (e.key.length === 1 || e.key.startsWith('F') || !bare) e.preventDefault();
                    const recorded = acceleratorFromKey(e, isMac);
                    if (recorded) setShortcut(action, recorded);
                  }}
                />
              </label>
              {status ? (
                <span
                  className={`shortcut-state state-${status.state}`}
                  data-testid={`settings-shortcut-status-${action}`}
                  data-state={status.state}
                >
                  {t(`settings.shortcutState.${status.state}`)}
                  {status.reasonCode
                    ? `: ${t(`settings.shortcutReason.${status.reasonCode}`, { detail: status.reason ?? '' })}`
                    : ''}
                </span>
              ) : null}
            </div>
          );
        })}
      </fieldset>

      <div className="actions">
        <button type="submit" data-testid="settings-save" disabled={busy}>
          {t('settings.save')}
        </button>
        {result ? (
          <div
            role={result.kind === 'error' ? 'alert' : 'status'}
            data-testid={result.kind === 'error' ? 'settings-error' : 'settings-saved'}
            className={result.kind}
          >
            {result.kind === 'error' ? (
              <ErrorDetails {...settingsErrorText(result.error, t)} />
            ) : (
              t('settings.saved')
            )}
          </div>
        ) : null}
      </div>
    </form>
  );
}
