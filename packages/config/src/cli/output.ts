/** Where the CLI helpers write: anything with write(string) (process.stdout, a test buffer). */
export interface TextOutput {
  write(chunk: string): unknown;
}

/** Collects written text (for tests and for callers that post-process output). */
export function bufferOutput(): TextOutput & { text(): string } {
  const chunks: string[] = [];
  return {
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    text: () => chunks.join(''),
  };
}
