// Tool scripts are imported as text (`with { type: "text" }`) so the binary carries them (index.gen.ts).
declare module "*.py" {
  const text: string;
  export default text;
}
