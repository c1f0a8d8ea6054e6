// Files embedded with `import x from "…" with { type: "file" }` resolve to a path Bun.file can open.
declare module "swagger-ui-dist/swagger-ui.css" {
  const path: string;
  export default path;
}
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  const path: string;
  export default path;
}
declare module "*/api-docs-init.js" {
  const path: string;
  export default path;
}
