import { Button } from 'antd';
import { useI18n } from '../i18n/i18n.tsx';

/** Before sign-in the choice is this browser's; signed in, the shell saves it to the person (useSwitchLanguage). */
export function LanguageSwitch({ onSwitch }: { onSwitch?: (lang: 'zh-CN' | 'en') => void }) {
  const { lang, setLang, t } = useI18n();
  const next = lang === 'en' ? 'zh-CN' : 'en';
  return (
    <Button type="text" onClick={() => (onSwitch ?? setLang)(next)} data-testid="language-switch">
      {t.language}
    </Button>
  );
}
