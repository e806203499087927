// Pulumi URNs and the short type names the preview note shows.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseUrn, shortType } from "../../../lib/mergeRequest/urn";

describe("URNs and short types", () => {
  it("splits a URN, keeping `::` inside the name", () => {
    assert.deepEqual(parseUrn("urn:pulumi:prod::proj::a:b:C$d:e/f:G::name::with::colons"), { stack: "prod", project: "proj", type: "d:e/f:G", parentTypes: ["a:b:C"], name: "name::with::colons" });
    assert.equal(parseUrn("urn:pulumi:dev::p::t"), undefined);
    assert.equal(parseUrn("arn:aws:s3:::bucket"), undefined);
    assert.equal(parseUrn("urn:pulumi:::p::t::n"), undefined);
  });

  it("shortens type tokens by the documented rule", () => {
    assert.equal(shortType("gitlab:index/projectAccessToken:ProjectAccessToken"), "gitlab:ProjectAccessToken");
    assert.equal(shortType("gitlab-push-tokens:index:PushToken"), "gitlab-push-tokens:PushToken");
    assert.equal(shortType("pulumi:pulumi:Stack"), "pulumi:Stack");
    assert.equal(shortType("pulumi:providers:gitlab"), "provider:gitlab");
    assert.equal(shortType("aws:s3/bucket:Bucket"), "aws:s3/Bucket");
    assert.equal(shortType("aws:s3:BucketEventSubscription"), "aws:s3/BucketEventSubscription");
    assert.equal(shortType("command:local:Command"), "command:local/Command");
    assert.equal(shortType("kubernetes:apps/v1:Deployment"), "kubernetes:apps/Deployment");
    assert.equal(shortType("odd"), "odd");
    assert.equal(shortType("a::b"), "a::b");
  });
});
