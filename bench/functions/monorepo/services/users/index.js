const { CognitoIdentityProviderClient, AdminGetUserCommand } = require("@aws-sdk/client-cognito-identity-provider");
const jwt = require("jsonwebtoken");
const { Id, logger, ok, badRequest } = require("@shop/common");

const cognito = new CognitoIdentityProviderClient({});

exports.handler = async (event) => {
  const id = Id.safeParse(event.userId);
  if (!id.success) return badRequest(id.error);
  if (process.env.USER_POOL_ID) {
    await cognito.send(new AdminGetUserCommand({ UserPoolId: process.env.USER_POOL_ID, Username: id.data }));
  }
  const token = jwt.sign({ sub: id.data }, process.env.JWT_SECRET ?? "bench", { expiresIn: "1h" });
  logger.info({ user: id.data }, "token issued");
  return ok({ token });
};
