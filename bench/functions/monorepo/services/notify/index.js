const { SNSClient, PublishCommand } = require("@aws-sdk/client-sns");
const { SESv2Client } = require("@aws-sdk/client-sesv2");
const Mustache = require("mustache");
const { logger, ok } = require("@shop/common");

const sns = new SNSClient({});
const ses = new SESv2Client({});

exports.handler = async (event) => {
  const text = Mustache.render("Hello {{name}}, your order {{order}} has shipped.", event);
  if (process.env.TOPIC_ARN) {
    await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: text }));
  }
  logger.info({ ses: typeof ses.send }, "notified");
  return ok({ text });
};
