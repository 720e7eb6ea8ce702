// An orders API as teams ship it on Lambda: Express routes behind
// serverless-http, zod validation, DynamoDB and S3 through the AWS SDK v3,
// Powertools logging, and sharp for thumbnails.
import serverless from "serverless-http";
import { app } from "./routes";

export const handler = serverless(app);
