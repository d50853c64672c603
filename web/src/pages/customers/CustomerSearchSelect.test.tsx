// @vitest-environment jsdom
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '../../i18n';
import { stubApi } from '../../test/api';
import { CustomerSearchSelect } from './shared';

afterEach(() => vi.unstubAllGlobals());

const customer = (id: number, name: string) => ({ id, name, kind: 'individual', idNumber: `1101**********${id}`, creditCode: null });

function Picker() {
  const [value, setValue] = useState<number | null>(null);
  return (
    <>
      <CustomerSearchSelect id="customer" value={value} onChange={setValue} />
      <span data-testid="picked">{value ?? '-'}</span>
    </>
  );
}

function renderPicker() {
  stubApi({
    'GET /api/v1/customers': (call) => {
      const name = call.query.get('name') ?? '';
      const all = [customer(7, '张三'), customer(8, '李四')];
      const items = all.filter((c) => c.name.startsWith(name));
      return { body: { items, total: items.length, page: 1, pageSize: 20 } };
    },
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <AntdApp>
        <Picker />
      </AntdApp>
    </QueryClientProvider>,
  );
}

const options = () => [...document.querySelectorAll('.ant-select-item-option')].map((o) => o.textContent);
const shown = () => document.querySelector('.ant-select')!.textContent;

function search(text: string) {
  const input = screen.getByRole('combobox');
  fireEvent.mouseDown(input);
  fireEvent.change(input, { target: { value: text } });
}

describe('CustomerSearchSelect', () => {
  it('keeps showing the picked customer by name while another search leaves them out', async () => {
    renderPicker();
    search('张');
    const option = await waitFor(() => {
      const el = [...document.querySelectorAll('.ant-select-item-option')].find((o) => o.textContent?.includes('张三'));
      expect(el).toBeTruthy();
      return el!;
    });
    fireEvent.click(option);
    await waitFor(() => expect(screen.getByTestId('picked').textContent).toBe('7'));
    await waitFor(() => expect(shown()).toContain('张三'));
    // A new search that leaves the picked customer out of its results (as does closing the
    // dropdown, which clears the search): the pick stays, shown and listed by name, not as '#7'.
    search('李');
    await waitFor(() => expect(options()).toContain('李四（1101**********8）'));
    expect(options()).toContain('张三（1101**********7）');
    expect(screen.getByTestId('picked').textContent).toBe('7');
    expect(shown()).toContain('张三');
  });
});
