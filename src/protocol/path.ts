// Attribute paths, as in tfplugin6 AttributePath: `.name`, `["key"]`, `[index]`. Set elements cannot be addressed,
// so a path into a set stops at the set.

export type PathStep = { readonly attribute: string } | { readonly key: string } | { readonly index: number };
export type AttributePath = readonly PathStep[];

export function pathToString(path: AttributePath): string {
  let s = '';
  for (const step of path) {
    if ('attribute' in step) s += s === '' ? step.attribute : `.${step.attribute}`;
    else if ('key' in step) s += `[${JSON.stringify(step.key)}]`;
    else s += `[${step.index}]`;
  }
  return s;
}

/** The tfplugin6 AttributePath message (proto-loader shape). */
export function pathToProto(path: AttributePath): { steps: Array<Record<string, unknown>> } {
  return {
    steps: path.map((step) =>
      'attribute' in step
        ? { attribute_name: step.attribute }
        : 'key' in step
          ? { element_key_string: step.key }
          : { element_key_int: step.index },
    ),
  };
}
