import { Mic, Video, Volume2 } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMediaDevices } from '../../lib/media-devices';
import { DeviceList } from './DeviceList';
import { Button } from '../../ui/Button';

/** Before a call: which devices this computer has, and a preview of camera and microphone. */
export function DeviceCheck() {
  const { t } = useTranslation();
  const { devices, error, refresh } = useMediaDevices();
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
    return () => stream?.getTracks().forEach((track) => track.stop());
  }, [stream]);

  const startCheck = async () => {
    setCheckError(null);
    try {
      setStream(await navigator.mediaDevices.getUserMedia({ audio: true, video: true }));
      refresh(); // labels become visible once permission is granted
    } catch (e) {
      setCheckError(t('call.checkFailed', { message: (e as Error).message }));
    }
  };

  return (
    <>
      <h2>{t('call.devices')}</h2>
      {error ? <p role="alert">{error}</p> : null}
      <div className="device-grid">
        <DeviceList
          title={t('call.cameras')}
          icon={<Video aria-hidden="true" />}
          devices={devices.filter((d) => d.kind === 'videoinput')}
          testId="call-devices-cameras"
        />
        <DeviceList
          title={t('call.microphones')}
          icon={<Mic aria-hidden="true" />}
          devices={devices.filter((d) => d.kind === 'audioinput')}
          testId="call-devices-microphones"
        />
        <DeviceList
          title={t('call.speakers')}
          icon={<Volume2 aria-hidden="true" />}
          devices={devices.filter((d) => d.kind === 'audiooutput')}
          testId="call-devices-speakers"
        />
      </div>
      <div className="device-check-actions">
        <Button
          variant="primary"
          testId="call-device-check"
          onClick={() => (stream ? setStream(null) : void startCheck())}
        >
          {stream ? t('call.stopCheck') : t('call.check')}
        </Button>
      </div>
      {checkError ? <p role="alert">{checkError}</p> : null}
      {stream ? (
        <video
          ref={video}
          className="preview"
          data-testid="call-device-preview"
          autoPlay
          muted
          playsInline
        />
      ) : null}
    </>
  );
}
