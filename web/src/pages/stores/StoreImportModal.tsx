import { InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Flex, Modal, Progress, Select, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api, ok } from '../../api/client.ts';
import type { ImportReport } from '../../api/places-types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { COORD_SYSTEMS } from './coord-systems.ts';

type Failed = ImportReport['failed'][number];

/**
 * Import stores from a CSV file: the server checks every row first and answers a report per
 * wrong row; nothing is written while any row is wrong unless "import the good rows" is ticked.
 */
export function StoreImportModal({ onClose, onImported }: { onClose(): void; onImported(): Promise<unknown> }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | undefined>();
  const [partial, setPartial] = useState(false);
  const [coordSystem, setCoordSystem] = useState<(typeof COORD_SYSTEMS)[number]>('wgs84');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | undefined>();
  const [error, setError] = useState<string | undefined>();

  const run = async () => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setReport(undefined);
    try {
      const done = await ok(
        api.POST('/api/v1/stores/import', {
          params: { query: { coordSystem, partial: partial ? 'true' : 'false' } },
          body: (await file.text()) as never,
          bodySerializer: (text: unknown) => text,
          headers: { 'content-type': 'text/csv' },
        }),
      );
      setReport(done);
      if (done.imported > 0) await onImported();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={t.storeImport} onCancel={onClose} footer={<Button onClick={onClose}>{t.close}</Button>} width={720} destroyOnHidden>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">{t.storeImportHint}</Typography.Paragraph>
        <Upload.Dragger
          accept=".csv,text/csv"
          maxCount={1}
          beforeUpload={(chosen) => {
            setFile(chosen);
            setReport(undefined);
            return false;
          }}
          onRemove={() => setFile(undefined)}
          data-testid="stores-import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{t.storeImportPick}</p>
        </Upload.Dragger>
        <Flex wrap gap={16} align="center">
          <Select
            value={coordSystem} onChange={setCoordSystem} style={{ width: 220 }}
            options={COORD_SYSTEMS.map((v) => ({ value: v, label: t[`coord_${v}`] }))}
          />
          <Checkbox checked={partial} onChange={(e) => setPartial(e.target.checked)}>
            {t.storeImportPartial}
          </Checkbox>
          <Button type="primary" disabled={!file} loading={busy} onClick={() => void run()} data-testid="stores-import-run">
            {t.storeImportRun}
          </Button>
        </Flex>
        {busy && <Progress percent={100} status="active" showInfo={false} />}
        {error && <Alert type="error" title={error} />}
        {report && (
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="stores-import-report">
            <Alert
              type={report.failed.length === 0 ? 'success' : report.imported > 0 ? 'warning' : 'error'}
              title={t.storeImportReport
                .replace('{total}', String(report.total))
                .replace('{imported}', String(report.imported))
                .replace('{failed}', String(report.failed.length))}
            />
            {report.failed.length > 0 && (
              <Table<Failed>
                rowKey={(f) => `${f.row}-${f.field}`}
                size="small"
                dataSource={report.failed}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                columns={[
                  { title: t.storeImportRow, dataIndex: 'row', width: 80 },
                  { title: t.storeImportField, dataIndex: 'field', width: 120 },
                  { title: t.storeImportReason, dataIndex: 'reason' },
                ]}
              />
            )}
          </Space>
        )}
      </Space>
    </Modal>
  );
}
