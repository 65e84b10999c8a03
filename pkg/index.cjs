// Node CommonJS entry (`require("crm-engagements")`); the ESM entry node.mjs
// re-exports this one, so `import` and `require` share one instance.
"use strict";
const { createInstance } = require("./crm_engagements_node.cjs");
const { makeApi } = require("./api.cjs");

const { TrutoClient, DevRevClient, EngagementIterator, isEngagementsError, devRevToEngagement, __testing } =
  makeApi(createInstance);

// Named one by one in a literal: what imports this file as ESM (Deno's import()
// from CommonJS, a bundler's interop) finds each name with cjs-module-lexer;
// `module.exports = makeApi(...)` gave them only a default export.
module.exports = { TrutoClient, DevRevClient, EngagementIterator, isEngagementsError, devRevToEngagement, __testing };
