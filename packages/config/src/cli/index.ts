/**
 * `@courier-ts/config/cli`: the effective-configuration printer and checker used by the imapd and pop3d
 * CLIs (this package has no program of its own).
 */

export { checkConfig } from './check-config.js';
export type { ServerConfigCommandOptions } from './commands.js';
export { runCheckCommand, runConfigCommand } from './commands.js';
export type { TextOutput } from './output.js';
export { bufferOutput } from './output.js';
export type { PrintConfigOptions } from './print-config.js';
export { printConfig, shQuote } from './print-config.js';
