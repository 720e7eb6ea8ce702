const { greet, msVersion } = require("@acme/greet");

// orders depends on an ms that conflicts with @acme/greet's, which npm
// leaves in services/orders/node_modules: each must resolve its own.
exports.handler = async (event) => ({
  service: "orders",
  message: greet(event.name ?? "world", event.uptimeMs ?? 0),
  ms: require("ms/package.json").version,
  greetMs: msVersion,
});
