import { notFound } from "~/platform/request.server";

// Addresses no other route answers. Without this route Remix renders the root's error page
// without running the root loader, so a signed-in reader would lose the header and navigation.
export function loader() {
  throw notFound();
}

export function action() {
  throw notFound();
}

// A default export makes this a page rather than a resource route; the loader always throws, so
// only the error boundary is ever shown.
export default function NotFound() {
  return null;
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
