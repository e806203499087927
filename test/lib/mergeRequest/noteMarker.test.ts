// How the pipeline's merge-request note is recognised: by its leading marker lines.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { markerOf, startsWithMarker } from "../../../lib/mergeRequest/noteMarker";
import { HEADER } from "../../support/gitlabNotes";

describe("the note's marker", () => {
  it("is the body's leading HTML-comment lines, so each stack's note is its own", () => {
    assert.deepEqual(markerOf(`${HEADER}## Preview\n`), ["<!-- gitlab-push-tokens:preview-comment -->", "<!-- stack: dev -->"]);
    assert.deepEqual(markerOf("<!-- only -->\r\ntext"), ["<!-- only -->"]);
  });

  it("is the first line when that is not an HTML comment, and nothing for a blank first line", () => {
    assert.deepEqual(markerOf("Preview of dev\n<!-- x -->\n"), ["Preview of dev"]);
    assert.deepEqual(markerOf("\n<!-- x -->\n"), []);
  });

  it("matches whole leading lines, whatever the line endings", () => {
    const marker = markerOf(`${HEADER}body`);
    assert.equal(startsWithMarker(`${HEADER}old body`, marker), true);
    assert.equal(startsWithMarker(HEADER.replace(/\n/g, "\r\n"), marker), true);
    assert.equal(startsWithMarker("<!-- gitlab-push-tokens:preview-comment -->\n<!-- stack: prod -->\nbody", marker), false);
    assert.equal(startsWithMarker("<!-- gitlab-push-tokens:preview-comment -->", marker), false);
    assert.equal(startsWithMarker("<!-- gitlab-push-tokens:preview-comment --> and more\n<!-- stack: dev -->", marker), false);
    assert.equal(startsWithMarker("anything", []), false);
  });
});
