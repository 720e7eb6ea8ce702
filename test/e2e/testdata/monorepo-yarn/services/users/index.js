const { greet } = require("@acme/greet");

exports.handler = async (event) => ({ service: "users", message: greet(event.name ?? "world", event.uptimeMs ?? 0) });
