// The one place the dashboard imports the npm package, exactly as a user's app would
// (`npm install crm-engagements`; Vite emits the .wasm as an asset, no init call).
//
// DevRev support is feature-detected: the Truto / DevRev switch appears only when the
// installed package exports `DevRevClient` (and its unified mapping), so this app builds
// and runs against a package with or without it.
import * as lib from "crm-engagements";

export const { TrutoClient, isEngagementsError } = lib;

/**
 * A DevRev client class, typed structurally so this file type-checks against a package
 * that does not have one.
 * @typedef {new (options: Record<string, unknown>) => import("./sources/devrev.js").DevRevClientLike} DevRevClientClass
 */

/** @type {DevRevClientClass | undefined} */
export const DevRevClient = exported("DevRevClient");

/** @type {((engagement: unknown) => import("crm-engagements").Engagement) | undefined} */
export const devRevToEngagement = exported("devRevToEngagement");

/**
 * An export by name, or undefined (read dynamically, so the bundler neither warns nor
 * fails when it is missing).
 * @param {string} name
 * @returns {any}
 */
function exported(name) {
  const value = Reflect.get(lib, name);
  return typeof value === "function" ? value : undefined;
}
