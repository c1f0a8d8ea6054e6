// A real OpenID Connect provider for tests: the `oidc-provider` package on 127.0.0.1 with its built-in
// login page (any password; the login name is the account's e-mail address) and grants given without
// a consent page. Used by oidc.routes.test.ts and the browser test ui/e2e/oidc.e2e.test.ts.
import Provider, { type Configuration } from "oidc-provider";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const TEST_CLIENT_ID = "skriptoteket-test";
export const TEST_CLIENT_SECRET = "test-client-secret-that-is-long-enough";

export type TestAccount = { email: string; emailVerified?: boolean; givenName?: string; familyName?: string; groups?: string[] };

export type TestOidcProvider = {
  issuer: string;
  /**
   * Registers the client's redirect URIs when they were not known at start (a server whose port is
   * picked after the provider's); must be called before the first request to the provider.
   */
  setRedirectUris(uris: string[]): void;
  close(): Promise<void>;
};

export async function startTestOidcProvider(opts: { redirectUris?: string[]; accounts?: TestAccount[] }): Promise<TestOidcProvider> {
  const accounts = new Map((opts.accounts ?? []).map((a) => [a.email.toLowerCase(), a]));
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: TEST_CLIENT_ID,
        client_secret: TEST_CLIENT_SECRET,
        redirect_uris: [],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["given_name", "family_name", "name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    // every claim of the granted scopes goes into the ID token, as Entra ID and Keycloak can be set up to do
    conformIdTokenClaims: false,
    cookies: { keys: ["test-cookie-key-0123456789abcdef"] },
    ttl: { Interaction: 600, Grant: 3600, Session: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const known = accounts.get(id.toLowerCase());
      const account: TestAccount = known ?? { email: id };
      return {
        accountId: id,
        async claims() {
          return {
            sub: `sub-${id.toLowerCase()}`,
            email: account.email,
            email_verified: account.emailVerified ?? true,
            given_name: account.givenName ?? "Test",
            family_name: account.familyName ?? "Person",
            name: `${account.givenName ?? "Test"} ${account.familyName ?? "Person"}`,
            groups: account.groups ?? [],
          };
        },
      };
    },
    // No consent page: the test user always grants what the client asks for.
    async loadExistingGrant(ctx) {
      const session = ctx.oidc.session;
      const clientId = ctx.oidc.client?.clientId;
      if (!session?.accountId || !clientId) return undefined;
      const existing = session.grantIdFor(clientId);
      if (existing) {
        const found = await ctx.oidc.provider.Grant.find(existing);
        if (found) return found;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: session.accountId });
      grant.addOIDCScope("openid email profile groups");
      await grant.save();
      return grant;
    },
  };
  let redirectUris = opts.redirectUris ?? [];
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  // Built at the first request: oidc-provider reads its clients once, so the redirect URIs must be final by then.
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (!handler) {
      const client = configuration.clients?.[0];
      if (client) client.redirect_uris = redirectUris;
      const provider = new Provider(issuer, configuration);
      provider.on("server_error", (_ctx: unknown, error: unknown) => console.error("test OIDC provider error", error));
      handler = provider.callback();
    }
    handler(req, res);
  });
  return {
    issuer,
    setRedirectUris(uris) {
      if (handler) throw new Error("setRedirectUris after the provider's first request");
      redirectUris = uris;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
