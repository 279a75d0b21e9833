/**
 * Tables that fit the printed page, decided in the laid-out page before it prints (run by
 * predict-pages.ts inside its one call into the page, while the document is laid out as
 * page-sized columns: Chromium breaks columns as it breaks pages).
 *
 * A table wider than the text block takes the first of these that fits: smaller type and padding
 * ("tight", down to 7 pt); a landscape page (a named page, `page: landscape`) for it alone; its
 * columns split in groups that fit a landscape page, the first column (the row's key) repeated in
 * each, each group captioned with the columns it holds (a cell spanning columns of two groups in
 * both, over its columns in each). A table that runs onto another page is
 * cut, at the rows where the page breaks it, into pieces that each carry the header row and a
 * caption "Table N (continued)", each piece starting a page.
 *
 * Everything here runs in the page (through the DevTools protocol; the page runs no script of its
 * own), so it is one self-contained function: no imports, no helpers outside it.
 */

/** Millimetres. */
export interface Box {
  width: number;
  height: number;
}

export interface TableFitOptions {
  /** The text block of a portrait page and of a landscape one. */
  portrait: Box;
  landscape: Box;
  /** "continued", and "columns {from}–{to} of {total}", in the document's language. */
  continued: string;
  columns: string;
  /** The ten digits the document writes numbers with. */
  digits: string;
}

export type TableChoice = "tight" | "landscape" | "split";

export interface TableFit {
  /** The table's line in the source. */
  line: number;
  choice: TableChoice;
  /** Column groups (split only). */
  groups: number;
  columns: number;
  /** The table's width at the document's type, and the text block's, in millimetres. */
  widthMm: number;
  blockMm: number;
  /** Type smaller than the floor was needed (a table that cannot be split, e.g. with spanning cells). */
  shrunk: boolean;
}

export interface TableLayout {
  fits: TableFit[];
  /** Pieces long tables were cut into, beyond the first. */
  continued: number;
  /** Of those, cut when the plan made from one layout was checked (a row measured short): 0 when it held. */
  corrected: number;
  /** Puts the page back in its print state (the measuring scaffolding removed, the decisions kept). */
  restore: () => void;
}

/**
 * Runs in the page, the body already laid out as columns of `portrait` (predict-pages.ts).
 * Returns what was decided and a function that takes the scaffolding down.
 */
export function fitTablesInPage(options: TableFitOptions): TableLayout {
  const px = (mm: number) => (mm * 96) / 25.4;
  /** How long a lead-in to a landscape table may be and still go onto its page (leadInOf). */
  const LEAD_IN_CHARACTERS = 400;
  const portraitWidth = px(options.portrait.width);
  const portraitHeight = px(options.portrait.height);
  const landscapeWidth = px(options.landscape.width);
  const landscapeHeight = px(options.landscape.height);
  const rtl = getComputedStyle(document.body).direction === "rtl";
  const undo: (() => void)[] = [];
  const fits: TableFit[] = [];
  let continued = 0;
  /** Row groups owned by the first piece of their table, numbered for their ids. */
  let owned = 0;
  let corrected = 0;

  const localDigits = (n: number) => String(n).replace(/[0-9]/g, (d) => options.digits[Number(d)] ?? d);
  // A table the columns break has a box in each: its width is the widest of them.
  const widthOf = (table: HTMLElement) => Math.max(0, ...Array.from(table.getClientRects()).map((r) => r.width));
  const fitsIn = (table: HTMLElement, width: number) => widthOf(table) <= width + 0.5;

  /** Lays `block` out at `width` (it may overflow its column while measured) and calls `measure`. */
  function atWidth<T>(block: HTMLElement, width: number, measure: () => T): T {
    const before = block.style.width;
    block.style.width = `${width}px`;
    try {
      return measure();
    } finally {
      block.style.width = before;
    }
  }

  /** "Table 3", as the caption numbers it (kept on the table before any copy is made). */
  function captionLabel(table: HTMLTableElement): string {
    if (table.dataset.label === undefined) {
      const label = table.caption?.querySelector(".caption-label")?.textContent ?? "";
      table.dataset.label = label.replace(/[.:\s]+$/, "");
    }
    return table.dataset.label;
  }

  function continuedCaption(table: HTMLTableElement, extra: string | null): HTMLTableCaptionElement {
    const caption = document.createElement("caption");
    caption.className = "caption-continued";
    const label = document.createElement("span");
    label.className = "caption-label";
    const number = captionLabel(table);
    // A table with no caption has no number: its columns say which piece this is, then "(continued)".
    if (!number && extra) {
      caption.append(`${capitalised(extra)} (${options.continued})`);
      return caption;
    }
    label.textContent = `${number ? `${number} ` : ""}(${options.continued})${extra ? "." : ""}`;
    caption.append(label);
    if (extra) caption.append(` ${capitalised(extra)}`);
    return caption;
  }

  function capitalised(text: string): string {
    return text.charAt(0).toLocaleUpperCase() + text.slice(1);
  }

  function columnsText(from: number, to: number, total: number): string {
    return options.columns
      .replace("{from}", localDigits(from))
      .replace("{to}", localDigits(to))
      .replace("{total}", localDigits(total));
  }

  /** How many rows a cell spans (`rowspan="0"`: to the end of its section). */
  const rowSpanOf = (cell: HTMLTableCellElement, row: number, rows: number) =>
    cell.rowSpan === 0 ? rows - row : Math.max(1, cell.rowSpan);

  /** A table's row groups, head first and foot last (as `rows` orders their rows). */
  const sectionsOf = (table: HTMLTableElement) =>
    [table.tHead, ...Array.from(table.tBodies), table.tFoot].filter(
      (section): section is HTMLTableSectionElement => section !== null,
    );

  /**
   * Each cell's first column in the table's grid, and the grid's width: a cell spanning rows from
   * above takes its columns in the rows below (each section counted apart, as HTML counts them).
   */
  function gridOf(table: HTMLTableElement): { start: Map<HTMLTableCellElement, number>; width: number } {
    const start = new Map<HTMLTableCellElement, number>();
    let width = 0;
    for (const section of sectionsOf(table)) {
      const rows = Array.from(section.rows);
      const taken: boolean[][] = rows.map(() => []);
      for (const [r, row] of rows.entries()) {
        const line = taken[r] ?? [];
        let c = 0;
        for (const cell of Array.from(row.cells)) {
          while (line[c]) c++;
          start.set(cell, c);
          // The grid is as wide as the last column a cell starts in: a note's `colspan="100"` under
          // thirty-one columns made a table of 100, in groups holding the key column alone.
          width = Math.max(width, c + 1);
          const span = Math.max(1, cell.colSpan);
          for (let dr = 0; dr < rowSpanOf(cell, r, rows.length); dr++) {
            const below = taken[r + dr];
            for (let dc = 0; below && dc < span; dc++) below[c + dc] = true;
          }
          c += span;
        }
      }
    }
    return { start, width };
  }

  /**
   * A width for each column of the grid, from `measure` of the cells that span one column alone (a
   * column no such cell has takes an even share of the spanning cells over it).
   */
  function gridWidths(table: HTMLTableElement, measure: (cell: HTMLTableCellElement) => number): number[] {
    const { start, width } = gridOf(table);
    const widths: number[] = Array.from({ length: width }, () => 0);
    const single: boolean[] = [];
    for (const [cell, c] of start) {
      if (Math.max(1, cell.colSpan) !== 1) continue;
      widths[c] = Math.max(widths[c] ?? 0, measure(cell));
      single[c] = true;
    }
    for (const [cell, c] of start) {
      const span = Math.min(Math.max(1, cell.colSpan), width - c);
      if (span === 1) continue;
      const share = measure(cell) / span;
      for (let i = c; i < c + span; i++) if (!single[i]) widths[i] = Math.max(widths[i] ?? 0, share);
    }
    return widths;
  }

  /** Smallest and natural widths of each column of the grid (the key column first). */
  function columnWidths(table: HTMLTableElement): { least: number[]; natural: number[] } {
    const read = (width: string) => {
      const before = table.style.width;
      table.style.width = width;
      const widths = gridWidths(table, (cell) => cell.getBoundingClientRect().width);
      table.style.width = before;
      return widths;
    };
    return { least: read("min-content"), natural: read("max-content") };
  }

  /** Column groups (indices from 1) that fit `width` beside the key column, as even as they can be. */
  function groupColumns(table: HTMLTableElement, width: number): number[][] {
    const { least, natural } = columnWidths(table);
    const comfortable = natural.map((n, i) => Math.min(n, Math.max(least[i] ?? 0, px(34))));
    const key = comfortable[0] ?? 0;
    const room = width - 1;
    const greedy: number[][] = [];
    let current: number[] = [];
    let used = key;
    for (let i = 1; i < comfortable.length; i++) {
      const w = comfortable[i] ?? 0;
      if (current.length && used + w > room) {
        greedy.push(current);
        current = [];
        used = key;
      }
      current.push(i);
      used += w;
    }
    if (current.length) greedy.push(current);
    // The same number of groups, with the columns shared out evenly, when that fits too.
    const count = greedy.length;
    const total = comfortable.length - 1;
    const even: number[][] = [];
    for (let g = 0, start = 1; g < count; g++) {
      const size = Math.floor(total / count) + (g < total % count ? 1 : 0);
      even.push(Array.from({ length: size }, (_, i) => start + i));
      start += size;
    }
    const evenFits = even.every((group) => group.reduce((sum, i) => sum + (comfortable[i] ?? 0), key) <= room);
    return evenFits ? even : greedy;
  }

  /**
   * The table as groups of columns, each its own table (the key column first in each). A cell
   * spanning columns of two groups is in both, spanning its columns in each: a header over the
   * columns of both heads them on both pages.
   */
  function splitColumns(table: HTMLTableElement, width: number): HTMLTableElement[] {
    const groups = groupColumns(table, width);
    const { start, width: total } = gridOf(table);
    const cells = Array.from(start);
    return groups.map((group, g) => {
      const keep = new Set([0, ...group]);
      const copy = table.cloneNode(true) as HTMLTableElement;
      const copies = sectionsOf(copy).flatMap((section) =>
        Array.from(section.rows).flatMap((row) => Array.from(row.cells)),
      );
      for (const [i, [cell, c]] of cells.entries()) {
        const mine = copies[i];
        if (!mine) continue;
        let kept = 0;
        for (let column = c; column < c + Math.max(1, cell.colSpan); column++) if (keep.has(column)) kept++;
        if (kept === 0) mine.remove();
        else if (kept !== Math.max(1, cell.colSpan)) mine.colSpan = kept;
      }
      const first = (group[0] ?? 1) + 1;
      const last = (group[group.length - 1] ?? 1) + 1;
      const range = columnsText(g === 0 ? 1 : first, last, total);
      copy.dataset.columns = range;
      if (g === 0) {
        const captioned = (copy.caption?.textContent ?? "").trim() !== "";
        const caption = copy.caption ?? copy.createCaption();
        const note = document.createElement("span");
        note.className = "caption-columns";
        note.textContent = captioned ? ` (${range})` : capitalised(range);
        caption.append(note);
      } else {
        copy.caption?.remove();
        copy.prepend(continuedCaption(table, range));
        copy.classList.add("table-group-continued");
        for (const element of [copy, ...Array.from(copy.querySelectorAll("[id]"))]) element.removeAttribute("id");
      }
      return copy;
    });
  }

  /**
   * Last resort for what does not fit at the smallest type: scale it down, or, where that would
   * take it below half its size (or for two columns, one holding a long address), let its words
   * break anywhere first. Breaking anywhere lets every column go as narrow as a letter, and a
   * table of many columns then had its cells broken a letter or two a line.
   */
  function forceFit(table: HTMLTableElement, width: number, columns: number): boolean {
    if (fitsIn(table, width)) return false;
    if (columns < 3 || width / widthOf(table) < 0.5) {
      table.classList.add("table-anywhere");
      if (fitsIn(table, width)) return false;
    }
    table.style.zoom = String(Math.floor((width / widthOf(table)) * 1000) / 1000);
    return true;
  }

  /** Decide how a wide table fits; returns the choice, or null when it fits as it is. */
  function fitWide(block: HTMLElement, table: HTMLTableElement): TableFit | null {
    if (fitsIn(table, portraitWidth)) return null;
    const line = Number(table.dataset.line ?? 0);
    const natural = widthOf(table);
    captionLabel(table);
    const columns = gridOf(table).width;
    const decided = (choice: TableChoice, groups: number, shrunk = false): TableFit => ({
      line,
      choice,
      groups,
      columns,
      widthMm: (natural * 25.4) / 96,
      blockMm: options.portrait.width,
      shrunk,
    });
    table.classList.add("table-tight");
    if (fitsIn(table, portraitWidth)) return decided("tight", 1);
    if (columns < 3) {
      // Two columns too wide hold a long word or address: breaking it beats turning the page.
      table.classList.add("table-anywhere");
      if (fitsIn(table, portraitWidth)) return decided("tight", 1);
      table.classList.remove("table-anywhere");
    }
    table.classList.remove("table-tight");
    block.classList.add("table-landscape");
    if (atWidth(block, landscapeWidth, () => fitsIn(table, landscapeWidth))) return decided("landscape", 1);
    table.classList.add("table-tight");
    if (atWidth(block, landscapeWidth, () => fitsIn(table, landscapeWidth))) return decided("landscape", 1);
    if (columns < 3) {
      return decided(
        "landscape",
        1,
        atWidth(block, landscapeWidth, () => forceFit(table, landscapeWidth, columns)),
      );
    }
    const groups = atWidth(block, landscapeWidth, () => splitColumns(table, landscapeWidth));
    table.replaceWith(...groups);
    let shrunk = false;
    for (const group of groups) {
      shrunk = atWidth(block, landscapeWidth, () => forceFit(group, landscapeWidth, columns)) || shrunk;
    }
    return decided("split", groups.length, shrunk);
  }

  /** Column of a box in a multi-column container whose first column starts at `start`. */
  function columnOf(rect: DOMRect | undefined, start: number, width: number): number {
    if (!rect) return 0;
    const middle = (rect.left + rect.right) / 2;
    return Math.floor((rtl ? start - middle : middle - start) / width);
  }

  const bodyRows = (table: HTMLTableElement) => Array.from(table.tBodies).flatMap((body) => Array.from(body.rows));

  /** A table's column widths now, as shares of its width (read in the same layout as its rows). */
  function columnShares(table: HTMLTableElement): number[] {
    const total = widthOf(table);
    return gridWidths(table, (cell) => cell.getClientRects()[0]?.width ?? 0).map((width) => (width / total) * 100);
  }

  /** Fixes a table's columns at those shares. */
  function freezeWidths(table: HTMLTableElement, shares: number[]): void {
    const group = document.createElement("colgroup");
    group.className = "press-widths";
    for (const share of shares) {
      const col = document.createElement("col");
      col.style.width = `${share}%`;
      group.append(col);
    }
    const caption = table.caption;
    if (caption) caption.after(group);
    else table.prepend(group);
    table.style.tableLayout = "fixed";
  }

  /** Starts `piece` on a new column (a page, in print). */
  function breakBefore(piece: HTMLElement): void {
    piece.style.breakBefore = "column";
    undo.push(() => piece.style.removeProperty("break-before"));
  }

  /**
   * A table that starts the next page rather than leave its caption, or a row, at the foot of this
   * one; the headings right above it go with it rather than end the page alone.
   */
  function toNextPage(table: HTMLTableElement): void {
    const block = table.closest(".table-block");
    const headings: HTMLElement[] = [];
    if (block && block.querySelector("table") === table)
      for (let h = block.previousElementSibling; h && /^H[1-6]$/.test(h.tagName); h = h.previousElementSibling)
        headings.unshift(h as HTMLElement);
    const lead = headings[0];
    if (lead) lead.classList.add("table-lead");
    else table.classList.add("table-continued");
    breakBefore(lead ?? table);
  }

  /** For each row, the last row a cell of it or of a row above it spans to (no cut can fall inside). */
  function spanEnds(rows: HTMLTableRowElement[]): number[] {
    let reach = 0;
    return rows.map((row, r) => {
      for (const cell of Array.from(row.cells)) reach = Math.max(reach, r + rowSpanOf(cell, r, rows.length) - 1);
      return reach;
    });
  }

  /**
   * Cells of the rows above `at` that span rows below it: each ends at the cut, and a copy of it
   * spans the rest from row `at`, in its column (a group's label is repeated on the next page
   * rather than the cells of that row moving one column over).
   */
  function carrySpans(rows: HTMLTableRowElement[], at: number): void {
    const grid: (HTMLTableCellElement | undefined)[][] = rows.slice(0, at + 1).map(() => []);
    const columnOfCell = new Map<HTMLTableCellElement, number>();
    for (const [r, row] of rows.slice(0, at + 1).entries()) {
      const occupied = grid[r] ?? [];
      let c = 0;
      for (const cell of Array.from(row.cells)) {
        while (occupied[c]) c++;
        columnOfCell.set(cell, c);
        for (let dr = 0; dr < rowSpanOf(cell, r, rows.length); dr++) {
          const line = grid[r + dr];
          for (let dc = 0; line && dc < Math.max(1, cell.colSpan); dc++) line[c + dc] = cell;
        }
        c += Math.max(1, cell.colSpan);
      }
    }
    const target = rows[at];
    if (!target) return;
    const crossing = [...new Set(grid[at] ?? [])].filter(
      (cell): cell is HTMLTableCellElement => cell !== undefined && cell.parentElement !== target,
    );
    for (const cell of crossing) {
      const start = rows.indexOf(cell.parentElement as HTMLTableRowElement);
      const span = rowSpanOf(cell, start, rows.length);
      const copy = cell.cloneNode(true) as HTMLTableCellElement;
      for (const element of [copy, ...Array.from(copy.querySelectorAll("[id]"))]) element.removeAttribute("id");
      copy.rowSpan = start + span - at;
      cell.rowSpan = at - start;
      const column = columnOfCell.get(cell) ?? 0;
      const after = Array.from(target.cells).find((other) => (columnOfCell.get(other) ?? 0) > column);
      target.insertBefore(copy, after ?? null);
    }
  }

  /** The rows of `piece` from `at` on, moved into a new piece after it: caption "(continued)", header row. */
  function cutAt(piece: HTMLTableElement, table: HTMLTableElement, at: number): HTMLTableElement {
    const rows = bodyRows(piece);
    if (piece.querySelector("td[rowspan], th[rowspan]")) carrySpans(rows, at);
    const next = document.createElement("table");
    for (const name of Array.from(piece.attributes)) {
      if (name.name !== "id" && name.name !== "style") next.setAttribute(name.name, name.value);
    }
    next.classList.add("table-continued");
    // The space above a column group is for the group's start, not for each page it runs onto: there
    // it took a row's room, and every other page of the group held one row alone.
    next.classList.remove("table-group-continued");
    next.style.zoom = piece.style.zoom;
    next.style.tableLayout = "fixed";
    const caption = continuedCaption(table, table.dataset.columns ?? null);
    caption.setAttribute("aria-hidden", "true");
    next.append(caption);
    const widths = piece.querySelector(":scope > colgroup.press-widths");
    if (widths) next.append(widths.cloneNode(true));
    if (piece.tHead) {
      const head = piece.tHead.cloneNode(true) as HTMLTableSectionElement;
      head.setAttribute("aria-hidden", "true");
      for (const element of Array.from(head.querySelectorAll("[id]"))) element.removeAttribute("id");
      next.append(head);
    }
    const body = document.createElement("tbody");
    body.append(...rows.slice(at));
    next.append(body);
    // A total row (`<tfoot>`) goes with the last piece: it was printed under the first page's rows,
    // where a reader took it for their total.
    if (piece.tFoot) next.append(piece.tFoot);
    for (const old of Array.from(piece.tBodies)) if (old.rows.length === 0) old.remove();
    piece.after(next);
    breakBefore(next);
    continued++;
    return next;
  }

  /**
   * Cuts a long table into the pieces its pages will hold, all at once, from one layout: every
   * row's height is read where the columns (pages) put it, and the pages are filled with them
   * below a "(continued)" caption and the header row, as Chromium would fill them. Each cut used
   * to cost a layout of the whole document (the cost grew with the square of a table's length);
   * `settle` then checks the plan in one more layout, shared by every table.
   */
  function cutLongTable(table: HTMLTableElement, area: () => DOMRect, width: number): HTMLTableElement[] {
    const rows = bodyRows(table);
    if (rows.length < 2) {
      // One row, or none: nothing to cut, but its caption may still be left at a page's foot.
      const box = area();
      const origin = rtl ? box.right : box.left;
      const caption = table.caption?.getClientRects()[0];
      const row = rows[0]?.getClientRects()[0] ?? table.tHead?.getClientRects()[0];
      if (caption && row && columnOf(caption, origin, width) < columnOf(row, origin, width)) toNextPage(table);
      return [table];
    }
    // A continued caption, set beside the table to be measured in the same layout.
    const probe = document.createElement("table");
    probe.className = table.className;
    probe.style.cssText = `position: absolute; visibility: hidden; zoom: ${table.style.zoom || 1};`;
    probe.append(continuedCaption(table, table.dataset.columns ?? null));
    table.after(probe);
    const zoom = Number(table.style.zoom || 1);
    probe.style.width = `${widthOf(table) / zoom}px`;
    const box = area();
    const origin = rtl ? box.right : box.left;
    const height = box.height;
    // A row taller than a page may break inside: kept whole (as rows are), Chromium would push it
    // past the page its piece starts on, leaving that page with only the caption and header row (or
    // the heading above the table). Let go before the rows are placed, so they are placed as printed.
    const room = height - probe.getBoundingClientRect().height - (table.tHead?.getClientRects()[0]?.height ?? 0);
    for (const row of rows) {
      const rects = Array.from(row.getClientRects()).filter((rect, i) => i === 0 || rect.height >= 1);
      if (rects.reduce((sum, rect) => sum + rect.height, 0) > room) row.style.breakInside = "auto";
    }
    const placed = rows.map((row) => {
      // A row holding a cell that spans rows onto later pages has empty boxes there: not its own.
      const all = Array.from(row.getClientRects());
      const rects = all.filter((rect, i) => i === 0 || rect.height >= 1);
      const first = rects[0];
      return {
        column: columnOf(first, origin, width),
        last: columnOf(rects[rects.length - 1], origin, width),
        top: (first?.top ?? 0) - box.top,
        height: rects.reduce((sum, rect) => sum + rect.height, 0),
      };
    });
    const first = placed[0]?.column ?? 0;
    const captionBox = table.caption?.getClientRects()[0];
    if ((placed[placed.length - 1]?.column ?? 0) <= first) {
      probe.remove();
      // Every row on one page, and the caption left at the foot of the page before.
      if (captionBox && columnOf(captionBox, origin, width) < first) toNextPage(table);
      return [table];
    }
    const shares = columnShares(table);
    const captionHeight = captionBox?.height ?? 0;
    const headHeight = table.tHead?.getClientRects()[0]?.height ?? 0;
    const continuedHeight = probe.getBoundingClientRect().height;
    // A row's height as it stacks: from its top to the next row's, when both are on one page.
    const heights = placed.map((row, i) => {
      const next = placed[i + 1];
      return next && next.column === row.column && row.last === row.column ? next.top - row.top : row.height;
    });
    const tall = (i: number, room: number) =>
      (placed[i]?.last ?? 0) > (placed[i]?.column ?? 0) || (heights[i] ?? 0) > room;

    // A group of rows joined by a cell spanning them goes to the next page whole when it starts in
    // the lower half of this one; a longer group is cut, its spanning cells carried over (cutAt).
    const ends = spanEnds(rows);
    const keepGroups = (from: number, end: number): number => {
      let at = end;
      while (at > from + 1 && (ends[at - 1] ?? 0) >= at) at--;
      return at > from && (ends[at - 1] ?? 0) < at && end - at <= (end - from) / 2 ? at : end;
    };
    /** The end of a page's rows from `from`, in `room`: a row taller than a page goes alone. */
    const fill = (from: number, room: number): number => {
      let used = 0;
      let i = from;
      while (i < rows.length && !tall(i, room) && used + (heights[i] ?? 0) <= room - 0.5) {
        used += heights[i] ?? 0;
        i++;
      }
      return i < rows.length ? keepGroups(from, Math.max(i, from + 1)) : i;
    };
    // The first page keeps the rows it holds now, unless the caption or a single row would be
    // left alone at its foot: then the table starts on the next page.
    const natural = placed.findIndex((row) => row.column > first);
    if (natural < 0) {
      probe.remove();
      return [table];
    }
    // A row taller than a page breaks inside wherever it starts: it stays on the first page when
    // a third of the page or more is left for it (moved, it would leave the rows or the heading
    // above it with a page of white below), and goes to the next one otherwise.
    let inFirst = keepGroups(0, natural);
    const lastIn = placed[inFirst - 1];
    if (lastIn && tall(inFirst - 1, height) && height - lastIn.top < height / 3) inFirst--;
    const captionAlone = captionBox !== undefined && columnOf(captionBox, origin, width) < first;
    // A group of rows joined by a cell spanning them that starts the table and runs past the page
    // it was put on: Chromium will not start the spanning cell below the caption, so the page the
    // caption is on kept it and the header row alone, and the next had no "(continued)". The
    // group is cut where the caption's page ends instead, its cell carried over.
    const captionRoom = captionBox ? height - (captionBox.top - box.top) - captionHeight - headHeight : 0;
    const spanned = captionAlone && (ends[0] ?? 0) >= natural ? fill(0, captionRoom) : 0;
    const startsBelowCaption = spanned >= 2 && spanned < rows.length;
    const moved = !startsBelowCaption && (captionAlone || inFirst === 0 || (inFirst === 1 && !tall(0, height)));
    const continuedRoom = height - continuedHeight - headHeight;
    const starts = [0];
    let at = startsBelowCaption ? spanned : moved ? fill(0, height - captionHeight - headHeight) : inFirst;
    while (at < rows.length) {
      starts.push(at);
      at = fill(at, continuedRoom);
    }
    // No row alone on the last page: the row before it goes along.
    const lastStart = starts[starts.length - 1] ?? 0;
    const before = starts[starts.length - 2] ?? 0;
    if (
      lastStart === rows.length - 1 &&
      lastStart - before > 2 &&
      !tall(lastStart - 1, continuedRoom) &&
      (ends[lastStart - 2] ?? 0) < lastStart - 1
    ) {
      starts[starts.length - 1] = lastStart - 1;
    }

    probe.remove();
    freezeWidths(table, shares);
    if (moved) toNextPage(table);
    const pieces = [table];
    // From the last cut to the first, so that each cut takes rows from the whole table.
    for (let p = starts.length - 1; p >= 1; p--) pieces.splice(1, 0, cutAt(table, table, starts[p] ?? 0));
    return pieces;
  }

  /**
   * Checks the pieces of a table where the columns put them, and cuts again any piece that runs
   * onto another page (a row measured a little short): one layout when the plan held.
   */
  function settle(table: HTMLTableElement, pieces: HTMLTableElement[], area: () => DOMRect, width: number): void {
    for (let p = 0; p < pieces.length; p++) {
      const piece = pieces[p] as HTMLTableElement;
      const rows = bodyRows(piece);
      if (rows.length < 2) continue;
      const box = area();
      const origin = rtl ? box.right : box.left;
      const column = (row: HTMLTableRowElement | undefined) => columnOf(row?.getClientRects()[0], origin, width);
      const first = column(rows[0]);
      if (column(rows[rows.length - 1]) <= first) continue;
      const at = rows.findIndex((row) => column(row) > first);
      if (at <= 0) continue;
      pieces.splice(p + 1, 0, cutAt(piece, table, at));
      corrected++;
    }
  }

  /** Tables in the order of the flow: each one's cuts move what follows, so each is read after the last is cut. */
  function cutLongTables(tables: HTMLTableElement[], area: () => DOMRect, width: number): void {
    const cut = tables.map((table) => [table, cutLongTable(table, area, width)] as const);
    for (const [table, pieces] of cut) {
      settle(table, pieces, area, width);
      ownRows(table, pieces);
    }
  }

  /**
   * One table to assistive technology, however many pages it runs over: the rows of its pieces
   * after the first are owned by the first (`aria-owns`, which the tagged PDF follows, being made
   * from the accessibility tree), and each piece's "(continued)" caption and repeated header row are
   * hidden from it (artifacts in the PDF). A screen reader found one table a page, its header row
   * and caption read again on each (PDF Association, Tagged PDF Best Practice Guide: tables).
   */
  function ownRows(table: HTMLTableElement, pieces: HTMLTableElement[]): void {
    const sections = pieces
      .slice(1)
      .flatMap((piece) => [...Array.from(piece.tBodies), ...(piece.tFoot ? [piece.tFoot] : [])]);
    for (const section of sections) section.id ||= `press-rows-${owned++}`;
    if (sections.length > 0) table.setAttribute("aria-owns", sections.map((section) => section.id).join(" "));
  }

  /**
   * What goes onto a landscape table's page with it rather than end a portrait page alone: the
   * headings right above it, and a short lead-in between them and the table (at most four
   * paragraphs, LEAD_IN_CHARACTERS in all), which would otherwise be left with its heading on a
   * page of its own. A longer lead-in stays where it is, and so does its heading.
   */
  function leadInOf(block: HTMLElement): HTMLElement[] {
    const paragraphs: HTMLElement[] = [];
    // Above a list whose first item is the block, the list's own lead-in and headings.
    let from: HTMLElement = block;
    while (!from.previousElementSibling && from.parentElement && !from.parentElement.matches("main, section, body"))
      from = from.parentElement;
    let before = from.previousElementSibling;
    let characters = 0;
    while ((before?.tagName === "P" || before?.tagName === "SUMMARY") && paragraphs.length < 4) {
      characters += before.textContent?.length ?? 0;
      paragraphs.unshift(before as HTMLElement);
      before = before.previousElementSibling;
    }
    const headings: HTMLElement[] = [];
    for (; before && /^H[1-6]$/.test(before.tagName); before = before.previousElementSibling)
      headings.unshift(before as HTMLElement);
    if (paragraphs.length === 0) return headings;
    return headings.length > 0 && characters <= LEAD_IN_CHARACTERS ? [...headings, ...paragraphs] : [];
  }

  /**
   * The list item, quotation, callout or details a landscape table is in, when all it holds before
   * the table is a short lead-in (at most four paragraphs, LEAD_IN_CHARACTERS in all): it goes onto
   * the table's page whole. Left behind, it ended a portrait page alone ("1. A list item holding a
   * wide table:", or an empty framed callout), and a list item's number was parted from its text.
   */
  function openedContainer(block: HTMLElement): HTMLElement | undefined {
    const container = block.parentElement;
    if (!container || container.matches("main, section, body")) return undefined;
    let characters = 0;
    let count = 0;
    for (let before = block.previousElementSibling; before; before = before.previousElementSibling) {
      if (before.tagName !== "P" && before.tagName !== "SUMMARY") return undefined;
      characters += before.textContent?.length ?? 0;
      count++;
    }
    return count <= 4 && characters <= LEAD_IN_CHARACTERS ? container : undefined;
  }

  const blocks = Array.from(document.querySelectorAll<HTMLElement>("main .table-block"));
  for (const block of blocks) {
    for (const table of Array.from(block.querySelectorAll<HTMLTableElement>(":scope table"))) {
      const fit = fitWide(block, table);
      if (fit) fits.push(fit);
    }
  }

  // Landscape blocks (runs of them, which share their pages) are laid out apart, in columns the
  // size of a landscape page, and stand in the portrait flow as that many columns.
  const landscape: HTMLElement[] = [];
  for (const block of blocks.filter((b) => b.classList.contains("table-landscape"))) {
    const unit = openedContainer(block) ?? block;
    const leadIn = leadInOf(unit);
    for (const element of [...leadIn, unit]) element.classList.add("table-landscape");
    landscape.push(...leadIn, unit);
  }
  // Whether `b` comes right after `a` in the flow: its next sibling, or where that one's content starts
  // (a heading, then the list whose first item opens with the lead-in).
  const follows = (a: HTMLElement | undefined, b: HTMLElement): boolean => {
    let next = a?.nextElementSibling;
    while (next && next !== b && next.contains(b)) next = next.firstElementChild;
    return next === b;
  };
  const body = getComputedStyle(document.body);
  while (landscape.length) {
    const run = [landscape.shift() as HTMLElement];
    while (landscape[0] && follows(run[run.length - 1], landscape[0])) {
      run.push(landscape.shift() as HTMLElement);
    }
    const stand = document.createElement("div");
    stand.style.cssText = "break-before: column; break-after: column;";
    stand.id = `press-landscape-${undo.length}`;
    run[0]?.before(stand);
    const frame = document.createElement("div");
    frame.style.cssText = `position: fixed; top: 0; left: 0; visibility: hidden; width: ${landscapeWidth}px;
      height: ${landscapeHeight}px; column-width: ${landscapeWidth}px; column-gap: 0; column-fill: auto;
      font-family: ${body.fontFamily}; line-height: ${body.lineHeight}; color: ${body.color};`;
    frame.setAttribute("dir", rtl ? "rtl" : "ltr");
    // predict-pages.ts places a heading inside the frame by the column the stand begins in.
    frame.className = "press-landscape-frame";
    frame.dataset.stand = stand.id;
    // Where each element was, to go back to: not all beside the stand (a list item's place is in its list).
    const places = run.map((element) => [element, element.parentNode, element.nextSibling] as const);
    frame.append(...run);
    document.documentElement.append(frame);
    const area = () => frame.getBoundingClientRect();
    cutLongTables(
      run.flatMap((block) => Array.from(block.querySelectorAll<HTMLTableElement>("table"))),
      area,
      landscapeWidth,
    );
    const boxes = run[run.length - 1]?.getClientRects();
    const lastBox = boxes ? boxes[boxes.length - 1] : undefined;
    const frameBox = area();
    const pages = columnOf(lastBox, rtl ? frameBox.right : frameBox.left, landscapeWidth) + 1;
    stand.style.height = `${pages * portraitHeight - 2}px`;
    undo.push(() => {
      for (const [element, parent, next] of places.reverse()) parent?.insertBefore(element, next);
      stand.remove();
      frame.remove();
    });
  }

  // Portrait tables that run onto another page, top to bottom (each cut moves what follows).
  cutLongTables(
    blocks
      .filter((block) => !block.classList.contains("table-landscape"))
      .flatMap((block) => Array.from(block.querySelectorAll<HTMLTableElement>("table"))),
    () => document.body.getBoundingClientRect(),
    portraitWidth,
  );

  return {
    fits,
    continued,
    corrected,
    restore: () => {
      for (const step of undo.reverse()) step();
    },
  };
}
