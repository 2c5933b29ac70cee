/**
 * A setting that cannot be used, named by its variable or YAML path. Here rather than in config/
 * so that a feature validating its own section can throw it without importing the loader.
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}
