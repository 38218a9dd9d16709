// The provider block, with the official Go provider's names so that existing configurations work unchanged.

import { attribute, block, type } from '../framework/schema.js';

const str = (description: string, extra: { sensitive?: boolean } = {}) =>
  attribute(type.string, { optional: true, description, ...extra });

export const providerBlock = {
  description: 'The OUTSCALE provider manages OUTSCALE resources through the OUTSCALE API (OAPI).',
  attributes: {
    access_key_id: str('The access key ID. Taken together with `secret_key_id`: when neither is set, both come from the requested profile, else from `OSC_ACCESS_KEY` and `OSC_SECRET_KEY`.'),
    secret_key_id: str('The secret key, set together with `access_key_id`.', { sensitive: true }),
    region: str('The Region (or `OSC_REGION`; default `eu-west-2`).'),
    x509_cert_path: str('Path of the x509 client certificate, for API access rules that require one (deprecated: use `api`).'),
    x509_key_path: str('Path of the x509 client key (deprecated: use `api`).'),
    insecure: attribute(type.bool, { optional: true, description: 'Skip TLS verification of the endpoint (deprecated: use `api`).' }),
    config_file: str('Path of the profile file (or `OSC_CONFIG_FILE`; default `~/.osc/config.json`). The file is read only when this, `profile`, `OSC_CONFIG_FILE` or `OSC_PROFILE` is set.'),
    profile: str('The profile to use in the profile file (or `OSC_PROFILE`; default `default`). Setting it makes the provider read the file.'),
  },
  blocks: {
    endpoints: block('set', { attributes: { api: str('The API endpoint URL.'), oks: str('The OKS endpoint (unused by this provider).') } }, {
      description: 'Deprecated: use the `api` block.',
    }),
    api: block('list', {
      attributes: {
        endpoint: str('The API endpoint URL (or `OSC_ENDPOINT_API`).'),
        region: str('The Region for API calls.'),
        x509_cert_path: str('Path of the x509 client certificate (or `OSC_X509_CLIENT_CERT`).'),
        x509_key_path: str('Path of the x509 client key (or `OSC_X509_CLIENT_KEY`).'),
        insecure: attribute(type.bool, { optional: true, description: 'Skip TLS verification of the endpoint (or `OSC_TLS_SKIP_VERIFY`).' }),
      },
    }, { maxItems: 1, description: 'API settings.' }),
    oks: block('list', { attributes: { endpoint: str('The OKS endpoint (unused by this provider).'), region: str('The OKS Region (unused).') } }, {
      maxItems: 1,
      description: 'OKS settings (accepted for compatibility; unused by this provider).',
    }),
  },
};

export const providerSchema = { version: 0, block: providerBlock };
