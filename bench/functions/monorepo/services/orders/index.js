const { DynamoDBClient } = require("@aws-sdk/client-dynamodb");
const { DynamoDBDocumentClient, PutCommand } = require("@aws-sdk/lib-dynamodb");
const { v4: uuid } = require("uuid");
const { logger, ok, badRequest, z } = require("@shop/common");

const GREETING = "Order received";
const Order = z.object({ customer: z.string(), items: z.array(z.string()).min(1) });
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

exports.handler = async (event) => {
  const parsed = Order.safeParse(event);
  if (!parsed.success) return badRequest(parsed.error);
  const order = { id: uuid(), ...parsed.data };
  if (process.env.ORDERS_TABLE) {
    await db.send(new PutCommand({ TableName: process.env.ORDERS_TABLE, Item: order }));
  }
  logger.info({ order: order.id }, "order stored");
  return ok({ message: GREETING, order });
};
