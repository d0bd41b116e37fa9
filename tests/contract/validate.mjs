// Validates AsyncAPI documents with the AsyncAPI Initiative's own parser (@asyncapi/parser):
// `node validate.mjs FILE...` prints one JSON line per file, {file, errors, warnings}, each error
// and warning as the parser's diagnostic (code, message, path); exit 1 when any file has an error.
import { readFile } from "node:fs/promises";
import { Parser } from "@asyncapi/parser";

const parser = new Parser();
let failed = false;
for (const file of process.argv.slice(2)) {
  const { document, diagnostics } = await parser.parse(await readFile(file, "utf8"));
  const shown = (severity) =>
    diagnostics
      .filter((d) => d.severity === severity)
      .map((d) => ({ code: d.code, message: d.message, path: d.path.join(".") }));
  const errors = shown(0);
  if (document === undefined && errors.length === 0) errors.push({ code: "unparsed", message: "no document" });
  failed ||= errors.length > 0;
  console.log(JSON.stringify({ file, version: document?.version(), errors, warnings: shown(1) }));
}
process.exit(failed ? 1 : 0);
