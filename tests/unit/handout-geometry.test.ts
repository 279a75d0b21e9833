/**
 * Where a handout page's boxes go (src/kinds/handout-geometry.ts): the template places the frame's
 * notes and lines there, and the imposition puts the deck's pages into the slide boxes, so every
 * box must lie inside the page's content box and none may overlap another.
 */
import { describe, expect, it } from "vitest";
import { HANDOUT_LAYOUTS, type HandoutLayout } from "../../src/document.js";
import { type HandoutBox, handoutGeometry } from "../../src/kinds/handout-geometry.js";

const SLIDES = { "16:9": { width: 1280, height: 720 }, "4:3": { width: 960, height: 720 } };
const overlap = (a: HandoutBox, b: HandoutBox) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe("the boxes of a handout page", () => {
  for (const paper of ["A4", "Letter"] as const)
    for (const [aspect, slide] of Object.entries(SLIDES))
      for (const layout of HANDOUT_LAYOUTS as readonly HandoutLayout[])
        it(`${layout} a page, ${aspect} on ${paper}: inside the content box, none over another`, () => {
          const geometry = handoutGeometry(layout, paper, slide);
          expect(geometry.cells).toHaveLength(layout);
          const boxes = geometry.cells.flatMap((cell) =>
            [cell.slide, cell.notes, cell.lines].filter((b) => b !== undefined),
          );
          for (const box of boxes) {
            expect(box.x).toBeGreaterThanOrEqual(0);
            expect(box.y).toBeGreaterThanOrEqual(0);
            expect(box.x + box.width).toBeLessThanOrEqual(geometry.contentWidth + 0.01);
            expect(box.y + box.height).toBeLessThanOrEqual(geometry.pageHeight + 0.01);
          }
          boxes.forEach((a, i) => {
            for (const b of boxes.slice(i + 1)) expect(overlap(a, b), JSON.stringify([a, b])).toBe(false);
          });
          for (const cell of geometry.cells) {
            // The slide keeps its shape: the imposition scales the deck's page by its width alone.
            expect(cell.slide.width / cell.slide.height).toBeCloseTo(slide.width / slide.height, 2);
            expect(cell.notes !== undefined).toBe(layout === 1);
            expect(cell.lines !== undefined).toBe(layout === 3);
          }
        });
});
