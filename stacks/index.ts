import { devProfile } from './dev';
import { prodProfile } from './prod';
import { ENVIRONMENT_NAMES, type EnvironmentName, type EnvironmentProfile } from './profile';
import { stagingProfile } from './staging';

export * from './profile';

export const PROFILES: Readonly<Record<EnvironmentName, EnvironmentProfile>> = {
  dev: devProfile,
  staging: stagingProfile,
  prod: prodProfile,
};

export function isEnvironmentName(value: string): value is EnvironmentName {
  return (ENVIRONMENT_NAMES as readonly string[]).includes(value);
}
