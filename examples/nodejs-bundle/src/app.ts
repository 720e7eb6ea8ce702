// Validates an order, and prepares the DynamoDB item that stores it under a
// hash of its contents. The AWS SDK and zod go into the bundle;
// @node-rs/xxhash is native code, which ships in node_modules beside it.
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { xxh32 } from "@node-rs/xxhash";
import { z } from "zod";

const Order = z.object({
  id: z.string().min(1),
  quantity: z.number().int().positive(),
});

const client = new DynamoDBClient({ region: process.env.AWS_REGION ?? "us-east-1" });

export const handler = async (event: unknown) => {
  const parsed = Order.safeParse(event);
  if (!parsed.success) {
    return { statusCode: 400, error: parsed.error.issues.map((i) => i.path.join(".")).join(", ") };
  }
  const order = parsed.data;
  if (order.id === "explode") {
    throw new Error("asked to explode");
  }
  const command = new PutItemCommand({
    TableName: process.env.TABLE_NAME ?? "orders",
    Item: marshall({ ...order, hash: xxh32(JSON.stringify(order)).toString(16) }),
  });
  return { statusCode: 200, table: command.input.TableName, item: command.input.Item, region: await client.config.region() };
};
