/** A non-2xx answer from a service, with its status and message (never the token). */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/**
 * The console's one HTTP client for its calls to the services: JSON over HTTP to one service.
 * Operator requests carry `Authorization: Bearer <token>`: the signed-in operator's own token for
 * an action (`token`), so the service's audit trail names that operator; the console's read token
 * for its own polling (`operator: true`). Public reads carry none. Every request has a deadline: a
 * hung service must not stall the console's poll.
 */
export class ServiceClient {
  constructor(
    readonly name: string,
    private readonly baseUrl: string,
    private readonly operatorToken?: string,
    private readonly timeoutMs = 2_000,
  ) {}

  async request<T>(
    method: string,
    path: string,
    options: { body?: unknown; operator?: boolean; token?: string; timeoutMs?: number; allowStatus?: number[] } = {},
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const token = options.token ?? (options.operator ? this.operatorToken : undefined);
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs),
      });
    } catch (error) {
      throw new ServiceError(503, `${this.name} unreachable (${(error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message})`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = { message: text.slice(0, 200) };
    }
    if (!response.ok && !(options.allowStatus ?? []).includes(response.status)) {
      const message = (body as { message?: unknown } | undefined)?.message;
      throw new ServiceError(response.status, `${this.name}: ${typeof message === 'string' ? message : `HTTP ${response.status}`}`);
    }
    return { status: response.status, body: body as T };
  }

  async get<T>(path: string, operator = false): Promise<T> {
    return (await this.request<T>('GET', path, { operator })).body;
  }
}
