// The receiver shown on the Webhooks page and in the README: verifies with the same package.
export const RECEIVER_SNIPPET = `import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";

// Derived from your API key's secret: HMAC-SHA256(key = secret, "keyport-webhook-signing-v1").
const signing = createHmac("sha256", process.env.KEYPORT_API_SECRET).update("keyport-webhook-signing-v1").digest("base64");
const wh = new Webhook(signing);

createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    try {
      const event = wh.verify(body, req.headers); // throws unless a signature matches
      console.log(event.type, event.data);
      res.writeHead(204).end();
    } catch {
      res.writeHead(400).end();
    }
  });
}).listen(8080);
`;
