/**
 * Where slides go on a handout page: columns, rows and the scale of each slide, for a paper size,
 * a deck's aspect ratio and a layout of 1, 2, 3, 4, 6 or 9 slides a page. Lengths are CSS pixels.
 */
import type { HandoutLayout, Paper } from "../document.js";
import { PAPER } from "../template/paper.js";

const MM = 96 / 25.4;
export const HANDOUT_MARGIN_MM = { top: 20, bottom: 18, side: 15 };

/** Columns, rows and the share of the page width a slide takes, per layout. */
const GRID: Record<HandoutLayout, { columns: number; rows: number; widthShare: number }> = {
  1: { columns: 1, rows: 1, widthShare: 1 },
  2: { columns: 1, rows: 2, widthShare: 0.78 },
  3: { columns: 1, rows: 3, widthShare: 0.5 },
  4: { columns: 2, rows: 2, widthShare: 0.48 },
  6: { columns: 2, rows: 3, widthShare: 0.48 },
  9: { columns: 3, rows: 3, widthShare: 0.31 },
};

export interface HandoutGeometry {
  layout: HandoutLayout;
  columns: number;
  rows: number;
  scale: number;
  slideWidth: number;
  slideHeight: number;
  /** Height of the page's content box: one grid a page. */
  pageHeight: number;
  notes: boolean;
  lines: boolean;
}

export function handoutGeometry(
  layout: HandoutLayout,
  paper: Paper,
  slide: { width: number; height: number },
): HandoutGeometry {
  const size = PAPER[paper];
  const contentWidth = (size.width - 2 * HANDOUT_MARGIN_MM.side) * MM;
  const contentHeight = (size.height - HANDOUT_MARGIN_MM.top - HANDOUT_MARGIN_MM.bottom) * MM;
  const grid = GRID[layout];
  const rowHeight = (contentHeight - (grid.rows - 1) * 6 * MM) / grid.rows;
  // A slide is as wide as its share of the page allows, and never taller than its row.
  const byWidth = (contentWidth * grid.widthShare) / slide.width;
  const byHeight = (layout === 1 ? rowHeight * 0.55 : rowHeight * 0.98) / slide.height;
  const scale = Math.min(byWidth, byHeight);
  return {
    layout,
    columns: grid.columns,
    rows: grid.rows,
    scale: round(scale, 5),
    slideWidth: round(slide.width * scale, 2),
    slideHeight: round(slide.height * scale, 2),
    // A hair under the content box, so rounding never pushes a grid onto a second page.
    pageHeight: Math.floor(contentHeight) - 2,
    notes: layout === 1,
    lines: layout === 3,
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.floor(value * f) / f;
}
