export { Fleet, FLEET_STOP_STAGES, type FleetOptions, type FleetProcess, type FleetStopStage } from "./fleet.js";
export { type FleetFile, devClusterLabels, devClusterName } from "./fleet-file.js";
export { agentEntryPath, flotillaCliPath } from "./cli-path.js";
