import { describe, expect, it } from 'vitest';
import { betterThan, isNonPerforming, worseThan } from './classes';

describe('five-tier classes', () => {
  it('offers only worse classes for a downgrade and only better ones for a request', () => {
    expect(worseThan('substandard')).toEqual(['doubtful', 'loss']);
    expect(betterThan('substandard')).toEqual(['normal', 'special_mention']);
    expect(worseThan('loss')).toEqual([]);
    expect(betterThan('normal')).toEqual([]);
  });
  it('counts 次级 and worse as non-performing', () => {
    expect(isNonPerforming('special_mention')).toBe(false);
    expect(isNonPerforming('substandard')).toBe(true);
  });
});
