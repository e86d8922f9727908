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

/**
 * THE item-number shape, for every parser (commands, button values, block ids, templates): the shape the
 * numbering produces, at most three digits a part so a hostile value stays short.
 */
export const ITEM_NUMBER_SOURCE = String.raw`[1-9]\d{0,2}\.[1-9]\d{0,2}`;
export const ITEM_NUMBER_PATTERN = new RegExp(`^${ITEM_NUMBER_SOURCE}$`);

/** `" 3.1 "` → `"3.1"`; anything that is not an item number → null. */
export function parseItemNumber(text: string | undefined): string | null {
  const wanted = (text ?? "").trim();
  return ITEM_NUMBER_PATTERN.test(wanted) ? wanted : null;
}
