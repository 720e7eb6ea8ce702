import express from "express";
import sharp from "sharp";
import { z } from "zod";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { Logger } from "@aws-lambda-powertools/logger";

const logger = new Logger({ serviceName: "orders" });
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const s3 = new S3Client({});

const Order = z.object({
  id: z.string().min(1),
  items: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() })).min(1),
});

const greeting = process.env.GREETING ?? "Hello";

export const app = express();
app.use(express.json());

app.get("/health", (_req, res) => {
  res.json({ status: "ok", greeting });
});

app.post("/orders", async (req, res) => {
  const parsed = Order.safeParse(req.body);
  if (!parsed.success) {
    res.status(400).json({ errors: parsed.error.issues.map((i) => i.message) });
    return;
  }
  logger.info("order", { id: parsed.data.id });
  if (process.env.ORDERS_TABLE) {
    await db.send(new PutCommand({ TableName: process.env.ORDERS_TABLE, Item: parsed.data }));
  }
  res.status(201).json({ id: parsed.data.id, items: parsed.data.items.length });
});

app.get("/thumbnail", async (_req, res) => {
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#ff9900" } })
    .png()
    .toBuffer();
  const meta = await sharp(png).metadata();
  res.json({ format: meta.format, width: meta.width, bytes: png.length });
});
