/**
 * Registers Kubernetes objects with @pulumi/kubernetes under Pulumi mocks and returns what the engine would send the
 * analyzer: type token, name, URN and inputs (apiVersion and kind filled in by the SDK, as in a real program).
 */
import * as pulumi from '@pulumi/pulumi';
import type { ResourceRecord } from '../../lib/evaluate';

type RuntimeInternals = { waitForRPCs(): Promise<void> };

export async function registerUnderMocks(program: () => void): Promise<ResourceRecord[]> {
  const records: ResourceRecord[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        records.push({
          type: args.type,
          name: args.name,
          urn: `urn:pulumi:test::policy-pack::${args.type}::${args.name}`,
          inputs: args.inputs,
          state: args.inputs,
        });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args) {
        throw new Error(`no invoke is expected here: ${args.token}`);
      },
    },
    'policy-pack',
    'test',
    false,
  );
  program();
  await (pulumi.runtime as unknown as RuntimeInternals).waitForRPCs();
  return records;
}
