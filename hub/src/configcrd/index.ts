/** Generated config CRDs: JSON Schema → structural schema, the CRD, and its versions (pure). */
export { DEFAULT_BUDGET, type Budget } from "./budget.js";
export { convertSchema } from "./convert.js";
export { configCrd, type ConfigCrd, type ConfigVersion } from "./crd.js";
export { CONFIG_GROUP, configCrdName, configNames, VERSIONS_ANNOTATION, type ConfigNames } from "./names.js";
export { structuralProblems } from "./structural.js";
export type { Conversion, Rejection, StructuralSchema, Widening } from "./types.js";
export { existingVersions, fitCrd, FIRST_VERSION, planVersions, schemaHash, type VersionChange, type VersionPlan } from "./versions.js";
