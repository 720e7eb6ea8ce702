//! A Lambda function in Rust: it greets the name in the event, with the
//! greeting of the GREETING variable lambda.yaml sets.
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::{json, Value};

async fn greet(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let greeting = std::env::var("GREETING").unwrap_or_else(|_| "Hello".into());
    let name = event.payload["name"].as_str().unwrap_or("world");
    Ok(json!({ "message": format!("{greeting}, {name}!"), "arch": std::env::consts::ARCH }))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(greet)).await
}
