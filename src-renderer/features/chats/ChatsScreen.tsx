import { useTranslation } from 'react-i18next';
import { ConnectionDetails } from './ConnectionDetails';

export default function ChatsScreen() {
  const { t } = useTranslation();
  return (
    <section data-testid="screen-chats">
      <h1>{t('chats.title')}</h1>
      <p>{t('chats.intro')}</p>
      <ConnectionDetails />
    </section>
  );
}
