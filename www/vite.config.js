// Vite 7 builds the dashboard exactly as it would build a user's app that did
// `npm install crm-engagements`: the package's .wasm becomes a hashed asset.
// (vite itself is the workspace's dev tool: /work/main/node_modules.)
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  logLevel: "warn",
  // Vite's dev server pre-bundles dependencies and breaks the package's
  // `new URL("…_bg.wasm", import.meta.url)`; `vite build` needs nothing.
  optimizeDeps: { exclude: ["crm-engagements"] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The worker/ folder is not part of the page.
    rollupOptions: { input: fileURLToPath(new URL("./index.html", import.meta.url)) },
  },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
