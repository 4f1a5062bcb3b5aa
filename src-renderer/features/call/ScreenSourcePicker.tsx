import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScreenPickRequest } from '../../../src-shared/ipc/call-types';
import { call, onEvent } from '../../lib/api';
import { Button } from '../../ui/Button';

/** Electron's screen-share picker: the app's own dialog of screens and windows. */
export function ScreenSourcePicker() {
  const { t } = useTranslation();
  const [request, setRequest] = useState<ScreenPickRequest | null>(null);
  useEffect(() => onEvent('screen.pick', setRequest), []);
  if (!request) return null;
  const answer = (sourceId: string | null) => {
    setRequest(null);
    void call('screen.choose', { requestId: request.requestId, sourceId });
  };
  return (
    <div className="modal" role="dialog" aria-modal="true" aria-label={t('call.pickScreen')}>
      <h2>{t('call.pickScreen')}</h2>
      <ul className="screen-sources">
        {request.sources.map((source) => (
          <li key={source.id}>
            <Button testId="call-screen-source" onClick={() => answer(source.id)}>
              <img src={source.thumbnail} alt="" width={160} height={90} />
              <span>{source.name}</span>
            </Button>
          </li>
        ))}
      </ul>
      <Button autoFocus onClick={() => answer(null)}>
        {t('call.cancel')}
      </Button>
    </div>
  );
}
