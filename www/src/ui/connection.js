// The connection panel: source (when DevRev is available), base URL, token and
// integrated account id. The token lives in this module's form field and in the client
// object only: never in localStorage, sessionStorage, a cookie or a URL.
import { describeError } from "../errors.js";
import { isEngagementsError } from "../lib.js";
import { SOURCES } from "../sources/index.js";
import { byId, h } from "./dom.js";

/**
 * @typedef {import("../sources/index.js").Connection} Connection
 * @typedef {{ baseUrl?: string, token?: string, integratedAccountId?: string, proxied?: boolean, rateLimit?: false | import("crm-engagements").RateLimitOptions }} SourceDefaults
 * @typedef {{ label?: string, source?: "truto" | "devrev", truto?: SourceDefaults, devrev?: SourceDefaults, directory?: string | null }} DashboardConfig
 */

const PUBLIC_DEFAULTS = /** @type {Record<"truto" | "devrev", SourceDefaults>} */ ({
  truto: { baseUrl: "https://api.truto.one" },
  devrev: { baseUrl: "https://api.devrev.ai" },
});

/**
 * @param {object} deps
 * @param {() => DashboardConfig | null} deps.config
 * @param {(connection: Connection) => void} deps.onConnect  throws the client's config error for bad options
 */
export function createConnectionPanel({ config, onConnect }) {
  const dialog = /** @type {HTMLDialogElement} */ (byId("connection-dialog"));
  const form = /** @type {HTMLFormElement} */ (byId("connection-form"));
  const base = /** @type {HTMLInputElement} */ (byId("c-base"));
  const token = /** @type {HTMLInputElement} */ (byId("c-token"));
  const account = /** @type {HTMLInputElement} */ (byId("c-account"));
  const switcher = byId("source-switch");
  const defaultsButton = /** @type {HTMLButtonElement} */ (byId("c-defaults"));
  /** @type {"truto" | "devrev"} */
  let source = "truto";

  // The Truto / DevRev switch exists only when the package exports DevRevClient.
  if (SOURCES.length > 1) {
    switcher.hidden = false;
    for (const s of SOURCES) {
      switcher.append(
        h(
          "label",
          { class: "segment" },
          h("input", { type: "radio", name: "source", value: s.id, onchange: () => selectSource(s.id, true) }),
          h("span", { text: s.label }),
        ),
      );
    }
  }

  /** Defaults for a source: the server's config (the demo's mock or Worker), else the public API. */
  const defaultsFor = (/** @type {"truto" | "devrev"} */ id) => config()?.[id] ?? PUBLIC_DEFAULTS[id];

  function selectSource(/** @type {"truto" | "devrev"} */ id, fill = false) {
    source = id;
    for (const input of switcher.querySelectorAll("input")) /** @type {HTMLInputElement} */ (input).checked = input.value === id;
    byId("c-account-field").hidden = id !== "truto";
    if (fill) fillDefaults();
    updateHints();
  }

  function fillDefaults() {
    const d = defaultsFor(source);
    base.value = d.baseUrl ?? "";
    token.value = d.token ?? "";
    account.value = d.integratedAccountId ?? "";
    clearErrors();
    updateHints();
  }

  const proxied = () => base.value.trim().startsWith("/");

  function updateHints() {
    const viaProxy = proxied();
    token.disabled = viaProxy;
    if (viaProxy) token.value = "";
    byId("c-token-hint").textContent = viaProxy
      ? "Not needed: the same-origin Worker proxy holds the token as a secret and adds it."
      : "Kept in this tab's memory only: never saved, never put in a URL.";
    byId("c-base-hint").textContent = viaProxy
      ? "A path on this site: the Cloudflare Worker proxy."
      : source === "truto"
        ? "https://api.truto.one, a proxy of it, or the built-in mock."
        : "https://api.devrev.ai, or a proxy of it.";
    const cfg = config();
    defaultsButton.hidden = !cfg;
    defaultsButton.textContent = cfg?.label ? `Use ${cfg.label}` : "Use the defaults";
  }

  function clearErrors() {
    for (const id of ["c-base-error", "c-token-error", "c-account-error"]) {
      const p = byId(id);
      p.hidden = true;
      p.textContent = "";
    }
    for (const input of [base, token, account]) input.removeAttribute("aria-invalid");
  }

  function showError(/** @type {HTMLInputElement} */ input, /** @type {string} */ message) {
    const p = byId(`${input.id}-error`);
    p.textContent = message;
    p.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }

  /** @returns {Connection} */
  function read() {
    return {
      source,
      baseUrl: base.value.trim(),
      token: proxied() ? undefined : token.value.trim() || undefined,
      integratedAccountId: source === "truto" ? account.value.trim() || undefined : undefined,
      proxied: proxied(),
      // The plan's limits come from the server's config, not the form.
      rateLimit: config()?.[source]?.rateLimit,
    };
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors();
    const connection = read();
    if (!connection.baseUrl) return showError(base, "Enter the API's base URL.");
    if (connection.source === "truto" && !connection.proxied && !connection.integratedAccountId) {
      return showError(account, "Truto needs the integrated account to read from (see Truto's dashboard).");
    }
    try {
      onConnect(connection);
      dialog.close();
    } catch (err) {
      // The client's constructor refuses bad options with kind `config` (no field is set:
      // map the codes it documents).
      const view = describeError(err, "connect");
      const code = isEngagementsError(err) ? err.code ?? "" : "";
      if (/token/i.test(code)) showError(token, view.message);
      else showError(base, view.message);
    }
  });
  base.addEventListener("input", updateHints);
  byId("c-cancel").addEventListener("click", () => dialog.close());
  defaultsButton.addEventListener("click", () => {
    selectSource(config()?.source ?? "truto");
    fillDefaults();
  });

  return {
    /** Opens the panel showing `current` (or the defaults). */
    open(/** @type {Connection | null} */ current) {
      clearErrors();
      if (current) {
        selectSource(current.source);
        base.value = current.baseUrl;
        token.value = current.token ?? "";
        account.value = current.integratedAccountId ?? "";
        updateHints();
      } else {
        selectSource(config()?.source ?? "truto");
        fillDefaults();
      }
      dialog.showModal();
      base.focus();
    },
    /** The connection the server's config describes, if any. */
    initial() {
      const cfg = config();
      if (!cfg) return null;
      const id = cfg.source ?? "truto";
      const d = cfg[id];
      if (!d?.baseUrl) return null;
      return /** @type {Connection} */ ({
        source: id,
        baseUrl: d.baseUrl,
        token: d.proxied ? undefined : d.token,
        integratedAccountId: d.integratedAccountId,
        proxied: Boolean(d.proxied) || d.baseUrl.startsWith("/"),
        rateLimit: d.rateLimit,
      });
    },
  };
}
