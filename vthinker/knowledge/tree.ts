// The knowledge tree: plain JSON nodes built from concept paths. Concepts (leaves) carry the families they create;
// composite concepts added by evolution carry the concept paths they combine.
import type { TemplateId } from './grammar.ts';
import { SEED_CONCEPTS, type SeedConcept } from './seed.ts';

export const PATH_SEPARATOR = ' > ';

export interface KnowledgeNode {
  name: string;
  /** Full path from the domain down ("Geometry > Plane Geometry > Triangle > Median"); "" for the root. */
  path: string;
  children: KnowledgeNode[];
  /** Question families a concept can create (leaves only). */
  families?: TemplateId[];
  /** For composite concepts from co-evolution: the concept paths combined. */
  combines?: string[];
}

export interface KnowledgeStats {
  nodes: number;
  /** Longest path length in names below the root (a domain alone is depth 1). */
  depth: number;
  domains: number;
  concepts: number;
}

export const splitPath = (path: string): string[] => path.split(PATH_SEPARATOR).map((s) => s.trim());

/** Insert a concept at `path`, creating intermediate nodes; children stay sorted by name so the JSON is canonical. */
export function insertConcept(root: KnowledgeNode, path: string, leaf: Omit<KnowledgeNode, 'name' | 'path' | 'children'>): KnowledgeNode {
  const names = splitPath(path);
  if (names.length < 2 || names.some((n) => n === '')) {
    throw new Error(`knowledge: "${path}" is not a concept path (expected "Domain > Topic > ... > Concept")`);
  }
  let node = root;
  names.forEach((name, i) => {
    let child = node.children.find((c) => c.name === name);
    if (!child) {
      child = { name, path: names.slice(0, i + 1).join(PATH_SEPARATOR), children: [] };
      node.children.push(child);
      node.children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }
    node = child;
  });
  if (leaf.families) node.families = [...new Set([...(node.families ?? []), ...leaf.families])].sort();
  if (leaf.combines) node.combines = [...leaf.combines];
  return node;
}

export function buildTree(concepts: readonly SeedConcept[] = SEED_CONCEPTS): KnowledgeNode {
  const root: KnowledgeNode = { name: 'Knowledge', path: '', children: [] };
  for (const c of concepts) insertConcept(root, c.path, { families: c.families });
  return root;
}

function walk(node: KnowledgeNode, depth: number, visit: (n: KnowledgeNode, depth: number) => void): void {
  visit(node, depth);
  for (const c of node.children) walk(c, depth + 1, visit);
}

/** Every concept of the tree: the nodes that create families (seed leaves and composites, which may have children). */
export function concepts(root: KnowledgeNode): KnowledgeNode[] {
  const out: KnowledgeNode[] = [];
  walk(root, 0, (n) => {
    if (n.families?.length) out.push(n);
  });
  return out;
}

export function treeStats(root: KnowledgeNode): KnowledgeStats {
  let nodes = 0, depth = 0;
  walk(root, 0, (n, d) => {
    if (n !== root) nodes++;
    depth = Math.max(depth, d);
  });
  return { nodes, depth, domains: root.children.length, concepts: concepts(root).length };
}

/** Concept paths whose leaf can create `family` (the knowledge a sample of that family exercises). */
export function conceptsForFamily(root: KnowledgeNode, family: TemplateId): string[] {
  return concepts(root).filter((c) => c.families?.includes(family)).map((c) => c.path);
}

/** The leaf at `path`, or a clear error. */
export function findConcept(root: KnowledgeNode, path: string): KnowledgeNode {
  const leaf = concepts(root).find((c) => c.path === path);
  if (!leaf) throw new Error(`knowledge: unknown concept "${path}" (see concepts(tree) for the known paths)`);
  return leaf;
}
