import { expect, test } from "bun:test";
import type { FormAction } from "../../api/contract-types";
import { sharedFields } from "./shared-fields";

test("next actions share one field set: a repeated name once, as first defined, with the first prefill", () => {
  const actions: FormAction[] = [
    { action_id: "a", label: "A", kind: "form", fields: [{ kind: "string", name: "namn", label: "Namn" }], prefill: { namn: "Anna" } },
    {
      action_id: "b",
      label: "B",
      kind: "form",
      fields: [
        { kind: "integer", name: "namn", label: "Annat" },
        { kind: "boolean", name: "klar", label: "Klar" },
      ],
      prefill: { namn: "Bo", klar: true },
    },
  ];
  const { fields, prefill } = sharedFields(actions);
  expect(fields.map((f) => `${f.name}:${f.kind}`)).toEqual(["namn:string", "klar:boolean"]);
  expect(prefill).toEqual({ namn: "Anna", klar: true });
});
