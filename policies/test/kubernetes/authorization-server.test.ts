/**
 * The authorization server policies, each proven on a secure baseline of the authorization server's Deployment (as the
 * program builds it), one failing case per rule, and a preview with the values they read unknown.
 */
import { describe, expect, it } from 'vitest';
import { AUTHORIZATION_SERVER, WORKLOAD } from '../../../service/src/contract';
import { authorizationServerDynamicRegistrationOff } from '../../kubernetes/authorization-server-dynamic-registration-off';
import { authorizationServerIssuerOrigin } from '../../kubernetes/authorization-server-issuer-origin';
import { authorizationServerNoClientSecret } from '../../kubernetes/authorization-server-no-client-secret';
import { makeUrn, type ResourceRecord } from '../../lib/evaluate';
import { authorizationServerDeployment, upstream } from '../fixtures/authorization-server-baseline';
import { PUBLIC_HOST, typeOf } from '../fixtures/kubernetes-baseline';
import { provePolicy, violationsOf } from '../helpers/policy-harness';

// biome-ignore lint/suspicious/noExplicitAny: test drafts mutate deeply nested resource inputs by path.
type Props = Record<string, any>;

const env = (d: Props) => d.spec.template.spec.containers[0].env as Array<{ name: string; value: unknown }>;
const setEnv = (d: Props, name: string, value: string) => {
  const found = env(d).find((v) => v.name === name);
  if (found) found.value = value;
  else env(d).push({ name, value });
};
const ENV_PATH = ['spec', 'template', 'spec', 'containers', 0, 'env'] as const;
const envIndex = (name: string) =>
  authorizationServerDeployment().spec.template.spec.containers[0].env.findIndex(
    (v: { name: string }) => v.name === name,
  );
const asDeployment =
  (stack: string) =>
  (props: Props): ResourceRecord => {
    const type = typeOf('Deployment');
    return {
      type,
      name: 'authorization-server-deployment',
      urn: makeUrn(type, 'authorization-server-deployment', stack),
      inputs: props,
    };
  };

provePolicy({
  policy: authorizationServerNoClientSecret,
  baseline: authorizationServerDeployment,
  toRecords: asDeployment('prod'),
  passing: [
    {
      name: 'a pre-registered public client',
      change: (d) =>
        setEnv(
          d,
          AUTHORIZATION_SERVER.env.clients,
          JSON.stringify([
            { client_id: 'cli', redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'none' },
          ]),
        ),
    },
    {
      name: 'the MCP server (not an authorization server)',
      change: (d) => {
        d.spec.template.spec.containers[0] = {
          ...d.spec.template.spec.containers[0],
          name: WORKLOAD.container,
          env: [],
        };
      },
    },
  ],
  failing: [
    {
      rule: 'a *_CLIENT_SECRET variable',
      change: (d) => setEnv(d, 'ENTRA_CLIENT_SECRET', 'x'),
      message: /sets ENTRA_CLIENT_SECRET/,
    },
    {
      rule: 'upstream authenticates with client_secret_post',
      change: (d) =>
        setEnv(d, AUTHORIZATION_SERVER.env.upstream, upstream({ clientAuthentication: 'client_secret_post' })),
      message: /authenticates with 'client_secret_post', not workload-identity/,
    },
    {
      rule: 'upstream carries a clientSecret',
      change: (d) => setEnv(d, AUTHORIZATION_SERVER.env.upstream, upstream({ clientSecret: 's3cret' })),
      message: /carries a clientSecret/,
    },
    {
      rule: 'a pre-registered client with a secret',
      change: (d) =>
        setEnv(
          d,
          AUTHORIZATION_SERVER.env.clients,
          JSON.stringify([
            {
              client_id: 'svc',
              redirect_uris: ['https://a.example/cb'],
              token_endpoint_auth_method: 'client_secret_basic',
            },
          ]),
        ),
      message: /pre-registered client svc uses a client secret/,
    },
    {
      rule: 'a renamed container is still judged by its variables',
      change: (d) => {
        d.spec.template.spec.containers[0].name = 'oauth';
        setEnv(d, 'UPSTREAM_CLIENT_SECRET', 'x');
      },
      message: /container oauth sets UPSTREAM_CLIENT_SECRET/,
    },
  ],
  preview: [[...ENV_PATH, envIndex(AUTHORIZATION_SERVER.env.upstream), 'value']],
});

provePolicy({
  policy: authorizationServerDynamicRegistrationOff,
  baseline: authorizationServerDeployment,
  toRecords: asDeployment('prod'),
  passing: [
    {
      name: 'left unset (off by default)',
      change: (d) => {
        d.spec.template.spec.containers[0].env = env(d).filter(
          (v) => v.name !== AUTHORIZATION_SERVER.env.dynamicRegistration,
        );
      },
    },
  ],
  failing: [
    {
      rule: 'dynamic registration on in prod',
      change: (d) => setEnv(d, AUTHORIZATION_SERVER.env.dynamicRegistration, 'true'),
      message: /sets AUTHORIZATION_SERVER_DYNAMIC_REGISTRATION=true in production/,
    },
  ],
  preview: [[...ENV_PATH, envIndex(AUTHORIZATION_SERVER.env.dynamicRegistration), 'value']],
});

provePolicy({
  policy: authorizationServerIssuerOrigin,
  baseline: authorizationServerDeployment,
  toRecords: asDeployment('staging'),
  failing: [
    {
      rule: 'http issuer',
      change: (d) => setEnv(d, AUTHORIZATION_SERVER.env.issuer, `http://${PUBLIC_HOST}`),
      message: /is not an https origin/,
    },
    {
      rule: 'issuer with a path',
      change: (d) => setEnv(d, AUTHORIZATION_SERVER.env.issuer, `https://${PUBLIC_HOST}/oauth`),
      message: /is not an https origin/,
    },
    {
      rule: 'issuer on another host than the resource',
      change: (d) => setEnv(d, AUTHORIZATION_SERVER.env.issuer, 'https://login.example.org'),
      message: /is not the origin of MCP_RESOURCE_URL/,
    },
    {
      rule: 'no issuer',
      change: (d) => {
        d.spec.template.spec.containers[0].env = env(d).filter((v) => v.name !== AUTHORIZATION_SERVER.env.issuer);
        d.spec.template.spec.containers[0].name = AUTHORIZATION_SERVER.container;
      },
      message: /sets no AUTHORIZATION_SERVER_ISSUER/,
    },
  ],
  preview: [[...ENV_PATH, envIndex(AUTHORIZATION_SERVER.env.issuer), 'value']],
});

describe('kubernetes-authorization-server-dynamic-registration-off outside production', () => {
  it('leaves dev and staging free to try dynamic registration', async () => {
    const d = authorizationServerDeployment();
    setEnv(d, AUTHORIZATION_SERVER.env.dynamicRegistration, 'true');
    expect(await violationsOf(authorizationServerDynamicRegistrationOff, asDeployment('staging')(d))).toEqual([]);
    expect(await violationsOf(authorizationServerDynamicRegistrationOff, asDeployment('prod')(d))).toHaveLength(1);
  });
});
