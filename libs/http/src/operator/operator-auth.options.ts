export const OPERATOR_AUTH_OPTIONS = Symbol('OPERATOR_AUTH_OPTIONS');

export interface OperatorAuthOptions {
  /** OPERATOR_TOKEN (the operator named `operator`); with no operators every operator route answers 403 (fail closed). */
  token?: string;
  /** Named operators (OPERATOR_TOKENS, with OPERATOR_TOKEN as `operator`); wins over `token` when given. */
  operators?: Array<{ name: string; token: string }>;
}
