/** Paths pino redacts in every record: passwords, SASL data, raw LOGIN/PASS arguments. */
export const REDACT_PATHS: readonly string[] = [
  'password',
  'pass',
  'credentials.password',
  'credentials.response',
  'saslData',
  'authData',
  'line',
  '*.password',
  '*.pass',
];
