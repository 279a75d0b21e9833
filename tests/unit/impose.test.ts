/** The imposition's rewriting of a slide's content stream (src/pdf/impose.ts). */
import { describe, expect, it } from "vitest";
import { rewriteContent } from "../../src/pdf/impose.js";

const bytes = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));

describe("a slide's content, rewritten for its handout page", () => {
  const names = new Map([
    ["Font/F4", "Dk4"],
    ["XObject/X9", "Dk9"],
    ["ExtGState/G3", "Dk3"],
    ["Pattern/P31", "Dk31"],
  ]);

  it("renames the resources each operator uses, and nothing else", () => {
    const content = "/G3 gs BT /F4 12 Tf (/F4 /X9) Tj ET /X9 Do /Pattern cs /P31 scn 0 0 5 5 re f";
    expect(rewriteContent(bytes(content), names, 0)).toBe(
      "/Dk3 gs BT /Dk4 12 Tf (/F4 /X9) Tj ET /Dk9 Do /Pattern cs /Dk31 scn 0 0 5 5 re f",
    );
  });

  it("moves marked content's MCIDs after those already on the page, and leaves artifacts alone", () => {
    const content =
      "/P <</MCID 0>> BDC EMC /Artifact <</Type /Pagination>> BDC EMC /Span <</MCID 12 /Lang (en)>> BDC EMC";
    expect(rewriteContent(bytes(content), names, 7)).toBe(
      "/P <</MCID 7>> BDC EMC /Artifact <</Type /Pagination>> BDC EMC /Span <</MCID 19 /Lang (en)>> BDC EMC",
    );
  });
});
