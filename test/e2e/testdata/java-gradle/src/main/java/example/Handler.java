package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import org.apache.commons.text.WordUtils;

/**
 * A Lambda function in Java: it greets the name in the event, capitalized
 * by a dependency (commons-text), with the greeting of the GREETING
 * variable lambda.yaml sets.
 */
public class Handler implements RequestHandler<Map<String, Object>, Map<String, String>> {
    @Override
    public Map<String, String> handleRequest(Map<String, Object> event, Context context) {
        String greeting = System.getenv().getOrDefault("GREETING", "Hello");
        String name = WordUtils.capitalizeFully(String.valueOf(event.getOrDefault("name", "world")));
        return Map.of("message", greeting + ", " + name + "!", "java", System.getProperty("java.specification.version"));
    }
}
