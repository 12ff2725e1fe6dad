/// <reference types="vitest/config" />
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Django serves the build under STATIC_URL (/static/, whitenoise); the dev server serves it at /
// and proxies the API and the websocket to Django (DJANGO_URL, default http://127.0.0.1:8000).
const django = process.env.DJANGO_URL ?? "http://127.0.0.1:8000";

export default defineConfig(({ command }) => ({
  base: command === "build" ? "/static/" : "/",
  plugins: [react(), tailwindcss()],
  server: {
    port: Number(process.env.VITE_PORT ?? 5173),
    proxy: {
      "/api": { target: django, changeOrigin: true },
      "/ws": { target: django.replace(/^http/, "ws"), ws: true, changeOrigin: true },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Each page is a chunk of its own (React.lazy in router.tsx). The libraries every page needs go
        // in a few chunks of their own, which change only when a library does (cached across deploys).
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 3 },
            { name: "router", test: /node_modules[\\/]react-router[\\/]/, priority: 3 },
            { name: "query", test: /node_modules[\\/]@tanstack[\\/]/, priority: 3 },
            { name: "i18n", test: /node_modules[\\/](i18next|react-i18next)[\\/]/, priority: 3 },
            { name: "icons", test: /node_modules[\\/]lucide-react[\\/]/, priority: 2 },
            // Recharts and what it brings, loaded only with the dashboard's charts.
            { name: "charts", test: /node_modules[\\/](recharts|victory-vendor|d3-[a-z-]+|internmap|decimal\.js-light|es-toolkit|eventemitter3|immer|redux|redux-thunk|@reduxjs|reselect|react-redux|use-sync-external-store|tiny-invariant)[\\/]/, priority: 2 },
            { name: "vendor", test: /node_modules[\\/]/, priority: 1 }, // any other library, should one come
            { name: "ui", test: /src[\\/]components[\\/]ui[\\/]/, priority: 1 }, // the shared components, once
          ],
        },
      },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    pool: "threads",
    maxWorkers: 2,
    // Interaction tests type and click through whole forms: ~2 s on a quiet 2-core machine, several
    // times that while the machine also runs a server and a browser. A real hang still fails.
    testTimeout: 20_000,
  },
}));
