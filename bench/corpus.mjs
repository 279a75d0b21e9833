// Generates the benchmark corpus: N briefings of about 2,500 words with tables and notes, and
// N decks of 12 slides, in a project folder of their own.
import fs from "node:fs";
import path from "node:path";

const WORDS = (
  "peace operations mandate contingent police engineers medical observers ceasefire protection civilians " +
  "mission council resolution reimbursement training deployment rotation humanitarian reconstruction logistics"
).split(" ");

function sentence(seed, length) {
  const words = [];
  for (let i = 0; i < length; i++) words.push(WORDS[(seed * 7 + i * 13) % WORDS.length]);
  const text = words.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(seed) {
  return Array.from({ length: 5 }, (_, i) => sentence(seed + i, 12 + ((seed + i) % 6))).join(" ");
}

export function briefing(n) {
  const parts = [
    `---\ntitle: Benchmark briefing ${n}\nclassification: OFFICIAL\nauthor: Bench\ndate: 2026-01-01\n---\n`,
  ];
  parts.push(`:::key-points\n- ${sentence(n, 14)}\n- ${sentence(n + 1, 14)}\n:::\n`);
  for (let s = 1; s <= 6; s++) {
    parts.push(`# Section ${s}\n`);
    for (let sub = 1; sub <= 2; sub++) {
      parts.push(`## Part ${s}.${sub}\n`);
      parts.push(`${paragraph(n * 100 + s * 10 + sub)}[^n${s}${sub}]\n`);
      parts.push(`${paragraph(n * 100 + s * 10 + sub + 3)}\n`);
    }
    parts.push("| Mission | Years | Role | Contributors |\n|---|---|---|---|");
    for (let r = 0; r < 6; r++)
      parts.push(`| M-${s}${r} | ${1990 + r}–${2000 + r} | ${WORDS[r]} | ${WORDS[r + 3]}, ${WORDS[r + 5]} |`);
    parts.push("\nTable: Contributions\n");
  }
  for (let s = 1; s <= 6; s++)
    for (let sub = 1; sub <= 2; sub++) parts.push(`[^n${s}${sub}]: ${sentence(s * sub, 10)}\n`);
  return parts.join("\n");
}

export function deck(n) {
  const slides = [`---\nkind: slides\ntitle: Benchmark deck ${n}\nclassification: OFFICIAL\ndate: 2026-01-01\n---\n`];
  for (let s = 1; s <= 11; s++) {
    slides.push(
      `# Slide ${s}\n\n- ${sentence(n + s, 8)}\n- ${sentence(n + s + 1, 8)}\n- ${sentence(n + s + 2, 8)}\n\n:::notes\n${sentence(s, 20)}\n:::\n`,
    );
  }
  return slides.join("\n---\n\n");
}

export function writeCorpus(dir, count, { decks = true } = {}) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "content/briefings"), { recursive: true });
  fs.mkdirSync(path.join(dir, "content/decks"), { recursive: true });
  fs.writeFileSync(path.join(dir, "press.config.yaml"), "organisation: Benchmark Unit\n");
  for (let i = 1; i <= count; i++) {
    fs.writeFileSync(path.join(dir, `content/briefings/b-${i}.md`), briefing(i));
    if (decks) fs.writeFileSync(path.join(dir, `content/decks/d-${i}.md`), deck(i));
  }
}
