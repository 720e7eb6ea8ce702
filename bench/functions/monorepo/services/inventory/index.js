const { S3Client, GetObjectCommand } = require("@aws-sdk/client-s3");
const { DynamoDBClient } = require("@aws-sdk/client-dynamodb");
const { parse } = require("csv-parse/sync");
const { logger, ok } = require("@shop/common");

const s3 = new S3Client({});
const db = new DynamoDBClient({});

exports.handler = async (event) => {
  let csv = event.csv ?? "sku,count\nA-1,3\nB-2,0\n";
  if (event.bucket && event.key) {
    const obj = await s3.send(new GetObjectCommand({ Bucket: event.bucket, Key: event.key }));
    csv = await obj.Body.transformToString();
  }
  const rows = parse(csv, { columns: true });
  logger.info({ rows: rows.length, region: typeof db.config.region }, "stock read");
  return ok({ outOfStock: rows.filter((r) => Number(r.count) === 0).map((r) => r.sku) });
};
