const ms = require("ms");

// greet is the shared library of the monorepo's functions.
exports.greet = (name, uptimeMs) => `Hello, ${name}! Up for ${ms(uptimeMs, { long: true })}.`;
