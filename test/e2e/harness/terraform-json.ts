// The parts of Terraform's JSON output formats (`show -json`, `show -json PLANFILE`, terraform.tfstate) the e2e
// tests read. Minimal on purpose: values stay `unknown`-typed records that tests narrow themselves.

export type JsonRecord = Record<string, unknown>;

export interface ShowResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: number | string;
  provider_name: string;
  schema_version: number;
  values: JsonRecord;
  /** Same shape as values; `true` marks a sensitive leaf. */
  sensitive_values: JsonRecord;
}

export interface ShowModule {
  address?: string;
  resources?: ShowResource[];
  child_modules?: ShowModule[];
}

export interface ShowOutput {
  sensitive: boolean;
  value: unknown;
  type?: unknown;
}

export interface ShowJson {
  format_version: string;
  terraform_version: string;
  values?: {
    outputs?: Record<string, ShowOutput>;
    root_module: ShowModule;
  };
}

export type ChangeAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

export interface ResourceChange {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  provider_name: string;
  action_reason?: string;
  change: {
    actions: ChangeAction[];
    before: JsonRecord | null;
    after: JsonRecord | null;
    after_unknown?: JsonRecord | boolean;
    before_sensitive?: JsonRecord | boolean;
    after_sensitive?: JsonRecord | boolean;
    replace_paths?: unknown[][];
    importing?: { id?: string };
  };
}

export interface PlanJson {
  format_version: string;
  terraform_version: string;
  resource_changes?: ResourceChange[];
  resource_drift?: ResourceChange[];
  planned_values?: { root_module: ShowModule };
  prior_state?: ShowJson;
  errored?: boolean;
}

export interface StateFileInstance {
  schema_version: number;
  attributes: JsonRecord;
  sensitive_attributes?: unknown[];
  /** base64 of the provider's private bytes */
  private?: string;
  dependencies?: string[];
}

export interface StateFile {
  version: number;
  terraform_version: string;
  serial: number;
  lineage: string;
  resources: Array<{
    mode: 'managed' | 'data';
    type: string;
    name: string;
    provider: string;
    instances: StateFileInstance[];
  }>;
}

/** Every resource of a module tree, depth first. */
export function allResources(module: ShowModule | undefined): ShowResource[] {
  if (!module) return [];
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap((child) => allResources(child))];
}
