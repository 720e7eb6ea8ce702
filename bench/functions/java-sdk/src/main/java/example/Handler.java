package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Stores an order in DynamoDB through the AWS SDK v2's enhanced client. */
public class Handler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final String GREETING = "Hello";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    @DynamoDbBean
    public static class Order {
        private String id;
        private List<String> items;

        @DynamoDbPartitionKey
        public String getId() { return id; }
        public void setId(String id) { this.id = id; }
        public List<String> getItems() { return items; }
        public void setItems(List<String> items) { this.items = items; }
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Order order = JSON.convertValue(event, Order.class);
        String table = System.getenv("ORDERS_TABLE");
        if (table != null) {
            DynamoDbEnhancedClient db = DynamoDbEnhancedClient.builder()
                .dynamoDbClient(DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build())
                .build();
            db.table(table, TableSchema.fromBean(Order.class)).putItem(order);
        }
        return Map.of("message", GREETING + ", " + order.getId(), "at", Instant.EPOCH.toString());
    }
}
