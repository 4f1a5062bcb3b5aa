import { useEffect, useState } from 'react';

/** The media devices of this computer, kept current on plug and unplug. */
export function useMediaDevices(): {
  devices: MediaDeviceInfo[];
  refresh(): void;
  error: string | null;
} {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [error, setError] = useState<string | null>(() =>
    navigator.mediaDevices ? null : 'media devices are not available in this window',
  );
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!navigator.mediaDevices) return;
    let active = true;
    const load = () =>
      navigator.mediaDevices.enumerateDevices().then(
        (list) => active && setDevices(list),
        (e: Error) => active && setError(e.message),
      );
    void load();
    navigator.mediaDevices.addEventListener('devicechange', load);
    return () => {
      active = false;
      navigator.mediaDevices.removeEventListener('devicechange', load);
    };
  }, [generation]);
  return { devices, error, refresh: () => setGeneration((g) => g + 1) };
}
