/** Converts what a Pulumi mocks run registered into the records the pack evaluates. */
import type { ResourceRecord } from './evaluate';

/** The shape infra/test/harness.ts reports for each registered resource (the fields the pack needs). */
export interface RegisteredResourceLike {
  type: string;
  name: string;
  urn: string;
  custom: boolean;
  inputs: Record<string, unknown>;
  state: Record<string, unknown>;
  parent?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

/**
 * Custom resources only (components are not sent to the analyzer as resources with inputs of their own). Resource
 * policies see inputs; stack policies see the state (inputs plus what the fake cloud computed), as the engine gives
 * them outputs.
 */
export function toResourceRecords(resources: readonly RegisteredResourceLike[]): ResourceRecord[] {
  return resources
    .filter((resource) => resource.custom && !resource.type.startsWith('pulumi:providers:'))
    .map((resource) => ({
      type: resource.type,
      name: resource.name,
      urn: resource.urn,
      inputs: resource.inputs,
      state: resource.state,
      ...(resource.parent ? { parent: resource.parent } : {}),
      dependencies: resource.dependencies,
      propertyDependencies: resource.propertyDependencies,
    }));
}
