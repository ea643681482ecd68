// A row of the explorer as plain data: the tree provider maps it to a TreeItem, tests read it as a person reads the tree.
/** A codicon and an optional theme colour id (charts.* colours read well in light and dark themes). */
export interface IconSpec {
  codicon: string;
  color?: string;
}

/** What the actions on a row work with. */
export interface ResourceRef {
  kind: string;
  /** The topology id, for resources the topology holds. */
  id?: string;
  name: string;
  region?: string;
  selfLink?: string;
  ip?: string;
  url?: string;
  consoleUrl?: string;
  /** The resource as Google returned it, for "View as YAML". */
  json?: unknown;
  loadBalancerId?: string;
}

export interface ExplorerItem {
  /** Unique in the tree; stable across refreshes so expansion state survives. */
  id: string;
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  icon?: IconSpec;
  /** Tokens joined with `;` into contextValue, matched by menus with `=~`. */
  context: string[];
  children?: () => ExplorerItem[];
  expanded?: boolean;
  resource?: ResourceRef;
  /** A click reveals another row, or opens a URL. */
  link?: { revealId: string } | { url: string };
}
