import { describe, expect, it } from 'vitest';
import { diffRecords, recordLabel } from './diff';

describe('diffRecords', () => {
  it('marks changed, added and removed fields', () => {
    const rows = diffRecords({ name: '风控部', code: 'RISK', version: 1 }, { name: '风险管理部', code: 'RISK', version: 2, parentId: 3 });
    expect(rows.map((r) => [r.key, r.changed])).toEqual([
      ['name', true],
      ['code', false],
      ['version', true],
      ['parentId', true],
    ]);
  });

  it('handles creations and nested values', () => {
    expect(diffRecords(null, { a: 1 })).toEqual([{ key: 'a', before: undefined, after: 1, changed: true }]);
    expect(diffRecords({ r: [1, 2] }, { r: [1, 2] })[0].changed).toBe(false);
  });
});

describe('recordLabel', () => {
  it('prefers a name', () => {
    expect(recordLabel(null, { code: 'X', name: '总部' })).toBe('总部');
    expect(recordLabel({ username: 'admin' })).toBe('admin');
    expect(recordLabel(null, null)).toBeUndefined();
  });
});
