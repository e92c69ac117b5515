// The input schema of every action that breaks an integration lives with the other key schemas.
export { destructiveSchema } from "@/lib/keys/schema";
