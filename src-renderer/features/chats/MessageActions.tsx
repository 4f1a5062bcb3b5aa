/**
 * What can be done with a message, shown while it is hovered or focused: react (a few common
 * emoji), reply, and for one's own message edit, for one's own or any in a room one owns delete
 * (asked first in a dialog: a delete reaches everyone and cannot be taken back). Under the
 * message: its reactions, each a toggle with who reacted in its tooltip.
 */
import { Close as PopoverClose } from '@radix-ui/react-popover';
import { Pencil, Plus, Reply, SmilePlus, Trash2 } from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalMessage } from '../../../src-shared/ipc/chat-types';
import { call } from '../../lib/api';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { IconButton } from '../../ui/IconButton';
import { Popover } from '../../ui/Popover';
import { toast } from '../../ui/Toast';
import { Tooltip } from '../../ui/Tooltip';
import { Toolbar } from '../../ui/Toolbar';
import { setComposeIntent } from './compose-intent';
import { errorText } from './error-text';

// Every emoji (and its data) loads with the first "more", not with the chat.
const FullEmojiPicker = lazy(() => import('./EmojiPicker'));

/** The reactions offered in one click (any emoji sent by another client shows as well). */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢', '🙏', '👀'] as const;

function useAct() {
  const { t } = useTranslation();
  return (work: () => Promise<unknown>) =>
    void work().catch((error: unknown) => toast({ text: errorText(error, t), tone: 'error' }));
}

export function MessageActions({
  message,
  selfId,
  ownerId,
}: {
  message: LocalMessage;
  selfId: string;
  ownerId: string | null;
}) {
  const { t } = useTranslation();
  const act = useAct();
  const [confirming, setConfirming] = useState(false);
  const [allEmoji, setAllEmoji] = useState(false);
  const own = message.senderId === selfId;
  const react = (emoji: string) => {
    const on = !message.reactions.some((r) => r.emoji === emoji && r.mine);
    act(() => call('messages.react', { clientId: message.clientId, emoji, on }));
  };
  return (
    <Toolbar className="message-actions" label={t('chats.messageActions')}>
      <Popover
        label={t('chats.react')}
        side="top"
        align="end"
        keepContent={false}
        testId="chat-react-picker"
        trigger={
          <IconButton
            label={t('chats.react')}
            icon={<SmilePlus aria-hidden="true" />}
            className="small"
            data-testid="chat-message-react"
          />
        }
      >
        <div className="reaction-picker">
          {allEmoji ? (
            <Suspense fallback={<span className="muted">{t('chats.emojiLoading')}</span>}>
              <FullEmojiPicker
                onPick={(emoji) => {
                  setAllEmoji(false);
                  react(emoji);
                }}
              />
            </Suspense>
          ) : null}
          {allEmoji
            ? null
            : QUICK_REACTIONS.map((emoji) => (
                // Choosing one closes the picker, and focus goes back to its button.
                <PopoverClose key={emoji} asChild>
                  <button
                    type="button"
                    className="ghost"
                    data-testid="chat-react-option"
                    data-emoji={emoji}
                    aria-label={emoji}
                    onClick={() => react(emoji)}
                  >
                    {emoji}
                  </button>
                </PopoverClose>
              ))}
          {allEmoji ? null : (
            <IconButton
              label={t('chats.emojiMore')}
              icon={<Plus aria-hidden="true" />}
              className="small"
              data-testid="chat-react-more"
              onClick={() => setAllEmoji(true)}
            />
          )}
        </div>
      </Popover>
      <IconButton
        label={t('chats.reply')}
        icon={<Reply aria-hidden="true" />}
        className="small"
        data-testid="chat-message-reply"
        onClick={() => setComposeIntent(message.roomId, { kind: 'reply', message })}
      />
      {own ? (
        <IconButton
          label={t('chats.edit')}
          icon={<Pencil aria-hidden="true" />}
          className="small"
          data-testid="chat-message-edit"
          onClick={() => setComposeIntent(message.roomId, { kind: 'edit', message })}
        />
      ) : null}
      {own || ownerId === selfId ? (
        <IconButton
          label={t('chats.delete')}
          icon={<Trash2 aria-hidden="true" />}
          variant="danger"
          className="small"
          data-testid="chat-message-delete"
          onClick={() => setConfirming(true)}
        />
      ) : null}
      {confirming ? (
        <Dialog
          label={t('chats.deleteTitle')}
          className="ui-confirm"
          testId="chat-delete-dialog"
          initialFocus="[data-testid='chat-delete-cancel']"
          onClose={() => setConfirming(false)}
        >
          <h2>{t('chats.deleteTitle')}</h2>
          <p>{t(own ? 'chats.deleteOwnText' : 'chats.deleteOtherText')}</p>
          <div className="actions">
            <Button testId="chat-delete-cancel" onClick={() => setConfirming(false)}>
              {t('chats.cancel')}
            </Button>
            <Button
              variant="danger"
              testId="chat-delete-confirm"
              onClick={() => {
                setConfirming(false);
                act(() => call('messages.delete', { clientId: message.clientId }));
              }}
            >
              {t('chats.delete')}
            </Button>
          </div>
        </Dialog>
      ) : null}
    </Toolbar>
  );
}

/** A message's reactions: emoji and count, pressed when one of them is mine; a click toggles. */
export function MessageReactions({ message }: { message: LocalMessage }) {
  const { t } = useTranslation();
  const act = useAct();
  if (message.reactions.length === 0) return null;
  return (
    <div className="message-reactions">
      {message.reactions.map((r) => (
        <Tooltip key={r.emoji} label={t('chats.reactedBy', { names: r.names.join(', ') })}>
          <button
            type="button"
            className="reaction small"
            data-testid="chat-reaction"
            data-emoji={r.emoji}
            aria-pressed={r.mine}
            aria-label={t('chats.reactionLabel', {
              emoji: r.emoji,
              count: r.count,
              names: r.names.join(', '),
            })}
            onClick={() =>
              act(() =>
                call('messages.react', { clientId: message.clientId, emoji: r.emoji, on: !r.mine }),
              )
            }
          >
            <span aria-hidden="true">{r.emoji}</span>
            <span className="reaction-count">{r.count}</span>
          </button>
        </Tooltip>
      ))}
    </div>
  );
}
