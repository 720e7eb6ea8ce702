// Command orders is a Go function with real dependencies: it stores an
// order in DynamoDB and its receipt in S3 through the AWS SDK for Go v2.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

const greeting = "Hello"

type order struct {
	ID    string   `json:"id" dynamodbav:"id"`
	Items []string `json:"items" dynamodbav:"items"`
}

type clients struct {
	db    *dynamodb.Client
	store *s3.Client
	queue *sqs.Client
}

func (c clients) handle(ctx context.Context, o order) (map[string]any, error) {
	if o.ID == "" {
		return nil, errors.New("an order needs an id")
	}
	if table := os.Getenv("ORDERS_TABLE"); table != "" {
		item, err := attributevalue.MarshalMap(o)
		if err != nil {
			return nil, err
		}
		if _, err := c.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
			return nil, err
		}
	}
	if bucket := os.Getenv("RECEIPTS_BUCKET"); bucket != "" {
		body, _ := json.Marshal(o)
		if _, err := c.store.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(o.ID), Body: bytes.NewReader(body)}); err != nil {
			return nil, err
		}
	}
	return map[string]any{"message": greeting + ", " + o.ID, "items": len(o.Items)}, nil
}

func main() {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		panic(err)
	}
	c := clients{db: dynamodb.NewFromConfig(cfg), store: s3.NewFromConfig(cfg), queue: sqs.NewFromConfig(cfg)}
	lambda.Start(c.handle)
}
