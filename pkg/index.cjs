// Node CommonJS entry (`require("crm-engagements")`); the ESM entry node.mjs
// re-exports this one, so `import` and `require` share one instance.
"use strict";
const { createInstance } = require("./crm_engagements_node.cjs");
const { makeApi } = require("./api.cjs");

module.exports = makeApi(createInstance);
