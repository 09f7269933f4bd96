import type { AddonReport } from "@flotilla/shared";

/** Latest agent report per `<cluster>/<addon>`, fed by the status watcher. */
export class ReportStore {
  private readonly byKey = new Map<string, AddonReport>();

  set(cluster: string, addon: string, report: AddonReport): void {
    this.byKey.set(`${cluster}/${addon}`, report);
  }

  get(cluster: string, addon: string): AddonReport | undefined {
    return this.byKey.get(`${cluster}/${addon}`);
  }

  delete(cluster: string, addon: string): void {
    this.byKey.delete(`${cluster}/${addon}`);
  }
}
