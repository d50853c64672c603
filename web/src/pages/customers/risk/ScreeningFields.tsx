import { Col, Form, Input, InputNumber, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ScreeningInput } from '../../../api/customers';
import { blankToNull } from '../../../lib/format';
import { CustomerSearchSelect, MONEY_PATTERN } from '../shared';

export interface ScreeningForm {
  customerId: number;
  loanAmount: string;
  termMonths: number;
  existingMonthlyDebt?: string;
  vehicleDescription?: string;
  vehicleValue?: string;
}

export function toScreeningInput(v: ScreeningForm): ScreeningInput {
  const value = blankToNull(v.vehicleValue);
  const description = blankToNull(v.vehicleDescription);
  return {
    customerId: v.customerId,
    loanAmount: v.loanAmount.trim(),
    termMonths: v.termMonths,
    existingMonthlyDebt: blankToNull(v.existingMonthlyDebt),
    vehicle: value || description ? { declaredValue: value, description, vin: null } : null,
  };
}

/** The loan a screening is asked about; the customer picker is left out when it is fixed. */
export function ScreeningFields({ withCustomer }: { withCustomer: boolean }) {
  const { t } = useTranslation();
  const money = [{ pattern: MONEY_PATTERN, message: t('validation.money') }];
  return (
    <Row gutter={12}>
      {withCustomer && (
        <Col xs={24}>
          <Form.Item name="customerId" label={t('risk.customer')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
            <CustomerSearchSelect />
          </Form.Item>
        </Col>
      )}
      <Col xs={24} sm={12}>
        <Form.Item name="loanAmount" label={t('risk.loanAmount')} rules={[{ required: true, message: t('validation.required') }, ...money]}>
          <Input inputMode="decimal" suffix={t('common.yuan')} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name="termMonths" label={t('risk.termMonths')} rules={[{ required: true, message: t('validation.required') }]}>
          <InputNumber min={1} max={360} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name="existingMonthlyDebt" label={t('risk.existingMonthlyDebt')} rules={money}>
          <Input inputMode="decimal" suffix={t('common.yuan')} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name="vehicleValue" label={t('risk.vehicleValue')} rules={money}>
          <Input inputMode="decimal" suffix={t('common.yuan')} />
        </Form.Item>
      </Col>
      <Col xs={24}>
        <Form.Item name="vehicleDescription" label={t('risk.vehicleDescription')}>
          <Input maxLength={100} placeholder={t('risk.vehiclePlaceholder')} />
        </Form.Item>
      </Col>
    </Row>
  );
}
