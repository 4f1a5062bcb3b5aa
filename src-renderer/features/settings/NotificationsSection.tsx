import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NotificationSettings, Settings } from '../../../src-shared/settings';
import { call } from '../../lib/api';
import { errorText } from '../chats/error-text';
import { notificationsAvailable } from '../chats/message-notifications';
import { Button } from '../../ui/Button';
import { Switch } from '../../ui/Field';

type Permission = NotificationPermission | 'unsupported';

function currentPermission(): Permission {
  return notificationsAvailable() ? Notification.permission : 'unsupported';
}

/**
 * Settings > Notifications: do not disturb, whether notifications show the text, the sound, and
 * whether this computer lets the app notify at all (with the button that asks).
 */
export function NotificationsSection({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const [permission, setPermission] = useState<Permission>(currentPermission);
  const [error, setError] = useState<string | null>(null);
  // A switch moves at once; the saved setting (and its event) follows.
  const [pending, setPending] = useState<Partial<NotificationSettings>>({});
  const values = { ...settings.notifications, ...pending };

  // The user may change it in the browser's or system's settings meanwhile.
  useEffect(() => {
    const check = () => setPermission(currentPermission());
    window.addEventListener('focus', check);
    return () => window.removeEventListener('focus', check);
  }, []);

  const update = (patch: Partial<NotificationSettings>) => {
    setError(null);
    setPending((p) => ({ ...p, ...patch }));
    call('settings.update', { notifications: patch })
      .catch((err: unknown) => setError(errorText(err, t)))
      .finally(() =>
        setPending((p) => {
          const rest = { ...p };
          for (const key of Object.keys(patch)) delete rest[key as keyof NotificationSettings];
          return rest;
        }),
      );
  };
  const ask = async () => {
    if (!notificationsAvailable()) return;
    setPermission(await Notification.requestPermission());
  };

  return (
    <fieldset className="notifications-settings" data-testid="settings-notifications">
      <legend>{t('notify.title')}</legend>
      <Switch
        label={t('notify.dnd')}
        hint={t('notify.dndHint')}
        testId="settings-notify-dnd"
        checked={values.doNotDisturb}
        onChange={(doNotDisturb) => update({ doNotDisturb })}
      />
      <Switch
        label={t('notify.showText')}
        hint={t('notify.showTextHint')}
        testId="settings-notify-text"
        checked={values.showText}
        onChange={(showText) => update({ showText })}
      />
      <Switch
        label={t('notify.sound')}
        testId="settings-notify-sound"
        checked={values.sound}
        onChange={(sound) => update({ sound })}
      />
      <p className="muted">{t('notify.perRoom')}</p>
      <p
        className={permission === 'granted' ? 'muted' : 'notice'}
        data-testid="settings-notify-permission"
        data-permission={permission}
      >
        {t(`notify.permission.${permission}`)}
      </p>
      {permission === 'default' ? (
        <Button testId="settings-notify-allow" onClick={() => void ask()}>
          {t('notify.allow')}
        </Button>
      ) : null}
      {error ? <p role="alert">{error}</p> : null}
    </fieldset>
  );
}
