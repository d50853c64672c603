import type { ApplicationStatus } from '../api/origination';
import type { Contract, ContractStatus } from '../api/contracts';
import { P } from '../access/permissions';

// The rules of the contract pages, kept apart from React so they are unit-tested: what may be
// done with a contract in its status (the server's state machine: draft ──sign──▶ signed,
// draft ──void──▶ voided), when a contract may be generated, and the signing form's witnesses.

export type ContractAction = 'uploadScan' | 'sign' | 'void';

export const CONTRACT_STATUS_COLORS: Record<ContractStatus, string> = { draft: 'processing', signed: 'success', voided: 'default' };

/** Only a draft moves: its scan is attached, then it is signed, or it is voided. */
export function contractActions(c: Pick<Contract, 'status'>, granted: ReadonlySet<string>): ContractAction[] {
  if (!granted.has(P.contractWrite) || c.status !== 'draft') return [];
  return ['uploadScan', 'sign', 'void'];
}

/** The signing needs the scan first (the server says `scan_missing` otherwise). */
export const signReady = (c: Pick<Contract, 'status' | 'hasScan'>) => c.status === 'draft' && c.hasScan;

/** The contract that is not voided: one per application at most. */
export function liveContract<C extends Pick<Contract, 'status'>>(contracts: C[] | undefined): C | undefined {
  return contracts?.find((c) => c.status !== 'voided');
}

/** A contract is generated for an approved application that has no live one. */
export function canGenerate(status: ApplicationStatus, contracts: Pick<Contract, 'status'>[] | undefined, granted: ReadonlySet<string>): boolean {
  return granted.has(P.contractWrite) && status === 'approved' && contracts !== undefined && !liveContract(contracts);
}

export const MAX_WITNESSES = 5;

/** The witnesses as sent: trimmed, blanks dropped. */
export function cleanWitnesses(names: (string | null | undefined)[] | undefined): string[] {
  return (names ?? []).map((n) => (n ?? '').trim()).filter((n) => n.length > 0);
}

/** One to five witnesses (见证人), as the server requires; null when fine. */
export function witnessProblem(names: (string | null | undefined)[] | undefined): 'required' | 'too_many' | null {
  const clean = cleanWitnesses(names);
  if (clean.length === 0) return 'required';
  if (clean.length > MAX_WITNESSES) return 'too_many';
  return null;
}

/** `JK20260302000017.pdf` */
export const contractFileName = (c: Pick<Contract, 'contractNo'>) => `${c.contractNo.replace(/[^\w.-]+/g, '_')}.pdf`;

/** True when the bytes start as a PDF does (`%PDF-`). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && String.fromCharCode(...bytes.slice(0, 5)) === '%PDF-';
}
