export { Fleet, type FleetOptions, type FleetProcess } from "./fleet.js";
export { type FleetFile, devClusterLabels, devClusterName } from "./fleet-file.js";
export { agentEntryPath, flotillaCliPath } from "./cli-path.js";
