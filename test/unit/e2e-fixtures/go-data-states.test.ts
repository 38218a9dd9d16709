// The comparison behind the Go-provider state tests must see every kind of difference.
import { describe, expect, it } from 'vitest';
import { differences } from '../../e2e/fixtures/go-data-states.js';

describe('differences from a Go provider state', () => {
  it('reports changed, missing and extra values and inconsistent ids; skips masked and known paths', () => {
    const go = { a: 1, b: '##id-1##', c: '##id-2##', d: '##id-1##', m: '########', k: null, l: [{ x: 0 }], gone: true };
    const ours = { a: 2, b: 'x', c: 'x', d: 'y', m: 5, k: 'fixed', l: [{ x: null }], extra: 1 };
    expect(differences(go, ours, (p) => p === 'k')).toEqual([
      '.gone: missing here',
      '.extra: not in the Go state',
      'a: 1 → 2',
      'c: ##id-2## and ##id-1## are both "x"',
      'd: ##id-1## was "x", here "y"',
      'l[0].x: 0 → null',
    ]);
    expect(differences(go, { ...go, gone: true }, () => false)).toEqual([]);
  });
});
