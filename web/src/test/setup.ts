import '@testing-library/jest-dom/vitest';
import { configure } from '@testing-library/react';

// How long a `findBy…`/`waitFor` keeps looking before it gives up (a bound, not a measure: each
// resolves as soon as the element is there). The library's 1 s was missed by a form's field
// error on a loaded two-core CI host while the other test files ran beside it.
configure({ asyncUtilTimeout: 5000 });

// antd's responsive grid asks for media queries, which jsdom lacks.
if (typeof window !== 'undefined' && !window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      // A wide desktop screen: every min-width breakpoint matches.
      matches: /min-width/.test(query),
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

// The SPA calls the API by relative URLs ('/api/v1/...'), which a browser resolves against the
// page; Node's Request does not. Component tests that answer requests with a stubbed `fetch`
// get Requests resolved against jsdom's location, as in the browser.
if (typeof window !== 'undefined' && typeof globalThis.Request === 'function') {
  const NodeRequest = globalThis.Request;
  class PageRequest extends NodeRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(typeof input === 'string' ? new URL(input, window.location.href).href : input, init);
    }
  }
  globalThis.Request = PageRequest as typeof Request;
}
