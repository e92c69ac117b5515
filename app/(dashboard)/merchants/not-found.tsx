import { NotFoundMessage } from "@/components/layout/not-found-message";

// Inside the dashboard's own <main>: a merchant or key the user may not see.
export default function MerchantNotFound() {
  return <NotFoundMessage />;
}
