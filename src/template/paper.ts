/** Paper sizes and the briefing page's margins, in millimetres: one table for templates and measurements. */
import type { Paper } from "../document.js";

export const PAPER: Record<Paper, { size: string; width: number; height: number }> = {
  A4: { size: "A4", width: 210, height: 297 },
  Letter: { size: "letter", width: 215.9, height: 279.4 },
};

/** A briefing page's margins. */
export const BRIEFING_MARGIN_MM = { top: 24, bottom: 22, side: 22 };

/** The box a briefing page's text fills, in millimetres. */
export function briefingContentBox(paper: Paper): { width: number; height: number } {
  const { width, height } = PAPER[paper];
  return {
    width: width - 2 * BRIEFING_MARGIN_MM.side,
    height: height - BRIEFING_MARGIN_MM.top - BRIEFING_MARGIN_MM.bottom,
  };
}

/** The text box of a briefing's landscape page (a table too wide for the portrait one). */
export function briefingLandscapeBox(paper: Paper): { width: number; height: number } {
  const { width, height } = PAPER[paper];
  return {
    width: height - 2 * BRIEFING_MARGIN_MM.side,
    height: width - BRIEFING_MARGIN_MM.top - BRIEFING_MARGIN_MM.bottom,
  };
}
