module example.com/greeter

go 1.26

require github.com/aws/aws-lambda-go v1.48.0
