/**
 * One peer connection to one other participant, negotiated with the "perfect negotiation"
 * pattern (W3C WebRTC 1.0, §10.7): either side may renegotiate at any time (adding a screen
 * share, a new camera); when both offer at once the impolite side's offer wins and the polite
 * side rolls back, so glare never breaks the call. A connection whose network fails is
 * recovered with an ICE restart.
 */
import type { CallSignal } from '../../../src-shared/ipc/call-types';

export interface PeerLinkOptions {
  /** The polite peer yields in a collision; exactly one side of each pair is polite. */
  polite: boolean;
  iceServers: RTCIceServer[];
  send(signal: CallSignal): Promise<unknown>;
  onTrack(event: RTCTrackEvent): void;
  onStateChange(state: RTCPeerConnectionState): void;
  onError(what: string, error: unknown): void;
}

/** How long "disconnected" may last before an ICE restart is tried. */
const DISCONNECTED_GRACE_MS = 2500;
/** A connection not up this long after it was created is restarted (once per period). */
const CONNECT_WATCHDOG_MS = 10_000;
/** How long the polite side waits for the first offer before making its own. */
const FIRST_OFFER_WAIT_MS = 10_000;

export class PeerLink {
  readonly pc: RTCPeerConnection;
  private makingOffer = false;
  private ignoreOffer = false;
  private closed = false;
  private inbox: Promise<void> = Promise.resolve();
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly watchdog: ReturnType<typeof setInterval>;
  /** A first offer/answer exchange has completed. */
  private negotiated = false;
  private deferred = false;
  private readonly politeFallback: ReturnType<typeof setTimeout>;
  /** ICE restarts done for this link (shown in diagnostics). */
  iceRestarts = 0;

  constructor(private readonly options: PeerLinkOptions) {
    this.pc = new RTCPeerConnection({ iceServers: options.iceServers });
    this.pc.onnegotiationneeded = () => void this.offer();
    // The first offer is the impolite side's (MeshTopology makes sure it has something to offer):
    // when both offer at once, Chromium's rollback on the polite side can leave its ICE
    // gathering stuck. The polite side's tracks ride along in its answer; it offers itself only
    // if no offer comes at all.
    this.politeFallback = setTimeout(() => {
      if (!this.negotiated && this.deferred) {
        this.deferred = false;
        void this.offer(true);
      }
    }, FIRST_OFFER_WAIT_MS);
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate) void this.send({ kind: 'candidate', candidate: candidate.toJSON() as never });
    };
    this.pc.ontrack = (event) => options.onTrack(event);
    // Safety net for negotiations that settle without ICE ever starting: the impolite side
    // restarts ICE (fresh credentials and candidates on both sides), the polite side later.
    // Each restart waits twice as long as the one before: on a starved machine connections are
    // merely slow, and restarting them every few seconds would keep them from ever finishing.
    let stuckFor = 0;
    let patience = options.polite ? 3 : 1;
    this.watchdog = setInterval(() => {
      const state = this.pc.connectionState;
      stuckFor = state === 'new' || state === 'connecting' ? stuckFor + 1 : 0;
      // Restarts come from the impolite side (the polite one much later), so they rarely cross.
      if (stuckFor >= patience && this.pc.signalingState === 'stable') {
        stuckFor = 0;
        patience *= 2;
        this.restartIce();
      }
    }, CONNECT_WATCHDOG_MS);
    this.pc.onconnectionstatechange = () => {
      const state = this.pc.connectionState;
      options.onStateChange(state);
      if (state === 'failed' || state === 'disconnected') this.scheduleRestart();
      else if (state === 'connected' && this.restartTimer) {
        clearTimeout(this.restartTimer);
        this.restartTimer = null;
      }
    };
  }

  /** Handles a signal from the peer; signals are applied strictly in arrival order. */
  receive(signal: CallSignal): Promise<void> {
    this.inbox = this.inbox
      .then(() => this.apply(signal))
      .catch((error: unknown) => this.options.onError('signal', error));
    return this.inbox;
  }

  restartIce(): void {
    if (this.closed) return;
    this.iceRestarts++;
    this.pc.restartIce(); // fires negotiationneeded with an ICE-restart offer
  }

  close(): void {
    this.closed = true;
    clearInterval(this.watchdog);
    clearTimeout(this.politeFallback);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.pc.close();
  }

  private scheduleRestart(): void {
    if (this.restartTimer) return;
    // The impolite side restarts first; the polite side only if that did not happen.
    const wait = DISCONNECTED_GRACE_MS * (this.options.polite ? 3 : 1);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.pc.connectionState === 'disconnected' || this.pc.connectionState === 'failed')
        this.restartIce();
    }, wait);
  }

  private async offer(force = false): Promise<void> {
    if (this.closed) return;
    if (this.options.polite && !this.negotiated && !force) {
      this.deferred = true;
      return;
    }
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      await this.sendDescription();
    } catch (error) {
      this.options.onError('offer', error);
    } finally {
      this.makingOffer = false;
    }
  }

  private async apply(signal: CallSignal): Promise<void> {
    if (this.closed) return;
    if (signal.kind === 'candidate') {
      try {
        await this.pc.addIceCandidate(signal.candidate);
      } catch (error) {
        // Candidates of an offer we ignored are expected to fail; others are worth a log line.
        if (!this.ignoreOffer) throw error;
      }
      return;
    }
    const description = signal.description;
    const collision =
      description.type === 'offer' && (this.makingOffer || this.pc.signalingState !== 'stable');
    this.ignoreOffer = !this.options.polite && collision;
    if (this.ignoreOffer) return;
    // Roll back our own offer explicitly: Chromium's implicit rollback can leave the ICE
    // transport gathering forever, so that the answer's candidates never come.
    if (collision && this.pc.signalingState === 'have-local-offer')
      await this.pc.setLocalDescription({ type: 'rollback' });
    await this.pc.setRemoteDescription(description);
    if (description.type === 'offer') {
      await this.pc.setLocalDescription();
      await this.sendDescription();
    }
    if (this.pc.signalingState === 'stable' && !this.negotiated) {
      this.negotiated = true;
      // Something of ours the answer could not carry (a track of a kind the offer lacked).
      if (this.deferred && this.pc.getTransceivers().some((t) => t.mid === null)) void this.offer();
      this.deferred = false;
    }
  }

  private async sendDescription(): Promise<void> {
    const local = this.pc.localDescription;
    if (!local) return;
    await this.send({ kind: 'description', description: { type: local.type, sdp: local.sdp } });
  }

  private async send(signal: CallSignal): Promise<void> {
    if (this.closed) return;
    try {
      await this.options.send(signal);
    } catch (error) {
      this.options.onError('send', error);
    }
  }
}
