/**
 * What a mutation is, and the helpers that build one: each mutation weakens the resources the program registers
 * (found by type and name, never by position) and fails loudly when it finds nothing to weaken.
 */
import type { ResourceRecord } from '../lib/evaluate';

export const STACKS = ['dev', 'staging', 'prod'] as const;
export type Stack = (typeof STACKS)[number];
export const ALL_STACKS: readonly Stack[] = STACKS;
export const PROD_ONLY: readonly Stack[] = ['prod'];

export const AREAS = [
  'aks',
  'keyvault',
  'postgres',
  'redis',
  'acr',
  'network',
  'identity',
  'tags',
  'monitoring',
  'stack-config',
  'kubernetes',
] as const;
export type Area = (typeof AREAS)[number];

export interface Mutation {
  id: string;
  area: Area;
  description: string;
  /** The profiles the mutation is insecure on (and whose program has what it mutates). */
  stacks: readonly Stack[];
  /** Returns the mutated records; never changes its argument; throws MutationTargetMissing when nothing matches. */
  apply(records: readonly ResourceRecord[]): ResourceRecord[];
}

export class MutationTargetMissing extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: mutations reach deeply into resource properties.
export type Props = Record<string, any>;

export interface Target {
  type: string;
  /** The resource's logical name, exactly or by pattern. */
  name?: string | RegExp;
}

function matches(record: ResourceRecord, target: Target): boolean {
  if (record.type !== target.type) return false;
  if (target.name === undefined) return true;
  return typeof target.name === 'string' ? record.name === target.name : target.name.test(record.name);
}

function describeTarget(target: Target): string {
  const type = target.type.split(':').pop();
  return target.name === undefined ? `no ${type}` : `no ${type} named ${String(target.name)}`;
}

function selected(records: readonly ResourceRecord[], target: Target): ResourceRecord[] {
  const found = records.filter((record) => matches(record, target));
  if (found.length === 0) throw new MutationTargetMissing(`found ${describeTarget(target)}`);
  return found;
}

/** Changes every matching resource, its inputs and its state alike (resource policies see one, stack policies the other). */
export function change(target: Target, edit: (props: Props, record: ResourceRecord) => void) {
  return (records: readonly ResourceRecord[]): ResourceRecord[] => {
    const chosen = new Set(selected(records, target));
    return records.map((record) => {
      if (!chosen.has(record)) return record;
      const inputs = structuredClone(record.inputs) as Props;
      edit(inputs, record);
      if (record.state === undefined) return { ...record, inputs };
      const state = structuredClone(record.state) as Props;
      edit(state, record);
      return { ...record, inputs, state };
    });
  };
}

/** Removes every matching resource and the resources parented to it. */
export function drop(target: Target) {
  return (records: readonly ResourceRecord[]): ResourceRecord[] => {
    const gone = new Set(selected(records, target).map((record) => record.urn));
    return records.filter((record) => !gone.has(record.urn) && !(record.parent && gone.has(record.parent)));
  };
}

/** Adds a resource built from an existing one (e.g. a firewall rule on the program's server). */
export function add(target: Target, build: (anchor: ResourceRecord) => ResourceRecord) {
  return (records: readonly ResourceRecord[]): ResourceRecord[] => {
    const [anchor] = selected(records, target);
    return [...records, build(anchor!)];
  };
}

/** Several changes in a row. */
export function all(...steps: ReadonlyArray<(records: readonly ResourceRecord[]) => ResourceRecord[]>) {
  return (records: readonly ResourceRecord[]): ResourceRecord[] =>
    steps.reduce<ResourceRecord[]>((current, step) => step(current), [...records]);
}

/** A URN next to the anchor's, for an added resource. */
export function siblingUrn(anchor: ResourceRecord, type: string, name: string): string {
  const prefix = anchor.urn.split('::').slice(0, 2).join('::');
  return `${prefix}::${type}::${name}`;
}

/** The pod spec of a workload record (Deployment, Job: spec.template.spec; CronJob: one level deeper). */
export function podSpec(props: Props): Props {
  const spec = props.spec?.jobTemplate ? props.spec.jobTemplate.spec.template.spec : props.spec?.template?.spec;
  if (!spec) throw new MutationTargetMissing(`found no pod template in ${props.kind ?? 'the workload'}`);
  return spec;
}

/** Every container of a workload's pod spec (not the init containers). */
export function containers(props: Props): Props[] {
  const list = podSpec(props).containers as Props[] | undefined;
  if (!list || list.length === 0) throw new MutationTargetMissing('found no container in the pod template');
  return list;
}
