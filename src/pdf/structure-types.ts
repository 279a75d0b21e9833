/** The standard structure types of ISO 32000-1 (PDF 1.7), 14.8.4, and what Press maps Chromium's others to. */
export const STANDARD_TYPES = new Set(
  (
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 " +
    "L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot " +
    "Ruby RB RT RP Warichu WT WP Figure Formula Form"
  ).split(" "),
);

/** PDF 2.0 types Chromium writes in a PDF 1.7 file, and the PDF 1.7 type each is nearest to. */
export const ROLE_MAP: Record<string, string> = {
  Strong: "Span",
  Em: "Span",
  Sub: "Span",
  Aside: "Note",
  FENote: "Note",
  Title: "H1",
  DocumentFragment: "Div",
  Artifact: "NonStruct",
};
