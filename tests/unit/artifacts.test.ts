import { describe, expect, it } from "vitest";
import { markArtifacts } from "../../src/pdf/artifacts.js";

const text = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString("latin1") : undefined);
const bytes = (s: string) => Buffer.from(s, "latin1");

describe("untagged painting made artifacts", () => {
  it("wraps an untagged form or image, but not a form whose own content is tagged", () => {
    const content = "q\n/X9 Do\nQ\nq\n/X10 Do\nQ\n/P <</MCID 0>> BDC\nBT /F1 12 Tf (a) Tj ET\nEMC";
    expect(text(markArtifacts(bytes(content), undefined, new Set(["X9"])))).toBe(
      "q\n/X9 Do\nQ\nq\n/Artifact <</Type /Layout>> BDC\n/X10 Do\nEMC\nQ\n/P <</MCID 0>> BDC\nBT /F1 12 Tf (a) Tj ET\nEMC",
    );
    // Without the set, as before: both wrapped.
    expect(text(markArtifacts(bytes(content)))).toContain("/Artifact <</Type /Layout>> BDC\n/X9 Do\nEMC");
    // Nothing to change when every form painted is tagged.
    expect(markArtifacts(bytes("/X9 Do"), undefined, new Set(["X9"]))).toBeUndefined();
  });
});
