/** Latin digits written in another numbering system (Arabic-Indic: ٠١٢٣٤٥٦٧٨٩). */
export type DigitStyle = "latin" | "arabic-indic";

export function localDigits(text: string, style: DigitStyle): string {
  if (style === "latin") return text;
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

/** The CSS counter style of a digit style, for `counter(page, …)`. */
export function counterStyle(style: DigitStyle): string {
  return style === "arabic-indic" ? "arabic-indic" : "decimal";
}
