import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { Check, Paperclip, Pencil, Reply, SendHorizontal, X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { MAX_BODY_CHARS } from '../../../src-shared/protocol/limits';
import { useVariant } from '../../lib/analytics';
import { call } from '../../lib/api';
import { errorText } from './error-text';
import { useUiIntents } from '../../lib/ui-intents';
import { Button } from '../../ui/Button';
import { IconButton } from '../../ui/IconButton';
import { Avatar } from '../../ui/Avatar';
import type { Member } from '../../../src-shared/ipc/chat-types';
import { setComposeIntent, useComposeIntent } from './compose-intent';
import { typingNotifier } from './typing';
import {
  allStaged,
  attachFiles,
  removeAttachment,
  takeAttachments,
  useAttachments,
  type Attachment,
} from './attachments';
import { formatBytes } from '../../lib/format';
import { FileIcon } from './FileIcon';
import { toast } from '../../ui/Toast';

/** The last dictated piece taken in (a remounted composer must not take it twice). */
let appliedDictation = 0;

/** How long typing rests before the draft is written (it is also written when the room closes). */
const DRAFT_SAVE_MS = 400;

/**
 * A room's unsent text, kept in main's database: loaded when the room opens (unless the user has
 * already typed), written a moment after typing rests, and when the composer goes away.
 */
function useDraft(roomId: string, body: string, setBody: (body: string) => void) {
  const typed = useRef(false);
  const latest = useRef<string | null>(null);
  useEffect(() => {
    let live = true;
    call('drafts.get', { roomId }).then(
      (draft) => {
        if (live && !typed.current && draft) setBody(draft);
      },
      () => undefined, // no draft then; typing still works
    );
    return () => {
      live = false;
    };
  }, [roomId, setBody]);
  const save = useCallback(() => {
    if (latest.current === null) return;
    void call('drafts.save', { roomId, body: latest.current }).catch(() => undefined);
    latest.current = null;
  }, [roomId]);
  useEffect(() => {
    if (!typed.current) return;
    latest.current = body;
    const timer = setTimeout(save, DRAFT_SAVE_MS);
    return () => clearTimeout(timer);
  }, [body, save]);
  useEffect(() => save, [save]); // the room closes: what was typed is kept now
  // Called on the user's own edits: from then on a late-loading draft must not replace them.
  return useCallback(() => {
    typed.current = true;
  }, []);
}

/**
 * Writes messages; works offline (they wait as pending). Enter sends, Shift+Enter adds a line.
 * Mounted per room (keyed by it), with that room's draft.
 */
export function Composer({
  roomId,
  members,
  selfId,
}: {
  roomId: string;
  /** The room's members, for "@" completion. */
  members: readonly Member[];
  selfId: string;
}) {
  const { t } = useTranslation();
  const [draft, setBody] = useState('');
  const edited = useDraft(roomId, draft, setBody);
  const [error, setError] = useState<string | null>(null);
  // Replying to a message, or editing one of mine (its text is edited apart from the draft).
  const intent = useComposeIntent(roomId);
  const editing = intent?.kind === 'edit' ? intent.message : null;
  const [editText, setEditText] = useState<{ clientId: string; text: string } | null>(null);
  if (editing && editText?.clientId !== editing.clientId)
    setEditText({ clientId: editing.clientId, text: editing.body });
  const body = editing && editText ? editText.text : draft;
  const input = useRef<HTMLTextAreaElement>(null);
  const [notifyTyping] = useState(() => typingNotifier(roomId));
  useEffect(() => {
    if (intent) input.current?.focus();
  }, [intent]);
  const attachments = useAttachments(roomId);
  const picker = useRef<HTMLInputElement>(null);
  const attach = (files: File[]) => {
    const left = attachFiles(roomId, files);
    if (left > 0) toast({ text: t('files.tooMany', { count: left }), tone: 'error' });
  };
  const withFiles = attachments.length > 0 && !editing;
  const over = body.length - MAX_BODY_CHARS;
  const empty = body.trim().length === 0 && !withFiles;
  const staging = withFiles && !allStaged(attachments);
  // "@" and the start of a name before the caret: the members it could be, to pick from.
  const [mention, setMention] = useState<{ start: number; caret: number; query: string } | null>(
    null,
  );
  const [active, setActive] = useState(0);
  const candidates = mention
    ? members
        .filter(
          (m) =>
            m.userId !== selfId &&
            m.name.toLocaleLowerCase().startsWith(mention.query.toLocaleLowerCase()),
        )
        .slice(0, 6)
    : [];
  const setText = (text: string) => {
    if (editing) setEditText({ clientId: editing.clientId, text });
    else {
      edited();
      setBody(text);
    }
  };
  const pick = (member: Member) => {
    if (!mention) return;
    const inserted = `@${member.name} `;
    setText(body.slice(0, mention.start) + inserted + body.slice(mention.caret));
    setMention(null);
    const caret = mention.start + inserted.length;
    requestAnimationFrame(() => input.current?.setSelectionRange(caret, caret));
  };
  // Dictated text is typed in for the user to read and send.
  const dictation = useUiIntents().dictation;
  useEffect(() => {
    if (!dictation || dictation.seq <= appliedDictation) return;
    appliedDictation = dictation.seq;
    edited();
    // An intent from outside React (a voice command) is applied once, by its sequence number.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setBody((current) => (current ? `${current} ${dictation.text}` : dictation.text));
  }, [dictation, edited]);

  const cancel = () => {
    setComposeIntent(roomId, null);
    setEditText(null);
  };
  const send = async (e?: FormEvent) => {
    e?.preventDefault();
    if (empty || over > 0 || staging) return;
    setError(null);
    if (editing) {
      try {
        if (body !== editing.body)
          await call('messages.edit', { clientId: editing.clientId, body });
        cancel();
      } catch (err) {
        setError(errorText(err, t));
      }
      return;
    }
    const text = body;
    const replyTo = intent?.kind === 'reply' ? intent.message.clientId : undefined;
    edited();
    setBody('');
    setComposeIntent(roomId, null);
    try {
      if (withFiles) {
        const stageIds = takeAttachments(roomId);
        await call('messages.sendFiles', {
          roomId,
          stageIds,
          body: text.trim() ? text : '',
          ...(replyTo ? { replyTo } : {}),
        });
        return;
      }
      await call('messages.send', { roomId, body: text, ...(replyTo ? { replyTo } : {}) });
    } catch (err) {
      setBody(text);
      if (intent) setComposeIntent(roomId, intent);
      setError(errorText(err, t));
    }
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (candidates.length > 0) {
      const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
      if (step) {
        e.preventDefault();
        setActive((active + step + candidates.length) % candidates.length);
        return;
      }
      if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
        e.preventDefault();
        pick(candidates[Math.min(active, candidates.length - 1)]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setMention(null);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    } else if (e.key === 'Escape' && intent) {
      e.preventDefault();
      cancel();
    }
  };

  return (
    <form className="composer" onSubmit={(e) => void send(e)}>
      {intent ? (
        <div className="composer-intent" data-testid={`chat-${intent.kind}-bar`}>
          {intent.kind === 'reply' ? <Reply aria-hidden="true" /> : <Pencil aria-hidden="true" />}
          <span className="composer-intent-text">
            {intent.kind === 'reply' ? (
              <>
                {t('chats.replyingTo', { name: intent.message.senderName })}{' '}
                <span className="muted">{intent.message.body.slice(0, 120)}</span>
              </>
            ) : (
              t('chats.editing')
            )}
          </span>
          <IconButton
            label={t('chats.cancel')}
            shortcut="Esc"
            icon={<X aria-hidden="true" />}
            className="small"
            data-testid={`chat-${intent.kind}-cancel`}
            onClick={cancel}
          />
        </div>
      ) : null}
      {candidates.length > 0 ? (
        <ul
          className="mention-list"
          role="listbox"
          id={`mentions-${roomId}`}
          aria-label={t('chats.mentionPick')}
          data-testid="chat-mention-list"
        >
          {candidates.map((member, i) => (
            <li
              key={member.userId}
              id={`mention-${roomId}-${member.userId}`}
              role="option"
              aria-selected={i === active}
              data-testid="chat-mention-option"
              onMouseDown={(e) => {
                e.preventDefault(); // the textarea keeps focus
                pick(member);
              }}
            >
              <Avatar userId={member.userId} name={member.name} size={20} />
              {member.name}
            </li>
          ))}
        </ul>
      ) : null}
      {withFiles ? (
        <ul
          className="attachment-list"
          data-testid="chat-attachments"
          aria-label={t('files.attached')}
        >
          {attachments.map((a) => (
            <AttachmentChip key={a.id} roomId={roomId} attachment={a} />
          ))}
        </ul>
      ) : null}
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        data-testid="chat-attach-input"
        onChange={(e) => {
          attach([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
      {editing ? null : (
        <IconButton
          label={t('files.attach')}
          icon={<Paperclip aria-hidden="true" />}
          data-testid="chat-attach"
          onClick={() => picker.current?.click()}
        />
      )}
      <textarea
        ref={input}
        onPaste={(e) => {
          const files = [...e.clipboardData.files];
          if (files.length === 0 || editing) return;
          e.preventDefault();
          attach(files);
        }}
        aria-autocomplete="list"
        aria-controls={candidates.length > 0 ? `mentions-${roomId}` : undefined}
        aria-activedescendant={
          candidates.length > 0
            ? `mention-${roomId}-${candidates[Math.min(active, candidates.length - 1)]!.userId}`
            : undefined
        }
        data-testid="chat-composer-input"
        aria-label={editing ? t('chats.editing') : t('chats.composer')}
        placeholder={t('chats.composer')}
        value={body}
        rows={1}
        aria-invalid={over > 0}
        onChange={(e) => {
          const value = e.target.value;
          const caret = e.target.selectionStart;
          const typed = /(?:^|[^\p{L}\p{N}_])@([^\s@]{0,30})$/u.exec(value.slice(0, caret));
          setMention(
            typed ? { start: caret - typed[1]!.length - 1, caret, query: typed[1]! } : null,
          );
          setActive(0);
          if (editing) {
            setEditText({ clientId: editing.clientId, text: value });
            return;
          }
          edited();
          setBody(value);
          if (value.trim()) notifyTyping();
        }}
        onBlur={() => setMention(null)}
        onKeyDown={onKey}
      />
      <Button
        variant="primary"
        type="submit"
        testId="chat-composer-send"
        disabled={empty || over > 0 || staging}
      >
        {editing ? <Check aria-hidden="true" /> : <SendHorizontal aria-hidden="true" />}
        {editing ? t('chats.saveEdit') : t('chats.send')}
      </Button>
      {over > 0 ? (
        <p role="alert" data-testid="chat-composer-error">
          {t('chats.tooLong', { count: over, max: MAX_BODY_CHARS })}
        </p>
      ) : body.length > MAX_BODY_CHARS - 200 ? (
        <p className="muted">{t('chats.charsLeft', { count: -over })}</p>
      ) : null}
      {error ? <p role="alert">{error}</p> : null}
      <ComposerHint />
    </form>
  );
}

/** A file waiting to go with the next message: its name, size, how far it is staged, remove. */
function AttachmentChip({ roomId, attachment: a }: { roomId: string; attachment: Attachment }) {
  const { t } = useTranslation();
  const ready = a.stageId !== null && a.staged === a.size;
  return (
    <li
      className={`attachment-chip${a.error ? ' error' : ''}`}
      data-testid="chat-attachment"
      data-ready={ready ? 'true' : 'false'}
    >
      {a.preview ? (
        <img className="attachment-preview" src={a.preview} alt="" />
      ) : (
        <FileIcon mime={a.type} />
      )}
      <span className="attachment-text">
        <span className="attachment-name">{a.name}</span>
        <span className="muted">
          {a.error
            ? a.error
            : ready
              ? formatBytes(a.size, t)
              : t('files.preparing', {
                  percent: Math.floor((a.staged / Math.max(1, a.size)) * 100),
                })}
        </span>
      </span>
      <IconButton
        label={t('files.remove', { name: a.name })}
        icon={<X aria-hidden="true" />}
        className="small"
        data-testid="chat-attachment-remove"
        onClick={() => removeAttachment(roomId, a.id)}
      />
    </li>
  );
}

/**
 * Experiment `composer-hint` (a feature flag): the "hint" variant shows how to send and add a
 * line; the exposure is logged when the hint is actually on screen.
 */
function ComposerHint() {
  const { t } = useTranslation();
  const { variant, expose } = useVariant('composer-hint');
  useEffect(() => {
    if (variant === 'hint') expose();
  }, [variant, expose]);
  return variant === 'hint' ? (
    <p className="muted composer-hint" data-testid="composer-hint">
      {t('chats.composerHint')}
    </p>
  ) : null;
}
