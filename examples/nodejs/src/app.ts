import ms from "ms";

interface GreetEvent {
  name?: string;
  uptimeMs?: number;
}

// handler greets the caller and formats how long it has been up, to show a
// production dependency (ms) at work.
export const handler = async (event: GreetEvent) => {
  const greeting = process.env.GREETING ?? "Hello";
  return {
    message: `${greeting}, ${event.name ?? "world"}!`,
    uptime: ms(event.uptimeMs ?? 0, { long: true }),
    runtime: process.version,
  };
};
