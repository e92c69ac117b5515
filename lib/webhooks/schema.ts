import { z } from "zod";
import { ENVIRONMENTS } from "@/lib/keys/types";
import { CONTROL_CHARS, plainText, versionField } from "@/lib/keys/schema";
import { WEBHOOK_EVENT_TYPES } from "./events";

// One schema module for webhook endpoints: the page's form uses it through zodResolver, the
// actions parse with it. Whether the URL's address is public is checked by the service (DNS).

const idField = (what: string) => z.uuid({ error: `This ${what} does not exist.` });
const urlField = z
  .string()
  .trim()
  .min(1, "Enter the URL that receives the webhooks.")
  .max(2048, "Use at most 2048 characters.")
  .refine((s) => !CONTROL_CHARS.test(s) && !/\s/.test(s), { error: "Enter a URL without spaces." });

const endpointFields = {
  url: urlField,
  description: z
    .string()
    .trim()
    .max(200, "Use at most 200 characters.")
    .refine((s) => !CONTROL_CHARS.test(s), plainText)
    .default(""),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, "Choose at least one event.").max(WEBHOOK_EVENT_TYPES.length),
  signingKeyId: z.uuid({ error: "Choose the API key that signs the deliveries." }),
};

export const createEndpointSchema = z.strictObject({
  environment: z.enum(ENVIRONMENTS, { error: "Choose an environment." }),
  ...endpointFields,
});
export type CreateEndpointValues = z.output<typeof createEndpointSchema>;

export const updateEndpointSchema = z.strictObject({ endpointId: idField("endpoint"), version: versionField, ...endpointFields });
export type UpdateEndpointValues = z.output<typeof updateEndpointSchema>;

export const endpointRefSchema = z.strictObject({ endpointId: idField("endpoint") });
export const setEndpointEnabledSchema = z.strictObject({ endpointId: idField("endpoint"), enabled: z.boolean() });
export const deleteEndpointSchema = z.strictObject({
  endpointId: idField("endpoint"),
  confirmed: z.literal(true, { error: "Tick the confirmation box." }),
});
export const resendDeliverySchema = z.strictObject({ deliveryId: idField("delivery") });
