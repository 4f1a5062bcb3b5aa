/**
 * Every emoji, searchable by name in the app's language (frimousse, with the Emojibase data the
 * app serves itself at /emojibase/: nothing is fetched from outside). Loaded with its first use.
 */
import { Close as PopoverClose } from '@radix-ui/react-popover';
import { EmojiPicker, type EmojiPickerListComponents } from 'frimousse';
import { useTranslation } from 'react-i18next';

// Components of their own (not made while rendering): a new type each render would remount every
// button whenever the active emoji changes.
const LIST_PARTS: EmojiPickerListComponents = {
  CategoryHeader: ({ category, ...props }) => (
    <div className="emoji-picker-category" {...props}>
      {category.label}
    </div>
  ),
  Row: ({ children, ...props }) => (
    <div className="emoji-picker-row" {...props}>
      {children}
    </div>
  ),
  // Choosing one closes the popover it is in, and focus goes back to its button.
  Emoji: ({ emoji, ...props }) => (
    <PopoverClose asChild>
      <button
        {...props}
        className="emoji-picker-emoji"
        data-testid="chat-emoji-option"
        data-active={emoji.isActive ? 'true' : undefined}
        aria-label={emoji.label}
      >
        {emoji.emoji}
      </button>
    </PopoverClose>
  ),
};

export default function FullEmojiPicker({ onPick }: { onPick(emoji: string): void }) {
  const { t, i18n } = useTranslation();
  return (
    <EmojiPicker.Root
      className="emoji-picker"
      data-testid="chat-emoji-picker"
      locale={i18n.language === 'ru' ? 'ru' : 'en'}
      emojibaseUrl={new URL('/emojibase', location.href).href}
      columns={8}
      // What the app's own emoji font (Twemoji 15) draws; newer ones would show as boxes.
      emojiVersion={15}
      onEmojiSelect={({ emoji }) => onPick(emoji)}
    >
      <EmojiPicker.Search
        className="emoji-picker-search"
        placeholder={t('chats.emojiSearch')}
        aria-label={t('chats.emojiSearch')}
        data-testid="chat-emoji-search"
        autoFocus
      />
      <EmojiPicker.Viewport className="emoji-picker-viewport">
        <EmojiPicker.Loading className="emoji-picker-note">
          {t('chats.emojiLoading')}
        </EmojiPicker.Loading>
        <EmojiPicker.Empty className="emoji-picker-note">{t('chats.emojiNone')}</EmojiPicker.Empty>
        <EmojiPicker.List className="emoji-picker-list" components={LIST_PARTS} />
      </EmojiPicker.Viewport>
    </EmojiPicker.Root>
  );
}
