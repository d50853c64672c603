import { useState } from 'react';
import { Alert, App, Button, Checkbox, Col, DatePicker, Drawer, Form, Input, InputNumber, Row, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ApiError } from '../../../api/errors';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { TRANSMISSIONS, USAGES, type Transmission, type Vehicle, type VehicleRegistration, type VehicleUsage } from '../../../api/vehicles';
import { useIsMobile } from '../../../components/useIsMobile';
import { blankToNull } from '../../../lib/format';
import { parseVin } from '../../../lib/vin';

interface VehicleFormValues {
  vin: string;
  vinOverride?: boolean;
  overrideReason?: string;
  plate?: string;
  brand: string;
  model: string;
  firstRegisteredOn: Dayjs;
  mileageKm: number;
  colour?: string;
  transmission?: Transmission;
  displacement?: string;
  usage: VehicleUsage;
  flags?: ('accident' | 'flood' | 'fire')[];
  inspectionExpiresOn?: Dayjs | null;
  insuranceExpiresOn?: Dayjs | null;
}

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

function toInput(v: VehicleFormValues, version?: number): VehicleRegistration {
  const flags = v.flags ?? [];
  return {
    vin: v.vin,
    vinOverride: v.vinOverride ?? false,
    overrideReason: v.vinOverride ? blankToNull(v.overrideReason) : null,
    plate: blankToNull(v.plate),
    brand: v.brand,
    model: v.model,
    firstRegisteredOn: v.firstRegisteredOn.format('YYYY-MM-DD'),
    mileageKm: v.mileageKm,
    colour: blankToNull(v.colour),
    transmission: v.transmission ?? null,
    displacement: blankToNull(v.displacement),
    usage: v.usage,
    accident: flags.includes('accident'),
    flood: flags.includes('flood'),
    fire: flags.includes('fire'),
    inspectionExpiresOn: day(v.inspectionExpiresOn),
    insuranceExpiresOn: day(v.insuranceExpiresOn),
    version: version ?? null,
  };
}

function initial(v: Vehicle | null): Partial<VehicleFormValues> {
  if (!v) return { usage: 'private', flags: [] };
  return {
    vin: v.vin,
    vinOverride: !v.vinCheckDigitValid,
    overrideReason: v.vinOverrideReason ?? undefined,
    plate: v.plate ?? undefined,
    brand: v.brand,
    model: v.model,
    firstRegisteredOn: dayjs(v.firstRegisteredOn),
    mileageKm: v.mileageKm,
    colour: v.colour ?? undefined,
    transmission: v.transmission ?? undefined,
    displacement: v.displacement ?? undefined,
    usage: v.usage,
    flags: (['accident', 'flood', 'fire'] as const).filter((f) => v[f]),
    inspectionExpiresOn: v.inspectionExpiresOn ? dayjs(v.inspectionExpiresOn) : null,
    insuranceExpiresOn: v.insuranceExpiresOn ? dayjs(v.insuranceExpiresOn) : null,
  };
}

/** Registers or edits a vehicle; phone-first: one column, big inputs, the VIN checked as typed. */
export function VehicleForm({ vehicle, onClose, onSaved }: { vehicle: Vehicle | null; onClose: () => void; onSaved: (v: Vehicle) => void }) {
  const { t } = useTranslation();
  const isMobile = useIsMobile();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<VehicleFormValues>();
  const vin = Form.useWatch('vin', form) ?? '';
  const override = Form.useWatch('vinOverride', form) ?? false;
  const [serverCheckDigit, setServerCheckDigit] = useState(false);
  const reading = vin.trim() ? parseVin(vin) : null;
  const checkDigitWrong = reading?.ok === false && reading.code === 'invalid_vin_check_digit';

  const save = useMutation({
    mutationFn: (v: VehicleFormValues) =>
      vehicle
        ? unwrap(api.PUT('/api/v1/vehicles/{id}', { params: { path: { id: vehicle.id } }, body: toInput(v, vehicle.version) }))
        : unwrap(api.POST('/api/v1/vehicles', { body: toInput(v) })),
    onSuccess: (saved) => {
      message.success(t(vehicle ? 'common.saved' : 'common.created'));
      void queryClient.invalidateQueries({ queryKey: ['vehicles'] });
      void queryClient.invalidateQueries({ queryKey: ['appraisals'] });
      onSaved(saved);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.fieldErrors.some((f) => f.code === 'invalid_vin_check_digit')) setServerCheckDigit(true);
      onError(e, { form, onReload: () => { void queryClient.invalidateQueries({ queryKey: ['vehicles'] }); onClose(); } });
    },
  });

  return (
    <Drawer
      open
      size={isMobile ? '100%' : 720}
      title={t(vehicle ? 'vehicles.edit' : 'vehicles.create')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="vehicle-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<VehicleFormValues> name="vehicleForm" form={form} layout="vertical" initialValues={initial(vehicle)} onFinish={(v) => save.mutate(v)}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="vin"
              label={t('vehicles.vin')}
              rules={[{ required: true, message: t('validation.required') }]}
              extra={
                reading?.ok === false
                  ? reading.code === 'invalid_vin_check_digit'
                    ? t('vehicles.vinCheckHint', { expected: reading.expected })
                    : t('fieldErrors.invalid_vin')
                  : undefined
              }
            >
              <Input maxLength={20} autoCapitalize="characters" autoComplete="off" spellCheck={false} className="mono" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="plate" label={t('vehicles.plate')}>
              <Input maxLength={12} placeholder="京A12345" autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
        {(checkDigitWrong || serverCheckDigit || override) && (
          <Alert
            type="warning"
            showIcon
            title={t('vehicles.overrideTitle')}
            style={{ marginBottom: 16 }}
            description={
              <>
                <Form.Item name="vinOverride" valuePropName="checked" style={{ marginBottom: 8 }}>
                  <Checkbox data-testid="vin-override">{t('vehicles.vinOverride')}</Checkbox>
                </Form.Item>
                {override && (
                  <Form.Item name="overrideReason" label={t('vehicles.overrideReason')} rules={[{ required: true, message: t('validation.required') }]}>
                    <Input.TextArea rows={2} maxLength={500} placeholder={t('vehicles.overrideReasonHint')} />
                  </Form.Item>
                )}
              </>
            }
          />
        )}
        <Row gutter={16}>
          <Col xs={12} md={12}>
            <Form.Item name="brand" label={t('vehicles.brand')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={12} md={12}>
            <Form.Item name="model" label={t('vehicles.model')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={12} md={12}>
            <Form.Item name="firstRegisteredOn" label={t('vehicles.firstRegisteredOn')} rules={[{ required: true, message: t('validation.required') }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={12}>
            <Form.Item name="mileageKm" label={t('vehicles.mileageKm')} rules={[{ required: true, message: t('validation.required') }]}>
              <InputNumber style={{ width: '100%' }} precision={0} inputMode="numeric" suffix="km" />
            </Form.Item>
          </Col>
          <Col xs={12} md={12}>
            <Form.Item name="usage" label={t('vehicles.usage')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
              <Select options={USAGES.map((u) => ({ value: u, label: t(`vehicles.usages.${u}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={12}>
            <Form.Item name="transmission" label={t('vehicles.transmission')}>
              <Select allowClear options={TRANSMISSIONS.map((v) => ({ value: v, label: t(`vehicles.transmissions.${v}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={12}>
            <Form.Item name="displacement" label={t('vehicles.displacement')}>
              <Input maxLength={50} placeholder="1.5T" />
            </Form.Item>
          </Col>
          <Col xs={12} md={12}>
            <Form.Item name="colour" label={t('vehicles.colour')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={12} md={12}>
            <Form.Item name="inspectionExpiresOn" label={t('vehicles.inspectionExpiresOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={12}>
            <Form.Item name="insuranceExpiresOn" label={t('vehicles.insuranceExpiresOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="flags" label={t('vehicles.flags')}>
              <Checkbox.Group
                options={(['accident', 'flood', 'fire'] as const).map((f) => ({ value: f, label: t(`vehicles.${f}`) }))}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
