/**
 * Imports go one way through the layers of DESIGN.md: each layer may import its own and the ones
 * before it, never one after it, and nothing in src/ may import in a circle.
 */
const layers = [
  ["lib", "^src/lib/"],
  ["config", "^src/config/"],
  ["stores", "^src/stores/"],
  ["upstreams", "^src/upstreams/"],
  ["durable", "^src/durable/"],
  ["core", "^src/core/"],
  ["dialects", "^src/dialects/"],
  ["app", "^src/(app/|index\\.ts$)"],
];

const upward = layers.slice(0, -1).map(([name, path], i) => ({
  name: `layer-${name}`,
  comment: `${name} may import only ${layers.slice(0, i + 1).map(([n]) => n).join(", ")}`,
  severity: "error",
  from: { path },
  to: { path: layers.slice(i + 1).map(([, p]) => p) },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "A circle of imports has no layer order.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "outside-layers",
      comment: "Every source file belongs to a layer.",
      severity: "error",
      from: { path: "^src/", pathNot: layers.map(([, p]) => p) },
      to: {},
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".json"] },
  },
};
