import { Card } from 'antd';
import type { ReactNode } from 'react';
import { LanguageSwitch } from './LanguageSwitch.tsx';

/** The frame of the screens before sign-in: one card in the middle, the language switch above it. */
export function CenteredCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16, background: '#f5f5f5' }}>
      <div style={{ width: '100%', maxWidth: 400 }}>
        <div style={{ textAlign: 'right' }}>
          <LanguageSwitch />
        </div>
        <Card title={title}>{children}</Card>
      </div>
    </div>
  );
}
