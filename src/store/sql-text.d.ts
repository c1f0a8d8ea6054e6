// Migration SQL is imported as text (`with { type: "text" }`) so it is embedded in the binary.
declare module "*.sql" {
  const text: string;
  export default text;
}
