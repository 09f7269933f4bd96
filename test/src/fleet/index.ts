export { Fleet, type FleetOptions, type FleetProcess } from "./fleet.js";
export { type FleetFile, devClusterLabels, devClusterName } from "./fleet-file.js";
export { flotillaCliPath } from "./cli-path.js";
