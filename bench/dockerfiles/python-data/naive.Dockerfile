# The single-stage Dockerfile of the AWS documentation's style, with the
# dependencies in the task root (the stand-in base's system Python is
# externally managed, unlike AWS's).
FROM public.ecr.aws/lambda/python:3.12
COPY requirements.txt ${LAMBDA_TASK_ROOT}
RUN pip install -r requirements.txt --target "${LAMBDA_TASK_ROOT}"
COPY app.py ${LAMBDA_TASK_ROOT}
ENV GREETING=Hello
CMD ["app.handler"]
