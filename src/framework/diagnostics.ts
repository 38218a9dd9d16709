// Diagnostics: what the user sees. Collected, never thrown across an RPC boundary; an error diagnostic may carry the
// attribute path it is about, and errors from the OUTSCALE API keep their code and request id.

import { DiagnosticSeverity, type Diagnostic as ProtoDiagnostic, type AttributePath as ProtoPath } from '../protocol/messages.js';
import { pathToProto, pathToString, type AttributePath } from '../protocol/path.js';
import { Failure } from './failure.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly severity: Severity;
  readonly summary: string;
  readonly detail: string;
  readonly path?: AttributePath;
}

/** Errors that know how to describe themselves to a Terraform user (e.g. OUTSCALE API errors). */
export interface DescribedError {
  diagnosticSummary(): string;
  diagnosticDetail(): string;
}

function isDescribed(e: unknown): e is DescribedError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as DescribedError).diagnosticSummary === 'function' &&
    typeof (e as DescribedError).diagnosticDetail === 'function'
  );
}

export class Diagnostics {
  readonly items: Diagnostic[] = [];

  error(summary: string, detail = '', path?: AttributePath): this {
    this.items.push({ severity: 'error', summary, detail, ...(path && path.length > 0 ? { path } : {}) });
    return this;
  }

  warning(summary: string, detail = '', path?: AttributePath): this {
    this.items.push({ severity: 'warning', summary, detail, ...(path && path.length > 0 ? { path } : {}) });
    return this;
  }

  /**
   * Any thrown value as an error diagnostic, with the OUTSCALE error code and request id when there is one. A Failure
   * keeps its own summary (it names what failed better than the caller's generic `context`).
   */
  fromError(e: unknown, context?: string, path?: AttributePath): this {
    if (e instanceof Failure) return this.fromError(e.cause, e.summary, e.path ?? path);
    if (isDescribed(e)) {
      const summary = context ? `${context}: ${e.diagnosticSummary()}` : e.diagnosticSummary();
      return this.error(summary, e.diagnosticDetail(), path);
    }
    const message = e instanceof Error ? e.message : String(e);
    return this.error(context ?? 'Unexpected provider error', context ? message : message, path);
  }

  append(other: Diagnostics | readonly Diagnostic[]): this {
    this.items.push(...(other instanceof Diagnostics ? other.items : other));
    return this;
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }

  toString(): string {
    return this.items
      .map((d) => `${d.severity}: ${d.summary}${d.path ? ` (at ${pathToString(d.path)})` : ''}${d.detail ? `: ${d.detail}` : ''}`)
      .join('\n');
  }

  toProto(): ProtoDiagnostic[] {
    return this.items.map((d) => ({
      severity: d.severity === 'error' ? DiagnosticSeverity.ERROR : DiagnosticSeverity.WARNING,
      summary: d.summary,
      detail: d.detail,
      ...(d.path ? { attribute: pathToProto(d.path) as ProtoPath } : {}),
    }));
  }
}
