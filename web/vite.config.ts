/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Vendor code that changes rarely goes into its own chunks, so that a release of the app
// does not invalidate them and no chunk approaches the size warning (antd alone is ~1 MB).
const vendorGroups = [
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser|use-sync-external-store)[\\/]/, priority: 40 },
  { name: 'antd-icons', test: /node_modules[\\/]@ant-design[\\/]icons/, priority: 35 },
  { name: 'antd-rc', test: /node_modules[\\/](@rc-component|rc-[^\\/]+)[\\/]/, priority: 32 },
  { name: 'antd-style', test: /node_modules[\\/](@ant-design[\\/](cssinjs|colors|fast-color|cssinjs-utils|react-slick)|@emotion|stylis|dayjs|classnames|clsx)[\\/]/, priority: 31 },
  { name: 'antd', test: /node_modules[\\/](antd|@ant-design)[\\/]/, priority: 30 },
  // The diagram library, only for the approval-flow pages (loaded with them, not at start).
  { name: 'xyflow', test: /node_modules[\\/](@xyflow|d3-[^\\/]+|zustand|classcat)[\\/]/, priority: 20 },
  { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
];

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/healthz': 'http://127.0.0.1:8080',
      '/readyz': 'http://127.0.0.1:8080',
    },
  },
  build: {
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: vendorGroups },
      },
    },
  },
  test: {
    // Pure logic tests run in node; a component test asks for jsdom in its first line.
    environment: 'node',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    // Room for a test's waits (each bounded at 5 s in setup.ts) on a loaded CI host.
    testTimeout: 20000,
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
  },
});
