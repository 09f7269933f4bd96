// `flotilla dev up|down`, loaded by the CLI only when one of them runs.
export { devUp, type DevUpOptions } from "./up.js";
export { devDown } from "./down.js";
export { usage } from "./usage.js";
