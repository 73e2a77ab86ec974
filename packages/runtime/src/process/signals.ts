/**
 * Install SIGTERM/SIGINT (clean shutdown) and SIGHUP (reload) handlers for a foreground server.
 * Returns a function that removes them.
 */
export function installSignalHandlers(h: {
  shutdown: () => Promise<void>;
  reload: () => Promise<void>;
}): () => void {
  let stopping = false;
  const onTerm = (): void => {
    if (stopping) return;
    stopping = true;
    void h.shutdown();
  };
  const onHup = (): void => {
    void h.reload();
  };
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onTerm);
  process.on('SIGHUP', onHup);
  return () => {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onTerm);
    process.off('SIGHUP', onHup);
  };
}
