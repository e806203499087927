// fast-check arbitraries for the stand-in's own tests: valid inputs of each resource as the program
// registers them (some values secret-wrapped, as the engine sends them), and canary secret strings.

import fc from "fast-check";
import { ACCESS_LEVELS, PROJECT_ACCESS_TOKEN_SCOPES, VARIABLE_TYPES } from "./model";
import { secret, type WireMap, type WireValue } from "./propertyValues";

export const canaryToken = fc.stringMatching(/^[A-Za-z0-9]{20}$/).map((suffix) => `glpat-${suffix}`);

/** Sometimes wrapped as a secret: the plugin must treat both alike, and keep the wrapping. */
export const maybeSecret = <T extends WireValue>(value: fc.Arbitrary<T>): fc.Arbitrary<WireValue> => fc.tuple(value, fc.boolean()).map(([inner, wrap]) => (wrap ? secret(inner) : inner));

const project = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}\/[a-z][a-z0-9-]{0,8}$/), fc.integer({ min: 1, max: 99999 }).map(String));

export const isoDate = fc.date({ min: new Date(Date.UTC(2027, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));

export const tokenInputs: fc.Arbitrary<WireMap> = fc
  .record(
  {
    project,
    name: fc.stringMatching(/^[A-Za-z0-9_@.-]{1,40}$/),
    scopes: fc.uniqueArray(fc.constantFrom(...PROJECT_ACCESS_TOKEN_SCOPES), { minLength: 1, maxLength: 4 }),
    accessLevel: fc.constantFrom(...ACCESS_LEVELS),
    expiresAt: isoDate,
    description: fc.string({ maxLength: 30 }),
  },
  { requiredKeys: ["project", "name", "scopes", "expiresAt"] },
)
  // fc.record builds null-prototype objects; the plugin sees ordinary ones.
  .map((inputs) => ({ ...inputs }));

export const variableKey = fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/);

export const variableInputs: fc.Arbitrary<WireMap> = fc
  .record(
    {
      project,
      key: variableKey,
      value: maybeSecret(canaryToken),
      protected: fc.boolean(),
      masked: fc.boolean(),
      hidden: fc.boolean(),
      environmentScope: fc.constantFrom("*", "production", "review/*"),
      variableType: fc.constantFrom(...VARIABLE_TYPES),
      raw: fc.boolean(),
      description: fc.string({ maxLength: 30 }),
    },
    { requiredKeys: ["project", "key", "value"] },
  )
  // GitLab's rule, which the provider enforces: hidden needs masked.
  .map((inputs) => (inputs.hidden === true ? { ...inputs, masked: true } : { ...inputs }));
