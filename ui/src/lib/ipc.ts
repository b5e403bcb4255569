// The single IPC module: the only file that talks to the Rust side. Every call is typed with
// the generated bindings, and every rejection becomes an `IpcError` carrying the API's code.
import type { ApiError } from "./bindings/ApiError";
import type { AppInfo } from "./bindings/AppInfo";
import type { ConsentRequest } from "./bindings/ConsentRequest";
import type { CustomerTenant } from "./bindings/CustomerTenant";
import type { PartnerStatus } from "./bindings/PartnerStatus";
import type { IncidentDetail } from "./bindings/IncidentDetail";
import type { IncidentSummary } from "./bindings/IncidentSummary";
import type { MessageRef } from "./bindings/MessageRef";
import type { PhishCopy } from "./bindings/PhishCopy";
import type { PhishScope } from "./bindings/PhishScope";
import type { TenantCopies } from "./bindings/TenantCopies";
import type { ScanProgress } from "./bindings/ScanProgress";
import type { ScanSummary } from "./bindings/ScanSummary";
import type { RemediationState } from "./bindings/RemediationState";
import type { ArtifactAction } from "./bindings/ArtifactAction";
import type { ArtifactRemoval } from "./bindings/ArtifactRemoval";
import type { ArtifactStep } from "./bindings/ArtifactStep";
import type { RemovalChoice } from "./bindings/RemovalChoice";
import type { StepRequest } from "./bindings/StepRequest";
import type { StepResult } from "./bindings/StepResult";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { EntraLicence } from "./bindings/EntraLicence";
import type { Settings } from "./bindings/Settings";
import type { TenantFlags } from "./bindings/TenantFlags";
import type { TenantOverview } from "./bindings/TenantOverview";
import type { TenantSummary } from "./bindings/TenantSummary";

export type {
  AppInfo,
  ArtifactAction,
  ArtifactRemoval,
  ArtifactStep,
  RemovalChoice,
  ConsentRequest,
  CustomerTenant,
  EntraLicence,
  ErrorCode,
  IncidentDetail,
  IncidentSummary,
  MessageRef,
  PhishCopy,
  PhishScope,
  RemediationState,
  ScanProgress,
  ScanSummary,
  StepRequest,
  StepResult,
  PartnerStatus,
  Settings,
  TenantCopies,
  TenantFlags,
  TenantOverview,
  TenantSummary,
};

/** A failed call, as the API reported it. */
export class IpcError extends Error {
  readonly code: ErrorCode | "ipc_unavailable";
  constructor(code: ErrorCode | "ipc_unavailable", message: string) {
    super(message);
    this.name = "IpcError";
    this.code = code;
  }
}

/** Everything the UI can ask of the backend; one method per command. */
export interface Backend {
  appInfo(): Promise<AppInfo>;
  listTenants(): Promise<TenantOverview>;
  setTenantFlags(tenantId: string, flags: TenantFlags): Promise<TenantSummary>;
  removeTenant(tenantId: string): Promise<void>;
  partnerStatus(): Promise<PartnerStatus>;
  signIn(): Promise<PartnerStatus>;
  listCustomers(): Promise<CustomerTenant[]>;
  requestConsent(tenant: string): Promise<ConsentRequest>;
  openLink(url: string): Promise<void>;
  completeConsent(requestId: string): Promise<TenantSummary>;
  onboardTenant(tenantId: string): Promise<TenantSummary>;
  listIncidents(tenantId: string | null): Promise<IncidentSummary[]>;
  recentIncidentCount(): Promise<number>;
  incidentDetail(incidentId: string): Promise<IncidentDetail>;
  publishIncident(incidentId: string): Promise<IncidentDetail>;
  markPhish(incidentId: string, messageId: string): Promise<IncidentDetail>;
  findPhishCopies(incidentId: string, scope: PhishScope): Promise<TenantCopies[]>;
  lastScan(tenantId: string): Promise<ScanSummary | null>;
  scanTenant(tenantId: string, onProgress: (progress: ScanProgress) => void): Promise<ScanSummary>;
  runRemediationStep(incidentId: string, request: StepRequest): Promise<StepResult>;
  remediationState(incidentId: string): Promise<RemediationState>;
  getSettings(): Promise<Settings>;
  updateSettings(settings: Settings): Promise<Settings>;
}

type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/** Turns whatever a rejected invoke produced into an `IpcError`. */
export function toIpcError(reason: unknown): IpcError {
  if (reason instanceof IpcError) return reason;
  if (isApiError(reason)) return new IpcError(reason.code, reason.message);
  const text = reason instanceof Error ? reason.message : String(reason);
  return new IpcError("internal", text);
}

/** A backend over any invoke function (Tauri's in the app, a fake in tests). */
export function backendOver(invoke: Invoke): Backend {
  const call = async <T>(command: string, args?: Record<string, unknown>): Promise<T> => {
    try {
      return await invoke<T>(command, args);
    } catch (reason) {
      throw toIpcError(reason);
    }
  };
  return {
    appInfo: () => call<AppInfo>("app_info"),
    listTenants: () => call<TenantOverview>("list_tenants"),
    setTenantFlags: (tenantId, flags) => call<TenantSummary>("set_tenant_flags", { tenantId, flags }),
    removeTenant: (tenantId) => call<void>("remove_tenant", { tenantId }),
    partnerStatus: () => call<PartnerStatus>("partner_status"),
    signIn: () => call<PartnerStatus>("sign_in"),
    listCustomers: () => call<CustomerTenant[]>("list_customers"),
    requestConsent: (tenant) => call<ConsentRequest>("request_consent", { tenant }),
    openLink: (url) => call<void>("open_link", { url }),
    completeConsent: (requestId) => call<TenantSummary>("complete_consent", { requestId }),
    onboardTenant: (tenantId) => call<TenantSummary>("onboard_tenant", { tenantId }),
    listIncidents: (tenantId) => call<IncidentSummary[]>("list_incidents", { tenantId }),
    recentIncidentCount: () => call<number>("recent_incident_count"),
    incidentDetail: (incidentId) => call<IncidentDetail>("incident_detail", { incidentId }),
    publishIncident: (incidentId) => call<IncidentDetail>("publish_incident", { incidentId }),
    markPhish: (incidentId, messageId) => call<IncidentDetail>("mark_phish", { incidentId, messageId }),
    findPhishCopies: (incidentId, scope) => call<TenantCopies[]>("find_phish_copies", { incidentId, scope }),
    lastScan: (tenantId) => call<ScanSummary | null>("last_scan", { tenantId }),
    scanTenant: async (tenantId, onProgress) => {
      const { Channel } = await import("@tauri-apps/api/core");
      const channel = new Channel<ScanProgress>();
      channel.onmessage = onProgress;
      return call<ScanSummary>("scan_tenant", { tenantId, onProgress: channel });
    },
    runRemediationStep: (incidentId, request) => call<StepResult>("run_remediation_step", { incidentId, request }),
    remediationState: (incidentId) => call<RemediationState>("remediation_state", { incidentId }),
    getSettings: () => call<Settings>("get_settings"),
    updateSettings: (settings) => call<Settings>("update_settings", { settings }),
  };
}

async function tauriInvoke<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  const { invoke } = await import("@tauri-apps/api/core");
  return invoke<T>(command, args);
}

let current: Backend = backendOver(tauriInvoke);

/** The backend the UI uses. */
export function backend(): Backend {
  return current;
}

/** Replaces the backend (Vitest runs the UI against a fake). */
export function setBackend(next: Backend): void {
  current = next;
}
