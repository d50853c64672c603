import type { ReactNode } from 'react';
import { Button, Card, Col, Form, Row, Space } from 'antd';
import type { FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';

interface Props<T> {
  /** Form name; prefixes the inputs' ids so they stay unique on the page. */
  name: string;
  form: FormInstance<T>;
  onSearch: (values: T) => void;
  children: ReactNode[];
}

/** A responsive filter bar: one column on a phone, up to four on a wide screen. */
export function ListFilters<T extends object>({ name, form, onSearch, children }: Props<T>) {
  const { t } = useTranslation();
  return (
    <Card className="filter-card" size="small">
      <Form<T> name={name} form={form} layout="vertical" onFinish={onSearch} className="filter-form">
        <Row gutter={[16, 0]} align="bottom">
          {children.map((child, i) => (
            <Col key={i} xs={24} sm={12} lg={6}>
              {child}
            </Col>
          ))}
          <Col xs={24} sm={children.length % 2 === 0 ? 24 : 12} lg={children.length % 4 === 0 ? 24 : 6} className="filter-actions">
            <Space>
              <Button type="primary" htmlType="submit">
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  onSearch(form.getFieldsValue());
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Col>
        </Row>
      </Form>
    </Card>
  );
}
