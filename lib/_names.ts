import { IConstruct } from 'constructs';

/** A Docker object name derived from a construct id: characters Docker rejects become '-'. */
export function nameFromId(scope: IConstruct): string {
  const name = scope.node.id.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '');
  return name.length > 0 ? name.slice(0, 128) : `c${scope.node.addr.slice(0, 12)}`;
}

/** Labels as the provider's list of `{label, value}` blocks, sorted for a stable plan. */
export function labelBlocks(labels: Record<string, string> | undefined): { label: string; value: string }[] | undefined {
  if (!labels) return undefined;
  const keys = Object.keys(labels).sort();
  return keys.length > 0 ? keys.map((label) => ({ label, value: labels[label] })) : undefined;
}
