import { useRef, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Form, Input, InputNumber, Modal, Radio, Select, Space, Spin, Tag, Typography } from 'antd';
import {
  CameraOutlined,
  CheckCircleFilled,
  CloseCircleFilled,
  DisconnectOutlined,
  EyeOutlined,
  PlusOutlined,
  UnlockOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Contract } from '../../../api/contracts';
import { MAX_SCAN_BYTES } from '../../../api/contracts';
import { ApiError, translateError, translateFieldError } from '../../../api/errors';
import {
  collateralKey,
  fetchAttachment,
  gpsPhotoPath,
  installGps,
  intakePledge,
  registerMortgage,
  registrationDocumentPath,
  removeGps,
  uploadAttachment,
  useContractCollateral,
  type ContractLoan,
  type GpsDevice,
  type Registration,
  type ReleaseRequest,
} from '../../../api/securing';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { formatDateTime } from '../../../lib/format';
import { carsToHold, checkLabelKey, heldCars, imeiProblem, missingChecks, normalizeImei, orderedChecks, releaseAction, requestOf } from '../../../lib/securing';
import { DecideReleaseDialog, DecisionCell, ReleaseDialog, RequestReleaseDialog, RequestStatusTag } from '../../collateral/release';

const DAY = 'YYYY-MM-DD';
const notFuture = (d: Dayjs) => d.isAfter(dayjs(), 'day');

/** 车辆与GPS: what disbursement waits for, the cars as held, and their GPS devices. */
export function CollateralCard({ contract: c }: { contract: Contract }) {
  const { t, i18n } = useTranslation();
  const { has } = useAccess();
  const data = useContractCollateral(c.id);
  const [holding, setHolding] = useState<number | null>(null);
  const [installing, setInstalling] = useState(false);
  const [releasing, setReleasing] = useState<Registration | null>(null);
  const [requesting, setRequesting] = useState<Registration | null>(null);
  const [deciding, setDeciding] = useState<ReleaseRequest | null>(null);
  const [removing, setRemoving] = useState<GpsDevice | null>(null);
  const [viewing, setViewing] = useState<{ url: string; type: string; title: string } | null>(null);
  const onError = useErrorHandler();

  const editable = c.status === 'signed';
  const canRegister = editable && has(P.collateralRegister);
  // Releasing is open whatever the contract's state, to those who may release cars.
  const canRelease = has(P.collateralRegister);
  const canGps = editable && has(P.gpsWrite);
  const vehicleName = (id: number | null | undefined) => {
    const v = c.terms.vehicles.find((x) => x.vehicleId === id);
    return v ? `${v.description} ${v.vin}` : `#${id ?? '-'}`;
  };
  const view = async (path: string, title: string) => {
    try {
      const blob = await fetchAttachment(path);
      setViewing({ url: URL.createObjectURL(blob), type: blob.type, title });
    } catch (e) {
      onError(e);
    }
  };
  const closeView = () => {
    if (viewing) URL.revokeObjectURL(viewing.url);
    setViewing(null);
  };

  const body = () => {
    if (data.isPending) return <Spin />;
    if (data.isError || !data.data) return <Empty description={translateError(data.error, t, i18n)} />;
    const x = data.data;
    const checks = orderedChecks(x.readiness.checks);
    const missing = missingChecks(x.readiness.checks);
    // A car waiting for its early release is still held: it is not registered again.
    const stillHeld = heldCars(x.registrations);
    const toHold = carsToHold(x.readiness.checks).filter((vid) => !stillHeld.has(vid));
    const withoutGps = c.terms.vehicles.filter((v) => !x.gpsDevices.some((d) => d.vehicleId === v.vehicleId && d.status === 'installed'));
    const kind = x.securityKind;
    return (
      <>
        <Alert
          type={x.readiness.ready ? 'success' : 'warning'}
          showIcon
          className="section-card"
          data-testid="collateral-readiness"
          data-ready={x.readiness.ready ? 'true' : 'false'}
          title={
            <strong data-testid="collateral-ready-status">{x.readiness.ready ? t('collateral.ready') : t('collateral.notReady')}</strong>
          }
          description={x.readiness.ready ? t('collateral.readyHelp') : t('collateral.notReadyHelp', { count: missing.length })}
        />
        <Space wrap className="collateral-rules">
          <Tag color="blue" data-testid="collateral-kind">
            {t('collateral.securityKind')}：{t(`collateral.kinds.${kind}`)}
          </Tag>
          <Tag>{x.gpsRequired ? t('collateral.gpsRequired') : t('collateral.gpsNotRequired')}</Tag>
          <LoanTag loan={x.loan} />
        </Space>
        <ul className="check-list" data-testid="collateral-checks">
          {checks.map((ch) => (
            <li key={`${ch.code}-${ch.vehicleId ?? 'contract'}`} data-testid={`check-${ch.code}-${ch.vehicleId ?? 'contract'}`} data-ok={ch.ok ? 'true' : 'false'}>
              {ch.ok ? <CheckCircleFilled className="check-ok" /> : <CloseCircleFilled className="check-missing" />}
              <span className="wrap-cell">{t(checkLabelKey(ch.code), { vehicle: ch.vehicleId != null ? vehicleName(ch.vehicleId) : ch.detail })}</span>
            </li>
          ))}
        </ul>
        {!editable && <Typography.Paragraph type="secondary">{t('collateral.readOnly')}</Typography.Paragraph>}

        <Typography.Title level={5}>{t('collateral.registrations')}</Typography.Title>
        {x.registrations.length === 0 && <Typography.Paragraph type="secondary">{t('collateral.noRegistrations')}</Typography.Paragraph>}
        {x.registrations.map((r) => (
          <RegistrationItem
            key={r.id}
            contractId={c.id}
            registration={r}
            vehicle={vehicleName(r.vehicleId)}
            canWrite={canRegister}
            canRelease={canRelease}
            loan={x.loan}
            requests={x.releaseRequests.filter((q) => q.registrationId === r.id)}
            onView={() => void view(registrationDocumentPath(r.id), t('collateral.document'))}
            onRelease={() => setReleasing(r)}
            onRequest={() => setRequesting(r)}
            onDecide={setDeciding}
          />
        ))}
        {canRegister && toHold.length > 0 && (
          <Space wrap className="tab-actions">
            {toHold.map((vid) => (
              <Button key={vid} type="primary" icon={<PlusOutlined />} onClick={() => setHolding(vid)} data-testid={`hold-${vid}`}>
                {kind === 'mortgage' ? t('collateral.registerMortgage') : t('collateral.takePledge')} · {vehicleName(vid)}
              </Button>
            ))}
          </Space>
        )}

        <Typography.Title level={5}>{t('collateral.gps')}</Typography.Title>
        {x.gpsDevices.length === 0 && <Typography.Paragraph type="secondary">{t('collateral.noGps')}</Typography.Paragraph>}
        {x.gpsDevices.map((d) => (
          <GpsItem
            key={d.id}
            contractId={c.id}
            device={d}
            vehicle={vehicleName(d.vehicleId)}
            canWrite={canGps}
            onView={() => void view(gpsPhotoPath(d.id), t('collateral.photo'))}
            onRemove={() => setRemoving(d)}
          />
        ))}
        {canGps && withoutGps.length > 0 && (
          <Button icon={<PlusOutlined />} onClick={() => setInstalling(true)} data-testid="gps-install">
            {t('collateral.installGps')}
          </Button>
        )}

        {holding != null && (
          <HoldDialog contract={c} kind={kind} vehicleId={holding} vehicle={vehicleName(holding)} onClose={() => setHolding(null)} />
        )}
        {installing && (
          <GpsDialog
            contract={c}
            vehicles={withoutGps.map((v) => ({ value: v.vehicleId, label: vehicleName(v.vehicleId) }))}
            onClose={() => setInstalling(false)}
          />
        )}
        {releasing && <ReleaseDialog registration={releasing} vehicle={vehicleName(releasing.vehicleId)} onClose={() => setReleasing(null)} />}
        {requesting && <RequestReleaseDialog registration={requesting} vehicle={vehicleName(requesting.vehicleId)} onClose={() => setRequesting(null)} />}
        {deciding && <DecideReleaseDialog request={deciding} onClose={() => setDeciding(null)} />}
        {removing && <RemoveDialog contractId={c.id} device={removing} onClose={() => setRemoving(null)} />}
      </>
    );
  };

  return (
    <Card title={t('collateral.title')} className="section-card" size="small" data-testid="contract-collateral">
      {body()}
      <Modal open={!!viewing} title={viewing?.title} footer={null} onCancel={closeView} destroyOnHidden width={720}>
        {viewing &&
          (viewing.type.startsWith('image/') ? (
            <img src={viewing.url} alt={viewing.title} className="file-preview" />
          ) : (
            <iframe src={viewing.url} title={viewing.title} className="pdf-frame" />
          ))}
      </Modal>
    </Card>
  );
}

function useReload(contractId: number) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: collateralKey(contractId) });
    void queryClient.invalidateQueries({ queryKey: ['collateral'] });
  };
}

/** The camera (on a phone) and a file picker, uploading the raw file to `path`. */
function AttachButtons({ path, testId, accept, done, onDone }: { path: string; testId: string; accept: string; done: string; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const onError = useErrorHandler();
  const camera = useRef<HTMLInputElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const upload = useMutation({
    mutationFn: (file: File) => uploadAttachment(path, file),
    onSuccess: () => {
      message.success(done);
      onDone();
    },
    onError: (e) => {
      const fe = e instanceof ApiError ? e.fieldErrors[0] : undefined;
      if (fe) message.error(translateFieldError(fe, t, i18n));
      else onError(e);
    },
  });
  const onFile = (input: HTMLInputElement | null) => {
    const file = input?.files?.[0];
    if (input) input.value = '';
    if (!file) return;
    if (file.size > MAX_SCAN_BYTES) {
      message.error(t('documents.tooLarge'));
      return;
    }
    upload.mutate(file);
  };
  return (
    <>
      <Button size="small" icon={<CameraOutlined />} loading={upload.isPending} onClick={() => camera.current?.click()}>
        {t('documents.takePhoto')}
      </Button>
      <Button size="small" icon={<UploadOutlined />} loading={upload.isPending} onClick={() => picker.current?.click()}>
        {t('documents.chooseFile')}
      </Button>
      {/* On a phone, `capture` opens the camera directly. */}
      <input ref={camera} type="file" accept={accept} capture="environment" hidden onChange={(e) => onFile(e.currentTarget)} data-testid={`${testId}-camera`} />
      <input ref={picker} type="file" accept={accept} hidden onChange={(e) => onFile(e.currentTarget)} data-testid={`${testId}-file`} />
    </>
  );
}

/** The contract's loan as far as releasing its cars goes: settled or not (yet). */
function LoanTag({ loan }: { loan: ContractLoan | null | undefined }) {
  const { t } = useTranslation();
  if (!loan) return <Tag data-testid="collateral-loan">{t('collateral.loanNone')}</Tag>;
  return (
    <Tag color={loan.status === 'settled' ? 'green' : 'gold'} data-testid="collateral-loan">
      {t(loan.status === 'settled' ? 'collateral.loanSettled' : 'collateral.loanActive', { loanNo: loan.loanNo })}
    </Tag>
  );
}

const REGISTRATION_COLOR: Record<string, string> = { registered: 'green', release_requested: 'orange', released: 'default' };

function RegistrationItem({
  contractId,
  registration: r,
  vehicle,
  canWrite,
  canRelease,
  loan,
  requests,
  onView,
  onRelease,
  onRequest,
  onDecide,
}: {
  contractId: number;
  registration: Registration;
  vehicle: string;
  canWrite: boolean;
  canRelease: boolean;
  loan: ContractLoan | null | undefined;
  requests: ReleaseRequest[];
  onView: () => void;
  onRelease: () => void;
  onRequest: () => void;
  onDecide: (q: ReleaseRequest) => void;
}) {
  const { t } = useTranslation();
  const reload = useReload(contractId);
  const held = r.status === 'registered';
  const released = r.status === 'released';
  const waiting = r.status === 'release_requested' ? requestOf(requests, r.id, 'requested') : undefined;
  const approved = r.releaseBasis === 'exception' ? requestOf(requests, r.id, 'approved') : undefined;
  const action = releaseAction(r.status, loan?.status, canRelease);
  return (
    <div className="collateral-item" data-testid={`registration-${r.vehicleId}`}>
      <Space wrap className="collateral-item-head">
        <strong className="wrap-cell">{vehicle}</strong>
        <Tag color="blue">{t(`collateral.kinds.${r.kind}`)}</Tag>
        <Tag color={REGISTRATION_COLOR[r.status] ?? 'default'} data-testid="registration-status">
          {t(`collateral.statuses.${r.status}`, { defaultValue: r.status })}
        </Tag>
      </Space>
      <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} className="detail-desc">
        {r.kind === 'mortgage' ? (
          <>
            <Descriptions.Item label={t('collateral.registryOffice')}>
              <span className="wrap-cell">{r.registryOffice ?? '-'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('collateral.certificateNo')}>
              <span className="mono">{r.certificateNo ?? '-'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('collateral.registeredOn')}>{r.registeredOn}</Descriptions.Item>
          </>
        ) : (
          <>
            <Descriptions.Item label={t('collateral.yard')}>{r.yard ?? '-'}</Descriptions.Item>
            <Descriptions.Item label={t('collateral.slot')}>{r.slot ?? '-'}</Descriptions.Item>
            <Descriptions.Item label={t('collateral.keysCount')}>{r.keysCount ?? '-'}</Descriptions.Item>
            <Descriptions.Item label={t('collateral.intakeOn')}>{r.registeredOn}</Descriptions.Item>
            <Descriptions.Item label={t('collateral.conditionNote')} span="filled">
              <span className="wrap-cell">{r.conditionNote ?? '-'}</span>
            </Descriptions.Item>
          </>
        )}
        {released && (
          <>
            <Descriptions.Item label={t('collateral.releasedOn')}>
              {t('collateral.releaseInfo', { date: r.releasedOn ?? '-', basis: t(`collateral.bases.${r.releaseBasis ?? 'exception'}`) })}
            </Descriptions.Item>
            {r.settlementCertNo && <Descriptions.Item label={t('collateral.settlementCertNo')}>{r.settlementCertNo}</Descriptions.Item>}
            {r.releaseReason && (
              <Descriptions.Item label={t('collateral.reason')}>
                <span className="wrap-cell">{r.releaseReason}</span>
              </Descriptions.Item>
            )}
            {approved && (
              <>
                <Descriptions.Item label={t('collateral.early.requestedBy')}>
                  <span data-testid="registration-requested-by">{`${approved.requestedByName} · ${formatDateTime(approved.requestedAt)}`}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('collateral.early.approvedBy')}>
                  <span data-testid="registration-approved-by">{`${approved.reviewedByName ?? '-'} · ${formatDateTime(approved.reviewedAt)}`}</span>
                </Descriptions.Item>
              </>
            )}
            <Descriptions.Item label={t('collateral.handoverNote')} span="filled">
              <span className="wrap-cell">{r.handoverNote ?? '-'}</span>
            </Descriptions.Item>
          </>
        )}
      </Descriptions>
      {waiting && (
        <Alert
          type="warning"
          showIcon
          className="section-card"
          data-testid="registration-waiting"
          title={
            <Space wrap>
              <strong>{t('collateral.early.waiting')}</strong>
              <RequestStatusTag status={waiting.status} />
              <DecisionCell request={waiting} onDecide={onDecide} />
            </Space>
          }
          description={
            <>
              <div className="wrap-cell">
                {t('collateral.early.reason')}：{waiting.reason}
              </div>
              <div className="wrap-cell">
                {t('collateral.early.plannedHandover')}：{waiting.handoverNote}
              </div>
              <div className="muted">
                {t('collateral.early.requestedBy')}：{waiting.requestedByName} · {formatDateTime(waiting.requestedAt)}
              </div>
            </>
          }
        />
      )}
      <div className="tab-actions scan-row">
        <Space wrap>
          <strong>{t('collateral.document')}</strong>
          {r.hasDocument ? (
            <Tag color="success" data-testid="registration-document-attached">
              {t('collateral.documentAttached')}
            </Tag>
          ) : (
            <Tag>{t('collateral.noDocument')}</Tag>
          )}
        </Space>
        <Space wrap>
          {r.hasDocument && (
            <Button size="small" icon={<EyeOutlined />} onClick={onView} data-testid="registration-document-view">
              {t('collateral.viewDocument')}
            </Button>
          )}
          {canWrite && held && (
            <AttachButtons
              path={registrationDocumentPath(r.id)}
              testId="registration-document"
              accept="image/*,application/pdf"
              done={t('collateral.documentUploaded')}
              onDone={reload}
            />
          )}
          {action === 'release' && (
            <Button size="small" danger icon={<UnlockOutlined />} onClick={onRelease} data-testid="registration-release">
              {t('collateral.release')}
            </Button>
          )}
          {action === 'request' && (
            <Button size="small" icon={<UnlockOutlined />} onClick={onRequest} data-testid="registration-request-release">
              {t('collateral.early.request')}
            </Button>
          )}
        </Space>
      </div>
    </div>
  );
}

function GpsItem({
  contractId,
  device: d,
  vehicle,
  canWrite,
  onView,
  onRemove,
}: {
  contractId: number;
  device: GpsDevice;
  vehicle: string;
  canWrite: boolean;
  onView: () => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const reload = useReload(contractId);
  const installed = d.status === 'installed';
  return (
    <div className="collateral-item" data-testid={`gps-${d.imei}`}>
      <Space wrap className="collateral-item-head">
        <strong className="mono">{d.imei}</strong>
        <Tag>{t(`collateral.gpsKinds.${d.kind}`)}</Tag>
        <Tag color={installed ? 'green' : 'default'} data-testid="gps-status">
          {t(`collateral.gpsStatuses.${d.status}`, { defaultValue: d.status })}
        </Tag>
      </Space>
      <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} className="detail-desc">
        <Descriptions.Item label={t('collateral.vehicle')}>
          <span className="wrap-cell">{vehicle}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('collateral.simNo')}>{d.simNo ?? '-'}</Descriptions.Item>
        <Descriptions.Item label={t('collateral.installPlace')}>{d.installPlace}</Descriptions.Item>
        <Descriptions.Item label={t('collateral.installer')}>{d.installer}</Descriptions.Item>
        <Descriptions.Item label={t('collateral.installedOn')}>{d.installedOn}</Descriptions.Item>
        {!installed && (
          <>
            <Descriptions.Item label={t('collateral.removedOn')}>{d.removedOn ?? '-'}</Descriptions.Item>
            <Descriptions.Item label={t('collateral.removalReason')} span="filled">
              <span className="wrap-cell">{d.removalReason ?? '-'}</span>
            </Descriptions.Item>
          </>
        )}
      </Descriptions>
      <div className="tab-actions scan-row">
        <Space wrap>
          <strong>{t('collateral.photo')}</strong>
          {d.hasPhoto ? (
            <Tag color="success" data-testid="gps-photo-attached">
              {t('collateral.documentAttached')}
            </Tag>
          ) : (
            <Tag>{t('collateral.noPhoto')}</Tag>
          )}
        </Space>
        <Space wrap>
          {d.hasPhoto && (
            <Button size="small" icon={<EyeOutlined />} onClick={onView} data-testid="gps-photo-view">
              {t('collateral.viewPhoto')}
            </Button>
          )}
          {canWrite && installed && (
            <AttachButtons path={gpsPhotoPath(d.id)} testId="gps-photo" accept="image/*" done={t('collateral.photoUploaded')} onDone={reload} />
          )}
          {canWrite && installed && (
            <Button size="small" danger icon={<DisconnectOutlined />} onClick={onRemove} data-testid="gps-remove">
              {t('collateral.removeGps')}
            </Button>
          )}
        </Space>
      </div>
    </div>
  );
}

interface HoldValues {
  registryOffice?: string;
  certificateNo?: string;
  yard?: string;
  slot?: string;
  keysCount?: number;
  conditionNote?: string;
  on: Dayjs;
}

/** 登记抵押 or 质押入库 for one car. */
function HoldDialog({ contract: c, kind, vehicleId, vehicle, onClose }: { contract: Contract; kind: 'mortgage' | 'pledge'; vehicleId: number; vehicle: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useErrorHandler();
  const reload = useReload(c.id);
  const [form] = Form.useForm<HoldValues>();
  const required = { required: true, whitespace: true, message: t('validation.required') };
  const save = useMutation({
    mutationFn: (v: HoldValues) =>
      kind === 'mortgage'
        ? registerMortgage(c.id, {
            vehicleId,
            registryOffice: (v.registryOffice ?? '').trim(),
            certificateNo: (v.certificateNo ?? '').trim(),
            registeredOn: v.on.format(DAY),
          })
        : intakePledge(c.id, {
            vehicleId,
            yard: (v.yard ?? '').trim(),
            slot: v.slot?.trim() || null,
            keysCount: v.keysCount ?? 0,
            conditionNote: (v.conditionNote ?? '').trim(),
            intakeOn: v.on.format(DAY),
          }),
    onSuccess: () => {
      message.success(kind === 'mortgage' ? t('collateral.mortgaged') : t('collateral.pledged'));
      reload();
      onClose();
    },
    onError: (e) => onError(e, { form, aliases: { registeredOn: 'on', intakeOn: 'on' } }),
  });
  return (
    <Modal
      open
      title={`${kind === 'mortgage' ? t('collateral.registerMortgage') : t('collateral.takePledge')} · ${vehicle}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'hold-save' }}
      destroyOnHidden
    >
      <Form<HoldValues> name={kind} form={form} layout="vertical" initialValues={{ on: dayjs(), keysCount: 2 }} onFinish={(v) => save.mutate(v)}>
        {kind === 'mortgage' ? (
          <>
            <Form.Item name="registryOffice" label={t('collateral.registryOffice')} rules={[required]}>
              <Input maxLength={100} placeholder={t('collateral.registryOfficeHint')} />
            </Form.Item>
            <Form.Item name="certificateNo" label={t('collateral.certificateNo')} rules={[required]}>
              <Input maxLength={50} />
            </Form.Item>
          </>
        ) : (
          <>
            <Form.Item name="yard" label={t('collateral.yard')} rules={[required]}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="slot" label={t('collateral.slot')}>
              <Input maxLength={30} />
            </Form.Item>
            <Form.Item name="keysCount" label={t('collateral.keysCount')} rules={[{ required: true, message: t('validation.required') }]}>
              <InputNumber min={1} max={10} precision={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="conditionNote" label={t('collateral.conditionNote')} rules={[required]}>
              <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('collateral.conditionHint')} />
            </Form.Item>
          </>
        )}
        <Form.Item
          name="on"
          label={kind === 'mortgage' ? t('collateral.registeredOn') : t('collateral.intakeOn')}
          rules={[{ required: true, message: t('validation.requiredSelect') }]}
        >
          <DatePicker style={{ width: '100%' }} disabledDate={notFuture} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface GpsValues {
  vehicleId: number;
  imei: string;
  simNo?: string;
  kind: 'wired' | 'wireless';
  installPlace: string;
  installer: string;
  installedOn: Dayjs;
}

/** 安装GPS: the IMEI is checked here as the server checks it. */
function GpsDialog({ contract: c, vehicles, onClose }: { contract: Contract; vehicles: { value: number; label: string }[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useErrorHandler();
  const reload = useReload(c.id);
  const [form] = Form.useForm<GpsValues>();
  const required = { required: true, whitespace: true, message: t('validation.required') };
  const save = useMutation({
    mutationFn: (v: GpsValues) =>
      installGps(c.id, {
        vehicleId: v.vehicleId,
        imei: normalizeImei(v.imei),
        simNo: v.simNo?.trim() || null,
        kind: v.kind,
        installPlace: v.installPlace.trim(),
        installer: v.installer.trim(),
        installedOn: v.installedOn.format(DAY),
      }),
    onSuccess: () => {
      message.success(t('collateral.installed'));
      reload();
      onClose();
    },
    onError: (e) => onError(e, { form }),
  });
  return (
    <Modal
      open
      title={t('collateral.installGps')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'gps-save' }}
      destroyOnHidden
    >
      <Form<GpsValues>
        name="gps"
        form={form}
        layout="vertical"
        initialValues={{ vehicleId: vehicles[0]?.value, kind: 'wired', installedOn: dayjs() }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="vehicleId" label={t('collateral.vehicle')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
          <Select options={vehicles} />
        </Form.Item>
        <Form.Item
          name="imei"
          label={t('collateral.imei')}
          extra={t('collateral.imeiHint')}
          validateFirst
          rules={[
            { required: true, whitespace: true, message: t('validation.required') },
            {
              validator: async (_, value: string) => {
                const problem = imeiProblem(value);
                if (problem) throw new Error(t(`collateral.imeiProblems.${problem}`));
              },
            },
          ]}
        >
          <Input maxLength={20} inputMode="numeric" autoComplete="off" className="mono" />
        </Form.Item>
        <Form.Item name="simNo" label={t('collateral.simNo')}>
          <Input maxLength={30} inputMode="numeric" />
        </Form.Item>
        <Form.Item name="kind" label={t('collateral.gpsKind')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
          <Radio.Group optionType="button" options={(['wired', 'wireless'] as const).map((k) => ({ value: k, label: t(`collateral.gpsKinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="installPlace" label={t('collateral.installPlace')} rules={[required]}>
          <Input maxLength={100} placeholder={t('collateral.installPlaceHint')} />
        </Form.Item>
        <Form.Item name="installer" label={t('collateral.installer')} rules={[required]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="installedOn" label={t('collateral.installedOn')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={notFuture} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 拆除: the date and the reason. */
function RemoveDialog({ contractId, device: d, onClose }: { contractId: number; device: GpsDevice; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useErrorHandler();
  const reload = useReload(contractId);
  const [form] = Form.useForm<{ removedOn: Dayjs; reason: string }>();
  const remove = useMutation({
    mutationFn: (v: { removedOn: Dayjs; reason: string }) => removeGps(d.id, { removedOn: v.removedOn.format(DAY), reason: v.reason.trim(), version: d.version }),
    onSuccess: () => {
      message.success(t('collateral.removed'));
      reload();
      onClose();
    },
    onError: (e) =>
      onError(e, {
        form,
        onReload: () => {
          reload();
          onClose();
        },
      }),
  });
  return (
    <Modal
      open
      title={t('collateral.removeTitle', { imei: d.imei })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('collateral.removeGps')}
      okButtonProps={{ danger: true, 'data-testid': 'gps-remove-save' }}
      cancelText={t('common.cancel')}
      confirmLoading={remove.isPending}
      destroyOnHidden
    >
      <Form name="removeGps" form={form} layout="vertical" initialValues={{ removedOn: dayjs() }} onFinish={(v) => remove.mutate(v)}>
        <Form.Item name="removedOn" label={t('collateral.removedOn')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={notFuture} />
        </Form.Item>
        <Form.Item name="reason" label={t('collateral.removalReason')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
