import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { App, Card, Input, Modal, Popconfirm, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError, ok } from '../../api/client.ts';
import type { Material, MaterialUse } from '../../api/places-types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatBytes } from './bytes.ts';
import { kindText } from './kinds.ts';
import type { Messages } from '../../i18n/messages.ts';

/** The fields that name materials, in words; one added later shows by its API name. */
const FIELDS: Record<string, keyof Messages> = { 'page.backgroundImageId': 'useBackground', 'page.guideImageId': 'useGuide' };

/** One image of the library: rename it, or delete it, which the API refuses while something uses it: then where is shown. */
export function MaterialCard({ material, onChanged }: { material: Material; onChanged(): Promise<unknown> }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [renaming, setRenaming] = useState<string | undefined>();
  const [uses, setUses] = useState<MaterialUse[] | undefined>();
  const path = { params: { path: { id: material.id } } };

  const rename = async () => {
    try {
      await ok(api.PATCH('/api/v1/materials/{id}', { ...path, body: { name: renaming ?? '' } }));
      setRenaming(undefined);
      await onChanged();
    } catch (err) {
      message.error((err as Error).message);
    }
  };
  const remove = async () => {
    try {
      await ok(api.DELETE('/api/v1/materials/{id}', path));
      await onChanged();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setUses((await ok(api.GET('/api/v1/materials/{id}/uses', path))).items);
      else message.error((err as Error).message);
    }
  };

  return (
    <Card
      size="small"
      data-testid="material-card"
      cover={
        <img
          alt={material.name}
          src={`/api/v1/materials/${material.id}/content`}
          style={{ height: 120, objectFit: 'contain', background: '#f5f5f5' }}
        />
      }
      actions={[
        <EditOutlined key="rename" aria-label={t.rename} onClick={() => setRenaming(material.name)} />,
        <Popconfirm key="delete" title={t.materialDeleteConfirm} onConfirm={remove}>
          <DeleteOutlined aria-label={t.delete} data-testid="material-delete" />
        </Popconfirm>,
      ]}
    >
      <Typography.Text strong ellipsis style={{ display: 'block' }}>
        {material.name}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {material.width}×{material.height} · {formatBytes(material.size)}
      </Typography.Text>
      <div>
        <Tag>{kindText(t, material.kind)}</Tag>
      </div>
      <Modal
        open={renaming !== undefined} title={t.rename} onCancel={() => setRenaming(undefined)} onOk={() => void rename()}
        okText={t.save} cancelText={t.cancel}
      >
        <Input value={renaming} maxLength={60} onChange={(e) => setRenaming(e.target.value)} aria-label={t.rename} />
      </Modal>
      <Modal
        open={uses !== undefined}
        title={t.materialInUse}
        onCancel={() => setUses(undefined)}
        footer={null}
      >
        <Typography.Paragraph>{t.materialInUseHint}</Typography.Paragraph>
        <ul data-testid="material-uses">
          {(uses ?? []).map((use) => (
            <li key={`${use.id} ${use.field}`}>
              {use.type === 'code' ? <Link to={`/codes/${use.id}`}>{use.name}</Link> : use.name}
              <Typography.Text type="secondary"> · {FIELDS[use.field] ? t[FIELDS[use.field]!] : use.field}</Typography.Text>
            </li>
          ))}
        </ul>
      </Modal>
    </Card>
  );
}
