/**
 * Where things go on a handout page: the box of each slide, and of its notes (1 a page) or ruled
 * lines (3 a page), for a paper size, a deck's aspect ratio and a layout of 1, 2, 3, 4, 6 or 9
 * slides a page. Lengths are CSS pixels from the top and the inline-start edge of the page's
 * content box. The template places its boxes here, and the imposition (pdf/impose.ts) puts each
 * slide of the deck PDF into the same box: one computation, so the two always agree.
 */
import type { HandoutLayout, Paper } from "../document.js";
import { PAPER } from "../template/paper.js";

const MM = 96 / 25.4;
export const HANDOUT_MARGIN_MM = { top: 20, bottom: 18, side: 15 };
const GAP = { column: 8 * MM, row: 6 * MM, beside: 6 * MM };
/** Ruled lines beside a slide (3 a page): how many, how far apart, and the space above the first. */
const LINES = { count: 7, pitch: 8.2 * MM, top: 2 * MM };

/** Columns, rows and the share of the page width a slide takes, per layout. */
const GRID: Record<HandoutLayout, { columns: number; rows: number; widthShare: number }> = {
  1: { columns: 1, rows: 1, widthShare: 1 },
  2: { columns: 1, rows: 2, widthShare: 0.78 },
  3: { columns: 1, rows: 3, widthShare: 0.5 },
  4: { columns: 2, rows: 2, widthShare: 0.48 },
  6: { columns: 2, rows: 3, widthShare: 0.48 },
  9: { columns: 3, rows: 3, widthShare: 0.31 },
};

export interface HandoutBox {
  /** From the inline-start edge of the content box (the right edge, right to left). */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface HandoutCell {
  slide: HandoutBox;
  notes?: HandoutBox;
  /** The ruled lines' box, and the height of each line. */
  lines?: HandoutBox & { pitch: number; count: number };
}

export interface HandoutGeometry {
  layout: HandoutLayout;
  columns: number;
  rows: number;
  scale: number;
  slideWidth: number;
  slideHeight: number;
  /** The content box: one grid a page. */
  contentWidth: number;
  pageHeight: number;
  /** Page margins, in CSS pixels. */
  margin: { top: number; side: number };
  /** The boxes of a full page, in reading order. */
  cells: HandoutCell[];
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
  // A hair under the content box, so rounding never pushes a grid onto a second page.
  const pageHeight = Math.floor(contentHeight) - 2;
  const grid = GRID[layout];
  const rowHeight = (contentHeight - (grid.rows - 1) * GAP.row) / grid.rows;
  const cellWidth = (contentWidth - (grid.columns - 1) * GAP.column) / grid.columns;
  // A slide is as wide as its share of the page allows, never wider than its column (nor, so, in
  // the gap between two), and never taller than its row.
  const byWidth = Math.min(contentWidth * grid.widthShare, cellWidth) / slide.width;
  const byHeight = (layout === 1 ? rowHeight * 0.55 : rowHeight * 0.98) / slide.height;
  const scale = round(Math.min(byWidth, byHeight), 5);
  const slideWidth = round(slide.width * scale, 2);
  const slideHeight = round(slide.height * scale, 2);
  const cellHeight = (pageHeight - (grid.rows - 1) * GAP.row) / grid.rows;
  const cells: HandoutCell[] = [];
  for (let row = 0; row < grid.rows; row++)
    for (let column = 0; column < grid.columns; column++) {
      const x = column * (cellWidth + GAP.column);
      const y = row * (cellHeight + GAP.row);
      const box = (bx: number, by: number, width: number, height: number): HandoutBox => ({
        x: round(bx, 2),
        y: round(by, 2),
        width: round(width, 2),
        height: round(height, 2),
      });
      // 3 a page: the slide at its cell's start, lines beside it; 2 a page: centred in its cell;
      // otherwise centred across its cell, at the top.
      const slideX = layout === 3 ? x : x + (cellWidth - slideWidth) / 2;
      const slideY = layout === 2 ? y + (cellHeight - slideHeight) / 2 : y;
      const cell: HandoutCell = { slide: box(slideX, slideY, slideWidth, slideHeight) };
      if (layout === 1) {
        const top = slideY + slideHeight + GAP.beside;
        cell.notes = box(x, top, cellWidth, y + cellHeight - top);
      }
      if (layout === 3) {
        const start = slideX + slideWidth + GAP.beside;
        cell.lines = {
          ...box(start, y + LINES.top, x + cellWidth - start, LINES.count * LINES.pitch),
          pitch: round(LINES.pitch, 2),
          count: LINES.count,
        };
      }
      cells.push(cell);
    }
  return {
    layout,
    columns: grid.columns,
    rows: grid.rows,
    scale,
    slideWidth,
    slideHeight,
    contentWidth: round(contentWidth, 2),
    pageHeight,
    margin: { top: HANDOUT_MARGIN_MM.top * MM, side: HANDOUT_MARGIN_MM.side * MM },
    cells,
    notes: layout === 1,
    lines: layout === 3,
  };
}

/** A box as the template's inline style: absolutely placed in its page. */
export function boxStyle(box: HandoutBox): string {
  return `inset-inline-start: ${box.x}px; top: ${box.y}px; width: ${box.width}px; height: ${box.height}px`;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.floor(value * f) / f;
}
