const ms = require("ms");

// greet is the shared library of the monorepo's functions.
exports.greet = (name, uptimeMs) => `Hello, ${name}! Up for ${ms(uptimeMs, { long: true })}.`;

// msVersion is the ms this package resolves, which is not the one orders
// depends on itself.
exports.msVersion = require("ms/package.json").version;
