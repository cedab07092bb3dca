/** A metric's label object from its label names and the values given in the same order. */
export function labelsOf<Label extends string>(
  names: readonly Label[],
  values: readonly string[],
): Record<Label, string> {
  const labels = {} as Record<Label, string>;
  names.forEach((name, i) => (labels[name] = values[i]));
  return labels;
}
