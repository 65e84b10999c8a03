// Create and edit in one dialog. Edits send a PATCH with only the fields that changed;
// the package's validation errors appear under the field they name (`body.end_time`).
import { describeError, isAbort, validationField } from "../errors.js";
import { fromLocalInput, toLocalInput, typeMeta } from "../format.js";
import { byId, errorBlock, fill, h, setOptions } from "./dom.js";

/**
 * @typedef {import("crm-engagements").Engagement} Engagement
 * @typedef {import("crm-engagements").EngagementInput} EngagementInput
 * @typedef {import("../sources/source.js").Source} Source
 *
 * The form's values, normalised so two of them compare field by field.
 * @typedef {{ engagement_type: string, subject: string, content: string, owner: string, account: string,
 *   contact: string[], start_time: string, end_time: string, direction: string, status: string }} FormValues
 * @typedef {keyof FormValues} FieldName
 */

/** @type {FieldName[]} */
const FIELDS = ["engagement_type", "subject", "start_time", "end_time", "owner", "account", "direction", "status", "contact", "content"];
/** Fields the unified body has no way to clear (no `null` in EngagementInput). */
const NOT_CLEARABLE = new Set(["engagement_type", "owner", "account", "start_time", "end_time", "direction", "status"]);
const LABELS = /** @type {Record<FieldName, string>} */ ({
  engagement_type: "type",
  subject: "subject",
  content: "notes",
  owner: "owner",
  account: "account",
  contact: "contacts",
  start_time: "start",
  end_time: "end",
  direction: "direction",
  status: "status",
});

/** @param {Engagement | null} e @returns {FormValues} */
export function formValues(e) {
  return {
    engagement_type: e?.engagement_type ?? "",
    subject: e?.subject ?? "",
    content: e?.content ?? "",
    owner: e?.owner?.id ?? "",
    account: e?.account?.id ?? "",
    contact: (e?.contact ?? []).map((c) => c.id).sort(),
    start_time: toLocalInput(e?.start_time),
    end_time: toLocalInput(e?.end_time),
    direction: e?.direction ?? "",
    status: e?.status ?? "",
  };
}

/** Fields whose values differ. */
export function changedFields(/** @type {FormValues} */ before, /** @type {FormValues} */ after) {
  return FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}

/**
 * The unified body for some fields of the form.
 * @param {FormValues} v
 * @param {FieldName[]} fields
 * @returns {EngagementInput}
 */
export function toInput(v, fields) {
  /** @type {Record<string, unknown>} */
  const body = {};
  for (const f of fields) {
    if (f === "contact") body.contact = v.contact.map((id) => ({ id }));
    else if (f === "owner" || f === "account") {
      if (v[f]) body[f] = { id: v[f] };
    } else if (f === "start_time" || f === "end_time") {
      if (v[f]) body[f] = fromLocalInput(v[f]);
    } else if (f === "subject" || f === "content") body[f] = v[f];
    else if (v[f]) body[f] = v[f];
  }
  return /** @type {EngagementInput} */ (body);
}

/**
 * @param {object} deps
 * @param {import("../directory.js").Directory} deps.directory
 * @param {() => Source} deps.source
 * @param {<T>(promise: Promise<T>) => Promise<T>} deps.track  counts the call as in flight (retry banners)
 * @param {(saved: Engagement, mode: "create" | "edit", changed: FieldName[]) => void} deps.onSaved
 */
export function createEditor({ directory, source, track, onSaved }) {
  const dialog = /** @type {HTMLDialogElement} */ (byId("editor-dialog"));
  const form = /** @type {HTMLFormElement} */ (byId("editor-form"));
  const alertBox = byId("editor-alert");
  const save = /** @type {HTMLButtonElement} */ (byId("editor-save"));
  const changes = byId("editor-changes");
  const contactsBox = byId("e-contacts");
  const control = (/** @type {string} */ name) => /** @type {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} */ (form.elements.namedItem(name));

  /** @type {Engagement | null} */
  let original = null;
  /** @type {FormValues} */
  let initial = formValues(null);
  /** @type {AbortController | null} */
  let inflight = null;

  function read() {
    /** @type {FormValues} */
    const v = formValues(null);
    for (const f of FIELDS) {
      if (f === "contact") {
        v.contact = [...contactsBox.querySelectorAll("input:checked")].map((el) => /** @type {HTMLInputElement} */ (el).value).sort();
      } else {
        v[f] = control(f).value;
      }
    }
    v.subject = v.subject.trim();
    return v;
  }

  function clearErrors() {
    alertBox.hidden = true;
    alertBox.replaceChildren();
    for (const field of form.querySelectorAll("[data-field]")) {
      field.classList.remove("invalid");
      const p = /** @type {HTMLElement} */ (field.querySelector(".field-error"));
      p.hidden = true;
      p.textContent = "";
      field.querySelector("input, select, textarea")?.removeAttribute("aria-invalid");
    }
  }

  /** Shows a message under a field; returns false when the form has no such field. */
  function fieldError(/** @type {string} */ name, /** @type {string} */ message) {
    const field = /** @type {HTMLElement | null} */ (form.querySelector(`[data-field="${name}"]`));
    if (!field || field.hidden) return false;
    field.classList.add("invalid");
    const p = /** @type {HTMLElement} */ (field.querySelector(".field-error"));
    p.textContent = message;
    p.hidden = false;
    const input = /** @type {HTMLElement | null} */ (field.querySelector("input, select, textarea"));
    input?.setAttribute("aria-invalid", "true");
    if (p.id === "") p.id = `${field.dataset.field}-error`;
    input?.setAttribute("aria-describedby", p.id);
    input?.focus();
    return true;
  }

  function showAlert(/** @type {import("../errors.js").ErrorView} */ view) {
    fill(alertBox, errorBlock(view));
    alertBox.dataset.kind = view.kind;
    alertBox.hidden = false;
    alertBox.focus?.();
  }

  function updateChanges() {
    if (alertBox.dataset.kind === "none") {
      alertBox.hidden = true; // "Nothing to save" no longer applies
      delete alertBox.dataset.kind;
    }
    if (!original) {
      changes.textContent = "";
      return;
    }
    const changed = changedFields(initial, read());
    changes.textContent = changed.length ? `Will update: ${changed.map((f) => LABELS[f]).join(", ")}` : "No changes yet";
  }

  function populate(/** @type {Engagement | null} */ e) {
    const caps = source().capabilities;
    const types = [...caps.createTypes];
    if (e?.engagement_type && !types.includes(e.engagement_type)) types.push(e.engagement_type);
    setOptions(/** @type {HTMLSelectElement} */ (control("engagement_type")), types.map((t) => ({ value: t, label: typeMeta(t).label })), e?.engagement_type ?? types[0]);
    const refOptions = (/** @type {"owner" | "account"} */ kind, /** @type {string} */ none) => [
      { value: "", label: none },
      ...directory.options(kind).map((o) => ({ value: o.id, label: o.label })),
    ];
    setOptions(/** @type {HTMLSelectElement} */ (control("owner")), refOptions("owner", "Unassigned"), e?.owner?.id ?? "");
    setOptions(/** @type {HTMLSelectElement} */ (control("account")), refOptions("account", "No account"), e?.account?.id ?? "");
    const selected = new Set((e?.contact ?? []).map((c) => c.id));
    const contacts = directory.options("contact");
    for (const id of selected) if (!contacts.some((c) => c.id === id)) contacts.push({ id, label: id });
    contactsBox.replaceChildren(
      ...(contacts.length
        ? contacts.map((c) =>
            h("label", { class: "check" }, h("input", { type: "checkbox", name: "contact", value: c.id, checked: selected.has(c.id) }), h("span", { text: c.label })),
          )
        : [h("p", { class: "muted small", text: "No contacts known yet: load some engagements first." })]),
    );
    const v = formValues(e);
    for (const f of FIELDS) if (f !== "contact" && f !== "engagement_type" && f !== "owner" && f !== "account") control(f).value = v[f];
    for (const field of /** @type {NodeListOf<HTMLElement>} */ (form.querySelectorAll("[data-field]"))) {
      const name = field.dataset.field ?? "";
      field.hidden = !caps.editorFields.includes(name);
      // Fields the source cannot change on update stay visible, read-only.
      const locked = Boolean(e) && !caps.updateFields.includes(name);
      for (const input of field.querySelectorAll("input, select, textarea")) /** @type {HTMLInputElement} */ (input).disabled = locked;
    }
  }

  /** Opens the dialog: `e` null creates, else edits `e`. */
  function open(/** @type {Engagement | null} */ e) {
    original = e;
    clearErrors();
    populate(e);
    initial = e ? read() : formValues(null);
    byId("editor-title").textContent = e ? "Edit engagement" : "New engagement";
    byId("editor-sub").textContent = e ? `${typeMeta(e.engagement_type).label} · ${e.id}` : `In ${source().description}`;
    save.textContent = e ? "Save changes" : "Create engagement";
    updateChanges();
    dialog.showModal();
    /** @type {HTMLElement} */ (e ? control("subject") : control("engagement_type")).focus();
  }

  function close() {
    inflight?.abort();
    inflight = null;
    dialog.close();
  }

  async function submit() {
    clearErrors();
    const values = read();
    const mode = original ? "edit" : "create";
    const changed = original ? changedFields(initial, values) : FIELDS.filter((f) => (f === "contact" ? values.contact.length > 0 : values[f] !== ""));
    if (!values.subject) {
      fieldError("subject", "Add a subject: it is what the table and the CRM show.");
      return;
    }
    if (original && changed.length === 0) {
      showAlert({ title: "Nothing to save", message: "No field has changed.", meta: [], kind: "none" });
      return;
    }
    const cleared = changed.find((f) => NOT_CLEARABLE.has(f) && values[f] === "");
    if (original && cleared) {
      fieldError(cleared, "The unified API cannot clear this field; pick a value or leave it as it was.");
      return;
    }
    const body = toInput(values, changed);
    inflight = new AbortController();
    const { signal } = inflight;
    save.disabled = true;
    save.setAttribute("aria-busy", "true");
    const label = save.textContent;
    save.textContent = "Saving…";
    try {
      const saved = await track(original ? source().update(original.id, body, original, { signal }) : source().create(body, { signal }));
      dialog.close();
      onSaved(saved, mode, changed);
    } catch (err) {
      if (isAbort(err)) return;
      const field = validationField(err);
      const formField = field ? source().formFieldOf(field) : null;
      const view = describeError(err, mode === "edit" ? "save the changes" : "create the engagement");
      if (!(formField && fieldError(formField, view.message))) showAlert(view);
    } finally {
      save.disabled = false;
      save.removeAttribute("aria-busy");
      save.textContent = label;
      inflight = null;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void submit();
  });
  form.addEventListener("input", updateChanges);
  form.addEventListener("change", updateChanges);
  byId("editor-cancel").addEventListener("click", close);
  dialog.addEventListener("cancel", () => inflight?.abort());

  return { open, close };
}
