"use server";
import {
  createEndpointSchema,
  deleteEndpointSchema,
  endpointRefSchema,
  resendDeliverySchema,
  setEndpointEnabledSchema,
  updateEndpointSchema,
} from "@/lib/webhooks/schema";
import { createEndpoint, deleteEndpoint, resendDelivery, sendTestEvent, setEndpointEnabled, updateEndpoint } from "@/lib/webhooks/service";
import { defineMerchantAction } from "./safe-action";

// Webhook endpoints: owners and admins manage them (webhooks.write); every role reads the page.

export const createWebhookEndpointAction = defineMerchantAction({
  permission: "webhooks.write",
  schema: createEndpointSchema,
  run: ({ actor, db, input }) => createEndpoint(db, actor, input),
  revalidate: "developers",
});

export const updateWebhookEndpointAction = defineMerchantAction({
  permission: "webhooks.write",
  schema: updateEndpointSchema,
  run: ({ actor, db, input }) => updateEndpoint(db, actor, input),
  revalidate: "developers",
});

export const setWebhookEndpointEnabledAction = defineMerchantAction({
  permission: "webhooks.write",
  schema: setEndpointEnabledSchema,
  run: ({ actor, db, input }) => setEndpointEnabled(db, actor, input.endpointId, input.enabled),
  revalidate: "developers",
});

export const deleteWebhookEndpointAction = defineMerchantAction({
  permission: "webhooks.write",
  schema: deleteEndpointSchema,
  run: ({ actor, db, input }) => deleteEndpoint(db, actor, input.endpointId),
  revalidate: "developers",
});

export const sendWebhookTestEventAction = defineMerchantAction({
  permission: "webhooks.write",
  schema: endpointRefSchema,
  run: ({ actor, db, input }) => sendTestEvent(db, actor, input.endpointId),
  revalidate: "developers",
});

export const resendWebhookDeliveryAction = defineMerchantAction({
  permission: "webhooks.write",
  schema: resendDeliverySchema,
  run: ({ actor, db, input }) => resendDelivery(db, actor, input.deliveryId),
  revalidate: "developers",
});
