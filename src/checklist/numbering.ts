/** Gates and playbooks share one numbering rule: `<section>.<n>`, both counted from 1 (`1.1`, `1.2`, `2.1`, …). */
export function itemNumber(sectionIndex: number, itemIndex: number): string {
  return `${sectionIndex + 1}.${itemIndex + 1}`;
}

/** Flattens sections into their items, each tagged with its number and a caller-chosen field naming its section. */
export function numberSections<S extends { items: readonly object[] }, E extends object>(
  sections: readonly S[],
  sectionFields: (section: S) => E,
): ({ number: string } & E & S["items"][number])[] {
  return sections.flatMap((section, s) =>
    section.items.map((item, i) => ({ number: itemNumber(s, i), ...sectionFields(section), ...item })),
  );
}

/** `1.2`-style references: the same shape the numbering produces. */
export const ITEM_NUMBER_PATTERN = /^[1-9]\d*\.[1-9]\d*$/;
