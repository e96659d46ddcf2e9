import { describe, expect, it } from 'vitest';
import { PROD_CONTAINER_MEMORY } from '../../service/bench/memory-limit';
import { prodProfile } from '../../stacks/prod';

describe('the benchmark’s memory limit', () => {
  it('is a prod pod’s: RSS goals are measured in the memory the container gets', () => {
    expect(PROD_CONTAINER_MEMORY).toBe(prodProfile.workload.resources.limits.memory);
  });
});
