// Bundle the modeler's additions into browser scripts (run by ./dev.sh after `npm ci`, by the wheel build and by
// the Docker node stage; the output lives in node_modules/.mtcflow/, never in the repository):
//   bpmnlint.js    bpmn-js-bpmnlint with our bpmnlint configuration (window.mtcLint)
//   properties.js  bpmn-js-properties-panel with our mtc: descriptor and provider (window.mtcPanel)
const path = require("path");
const { rollup } = require("rollup");
const bpmnlint = require("rollup-plugin-bpmnlint");
const { nodeResolve } = require("@rollup/plugin-node-resolve");
const commonjs = require("@rollup/plugin-commonjs");

const BUNDLES = { "bpmnlint.js": "lint-entry.js", "properties.js": "properties-entry.js" };

async function build(name, outdir) {
  const bundle = await rollup({
    input: path.join(__dirname, BUNDLES[name]),
    plugins: [nodeResolve({ browser: true }), commonjs(),
      bpmnlint({ include: path.join(__dirname, "bpmnlintrc.json") })],
    onwarn: (warning, warn) => { if (warning.code !== "CIRCULAR_DEPENDENCY") warn(warning); },
  });
  await bundle.write({ file: path.join(outdir, name), format: "iife", compact: true });
  await bundle.close();
}

const outdir = process.argv[2] || path.join(__dirname, "..", "node_modules", ".mtcflow");
Promise.all(Object.keys(BUNDLES).map((name) => build(name, outdir)))
  .catch((err) => { console.error(err); process.exit(1); });
