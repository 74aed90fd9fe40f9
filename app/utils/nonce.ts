import { createContext, useContext } from "react";

/**
 * The Content-Security-Policy nonce of the current response. entry.server.tsx provides it while
 * rendering on the server; it never travels in loader data, and in the browser it is undefined
 * (the scripts it guards have already run by then).
 */
export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
