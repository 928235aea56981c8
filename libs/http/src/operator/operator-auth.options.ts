export const OPERATOR_AUTH_OPTIONS = Symbol('OPERATOR_AUTH_OPTIONS');

export interface OperatorAuthOptions {
  /** OPERATOR_TOKEN; undefined disables every operator route (they answer 403: fail closed). */
  token?: string;
}
