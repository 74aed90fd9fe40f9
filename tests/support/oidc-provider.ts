// A real OpenID Connect provider for the tests (oidc-provider, the maintained implementation many
// identity servers build on), standing in for a province's identity provider (Keycloak, WSO2,
// VNPT-IDP). Its own login page takes any login name: the account's claims come from `people`.
import crypto from "node:crypto";
import http from "node:http";
import Provider from "oidc-provider";
import { freePort } from "./server";

export type TestPerson = { email?: string; employee_code?: string; name?: string };
export type TestProvider = { issuer: string; rotateKey(): Promise<void>; stop(): Promise<void> };

async function signingKey() {
  const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), kid: crypto.randomUUID(), use: "sig", alg: "RS256" };
}

export async function startTestProvider(options: {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  people: Record<string, TestPerson>;
  port?: number;
}): Promise<TestProvider> {
  let server: http.Server | undefined;
  let keys = [await signingKey()];
  const start = async (port: number) => {
    const issuer = `http://127.0.0.1:${port}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: options.clientId,
          client_secret: options.clientSecret,
          redirect_uris: [options.redirectUri],
          response_types: ["code"],
          grant_types: ["authorization_code"],
        },
      ],
      jwks: { keys },
      cookies: { keys: [crypto.randomBytes(16).toString("hex")] },
      claims: { openid: ["sub"], email: ["email"], profile: ["name", "employee_code"] },
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => true },
      async findAccount(_ctx, sub) {
        const person = options.people[sub];
        return { accountId: sub, claims: async () => ({ sub, ...(person ?? {}) }) };
      },
    });
    provider.proxy = false;
    server = http.createServer(provider.callback());
    await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    return issuer;
  };
  const port = options.port ?? (await freePort());
  const issuer = await start(port);
  const stop = () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  return {
    issuer,
    // A new signing key (the old one gone), as an identity provider rotates its keys.
    async rotateKey() {
      keys = [await signingKey()];
      server?.closeAllConnections();
      await stop();
      await start(port);
    },
    stop,
  };
}
