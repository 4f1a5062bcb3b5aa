import { useTranslation } from 'react-i18next';
import type { WireCall } from '../../../src-shared/protocol/calls';
import { useCallState } from './call-store';
import { StreamVideo } from './MediaView';
import { ParticipantTile, SelfTile } from './ParticipantTile';

/**
 * The main stage. A shared screen (anyone's) takes it over automatically and gives it back when
 * sharing stops; otherwise speaker view shows the pinned or speaking participant large, and grid
 * view shows everyone alike.
 */
export function CallStage({ call, me }: { call: WireCall; me: string }) {
  const { t } = useTranslation();
  const state = useCallState();
  const others = call.participants.filter((p) => p.userId !== me);
  const selfName = call.participants.find((p) => p.userId === me)?.name ?? '';
  const count = others.length + 1;
  const remoteOf = (userId: string) => state.remotes.find((r) => r.userId === userId);

  // The stage follows the announcement, so it switches as soon as sharing starts; the picture
  // appears when its track has arrived (a moment later, after renegotiation).
  const sharer = others.find((p) => p.media.screen);
  const sharing = !!sharer || !!state.screen;
  const screen = sharer ? (remoteOf(sharer.userId)?.screen ?? null) : state.screen;
  const screenOwner = sharer ? sharer.name : t('call.you');
  const tiles = (
    <>
      <SelfTile name={selfName} />
      {others.map((p) => (
        <ParticipantTile key={p.userId} participant={p} remote={remoteOf(p.userId)} />
      ))}
    </>
  );

  if (sharing) {
    return (
      <div className="call-layout">
        <div
          className="stage"
          data-testid="call-stage"
          data-source="screen"
          data-ready={screen ? 'true' : 'false'}
        >
          {screen ? (
            <StreamVideo stream={screen} />
          ) : (
            <div className="avatar large">{t('call.screenStarting', { name: screenOwner })}</div>
          )}
          <div className="tile-label">{t('call.stageScreen', { name: screenOwner })}</div>
        </div>
        <div className="tile-strip">{tiles}</div>
      </div>
    );
  }

  if (state.layout === 'speaker' && others.length > 0) {
    const focus =
      state.pinned ?? (state.speaker !== me ? state.speaker : null) ?? others[0]!.userId;
    const participant = others.find((p) => p.userId === focus) ?? others[0]!;
    const remote = remoteOf(participant.userId);
    return (
      <div className="call-layout">
        <div
          className="stage speaker"
          data-testid="call-stage"
          data-source="camera"
          data-focus={participant.name}
        >
          {remote?.camera && participant.media.video ? (
            <StreamVideo stream={remote.camera} />
          ) : (
            <div className="avatar large">{participant.name.slice(0, 1)}</div>
          )}
          <div className="tile-label">{participant.name}</div>
        </div>
        <div className="tile-strip">{tiles}</div>
      </div>
    );
  }

  return (
    <div className="call-layout">
      <div
        className="stage grid"
        data-testid="call-stage"
        data-source="camera"
        data-count={count}
        data-size={count >= 10 ? 'large' : count >= 5 ? 'medium' : 'small'}
      >
        {tiles}
      </div>
    </div>
  );
}
