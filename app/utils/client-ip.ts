/** The header through which the HTTP server tells the app the client's address (see requestIp). */
export const CLIENT_IP_HEADER = "x-kns-client-ip";
