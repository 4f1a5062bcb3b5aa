/**
 * What each camera sender may use, by how many peers it sends to. In a mesh every participant
 * encodes once per peer, so upload and CPU grow with the call: a 10-person call sends nine
 * copies, which an ordinary laptop manages only at low resolution and bitrate.
 */
export interface SendQuality {
  maxBitrate: number;
  scaleResolutionDownBy: number;
  maxFramerate: number;
}

const LADDER: { upToPeers: number; quality: SendQuality }[] = [
  { upToPeers: 1, quality: { maxBitrate: 1_200_000, scaleResolutionDownBy: 1, maxFramerate: 30 } },
  { upToPeers: 3, quality: { maxBitrate: 600_000, scaleResolutionDownBy: 1.5, maxFramerate: 24 } },
  { upToPeers: 5, quality: { maxBitrate: 350_000, scaleResolutionDownBy: 2, maxFramerate: 20 } },
  { upToPeers: 9, quality: { maxBitrate: 200_000, scaleResolutionDownBy: 3, maxFramerate: 15 } },
];
const FLOOR: SendQuality = { maxBitrate: 120_000, scaleResolutionDownBy: 4, maxFramerate: 12 };

export function cameraQualityFor(peers: number): SendQuality {
  return LADDER.find((step) => peers <= step.upToPeers)?.quality ?? FLOOR;
}

/** Shared screens keep their resolution (text must stay readable) and give up frame rate. */
export function screenQualityFor(peers: number): SendQuality {
  return {
    maxBitrate: peers <= 3 ? 1_500_000 : 800_000,
    scaleResolutionDownBy: 1,
    maxFramerate: peers <= 3 ? 15 : 8,
  };
}
