/**
 * What a finished run shows (tool contract §4 and §5, as stored in runs.ui_payload): output kinds,
 * next actions and the field definitions shared by input forms, actions and settings.
 */
export type NoticeLevel = "info" | "warning" | "error";
export type TableCell = string | number | boolean | null;

export type NoticeOutput = { kind: "notice"; level: NoticeLevel; message: string };
export type MarkdownOutput = { kind: "markdown"; markdown: string };
export type TableColumn = { key: string; label: string };
export type TableOutput = { kind: "table"; title?: string; columns: TableColumn[]; rows: Array<Record<string, TableCell>> };
export type JsonOutput = { kind: "json"; title?: string; value: unknown };
export type HtmlSandboxedOutput = { kind: "html_sandboxed"; html: string };
export type VegaLiteOutput = { kind: "vega_lite"; spec: Record<string, unknown> };
export type UiOutput = NoticeOutput | MarkdownOutput | TableOutput | JsonOutput | HtmlSandboxedOutput | VegaLiteOutput;

export type EnumOption = { value: string; label: string };

interface FieldBase {
  name: string;
  label: string;
  required?: boolean;
  help?: string;
  placeholder?: string;
}

/** min/max: characters (string, text), value (integer, number), selections (multi_enum), files (file). */
export type StringField = FieldBase & { kind: "string" | "text"; default?: string; min?: number; max?: number };
export type IntegerField = FieldBase & { kind: "integer"; default?: number; min?: number; max?: number };
export type NumberField = FieldBase & { kind: "number"; default?: number; min?: number; max?: number };
export type BooleanField = FieldBase & { kind: "boolean"; default?: boolean };
export type EnumField = FieldBase & { kind: "enum"; options: EnumOption[]; default?: string };
export type MultiEnumField = FieldBase & { kind: "multi_enum"; options: EnumOption[]; default?: string[]; min?: number; max?: number };
export type FileField = FieldBase & { kind: "file"; accept?: string[]; min: number; max: number };

export type ValueField = StringField | IntegerField | NumberField | BooleanField | EnumField | MultiEnumField;
export type AnyField = ValueField | FileField;

export type FormAction = {
  action_id: string;
  label: string;
  kind: "form";
  fields: ValueField[];
  prefill?: Record<string, unknown>;
};

export type UiPayload = { contract_version: number; outputs: UiOutput[]; next_actions: FormAction[] };
