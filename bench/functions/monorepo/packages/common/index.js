// What every service shares: input validation and a logger.
const { z } = require("zod");
const pino = require("pino");

const logger = pino({ level: process.env.LOG_LEVEL ?? "info" });

const Id = z.string().min(1).max(64);

function ok(body) {
  return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

function badRequest(error) {
  return { statusCode: 400, body: JSON.stringify({ error: String(error) }) };
}

module.exports = { logger, Id, ok, badRequest, z };
