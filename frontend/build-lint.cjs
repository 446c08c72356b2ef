// Bundle bpmn-js-bpmnlint and the bpmnlint configuration into one browser script (run by ./dev.sh after
// `npm ci`; the output lives in node_modules/.mtcflow/, never in the repository).
const path = require("path");
const { rollup } = require("rollup");
const bpmnlint = require("rollup-plugin-bpmnlint");
const { nodeResolve } = require("@rollup/plugin-node-resolve");
const commonjs = require("@rollup/plugin-commonjs");

async function build(outfile) {
  const bundle = await rollup({
    input: path.join(__dirname, "lint-entry.js"),
    plugins: [nodeResolve({ browser: true }), commonjs(),
      bpmnlint({ include: path.join(__dirname, "bpmnlintrc.json") })],
  });
  await bundle.write({ file: outfile, format: "iife" });
}

build(process.argv[2] || path.join(__dirname, "..", "node_modules", ".mtcflow", "bpmnlint.js"))
  .catch((err) => { console.error(err); process.exit(1); });
