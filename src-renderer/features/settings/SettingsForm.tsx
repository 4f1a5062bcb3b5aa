import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionStatus, ShortcutStatus } from '../../../src-shared/ipc/types';
import { ShortcutAction, type Settings, type SettingsPatch } from '../../../src-shared/settings';
import { call } from '../../lib/api';
import { IdentityProblem } from '../chats/IdentityProblem';
import { Button } from '../../ui/Button';
import { ErrorDetails } from '../../ui/ErrorDetails';
import { Select, Switch, TextArea, TextField } from '../../ui/Field';
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
        <Select
          label={t('settings.language')}
          hideLabel
          testId="settings-language"
          value={draft.language}
          onChange={(e) => setDraft({ ...draft, language: e.target.value as Settings['language'] })}
          options={[
            { value: 'system', label: t('settings.languageSystem') },
            { value: 'en', label: 'English' },
            { value: 'ru', label: 'Русский' },
          ]}
        />
      </fieldset>

      <fieldset>
        <legend>{t('settings.theme')}</legend>
        <Select
          label={t('settings.theme')}
          hideLabel
          testId="settings-theme"
          value={draft.theme}
          onChange={(e) => setDraft({ ...draft, theme: e.target.value as Settings['theme'] })}
          options={[
            { value: 'system', label: t('settings.themeSystem') },
            { value: 'light', label: t('settings.themeLight') },
            { value: 'dark', label: t('settings.themeDark') },
          ]}
        />
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
          <TextField
            label={t('settings.serverUrl')}
            testId="settings-server-url"
            placeholder="wss://chat.example.org/ws"
            value={urlText}
            onChange={(e) => setUrlText(e.target.value)}
          />
        ) : null}
        {remote ? (
          <TextArea
            label={t('settings.fallbackServers')}
            testId="settings-fallback-servers"
            rows={2}
            placeholder="wss://chat2.example.org/ws"
            value={fallbackText}
            onChange={(e) => setFallbackText(e.target.value)}
          />
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
        <Switch
          label={t('settings.closeToTray')}
          testId="settings-close-to-tray"
          checked={draft.closeToTray}
          onChange={(closeToTray) => setDraft({ ...draft, closeToTray })}
        />
        <Switch
          label={t('analytics.consent.setting')}
          testId="settings-analytics"
          checked={draft.analyticsConsent === 'granted'}
          onChange={(on) => setDraft({ ...draft, analyticsConsent: on ? 'granted' : 'denied' })}
        />
      </fieldset>

      <fieldset>
        <legend>{t('settings.shortcuts')}</legend>
        <p className="muted">{t('settings.shortcutHint')}</p>
        {ShortcutAction.options.map((action) => {
          const status = shortcuts.find((s) => s.action === action);
          return (
            <div key={action} className="shortcut-row">
              <TextField
                label={t(`settings.shortcutAction.${action}`)}
                className="shortcut-field"
                testId={`settings-shortcut-${action}`}
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
        <Button type="submit" variant="primary" testId="settings-save" disabled={busy}>
          {t('settings.save')}
        </Button>
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
