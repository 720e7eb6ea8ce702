const { SQSClient, SendMessageCommand } = require("@aws-sdk/client-sqs");
const Stripe = require("stripe");
const { logger, ok, badRequest, z } = require("@shop/common");

const Payment = z.object({ order: z.string(), cents: z.number().int().positive() });
const sqs = new SQSClient({});

exports.handler = async (event) => {
  const parsed = Payment.safeParse(event);
  if (!parsed.success) return badRequest(parsed.error);
  if (process.env.STRIPE_KEY) {
    const stripe = new Stripe(process.env.STRIPE_KEY);
    await stripe.paymentIntents.create({ amount: parsed.data.cents, currency: "eur" });
  }
  if (process.env.QUEUE_URL) {
    await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(parsed.data) }));
  }
  logger.info(parsed.data, "payment taken");
  return ok({ paid: parsed.data.cents, stripe: typeof Stripe });
};
