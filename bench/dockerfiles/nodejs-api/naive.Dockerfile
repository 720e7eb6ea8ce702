# The single-stage Dockerfile of the AWS documentation's style: everything
# is copied, npm install runs, devDependencies and npm's cache stay.
FROM public.ecr.aws/lambda/nodejs:22
COPY . ${LAMBDA_TASK_ROOT}
RUN npm install && npm run build && cp -r dist/. ${LAMBDA_TASK_ROOT}/
ENV GREETING=Hello
CMD ["app.handler"]
