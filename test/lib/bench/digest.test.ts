// The fingerprint of a run's registrations, which the benchmark compares between its two sides.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalJson, registrationDigest } from "../../../lib/bench/digest";
import type { Registration } from "../../../lib/evaluation/evaluate";

describe("registrationDigest", () => {
  const registration = (urn: string, value: unknown) => ({ urn, inputs: { key: "K", value } }) as unknown as Registration;

  it("ignores registration order and key order", () => {
    const a = [registration("urn:b", "x"), registration("urn:a", "y")];
    const b = [registration("urn:a", "y"), { inputs: { value: "x", key: "K" }, urn: "urn:b" } as unknown as Registration];
    assert.equal(registrationDigest(a), registrationDigest(b));
  });

  it("tells a secret from the same plain value", () => {
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "x" };
    assert.notEqual(registrationDigest([registration("urn:a", secret)]), registrationDigest([registration("urn:a", "x")]));
  });

  it("writes canonical JSON", () => {
    assert.equal(canonicalJson({ b: [1, undefined, { d: null, c: "x" }], a: undefined, e: true }), '{"b":[1,null,{"c":"x","d":null}],"e":true}');
  });
});
