import { useEffect, useState } from 'react';
import { Phone, PhoneOff } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../../ui/Avatar';
import { ringingCalls } from '../../../src-shared/protocol/ringing';
import { useLive } from '../../lib/api';
import { declineCall, joinCall } from './call-session';
import { useCallState } from './call-store';
import { Button } from '../../ui/Button';

function goToCall() {
  location.hash = '#/call';
}

/**
 * Rings for calls started in the user's rooms: a banner in the window on every screen, and a
 * system notification while the window is hidden.
 */
export function IncomingCall() {
  const { t } = useTranslation();
  const state = useCallState();
  const rooms = useLive('rooms.list', 'rooms.changed').value ?? [];
  const [now, setNow] = useState(() => Date.now());
  const snapshot = state.snapshot;
  const ringing = snapshot
    ? ringingCalls(snapshot.active, snapshot.me, {
        inCall: !!state.call || state.joining,
        declined: snapshot.declined,
        now,
      })
    : [];
  const first = ringing[0];

  // Re-evaluate as calls age out of ringing.
  useEffect(() => {
    if (!ringing.length) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ringing.length]);

  const caller = first?.participants.find((p) => p.userId === first.startedBy)?.name ?? '';
  const callerId = first?.startedBy ?? null;
  const room = first ? rooms.find((r) => r.id === first.roomId)?.name || t('call.direct') : '';
  const callId = first?.callId;
  useEffect(() => {
    if (!callId || document.visibilityState === 'visible' || !('Notification' in window)) return;
    const show = () => {
      const n = new Notification(t('call.incomingTitle'), {
        body: t('call.incoming', { name: caller, room }),
        tag: callId,
      });
      n.onclick = () => {
        window.focus();
        goToCall();
      };
    };
    if (Notification.permission === 'granted') show();
    else if (Notification.permission === 'default')
      void Notification.requestPermission().then((p) => p === 'granted' && show());
  }, [callId, caller, room, t]);

  if (!first) return null;
  return (
    <div
      className="incoming-call"
      role="alertdialog"
      aria-label={t('call.incomingTitle')}
      data-testid="call-incoming"
    >
      {callerId ? <Avatar userId={callerId} name={caller} size={40} /> : null}
      <div className="incoming-call-text">
        <strong>{t('call.incomingTitle')}</strong>
        <span>{t('call.incoming', { name: caller, room })}</span>
      </div>
      <Button
        className="call-answer"
        testId="call-accept"
        onClick={() => {
          goToCall();
          void joinCall(first.roomId);
        }}
      >
        <Phone aria-hidden="true" />
        {t('call.accept')}
      </Button>
      <Button variant="danger" testId="call-decline" onClick={() => void declineCall(first.callId)}>
        <PhoneOff aria-hidden="true" />
        {t('call.decline')}
      </Button>
    </div>
  );
}
