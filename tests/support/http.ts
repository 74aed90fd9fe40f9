// A minimal cookie-keeping HTTP client that behaves like a browser posting forms from the site.
export class Client {
  private cookies = new Map<string, string>();
  constructor(public base: string) {}

  /** Keeps the cookies but talks to another server (after a restart on a new port). */
  moveTo(base: string) {
    this.base = base;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  setCookie(name: string, value: string) {
    this.cookies.set(name, value);
  }

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(this.base + path, { headers: { Cookie: this.cookieHeader(), ...headers }, redirect: "manual" });
    this.remember(res);
    return res;
  }

  async post(
    path: string,
    fields: Record<string, string>,
    { origin = this.base, headers = {} }: { origin?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const res = await fetch(this.base + path, {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Cookie: this.cookieHeader(),
        ...(origin ? { Origin: origin } : {}),
        ...headers,
      },
      redirect: "manual",
    });
    this.remember(res);
    return res;
  }

  /** A form whose fields may repeat (checkboxes), posted like `post` (to another server when `base` is given). */
  async postEntries(path: string, entries: [string, string][], base = this.base): Promise<Response> {
    const res = await fetch(base + path, {
      method: "POST",
      body: new URLSearchParams(entries),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: this.cookieHeader(), Origin: base },
      redirect: "manual",
    });
    this.remember(res);
    return res;
  }

  async login(email: string, password: string): Promise<Response> {
    return this.post("/login", { email, password });
  }
}

/** A client signed in as this person, or a failure naming the answer the sign-in got. */
export async function signedInClient(baseUrl: string, email: string, password: string): Promise<Client> {
  const client = new Client(baseUrl);
  const res = await client.login(email, password);
  if (res.status !== 302) throw new Error(`signing in as ${email} answered ${res.status}`);
  return client;
}
