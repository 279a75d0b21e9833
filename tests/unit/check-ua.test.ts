import { PDFDocument, PDFName } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { checkPdfUa } from "../../src/pdf/check-ua.js";

describe("the PDF/UA checker on hostile files", () => {
  it("walks a form XObject that paints itself once, not once per path (an 817-byte file took minutes)", async () => {
    const pdf = await PDFDocument.create();
    const page = pdf.addPage([100, 100]);
    const formRef = pdf.context.nextRef();
    const form = pdf.context.stream("/X Do\n".repeat(12), {
      Type: "XObject",
      Subtype: "Form",
      BBox: [0, 0, 100, 100],
      Resources: { XObject: { X: formRef } },
    });
    pdf.context.assign(formRef, form);
    page.node.set(PDFName.of("Resources"), pdf.context.obj({ XObject: { X: formRef } }));
    page.node.set(PDFName.of("Contents"), pdf.context.register(pdf.context.stream("/X Do\n")));
    const failures = await checkPdfUa(await pdf.save({ useObjectStreams: false }));
    // It finishes, and says what it finds: no structure, so nothing in the form is tagged.
    expect(failures.length).toBeGreaterThan(0);
  });
});
