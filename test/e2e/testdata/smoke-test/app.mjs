// A function for the smoke tests: it greets, or fails the way the event
// asks, so one image covers a passing test and each kind of failure.
export const handler = async (event) => {
  console.log("event", JSON.stringify(event));
  if (event.fail) {
    throw new TypeError(`asked to fail: ${event.fail}`);
  }
  if (event.sleep) {
    await new Promise((resolve) => setTimeout(resolve, event.sleep * 1000));
  }
  return { statusCode: 200, body: { greeting: `Hello, ${event.name}!`, tags: ["a", "b"] } };
};
